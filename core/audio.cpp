#include "core/audio.h"

#include "core/cancellation.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <system_error>
#include <vector>

namespace featurescope {

AudioError::AudioError(const std::filesystem::path& path, const std::string& reason)
    : std::runtime_error(path.string() + ": " + reason)
    , path_(path)
    , reason_(reason) {}

namespace {

constexpr sf_count_t kBlockFrames = 1 << 16;

Eigen::Index resampledLength(Eigen::Index n, double orig_sr, double target_sr) {
    // librosa computes ceil(n * ratio) with ratio rounded first: 220500 * (12000 / 44100) is
    // 60000.00000000001 in doubles, so its length is 60001, and so is ours.
    const double ratio = target_sr / orig_sr;
    return static_cast<Eigen::Index>(std::ceil(static_cast<double>(n) * ratio));
}

void checkReadable(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw AudioError(path, "no such file");
    if (std::filesystem::is_directory(status))
        throw AudioError(path, "is a folder, not an audio file");
    if (!std::filesystem::is_regular_file(status)) throw AudioError(path, "not a regular file");
    if (std::filesystem::file_size(path, ec) == 0 && !ec)
        throw AudioError(path, "the file is empty (0 bytes)");
}

struct SndfileCloser {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
struct SoxrDeleter {
    void operator()(soxr* s) const { soxr_delete(s); }
};
using SoxrPtr = std::unique_ptr<soxr, SoxrDeleter>;

SoxrPtr makeResampler(double orig_sr, double target_sr, unsigned channels) {
    soxr_error_t error = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    // librosa's 'soxr_hq' is python-soxr's 'HQ': the SOXR_HQ recipe with no extra flags.
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    SoxrPtr s(soxr_create(orig_sr, target_sr, channels, &error, &io, &quality, &runtime));
    if (error) throw std::runtime_error(std::string("soxr: ") + error);
    return s;
}

/// Appends interleaved frames to a channels x n array that grows by doubling, so a long file is
/// never copied more than a constant number of times.
class FrameSink {
public:
    FrameSink(Eigen::Index channels, Eigen::Index expected)
        : data_(channels, expected) {}

    void append(const float* interleaved, Eigen::Index frames) {
        if (used_ + frames > data_.cols())
            data_.conservativeResize(Eigen::NoChange, std::max(2 * data_.cols(), used_ + frames));
        std::copy_n(interleaved, frames * data_.rows(), data_.data() + used_ * data_.rows());
        used_ += frames;
    }

    /// Truncates or zero-pads to exactly `frames` columns (librosa's fix_length).
    Eigen::ArrayXXf take(Eigen::Index frames) {
        const Eigen::Index old = std::min(used_, data_.cols());
        if (frames != data_.cols()) data_.conservativeResize(Eigen::NoChange, frames);
        if (frames > old) data_.rightCols(frames - old).setZero();
        return std::move(data_);
    }

    Eigen::Index used() const { return used_; }

private:
    Eigen::ArrayXXf data_;
    Eigen::Index used_ = 0;
};

/// Resamples interleaved frames as they arrive (or passes them through at the same rate) into a
/// FrameSink. Feeding soxr a block at a time keeps its internal buffers small: handing it a whole
/// track at once is several times slower, with the same output.
class ResamplingSink {
public:
    ResamplingSink(double orig_sr, double target_sr, Eigen::Index channels, Eigen::Index expected)
        : orig_sr_(orig_sr)
        , target_sr_(target_sr)
        , channels_(channels)
        , sink_(channels, orig_sr == target_sr
                              ? expected
                              : resampledLength(expected, orig_sr, target_sr) + 64) {
        if (orig_sr != target_sr)
            resampler_ = makeResampler(orig_sr, target_sr, unsigned(channels));
    }

    void append(const float* frames, Eigen::Index n) {
        while (n > 0) {
            throwIfCancelled();
            const Eigen::Index block = std::min<Eigen::Index>(n, kBlockFrames);
            process(frames, size_t(block));
            frames += block * channels_;
            n -= block;
            input_frames_ += block;
        }
    }

    /// Flushes the resampler and returns exactly ceil(input * target / orig) frames.
    Eigen::ArrayXXf finish() {
        if (!resampler_) return sink_.take(input_frames_);
        process(nullptr, 0);
        return sink_.take(resampledLength(input_frames_, orig_sr_, target_sr_));
    }

