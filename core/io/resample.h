// Resampling with libsoxr at librosa's res_type='soxr_hq': a whole signal, or frames as they
// are decoded (ResamplingSink), with librosa's output length.
#pragma once

#include <Eigen/Core>

#include <memory>
#include <vector>

struct soxr;

namespace featurescope {

/// ceil(n * target_sr / orig_sr), the ratio rounded first, as librosa computes it.
Eigen::Index resampledLength(Eigen::Index n, double orig_sr, double target_sr);

/// Resamples every row of `y` from `orig_sr` to `target_sr` with libsoxr's HQ recipe
/// (librosa's `res_type='soxr_hq'`); the output has ceil(n * target_sr / orig_sr) columns.
/// Both rates must be > 0.
Eigen::ArrayXXf resample(const Eigen::ArrayXXf& y, double orig_sr, double target_sr);

/// One-channel convenience form of `resample`.
Eigen::ArrayXf resample(const Eigen::ArrayXf& y, double orig_sr, double target_sr);

/// Appends interleaved frames to a channels x n array that grows by doubling, so a long file is
/// never copied more than a constant number of times.
class FrameSink {
public:
    FrameSink(Eigen::Index channels, Eigen::Index expected)
        : data_(channels, expected) {}

    void append(const float* interleaved, Eigen::Index frames);
    /// Truncates or zero-pads to exactly `frames` columns (librosa's fix_length).
    Eigen::ArrayXXf take(Eigen::Index frames);
    Eigen::Index used() const { return used_; }

private:
    Eigen::ArrayXXf data_;
    Eigen::Index used_ = 0;
};

/// Resamples interleaved frames as they arrive (or passes them through at the same rate) into a
/// FrameSink reserved for `expected` input frames. Feeding soxr a block at a time keeps its
/// internal buffers small: handing it a whole track at once is several times slower, with the
/// same output. Memory follows the input: what a block of n frames gives, not what a block of
/// the largest size would.
class ResamplingSink {
public:
    ResamplingSink(double orig_sr, double target_sr, Eigen::Index channels, Eigen::Index expected);
    ~ResamplingSink();
    ResamplingSink(const ResamplingSink&) = delete;
    ResamplingSink& operator=(const ResamplingSink&) = delete;

    void append(const float* frames, Eigen::Index n);
    /// Flushes the resampler and returns exactly ceil(input * target / orig) frames.
    Eigen::ArrayXXf finish();
    Eigen::Index inputFrames() const { return input_frames_; }

private:
    struct SoxrDeleter {
        void operator()(soxr* s) const;
    };
    void process(const float* frames, size_t n);

    double orig_sr_, target_sr_;
    Eigen::Index channels_;
    FrameSink sink_;
    std::unique_ptr<soxr, SoxrDeleter> resampler_;
    std::vector<float> buffer_;
    Eigen::Index input_frames_ = 0;
};

} // namespace featurescope
