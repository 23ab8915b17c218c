// The analysis pipeline: stage reuse, cancellation, progress, routing, and its outputs against
// librosa's reference numbers.
#include "core/pipeline/analysis.h"
#include "core/feature/chroma_cqt.h"
#include "core/spectrum/decibel.h"
#include "core/decompose/hpss.h"
#include "core/spectrum/mel.h"
#include "core/export/npy.h"
#include "core/util/parallel.h"
#include "core/pipeline/stage_graph.h"
#include "core/spectrum/stft.h"
#include "core/pipeline/summary.h"
#include "core/spectrum/tuning.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace featurescope;

#ifdef FEATURESCOPE_SANITIZED
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

double relativeError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return std::sqrt((ours.cast<double>() - ref.cast<double>()).square().sum() /
                     ref.cast<double>().square().sum());
}

double maxAbsError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return (ours - ref).abs().maxCoeff();
}

Eigen::ArrayXXf row(const FeatureCurves& curves, const std::string& name) {
    const Eigen::Index i = curves.find(name);
    if (i < 0) return {};
    return curves.values.row(i);
}

AnalysisSettings fromOriginal() {
    AnalysisSettings settings;
    settings.routing = Routing::all(Signal::original);
    return settings;
}

/// Writes `y` (in [-1, 1]) as a 16-bit PCM mono WAV at `sr`: a long file to decode.
void writeWav16(const std::string& path, const Eigen::ArrayXf& y, int sr) {
    std::ofstream out(path, std::ios::binary);
    const auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    const auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const auto bytes = static_cast<std::uint32_t>(y.size() * 2);
    out.write("RIFF", 4);
    u32(36 + bytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(1);
    u32(static_cast<std::uint32_t>(sr));
    u32(static_cast<std::uint32_t>(sr * 2));
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(bytes);
    std::vector<std::int16_t> pcm(static_cast<size_t>(y.size()));
    for (Eigen::Index i = 0; i < y.size(); ++i)
        pcm[static_cast<size_t>(i)] = static_cast<std::int16_t>(std::lround(y[i] * 32767.0f));
    out.write(reinterpret_cast<const char*>(pcm.data()), static_cast<std::streamsize>(bytes));
}

/// Starts runAnalysis on another thread, stops it once `waitForStop()` returns (on this thread),
/// and returns the milliseconds from the stop request to runAnalysis throwing, or a negative
/// number when it was not cancelled. `busy_after` receives stagesComputing() at that moment.
template <typename Run, typename Wait>
double cancelAndTime(const Run& run, const Wait& waitForStop, std::stop_source& source,
                     std::size_t& busy_after) {
    std::atomic<bool> cancelled{false};
    std::chrono::steady_clock::time_point threw_at;
    std::thread runner([&] {
        try {
            run();
        } catch (const AnalysisCancelled&) {
            threw_at = std::chrono::steady_clock::now();
            busy_after = stagesComputing();
            cancelled = true;
        }
    });
    waitForStop();
    const auto stopped_at = std::chrono::steady_clock::now();
    source.request_stop();
    runner.join();
    if (!cancelled) return -1.0;
    return std::chrono::duration<double, std::milli>(threw_at - stopped_at).count();
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT

private slots:
    void regressionAgainstLibrosa() {
        const auto a = runAnalysis(kRef + "chords.wav", fromOriginal());
        QVERIFY(relativeError(a->stftMagnitude(), readNpy(kRef + "chords.stft_mag.npy")) <= 1e-4);
        QVERIFY(maxAbsError(a->stftDb(), readNpy(kRef + "chords.stft_db.npy")) <= 0.01);
        QVERIFY(relativeError(a->mel(), readNpy(kRef + "chords.mel.npy")) <= 1e-4);
        QVERIFY(maxAbsError(a->melDb(), readNpy(kRef + "chords.mel_db.npy")) <= 0.01);
        QVERIFY(maxAbsError(a->mfcc(), readNpy(kRef + "chords.mfcc.npy")) <= 0.01);
        QVERIFY(maxAbsError(a->chroma(), readNpy(kRef + "chords.chroma_stft.npy")) <= 1e-3);
        QVERIFY(relativeError(a->harmonicMagnitude(), readNpy(kRef + "chords.hpss_h.npy")) <= 1e-4);
        QVERIFY(relativeError(a->percussiveMagnitude(), readNpy(kRef + "chords.hpss_p.npy")) <=
                1e-4);
        QVERIFY(relativeError(a->harmonic().transpose(), readNpy(kRef + "chords.y_harmonic.npy")) <=
                1e-4);
        const auto& curves = a->curves();
        QVERIFY(relativeError(row(curves, "spectral_centroid"),
                              readNpy(kRef + "chords.spectral_centroid.npy")) <= 1e-4);
        QVERIFY(relativeError(row(curves, "spectral_rolloff"),
                              readNpy(kRef + "chords.spectral_rolloff.npy")) <= 1e-4);
        QVERIFY(maxAbsError(row(curves, "mfcc_3"), readNpy(kRef + "chords.mfcc.npy").row(3)) <=
                0.01);
        QVERIFY(maxAbsError(row(curves, "chroma_A"),
                            readNpy(kRef + "chords.chroma_stft.npy").row(9)) <= 1e-3);
        QCOMPARE(a->frameCount(), Eigen::Index(259));
        QCOMPARE(curves.values.cols(), Eigen::Index(259));
    }

    void defaultRoutingMatchesTheRecipe() {
        // chroma_cqt / tonnetz of the harmonic layer, rhythm of the percussive one.
        const auto a = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        QVERIFY(maxAbsError(a->chromaCqt(), readNpy(kRef + "drums.chroma_cqt_h.npy")) <= 1e-3);
        QVERIFY(maxAbsError(a->tonnetz(), readNpy(kRef + "drums.tonnetz_h.npy")) <= 1e-3);
        QVERIFY(relativeError(a->onsetEnvelope().transpose(),
                              readNpy(kRef + "drums.onset_strength_p.npy")) <= 1e-4);
        QVERIFY(relativeError(a->tempogram(), readNpy(kRef + "drums.tempogram_p.npy")) <= 1e-4);
        const double tempo = readNpy(kRef + "drums.tempo_p.npy")(0, 0);
        QVERIFY(std::abs(a->tempo() - tempo) <= 0.005 * tempo);
        const Eigen::ArrayXXf beats = readNpy(kRef + "drums.beats_p.npy");
        QCOMPARE(a->beats().size(), beats.cols());
        for (Eigen::Index i = 0; i < beats.cols(); ++i)
            QVERIFY(std::abs(a->beats()[i] - beats(0, i)) <= 1);
        const auto& curves = a->curves();
        QVERIFY(relativeError(row(curves, "rms"), readNpy(kRef + "drums.rms.npy")) <= 1e-4);
        QVERIFY(maxAbsError(row(curves, "zero_crossing_rate"), readNpy(kRef + "drums.zcr.npy")) <=
                1e-6);
        QVERIFY(maxAbsError(row(curves, "tonnetz_2"),
                            readNpy(kRef + "drums.tonnetz_h.npy").row(2)) <= 1e-3);
        QVERIFY(relativeError(row(curves, "onset_strength"),
                              readNpy(kRef + "drums.onset_strength_p.npy")) <= 1e-4);
        QVERIFY(relativeError(row(curves, "spectral_contrast_3"),
                              readNpy(kRef + "drums.spectral_contrast.npy").row(3)) <= 1e-4);
        QVERIFY(relativeError(a->cqt(), readNpy(kRef + "drums.cqt_mag.npy")) <= 1e-2);
    }

    void realRecordingMp3() {
        const auto a = runAnalysis(kRef + "drums.mp3", AnalysisSettings{});
        QCOMPARE(a->stftMagnitude().rows(), Eigen::Index(1025));
        QVERIFY(a->frameCount() > 300);
        QVERIFY(a->curves().values.allFinite());
        QVERIFY(a->harmonic().size() == a->y().size());
        QVERIFY(std::abs(a->trackDuration() - 8.0) < 0.1);
    }

    void fileAndSamplesAgree() {
        const auto fromFile = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        Audio audio;
        audio.samples = fromFile->y().transpose();
        audio.sr = 22050.0;
        const auto fromSamples = runAnalysis(audio, AnalysisSettings{});
        QCOMPARE(maxAbsError(fromFile->curves().values, fromSamples->curves().values), 0.0);
    }

    void changingNMelsReusesStftHpssCqt() {
        AnalysisSettings settings;
        const auto first = runAnalysis(kRef + "drums.wav", settings);
        settings.n_mels = 64;
        const auto second = runAnalysis(kRef + "drums.wav", settings, {}, {}, first);
        for (const char* stage : {"audio", "stft", "hpss", "harmonic", "cqt", "stft_db"}) {
            QVERIFY2(first->stageRunId(stage).has_value(), stage);
            QVERIFY2(first->stageRunId(stage) == second->stageRunId(stage), stage);
        }
        for (const char* stage : {"mel", "mel_db", "mfcc", "curves"})
            QVERIFY2(first->stageRunId(stage) != second->stageRunId(stage), stage);
        QCOMPARE(second->mel().rows(), Eigen::Index(64));
        // Reused results are shared, not copied.
        QCOMPARE(&first->stft(), &second->stft());
        // Unchanged settings recompute nothing.
        const auto third = runAnalysis(kRef + "drums.wav", settings, {}, {}, second);
        for (const auto& stage : third->stages())
            QVERIFY2(stage.reused, stage.name.c_str());
    }

    void changingMarginRerunsHpssNotStft() {
        AnalysisSettings settings;
        const auto first = runAnalysis(kRef + "chords.wav", settings);
        settings.margin = 3.0;
        const auto second = runAnalysis(kRef + "chords.wav", settings, {}, {}, first);
        QVERIFY(first->stageRunId("stft") == second->stageRunId("stft"));
        QVERIFY(first->stageRunId("mel") == second->stageRunId("mel"));
        QVERIFY(first->stageRunId("hpss") != second->stageRunId("hpss"));
        QVERIFY(relativeError(second->harmonicMagnitude(),
                              readNpy(kRef + "chords.hpss_h_m3.npy")) <= 1e-4);
    }

    void movingTheCropRerunsNoFeature() {
        // With crop_signal off the features describe the whole track: a new crop policy only
        // re-chooses the crop (the GUI's export of a dragged crop depends on this).
        AnalysisSettings settings;
        settings.crop = CropPolicy::parse("center:4");
        const auto first = runAnalysis(kRef + "drums.wav", settings);
        settings.crop = CropPolicy::parse("start:1:3");
        const auto second = runAnalysis(kRef + "drums.wav", settings, {}, {}, first);
        for (const char* stage :
             {"audio", "y", "stft", "hpss", "mel", "cqt", "chroma_cqt@harmonic"}) {
            QVERIFY2(first->stageRunId(stage).has_value(), stage);
            QVERIFY2(first->stageRunId(stage) == second->stageRunId(stage), stage);
        }
        QVERIFY(first->stageRunId("crop") != second->stageRunId("crop"));
        QCOMPARE(second->crop().start_s, 1.0);
        // With crop_signal on, the signal itself is the crop, so everything follows it.
        settings.crop_signal = true;
        const auto third = runAnalysis(kRef + "drums.wav", settings, {}, {}, second);
        QVERIFY(second->stageRunId("stft") != third->stageRunId("stft"));
    }

    void progressIsMonotonicAndEndsAtOne() {
        std::vector<double> fractions;
        std::vector<std::string> names;
        runAnalysis(kRef + "chords.wav", AnalysisSettings{}, [&](double f, std::string_view n) {
            fractions.push_back(f);
            names.emplace_back(n);
        });
        QVERIFY(!fractions.empty());
        for (std::size_t i = 1; i < fractions.size(); ++i)
            QVERIFY(fractions[i] >= fractions[i - 1]);
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(std::find(names.begin(), names.end(), "stft") != names.end());
    }

    void cancellationStopsTheRun() {
        // 3 minutes of noise: long enough that the run is still going when stopped.
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 180) * 0.1f;
        for (int delay_ms : {0, 20, 80}) {
            std::stop_source source;
            std::size_t busy_after = 0;
            const double latency = cancelAndTime(
                [&] { runAnalysis(audio, AnalysisSettings{}, {}, source.get_token()); },
                [&] { std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms)); }, source,
                busy_after);
            qInfo("stop after %d ms returned in %.1f ms", delay_ms, latency);
            QVERIFY(latency >= 0.0); // cancelled, not finished
        }
    }

    void cancellationStopsTheWorkItself() {
        // Ten minutes: every stage is long enough to be caught in the middle. The file is
        // 44.1 kHz, so decoding includes resampling; a stop right after the STFT lands in HPSS.
        std::mt19937 random(5);
        Eigen::ArrayXf y = Eigen::ArrayXf::Random(44100 * 600) * 0.3f;
        QTemporaryDir dir;
        const std::string path = dir.filePath("long.wav").toStdString();
        writeWav16(path, y, 44100);
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 600) * 0.1f;
        std::uniform_int_distribution<int> delay_ms(0, 1500);
        struct Case {
            bool from_file;
            const char* after; // stop when this stage finishes, or nullptr: after a random delay
        };
        std::vector<Case> cases = {{true, nullptr}, {true, nullptr}, {false, "stft"},
                                   {true, "stft"},  {false, "hpss"}, {false, "cqt"}};
        for (int k = 0; k < 6; ++k)
            cases.push_back({k % 2 == 0, nullptr});
        // A case that misses 100 ms is tried again, up to three times in all: on a shared
        // two-core machine a thread can wait that long for a core (and freeing a cancelled run's
        // arrays of a few hundred MB takes time of its own); missing it three times is a failure.
        for (const Case& c : cases)
            for (int attempt = 0;; ++attempt) {
                std::stop_source source;
                std::atomic<bool> stage_done{false};
                const ProgressCallback progress = [&](double, std::string_view stage) {
                    if (c.after && stage == c.after) stage_done = true;
                };
                const auto run = [&] {
                    if (c.from_file)
                        runAnalysis(path, AnalysisSettings{}, progress, source.get_token());
                    else
                        runAnalysis(audio, AnalysisSettings{}, progress, source.get_token());
                };
                std::chrono::milliseconds delay(c.from_file && !c.after ? delay_ms(random) % 200
                                                                        : delay_ms(random));
                if (c.after) delay = std::chrono::milliseconds(0);
                std::size_t busy_after = 99;
                // With c.after: wait for that stage, then stop a few milliseconds into the next.
                const auto waitForStop = [&] {
                    if (!c.after) {
                        std::this_thread::sleep_for(delay);
                        return;
                    }
                    while (!stage_done && !source.stop_requested())
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                };
                const double latency = cancelAndTime(run, waitForStop, source, busy_after);
                qInfo("%s, stop %s %lld ms: returned in %.1f ms, %zu stages still computing",
                      c.from_file ? "file" : "samples", c.after ? c.after : "after",
                      static_cast<long long>(delay.count()), latency, busy_after);
                QVERIFY2(latency >= 0.0, "the run was not cancelled");
                QCOMPARE(busy_after, std::size_t(0));
                // Under ASan the run is several times slower and every free poisons memory: the
                // sanitized build checks the stop itself, the normal build its 100 ms.
                if (latency < 100.0 || kSanitized) break;
                QVERIFY2(attempt < 2, "runAnalysis took more than 100 ms to stop, three times");
            }
    }

    void cancellationWorksAtEveryStage() {
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 60) * 0.1f;
        for (const char* at : {"audio", "stft", "hpss", "mel", "cqt", "harmonic", "last"}) {
            std::stop_source source;
            bool cancelled = false;
            try {
                runAnalysis(
                    audio, AnalysisSettings{},
                    [&](double fraction, std::string_view stage) {
                        if (stage == at || (std::string_view(at) == "last" && fraction == 1.0))
                            source.request_stop();
                    },
                    source.get_token());
            } catch (const AnalysisCancelled&) {
                cancelled = true;
            }
            // After the last stage there is nothing left to cancel: the result is returned.
            QVERIFY2(cancelled == (std::string_view(at) != "last"), at);
        }
    }

    void aStageErrorReachesTheCaller() {
        AnalysisSettings settings;
        settings.crop = CropPolicy::parse("highlight:2@100-120"); // past the end of an 8 s track
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "drums.wav", settings));
    }

    void aThreadLimitKeepsParallelLoopsOnTheCallingThread() {
        std::mutex mutex;
        std::set<std::thread::id> seen;
        const auto record = [&](Eigen::Index, Eigen::Index) {
            const std::lock_guard lock(mutex);
            seen.insert(std::this_thread::get_id());
        };
        {
            const ThreadLimitScope one(1);
            QCOMPARE(availableThreads(), 1u);
            parallelChunks(1000, 1, record);
        }
        QCOMPARE(seen.size(), std::size_t(1));
        QVERIFY(*seen.begin() == std::this_thread::get_id());
        QCOMPARE(availableThreads(), std::max(1u, std::thread::hardware_concurrency()));
        if (std::thread::hardware_concurrency() > 1) { // unlimited again: helpers join in
            seen.clear();
            parallelChunks(1000, 1, record);
            QVERIFY(seen.size() > 1);
        }
    }

    void stagesKeepToTheRunsThreadCount() {
        // Each stage's own parallel loops may use as many threads as the run has workers.
        for (const int threads : {1, 2}) {
            std::atomic<unsigned> allowed{0};
            Stage probe{"probe", {}, "", [&](const std::vector<StageValue>&, std::stop_token) {
                            allowed = availableThreads();
                            return StageValue(std::make_shared<int>(0));
                        }};
            runStages({probe}, threads, {}, {}, {}, [] { throw AnalysisCancelled(); });
            QCOMPARE(allowed.load(), std::min(unsigned(threads),
                                              std::max(1u, std::thread::hardware_concurrency())));
        }
        // One worker: the whole analysis gives the numbers of every core.
        AnalysisSettings one;
        one.threads = 1;
        const auto serial = runAnalysis(kRef + "drums.wav", one);
        const auto parallel = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        QVERIFY((serial->curves().values == parallel->curves().values).all());
        QVERIFY((serial->harmonic() == parallel->harmonic()).all());
        QCOMPARE(serial->tempo(), parallel->tempo());
    }

    void routingChoosesTheSignal() {
        AnalysisSettings settings; // chroma from the harmonic layer by default
        const auto harmonic = runAnalysis(kRef + "drums.wav", settings);
        QVERIFY(harmonic->stageRunId("chroma_stft@harmonic").has_value());
        QVERIFY(harmonic->stageRunId("stft_mag@harmonic").has_value());
        QVERIFY(!harmonic->stageRunId("chroma_stft").has_value());
        settings.routing.chroma_stft = Signal::percussive;
        const auto percussive = runAnalysis(kRef + "drums.wav", settings, {}, {}, harmonic);
        QVERIFY(percussive->stageRunId("chroma_stft@percussive").has_value());
        QVERIFY(percussive->stageRunId("hpss") == harmonic->stageRunId("hpss"));
        QVERIFY(maxAbsError(harmonic->chroma(), percussive->chroma()) > 1e-3);
    }

    void stftDbEqualsAmplitudeToDb() {
        // The stage computes it by blocks (to see a cancellation); the numbers must not change.
        for (const DbReference ref : {DbReference::max, DbReference::one}) {
            AnalysisSettings settings;
            settings.db_ref = ref;
            const auto analysis = runAnalysis(kRef + "drums.wav", settings);
            AmplitudeToDbParams params;
            params.ref = ref == DbReference::max ? DbRef::max() : DbRef::fixed(1.0);
            params.top_db = settings.top_db;
            const Eigen::ArrayXXf expected = amplitudeToDb(analysis->stftMagnitude(), params);
            QCOMPARE(analysis->stftDb().cols(), expected.cols());
            QVERIFY((analysis->stftDb() == expected).all());
        }
    }

    void chromaCqtOfTheLayerIsChromaCqtOfItsSignal() {
        // The stage takes its tuning from the layer's magnitude stage instead of a second STFT
        // (at n_fft 2048, hop 512) or estimates it itself (other hops): the numbers of
        // chroma_cqt(y=harmonic) either way. A chord 30 cents sharp makes the tuning matter.
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 4) * 0.01f;
        for (const double semitones : {0.0, 4.0, 7.0})
            for (Eigen::Index i = 0; i < audio.samples.cols(); ++i)
                audio.samples(0, i) += 0.2f * float(std::sin(2.0 * M_PI * 261.63 *
                                                             std::pow(2.0, (semitones + 0.3) / 12) *
                                                             double(i) / 22050.0));
        QVERIFY(estimateTuning(audio.samples.row(0).transpose(), 22050.0, {}) > 0.2);
        for (const int hop : {512, 256}) {
            AnalysisSettings settings;
            settings.hop_length = hop;
            const auto analysis = runAnalysis(audio, settings);
            ChromaCqtParams params;
            params.hop_length = hop;
            const Eigen::ArrayXXf expected = chromaCqt(analysis->harmonic(), 22050.0, params);
            QCOMPARE(analysis->chromaCqt().cols(), expected.cols());
            QVERIFY((analysis->chromaCqt() == expected).all());
        }
    }

    void stftMagnitudeIsTheMagnitudeOfTheStft() {
        // Both come out of one pass: |D| must still be magnitude(stft(y)), bit for bit.
        const auto analysis = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        QVERIFY((analysis->stft() == stft(analysis->y())).all());
        QVERIFY((analysis->stftMagnitude() == magnitude(analysis->stft())).all());
        QVERIFY((analysis->stftMagnitude() == stftMagnitude(analysis->y())).all());
    }

    void layerSpectrogramsAreTheMagnitudesOfHpss() {
        // |H| and |P| come out of the hpss pass itself: still np.abs of hpss(stft(y)).
        const auto analysis = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        const auto layers = hpss(analysis->stft());
        QVERIFY((analysis->harmonicMagnitude() == magnitude(layers.harmonic)).all());
        QVERIFY((analysis->percussiveMagnitude() == magnitude(layers.percussive)).all());
        AnalysisSettings no_views;
        no_views.features.views = false;
        const auto without = runAnalysis(kRef + "drums.wav", no_views, {}, {}, analysis);
        QCOMPARE(without->harmonicMagnitude().size(), Eigen::Index(0));
        QVERIFY((without->harmonic() == analysis->harmonic()).all());
    }

    void theExtractorsSelectionGivesTheSameTables() {
        // What featurescope-extract computes: every summary value and every curve equal,
        // without |cqt|, the views, the beats or the tempogram.
        AnalysisSettings batch;
        batch.features = batch.features.forTables();
        const auto full = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        const auto lean = runAnalysis(kRef + "drums.wav", batch);
        QCOMPARE(lean->cqt().size(), Eigen::Index(0));
        QCOMPARE(lean->tempogram().size(), Eigen::Index(0));
        QCOMPARE(lean->beats().size(), Eigen::Index(0));
        QVERIFY(!lean->stageRunId("stft_db"));
        QVERIFY(lean->curves().names == full->curves().names);
        QVERIFY((lean->curves().values == full->curves().values).all());
        const Summary a = summarize(*full), b = summarize(*lean);
        QVERIFY(!a.names.empty());
        QVERIFY(a.names == b.names);
        for (size_t i = 0; i < a.values.size(); ++i)
            if (!(std::isnan(a.values[i]) && std::isnan(b.values[i])))
                QCOMPARE(b.values[i], a.values[i]);
        QCOMPARE(lean->tempo(), full->tempo());
    }

    void melByBlocksEqualsMelSpectrogram() {
        // Past one block of 1024 frames: the blocked stage must give melspectrogram's numbers.
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 60) * 0.1f;
        const auto analysis = runAnalysis(audio, AnalysisSettings{});
        QVERIFY(analysis->mel().cols() > 2048);
        const Eigen::ArrayXXf power = analysis->stftMagnitude().square();
        QVERIFY((analysis->mel() == melSpectrogram(power, 22050.0)).all());
    }

    void silenceGivesFiniteOutput() {
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Zero(1, 22050 * 3);
        const auto a = runAnalysis(audio, AnalysisSettings{});
        QVERIFY(a->curves().values.allFinite());
        QVERIFY(a->melDb().allFinite());
        QVERIFY(a->stftDb().allFinite());
        QVERIFY(a->cqt().allFinite());
    }

    void invalidSettingsAreRefused() {
        AnalysisSettings settings;
        settings.n_fft = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "tiny.wav", settings));
        settings = {};
        settings.margin = 0.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "tiny.wav", settings));
        QVERIFY_THROWS_EXCEPTION(AudioError, runAnalysis(kRef + "missing.wav", AnalysisSettings{}));
    }

    // The reference is Keras' compute_melgram itself: the centre 29.12 s with zeros appended,
    // power_to_db(mel**2, ref=1.0). Without the square the preset is 11-17 dB off on average.
    void kerasMelgramPresetMatchesReference() {
        auto settings = AnalysisSettings::preset("keras-melgram");
        settings.features = FeatureSelection::parse("mel");
        const auto a = runAnalysis(kRef + "drums.wav", settings);
        QVERIFY(maxAbsError(a->melDb(), readNpy(kRef + "drums.keras_mel_db.npy")) <= 0.01);
        settings.mel_db_power = 1; // librosa's power_to_db(mel): not Keras'
        const auto plain = runAnalysis(kRef + "drums.wav", settings);
        QVERIFY(maxAbsError(plain->melDb(), readNpy(kRef + "drums.keras_mel_db.npy")) > 1.0);
        settings.mel_db_power = 3;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "drums.wav", settings));
    }

    void cropSignalGivesTheCropsFrames() {
        auto settings = AnalysisSettings::preset("keras-melgram");
        settings.features = FeatureSelection::parse("mel");
        const auto a = runAnalysis(kRef + "drums.wav", settings);
        // 29.12 s at 12 kHz, hop 256: the 1366 frames of Keras's melgram input.
        QCOMPARE(a->melDb().cols(), Eigen::Index(1366));
        QCOMPARE(a->crop().n_frames, Eigen::Index(1366));
        QVERIFY(std::abs(a->trackDuration() - 8.0) < 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
