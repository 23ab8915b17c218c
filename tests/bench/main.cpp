// featurescope-bench FILE [--repeat N] [--only NAME]: times each analysis stage on FILE (best on
// a 3-minute 44.1 kHz stereo mp3: scripts/make_bench_track.sh makes one) and prints the minimum
// and the median over N runs, with the machine's core count. Stages are timed separately, each on
// the previous stage's output computed once beforehand, so the figures add up to a pipeline.
#include "core/pipeline/analysis.h"
#include "core/export/atomic_file.h"
#include "core/io/audio.h"
#include "core/rhythm/beat.h"
#include "core/feature/chroma.h"
#include "core/spectrum/cqt.h"
#include "core/spectrum/decibel.h"
#include "core/feature/energy.h"
#include "core/spectrum/fft.h"
#include "core/decompose/hpss.h"
#include "core/util/malloc_tuning.h"
#include "core/spectrum/mel.h"
#include "core/feature/mfcc.h"
#include "core/rhythm/onset.h"
#include "core/feature/spectral.h"
#include "core/feature/spectral_contrast.h"
#include "core/spectrum/stft.h"
#include "core/pipeline/summary.h"
#include "core/rhythm/tempo.h"
#if __has_include("core/feature/chroma_cqt.h")
#include "core/feature/chroma_cqt.h"
#define FEATURESCOPE_HAS_CHROMA_CQT 1
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace featurescope;

namespace {

struct Timing {
    double min_ms, median_ms;
};

Timing timeIt(int repeat, const std::function<void()>& work) {
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms.front(), ms[ms.size() / 2]};
}

/// Keeps the optimiser from dropping work whose result is unused.
template <typename T> void keep(const T& value) {
    asm volatile("" : : "g"(&value) : "memory");
}

Eigen::Index channelCount(const std::string& path) {
    LoadOptions all;
    all.sr = std::nullopt;
    all.mono = false;
    all.duration = 0.1;
    return load(path, all).channels();
}

/// What featurescope-extract --jobs 2 gives each track: what its tables read
/// (FeatureSelection::forTables), one stage thread (the other core analyses another track).
AnalysisSettings batchSettings() {
    AnalysisSettings settings;
    settings.features = settings.features.forTables();
    settings.threads = 1;
    return settings;
}

