#include "core/feature/energy.h"

#include "core/util/cancellation.h"

#include <algorithm>
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
    if (y.size() == 0 && params.pad_mode == FramePadMode::Edge)
        throw std::invalid_argument("pad_mode 'edge' needs a non-empty signal");
    const Eigen::Index n_frames =
        framesOf(y.size(), params.frame_length, params.hop_length, params.center);
    const Eigen::Index pad = params.center ? params.frame_length / 2 : 0;
    Eigen::ArrayXXf out(1, n_frames);
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        if (t % 256 == 0) throwIfCancelled();
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
        if (t % 256 == 0) throwIfCancelled();
        // Squared in float32 as librosa does, summed in double in four independent accumulators
        // (a single one would be a chain of dependent additions).
        const float* s = S.col(t).data();
        double sums[4] = {};
        Eigen::Index k = 0;
        for (; k + 4 <= S.rows(); k += 4)
            for (int j = 0; j < 4; ++j)
                sums[j] += double(s[k + j] * s[k + j]);
        for (; k < S.rows(); ++k)
            sums[0] += double(s[k] * s[k]);
        double sum = (sums[0] + sums[1]) + (sums[2] + sums[3]) - 0.5 * double(s[0] * s[0]);
        if (last > 0 && has_nyquist) sum -= 0.5 * double(s[last] * s[last]);
        out(0, t) = float(std::sqrt(scale * sum));
    }
    return out;
}

namespace {

/// Frame t's crossing rate: the pairs (y[j-1], y[j]) whose classes differ, for the frame's
/// samples j after its first, over frame_length. Frame t covers y[t * hop - pad ..] of the
/// edge-padded signal; the padding repeats y[0] and y[n-1], so it adds no crossing of its own,
/// and a frame's count is C(last) - C(first) with C(i) the crossings up to sample i (clamped).
/// The frames' first and last samples each rise with t: C is counted at them in order, a
/// stretch of samples at a time, so each sample is classified once, in a loop that vectorises.
template <typename Classify>
Eigen::ArrayXXf frameCrossingRates(const Eigen::ArrayXf& y, int length, int hop, Eigen::Index pad,
                                   Eigen::Index n_frames, const Classify& classify) {
    const Eigen::Index n = y.size();
    const float* x = y.data();
    const auto clamp = [n](Eigen::Index i) { return std::clamp<Eigen::Index>(i, 0, n - 1); };
    Eigen::Index at = 0;    // C is known up to here
    std::int64_t count = 0; // C(at)
    const auto crossingsUpTo = [&](Eigen::Index i) {
        std::int32_t stretch = 0; // at most 2^31 samples between two frame edges
        for (Eigen::Index j = at + 1; j <= i; ++j)
            stretch += int(classify(x[j]) != classify(x[j - 1]));
        count += stretch;
        at = std::max(at, i);
        return count;
    };
    std::vector<std::int64_t> at_first(static_cast<size_t>(n_frames)),
        at_last(static_cast<size_t>(n_frames));
    // Walk both edge sequences together, each in increasing order.
    Eigen::Index f = 0, l = 0;
    while (f < n_frames || l < n_frames) {
        if ((f + l) % 4096 == 0) throwIfCancelled();
        const Eigen::Index first = f < n_frames ? clamp(f * hop - pad) : n;
        const Eigen::Index last = l < n_frames ? clamp(l * hop - pad + length - 1) : n;
        if (first <= last)
            at_first[size_t(f++)] = crossingsUpTo(first);
        else
            at_last[size_t(l++)] = crossingsUpTo(last);
    }
    Eigen::ArrayXXf out(1, n_frames);
    for (Eigen::Index t = 0; t < n_frames; ++t)
        out(0, t) = float(double(at_last[size_t(t)] - at_first[size_t(t)]) / length);
    return out;
}

} // namespace

Eigen::ArrayXXf zeroCrossingRate(const Eigen::ArrayXf& y, const ZeroCrossingRateParams& params) {
    validateFraming(params.frame_length, params.hop_length);
    if (!(params.threshold >= 0.0)) throw std::invalid_argument("threshold must be >= 0");
    if (y.size() == 0) throw std::invalid_argument("zero_crossing_rate needs a non-empty signal");
    if (!y.allFinite()) throw std::invalid_argument("Audio buffer is not finite everywhere");
    const int length = params.frame_length;
    const Eigen::Index n_frames = framesOf(y.size(), length, params.hop_length, params.center);
    const Eigen::Index pad = params.center ? length / 2 : 0;

    // librosa compares in float32 (the signal's type), after flushing |y| <= threshold to zero;
    // with zero_pos a flushed zero is positive, so only y < -threshold is negative.
    const float threshold = float(params.threshold);
    if (params.zero_pos)
        return frameCrossingRates(y, length, params.hop_length, pad, n_frames,
                                  [threshold](float v) { return int(v < -threshold); });
    return frameCrossingRates(y, length, params.hop_length, pad, n_frames, [threshold](float v) {
        return int(v > threshold) - int(v < -threshold);
    });
}

} // namespace featurescope
