#include "core/io/resample.h"

#include "core/util/cancellation.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

/// Frames soxr is handed at a time.
constexpr Eigen::Index kBlockFrames = 1 << 16;

soxr* makeResampler(double orig_sr, double target_sr, unsigned channels) {
    soxr_error_t error = nullptr;
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    // librosa's 'soxr_hq' is python-soxr's 'HQ': the SOXR_HQ recipe with no extra flags.
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr* s = soxr_create(orig_sr, target_sr, channels, &error, &io, &quality, &runtime);
    if (error) {
        soxr_delete(s);
        throw std::runtime_error(std::string("soxr: ") + error);
    }
    return s;
}

} // namespace

Eigen::Index resampledLength(Eigen::Index n, double orig_sr, double target_sr) {
    // librosa computes ceil(n * ratio) with ratio rounded first: 220500 * (12000 / 44100) is
    // 60000.00000000001 in doubles, so its length is 60001, and so is ours.
    const double ratio = target_sr / orig_sr;
    return static_cast<Eigen::Index>(std::ceil(static_cast<double>(n) * ratio));
}

void FrameSink::append(const float* interleaved, Eigen::Index frames) {
    if (used_ + frames > data_.cols())
        data_.conservativeResize(Eigen::NoChange, std::max(2 * data_.cols(), used_ + frames));
    std::copy_n(interleaved, frames * data_.rows(), data_.data() + used_ * data_.rows());
    used_ += frames;
}

Eigen::ArrayXXf FrameSink::take(Eigen::Index frames) {
    const Eigen::Index old = std::min(used_, data_.cols());
    if (frames != data_.cols()) data_.conservativeResize(Eigen::NoChange, frames);
    if (frames > old) data_.rightCols(frames - old).setZero();
    return std::move(data_);
}

void ResamplingSink::SoxrDeleter::operator()(soxr* s) const {
    soxr_delete(s);
}

ResamplingSink::ResamplingSink(double orig_sr, double target_sr, Eigen::Index channels,
                               Eigen::Index expected)
    : orig_sr_(orig_sr)
    , target_sr_(target_sr)
    , channels_(channels)
    , sink_(channels,
            orig_sr == target_sr ? expected : resampledLength(expected, orig_sr, target_sr) + 64) {
    if (orig_sr != target_sr)
        resampler_.reset(makeResampler(orig_sr, target_sr, unsigned(channels)));
}

ResamplingSink::~ResamplingSink() = default;

void ResamplingSink::append(const float* frames, Eigen::Index n) {
    while (n > 0) {
        throwIfCancelled();
        const Eigen::Index block = std::min<Eigen::Index>(n, kBlockFrames);
        process(frames, size_t(block));
        frames += block * channels_;
        n -= block;
        input_frames_ += block;
    }
}

Eigen::ArrayXXf ResamplingSink::finish() {
    if (!resampler_) return sink_.take(input_frames_);
    process(nullptr, 0);
    return sink_.take(resampledLength(input_frames_, orig_sr_, target_sr_));
}

void ResamplingSink::process(const float* frames, size_t n) {
    if (!resampler_) {
        sink_.append(frames, Eigen::Index(n));
        return;
    }
    // Room for what these n frames give (at most a block's worth). Sized for a whole block
    // whatever n was, 64 frames at 1 Hz to 22050 Hz asked for 1.4 G samples (5.7 GB). A flush
    // (n = 0) yields soxr's delay, a filter's length, in as many calls as it takes.
    const size_t room = size_t(std::ceil(double(n) * target_sr_ / orig_sr_)) + 1024;
    if (buffer_.size() < room * size_t(channels_)) buffer_.resize(room * size_t(channels_));
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
