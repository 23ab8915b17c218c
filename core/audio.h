// Audio input: decode, downmix, resample — librosa.load semantics.
#pragma once

#include <Eigen/Core>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace featurescope {

/// A decoded signal in librosa's orientation: `samples` is [shape=(channels, n)], float32 in
/// [-1, 1]; a mono load has one row.
struct Audio {
    Eigen::ArrayXXf samples;
    double sr = 22050.0;

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
};

/// Decodes wav, flac, ogg/vorbis, opus, mp3 or aiff through libsndfile (mp3 via mpg123, as
/// librosa's own soundfile loader does), block by block, downmixes to mono (mean of channels) and
/// resamples with libsoxr at `soxr_hq`, so memory stays near the size of the output.
/// The resampled length is ceil(n * sr / sr_native), as librosa's `fix_length` makes it.
/// Throws AudioError naming the file and the reason (missing, a folder, empty, not audio, ...).
Audio load(const std::filesystem::path& path, const LoadOptions& options = {});

/// Resamples every row of `y` from `orig_sr` to `target_sr` with libsoxr's HQ recipe
/// (librosa's `res_type='soxr_hq'`); the output has ceil(n * target_sr / orig_sr) columns.
/// Both rates must be > 0.
Eigen::ArrayXXf resample(const Eigen::ArrayXXf& y, double orig_sr, double target_sr);

/// One-channel convenience form of `resample`.
Eigen::ArrayXf resample(const Eigen::ArrayXf& y, double orig_sr, double target_sr);

} // namespace featurescope
