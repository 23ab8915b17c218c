#include "app/extract/memory_model.h"

#include "core/pipeline/analysis.h"
#include "core/io/audio.h"
#include "core/export/csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace featurescope::extract {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kProcessBytes = 16 * kMiB;  // code, FFTW plans, the track list
constexpr double kBytesPerSample = 4.0;      // float32, per decoded sample at each rate
constexpr double kBytesPerBin = 44.0;        // STFT, HPSS, CQT, features, per bin and frame
constexpr double kNpyBytesPerBin = 21.0;     // a spectrogram-sized matrix kept for its .npy
constexpr double kMaxHeldFile = 64 * kMiB;   // FileBytes::kMaxSize
constexpr double kMergeBytesPerCell = 140.0; // measured 127, rounded up
constexpr double kMergeBaseBytes = 64 * kMiB;

bool exportsSpectrogram(const TrackExports& exports) {
    for (const auto& name : exports.npy)
        if (name == "stft" || name == "cqt" || name == "harmonic" || name == "percussive")
            return true;
    return false;
}

std::uint64_t bytes(double value) {
    return static_cast<std::uint64_t>(std::ceil(value));
}

} // namespace

std::uint64_t trackPeakBytes(const AnalysisSettings& settings, const TrackExports& exports,
                             const TrackSize& track) {
    const double decoded = std::max(0.0, track.seconds);
    // With the crop analysed on its own (the CLI's --crop), the transforms see only the crop,
    // zero-padded to its length; the whole track is still decoded.
    const bool cropped = settings.crop_signal && settings.crop.kind != CropPolicy::Kind::none;
    const double analysed = cropped ? settings.crop.duration : decoded;
    const double bins = settings.n_fft / 2 + 1;
    const double frames_per_second = settings.sr / settings.hop_length;
    const double per_bin = kBytesPerBin + (exportsSpectrogram(exports) ? kNpyBytesPerBin : 0.0);
    return bytes(std::min(static_cast<double>(track.file_bytes), kMaxHeldFile) +
                 kBytesPerSample * (track.sr_native + settings.sr) * decoded +
                 per_bin * bins * frames_per_second * analysed);
}

std::uint64_t taskPeakBytes(const AnalysisSettings& settings, const TrackExports& exports,
                            const TrackSize& largest, int tracks_at_once) {
    return bytes(kProcessBytes) + static_cast<std::uint64_t>(std::max(1, tracks_at_once)) *
                                      trackPeakBytes(settings, exports, largest);
}

std::uint64_t mergePeakBytes(std::size_t tracks, std::size_t columns) {
    return bytes(kMergeBaseBytes +
                 kMergeBytesPerCell * static_cast<double>(tracks) * static_cast<double>(columns));
}

std::size_t summaryColumns(const AnalysisSettings& settings) {
    Audio silence;
    silence.sr = settings.sr;
    silence.samples = Eigen::ArrayXXf::Zero(1, static_cast<Eigen::Index>(settings.sr));
    AnalysisSettings s = settings;
    s.threads = 1;
    const std::string table = summaryCsv({summaryRow(*runAnalysis(silence, s), "", "")});
    return parseCsv(table.substr(0, table.find('\n') + 1)).at(0).size();
}

std::string slurmMem(std::uint64_t model) {
    const double with_margin = 1.25 * static_cast<double>(model) / kMiB;
    const auto mib = std::max<std::uint64_t>(
        256, 64 * static_cast<std::uint64_t>(std::ceil(with_margin / 64.0)));
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, mib).ptr;
    return std::string(text, end) + "M";
}

} // namespace featurescope::extract