    Eigen::Index inputFrames() const { return input_frames_; }

private:
    void process(const float* frames, size_t n) {
        if (!resampler_) {
            sink_.append(frames, Eigen::Index(n));
            return;
        }
        const size_t room =
            size_t(std::ceil(double(std::max<size_t>(n, kBlockFrames)) * target_sr_ / orig_sr_)) +
            1024;
        buffer_.resize(room * size_t(channels_));
        for (;;) {
            size_t consumed = 0, produced = 0;
            soxr_process(resampler_.get(), frames, n, &consumed, buffer_.data(), room, &produced);
            sink_.append(buffer_.data(), Eigen::Index(produced));
            if (!frames) { // flushing: until soxr has nothing left
                if (produced == 0) return;
                continue;
            }
            frames += consumed * size_t(channels_);
            n -= consumed;
            if (n == 0) return;
        }
    }

    double orig_sr_, target_sr_;
    Eigen::Index channels_;
    FrameSink sink_;
    SoxrPtr resampler_;
    std::vector<float> buffer_;
    Eigen::Index input_frames_ = 0;
};

} // namespace

Audio load(const std::filesystem::path& path, const LoadOptions& options) {
    checkReadable(path);
    if (options.offset < 0) throw AudioError(path, "offset must be >= 0");
    if (options.duration && *options.duration <= 0) throw AudioError(path, "duration must be > 0");
    if (options.sr && *options.sr <= 0) throw AudioError(path, "sr must be > 0");

    SF_INFO info{};
    std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
    if (!file)
        throw AudioError(path, std::string("not a readable audio file (libsndfile: ") +
                                   sf_strerror(nullptr) + ")");
    if (info.channels < 1 || info.samplerate <= 0)
        throw AudioError(path, "the file declares no channels or no sample rate");

    const double native_sr = info.samplerate;
    const sf_count_t start = static_cast<sf_count_t>(options.offset * native_sr);
    if (start > 0 && sf_seek(file.get(), start, SEEK_SET) < 0)
        throw AudioError(path, "offset lies beyond the end of the audio");

    // soundfile reads at most the frames the header declares, and at most `duration` of them.
    sf_count_t limit =
        (info.frames > 0 && info.frames < SF_COUNT_MAX) ? info.frames - start : SF_COUNT_MAX;
    if (options.duration)
        limit = std::min<sf_count_t>(limit, static_cast<sf_count_t>(*options.duration * native_sr));

    const int in_channels = info.channels;
    const Eigen::Index out_channels = options.mono ? 1 : in_channels;
    const double out_sr = options.sr ? *options.sr : native_sr;
    const Eigen::Index expected_in = limit == SF_COUNT_MAX ? kBlockFrames : limit;
    ResamplingSink sink(native_sr, out_sr, out_channels, expected_in);

    std::vector<float> block(size_t(kBlockFrames) * size_t(in_channels));
    std::vector<float> mixed(options.mono ? size_t(kBlockFrames) : 0);
    while (sink.inputFrames() < limit) {
        throwIfCancelled();
        const sf_count_t want = std::min<sf_count_t>(kBlockFrames, limit - sink.inputFrames());
        const sf_count_t got = sf_readf_float(file.get(), block.data(), want);
        if (got <= 0) break;
        if (options.mono && in_channels > 1) {
            for (sf_count_t i = 0; i < got; ++i) {
                float sum = 0.0f;
                for (int c = 0; c < in_channels; ++c)
                    sum += block[size_t(i * in_channels + c)];
                mixed[size_t(i)] = sum / float(in_channels);
            }
            sink.append(mixed.data(), got);
        } else {
            sink.append(block.data(), got);
        }
    }
    if (sink.inputFrames() == 0) {
        if (sf_error(file.get()) != SF_ERR_NO_ERROR)
            throw AudioError(path, std::string("decoding failed (libsndfile: ") +
                                       sf_strerror(file.get()) + ")");
        throw AudioError(path, "contains no audio samples");
    }
    return Audio{sink.finish(), out_sr};
}

Eigen::ArrayXXf resample(const Eigen::ArrayXXf& y, double orig_sr, double target_sr) {
    if (orig_sr <= 0 || target_sr <= 0)
        throw std::invalid_argument("resample: orig_sr and target_sr must be > 0");
    if (orig_sr == target_sr) return y;
    // Column-major channels x n is exactly soxr's interleaved layout.
    ResamplingSink sink(orig_sr, target_sr, y.rows(), y.cols());
    sink.append(y.data(), y.cols());
    return sink.finish();
}

Eigen::ArrayXf resample(const Eigen::ArrayXf& y, double orig_sr, double target_sr) {
    return resample(Eigen::ArrayXXf(y.transpose()), orig_sr, target_sr).row(0).transpose();
}

} // namespace featurescope
