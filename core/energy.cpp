#include "core/energy.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

namespace {

void validateFraming(int frame_length, int hop_length) {
    if (frame_length <= 0)
        throw std::invalid_argument("frame_length must be > 0, got " +
                                    std::to_string(frame_length));
    if (hop_length <= 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
}

// librosa.util.frame's count for the (optionally centred) signal; it refuses a signal shorter
// than one frame.
Eigen::Index framesOf(Eigen::Index n, int frame_length, int hop_length, bool center) {
    const Eigen::Index padded = n + (center ? 2 * Eigen::Index(frame_length / 2) : 0);
    if (padded < frame_length)
        throw std::invalid_argument("Input is too short (n=" + std::to_string(padded) +
                                    ") for frame_length=" + std::to_string(frame_length));
    return 1 + (padded - frame_length) / hop_length;
}

// Sample i of the padded signal (i may lie in the padding).
float paddedSample(const Eigen::ArrayXf& y, Eigen::Index i, FramePadMode mode) {
    if (i >= 0 && i < y.size()) return y[i];
    if (mode == FramePadMode::Constant) return 0.0f;
    return i < 0 ? y[0] : y[y.size() - 1];
}

} // namespace

Eigen::ArrayXXf rms(const Eigen::ArrayXf& y, const RmsParams& params) {
    validateFraming(params.frame_length, params.hop_length);
    const Eigen::Index n_frames =
        framesOf(y.size(), params.frame_length, params.hop_length, params.center);
    const Eigen::Index pad = params.center ? params.frame_length / 2 : 0;
    Eigen::ArrayXXf out(1, n_frames);
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        const Eigen::Index start = t * params.hop_length - pad;
        double sum = 0.0;
        if (start >= 0 && start + params.frame_length <= y.size()) {
            for (Eigen::Index i = start; i < start + params.frame_length; ++i)
                sum += double(y[i]) * double(y[i]);
        } else {
            for (Eigen::Index i = start; i < start + params.frame_length; ++i) {
                const double v = paddedSample(y, i, params.pad_mode);
                sum += v * v;
            }
        }
        out(0, t) = float(std::sqrt(sum / params.frame_length));
    }
    return out;
}

Eigen::ArrayXXf rms(const Eigen::ArrayXXf& S, int frame_length) {
    if (frame_length <= 0 || S.rows() != frame_length / 2 + 1)
        throw std::invalid_argument(
            "Since S has " + std::to_string(S.rows()) + " rows, frame_length is expected to be " +
            std::to_string(S.rows() * 2 - 2) + " or " + std::to_string(S.rows() * 2 - 1) +
            "; found " + std::to_string(frame_length));
    const Eigen::Index last = S.rows() - 1;
    // The DC bin, and for an even length the Nyquist bin, have no mirror image in the one-sided
    // spectrum: halve them before doubling the sum.
    const bool has_nyquist = frame_length % 2 == 0;
    const double scale = 2.0 / (double(frame_length) * double(frame_length));
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        const float* s = S.col(t).data();
        double sum = 0.5 * double(s[0] * s[0]);
        for (Eigen::Index k = 1; k < last; ++k)
            sum += double(s[k] * s[k]);
        if (last > 0) sum += (has_nyquist ? 0.5 : 1.0) * double(s[last] * s[last]);
        out(0, t) = float(std::sqrt(scale * sum));
    }
    return out;
}

Eigen::ArrayXXf zeroCrossingRate(const Eigen::ArrayXf& y, const ZeroCrossingRateParams& params) {
    validateFraming(params.frame_length, params.hop_length);
    if (!(params.threshold >= 0.0)) throw std::invalid_argument("threshold must be >= 0");
    if (!y.allFinite()) throw std::invalid_argument("Audio buffer is not finite everywhere");
    const int length = params.frame_length;
    const Eigen::Index n_frames = framesOf(y.size(), length, params.hop_length, params.center);
    const Eigen::Index pad = params.center ? length / 2 : 0;
    const Eigen::Index padded = y.size() + 2 * pad;

    // librosa compares in float32 (the signal's type), after flushing |y| <= threshold to zero.
    const float threshold = float(params.threshold);
    auto sign = [&](float v) -> int {
        if (-threshold <= v && v <= threshold) return params.zero_pos ? 1 : 0;
        if (params.zero_pos) return std::signbit(v) ? -1 : 1;
        return v > 0.0f ? 1 : -1;
    };
    // crossings[i] = number of crossings between padded samples j-1 and j for all 0 < j <= i, so
    // that any frame's count is one difference (exact: integers).
    std::vector<std::int32_t> crossings(size_t(padded), 0);
    int previous = sign(paddedSample(y, -pad, FramePadMode::Edge));
    for (Eigen::Index i = 1; i < padded; ++i) {
        const int current = sign(paddedSample(y, i - pad, FramePadMode::Edge));
        crossings[size_t(i)] = crossings[size_t(i - 1)] + (current != previous ? 1 : 0);
        previous = current;
    }
    Eigen::ArrayXXf out(1, n_frames);
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        const Eigen::Index first = t * params.hop_length;
        const Eigen::Index last = first + length - 1;
        out(0, t) = float(double(crossings[size_t(last)] - crossings[size_t(first)]) / length);
    }
    return out;
}

} // namespace featurescope