/// One whole analysis with `settings`, warmed up once, then each stage's start, end and CPU time.
int printTimeline(const std::string& path, const AnalysisSettings& settings) {
    try {
        runAnalysis(path, settings); // plans, filter banks, page pools
        const auto processCpuMs = [] {
            timespec t{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
            return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
        };
        const double cpu_start = processCpuMs();
        const auto start = std::chrono::steady_clock::now();
        const auto analysis = runAnalysis(path, settings);
        keep(summarize(*analysis));
        const double total =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        const double process_cpu = processCpuMs() - cpu_start;
        std::printf("featurescope-bench --timeline %s; cores: %u\n", path.c_str(),
                    std::thread::hardware_concurrency());
        std::printf("%-24s %9s %9s %9s\n", "stage", "start ms", "end ms", "cpu ms");
        double cpu = 0.0;
        for (const StageRun& run : analysis->stages()) {
            std::printf("%-24s %9.1f %9.1f %9.1f\n", run.name.c_str(), run.started * 1e3,
                        (run.started + run.seconds) * 1e3, run.cpu_seconds * 1e3);
            cpu += run.cpu_seconds;
        }
        std::printf("whole run %.1f ms; CPU %.1f ms in the stage threads, %.1f ms in all\n", total,
                    cpu * 1e3, process_cpu);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}

/// Runs the analyses the app makes (the window's default, the extractor's tables, the
/// keras-melgram preset) on `path` so that every transform they use is planned, then measures
/// those plans with FFTW_PATIENT and writes the wisdom to DIR/wisdom-{float,double}.txt, which
/// is what resources/fftw/ holds (scripts/make_fftw_wisdom.sh).
int writeFftWisdom(const std::string& path, const std::filesystem::path& dir) {
    try {
        runAnalysis(path, AnalysisSettings{});
        runAnalysis(path, batchSettings());
        runAnalysis(path, AnalysisSettings::kerasMelgramPreset());
        const std::vector<FftPlanKey> keys = plannedFfts();
        const FftWisdom wisdom = measureFftWisdom(keys);
        writeFileAtomically(dir / "wisdom-float.txt", wisdom.single_precision);
        writeFileAtomically(dir / "wisdom-double.txt", wisdom.double_precision);
        std::printf("measured %zu plans:", keys.size());
        for (const FftPlanKey& key : keys)
            std::printf(" %d/%d", int(key.kind), key.n);
        std::printf("\nwrote %s/wisdom-float.txt and wisdom-double.txt\n", dir.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    tuneMallocForLargeArrays(argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: featurescope-bench FILE [--repeat N] [--only NAME] "
                             "[--timeline | --timeline-batch | --write-fftw-wisdom DIR]\n");
        return 2;
    }
    const std::string path = argv[1];
    int repeat = 5;
    std::string only;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--timeline")) return printTimeline(path, AnalysisSettings{});
        if (!std::strcmp(argv[i], "--timeline-batch")) return printTimeline(path, batchSettings());
        if (i + 1 >= argc) break;
        if (!std::strcmp(argv[i], "--write-fftw-wisdom")) return writeFftWisdom(path, argv[i + 1]);
        if (!std::strcmp(argv[i], "--repeat")) repeat = std::max(1, std::atoi(argv[i + 1]));
        if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
        ++i;
    }

    LoadOptions native;
    native.sr = std::nullopt;
    Audio decoded, at22k;
    try {
        decoded = load(path, native);
        at22k = load(path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    const double sr = at22k.sr;
    const Eigen::ArrayXf y = at22k.mono();
    const Eigen::ArrayXf y_native = decoded.mono();
    const Eigen::ArrayXXcf D = stft(y);
    const auto D_shared = std::make_shared<const ComplexSpectrogram>(D);
    const Eigen::ArrayXXf S = D.abs();
    const Eigen::ArrayXXf power = S.square();
    const Eigen::ArrayXXf mel = melSpectrogram(power, sr);
    const auto layers = hpssSignals(y);

    std::printf("featurescope-bench %s\n", path.c_str());
    std::printf("track: %.1f s, %d Hz, %ld channel(s); cores: %u; repeats: %d\n",
                decoded.duration(), int(decoded.sr), long(channelCount(path)),
                std::thread::hardware_concurrency(), repeat);
    std::printf("%-36s %10s %10s\n", "stage", "min ms", "median ms");

    const std::vector<std::pair<std::string, std::function<void()>>> stages = {
        {"decode (native rate, mono)", [&] { keep(load(path, native)); }},
        {"resample 44.1k->22.05k (soxr HQ)",
         [&] { keep(resample(y_native, decoded.sr, 22050.0)); }},
        {"decode + resample (load)", [&] { keep(load(path)); }},
        {"load, mp3 in parts on every core",
         [&] {
             LoadOptions parts;
             parts.threads = 0;
             keep(load(path, parts));
         }},
        {"stft (complex)", [&] { keep(stft(y)); }},
        {"stft magnitude", [&] { keep(stftMagnitude(y)); }},
        {"istft", [&] { keep(istft(D, {}, y.size())); }},
        {"mel (from |S|^2)", [&] { keep(melSpectrogram(power, sr)); }},
        {"mfcc (power_to_db + DCT)", [&] { keep(mfcc(powerToDb(mel))); }},
        {"spectral set (shape, contrast, rms, zcr)",
         [&] {
             keep(spectralShape(S, sr));
             keep(spectralContrast(S, sr));
             keep(rms(S));
             keep(zeroCrossingRate(y));
         }},
        {"chroma_stft (tuning estimated)", [&] { keep(chromaStftFromSpectrogram(power, sr)); }},
        {"mel+mfcc+spectral+chroma_stft",
         [&] {
             const Eigen::ArrayXXf m = melSpectrogram(power, sr);
             keep(mfcc(powerToDb(m)));
             keep(spectralShape(S, sr));
             keep(spectralContrast(S, sr));
             keep(rms(S));
             keep(zeroCrossingRate(y));
             keep(chromaStftFromSpectrogram(power, sr));
         }},
        // As the app's stages: |S| and the masks, then each layer inverted as it is made.
        {"hpss (masks on stft)", [&] { keep(HpssLayers(D_shared)); }},
        {"hpss + both istft",
         [&] {
             const HpssLayers hp(D_shared);
             keep(hp.signal(HpssPart::harmonic, {}, y.size()));
             keep(hp.signal(HpssPart::percussive, {}, y.size()));
         }},
        {"cqt (84 bins, tuning 0)", [&] { keep(cqtMagnitude(y, sr)); }},
#ifdef FEATURESCOPE_HAS_CHROMA_CQT
        {"chroma_cqt (tuning estimated)", [&] { keep(chromaCqt(layers.harmonic, sr)); }},
#endif
        {"onset strength + tempo + beats",
         [&] {
             const Eigen::ArrayXf envelope = onsetStrength(layers.percussive);
             // beat_track is given the tempo already estimated, as the app's stages do.
             BeatTrackParams beat_params;
             beat_params.bpm = tempo(envelope);
             keep(*beat_params.bpm);
             keep(beatTrack(envelope, beat_params));
         }},
        {"whole default analysis (file -> summary)",
         [&] { keep(summarize(*runAnalysis(path, AnalysisSettings{}))); }},
        // What featurescope-extract runs by default: every feature its tables read and the
        // summary, without what only the window draws (stft_db, |cqt|, |H|, |P|) or no table
        // holds (beats, tempogram).
        {"whole default extraction (tables)",
         [&] {
             AnalysisSettings settings;
             settings.features = settings.features.forTables();
             keep(summarize(*runAnalysis(path, settings)));
         }},
    };
    for (const auto& [name, work] : stages) {
        if (!only.empty() && name.find(only) == std::string::npos) continue;
        const Timing t = timeIt(repeat, work);
        std::printf("%-36s %10.1f %10.1f\n", name.c_str(), t.min_ms, t.median_ms);
        std::fflush(stdout);
    }
    return 0;
}
