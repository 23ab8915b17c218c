// Audio input: decode, downmix, resample — librosa.load semantics.
#pragma once

#include "core/io/resample.h" // resample(), which load() applies

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

/// A decoded signal in librosa's orientation: `samples` is [shape=(channels, n)], float32 in
/// [-1, 1]; a mono load has one row.
struct Audio {
    Eigen::ArrayXXf samples;
    double sr = 22050.0;
    /// What the decoder read differently from what the file declares, the track still usable:
    /// "the header says 132300 frames (6 s), the file holds 66140 (2.99955 s)". Empty for a
    /// whole file.
    std::vector<std::string> warnings;

    Eigen::Index channels() const { return samples.rows(); }
    Eigen::Index length() const { return samples.cols(); }
    double duration() const { return sr > 0 ? static_cast<double>(length()) / sr : 0.0; }
    /// The first (for a mono load, the only) channel as a vector.
    Eigen::ArrayXf mono() const { return samples.row(0).transpose(); }
};

/// Raised for any file that cannot be read; `what()` names the file and the reason.
class AudioError : public std::runtime_error {
public:
    AudioError(const std::filesystem::path& path, const std::string& reason);
    const std::filesystem::path& path() const { return path_; }
    const std::string& reason() const { return reason_; }

private:
    std::filesystem::path path_;
    std::string reason_;
};

/// The native sampling rates load() accepts, in Hz. A header outside them is damaged or is not
/// audio (a two-byte edit turns 22050 Hz into 2 Hz), and resampling it to 22050 Hz would take
/// memory in proportion to the rate ratio: 11025 times the track.
inline constexpr int kMinNativeSr = 1000;
inline constexpr int kMaxNativeSr = 768000;

/// Parameters of `load`, named as in `librosa.load`.
struct LoadOptions {
    /// target sampling rate; `std::nullopt` keeps the native rate (librosa's `sr=None`).
    /// The default is 22050.
    std::optional<double> sr = 22050.0;
    /// downmix to mono by the mean of the channels. The default is true.
    bool mono = true;
    /// start reading after this many seconds (>= 0). The default is 0.
    double offset = 0.0;
    /// read at most this many seconds (> 0); `std::nullopt` reads to the end.
    std::optional<double> duration;
    /// Not librosa's: threads that decode an mp3 (>= 0; 0 = every core). The track is split
    /// into that many consecutive parts, each decoded by its own mpg123 stream after a seek;
    /// mpg123 rebuilds its bit reservoir and filter state before the seek point, so the samples
    /// are bit for bit those of one stream (tested). Other formats decode on one thread. The
    /// default is 1.
    int threads = 1;
};

/// Decodes wav, flac, ogg/vorbis, opus, mp3 or aiff through libsndfile (mp3 via mpg123, as
/// librosa's own soundfile loader does), block by block, downmixes to mono (mean of channels) and
/// resamples with libsoxr at `soxr_hq`, so memory stays near the size of the output.
/// The resampled length is ceil(n * sr / sr_native), as librosa's `fix_length` makes it.
/// Throws AudioError naming the file and the reason (missing, a folder, empty, not audio, a
/// native rate outside kMinNativeSr..kMaxNativeSr, ...). A decoder error part way through (a
/// FLAC cut short: "flac decoder lost sync") is an AudioError too, as python-soundfile raises
/// it for librosa. A file that ends before the frames its header declares, without a decoder
/// error (a WAV or an Ogg cut short), loads what it holds, with a warning in Audio::warnings.
Audio load(const std::filesystem::path& path, const LoadOptions& options = {});

/// The warnings of the last load() of `path` that returned (empty when it had none), for
/// callers that reach load() through runAnalysis: the extractor's warnings.csv, the window's
/// status bar. Thread-safe; `path` is matched as spelled.
std::vector<std::string> loadWarnings(const std::filesystem::path& path);

namespace detail {

/// load() of an mp3 (or any file) decoded in parts side by side that begin `part_starts` frames
/// after the offset (ascending, each at least 4608 frames after the one before, within the
/// audio), whatever options.threads says; `rereads`, when given, is set to how many parts did
/// not match the end of the part before and were read on from its stream instead. For the tests
/// of load()'s split decode. Throws std::invalid_argument for part starts out of order.
Audio loadInParts(const std::filesystem::path& path, const LoadOptions& options,
                  const std::vector<std::int64_t>& part_starts, int* rereads = nullptr);

} // namespace detail

} // namespace featurescope
