#include "core/spectrum/stft.h"

#include "core/spectrum/fft.h"
#include "core/spectrum/frame_kernels.h"

#include "core/util/cancellation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

void StftParams::validate() const {
    if (n_fft <= 0) throw std::invalid_argument("n_fft must be > 0, got " + std::to_string(n_fft));
    if (hop_length < 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
    if (windowLength() > n_fft || windowLength() <= 0)
        throw std::invalid_argument("win_length must satisfy 0 < win_length <= n_fft, got " +
                                    std::to_string(win_length));
    if (hopLength() <= 0) throw std::invalid_argument("hop_length must be > 0");
}

Eigen::ArrayXd hannWindow64(int win_length, int n_fft) {
    Eigen::ArrayXd window = Eigen::ArrayXd::Zero(n_fft);
    const int left = (n_fft - win_length) / 2;
    for (int n = 0; n < win_length; ++n)
        window[left + n] =
            0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(n) / double(win_length));
    return window;
}

void windowedFrame(const Eigen::ArrayXf& y, Eigen::Index start, const Eigen::ArrayXd& window,
                   double* frame) {
    const int n_fft = int(window.size());
    const Eigen::Index n = y.size();
    if (start >= 0 && start + n_fft <= n) {
        multiplyWindow(y.data() + start, window.data(), frame, n_fft);
        return;
    }
    for (int i = 0; i < n_fft; ++i) {
        const Eigen::Index s = start + i;
        frame[i] = (s >= 0 && s < n) ? double(y[s]) * window[i] : 0.0;
    }
}

Eigen::ArrayXf hannWindow(int win_length, int n_fft) {
    return hannWindow64(win_length, n_fft).cast<float>();
}

Eigen::Index frameCount(Eigen::Index length, const StftParams& params) {
    const Eigen::Index padded = length + (params.center ? 2 * (params.n_fft / 2) : 0);
    if (padded < params.n_fft) return 0;
    return 1 + (padded - params.n_fft) / params.hopLength();
}

namespace {

/// Calls store(t, spectrum) with the float64 spectrum (n_fft / 2 + 1 bins) of every frame t of
/// y, the way librosa computes it: a float64 window times the float32 signal, transformed in
/// float64. Returns the frame count. Rounding the product to float first costs
/// spectral_contrast its quietest valleys (rel. error 3e-3 on the reference drums), so the
/// transform is double here.
template <typename Store>
Eigen::Index forEachFrameSpectrum(const Eigen::ArrayXf& y, const StftParams& params,
                                  const Store& store) {
    params.validate();
    const int n_fft = params.n_fft;
    const int hop = params.hopLength();
    const Eigen::Index n_frames = frameCount(y.size(), params);
    if (n_frames < 1)
        throw std::invalid_argument("stft: the signal (" + std::to_string(y.size()) +
                                    " samples) is shorter than n_fft=" + std::to_string(n_fft) +
                                    " even after padding");
    const Eigen::ArrayXd window = hannWindow64(params.windowLength(), n_fft);
    const Eigen::Index pad = params.center ? n_fft / 2 : 0;
    RealFft64 fft(n_fft);
    double* frame = fft.realBuffer();
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        if (t % 64 == 0) throwIfCancelled();
        windowedFrame(y, t * hop - pad, window, frame); // frame t starts at t * hop - pad
        fft.forward();
        store(t, fft.spectrumBuffer());
    }
    return n_frames;
}

} // namespace

ComplexSpectrogram stft(const Eigen::ArrayXf& y, const StftParams& params) {
    params.validate();
    const Eigen::Index bins = params.n_fft / 2 + 1;
    ComplexSpectrogram out(bins, std::max<Eigen::Index>(frameCount(y.size(), params), 0));
    forEachFrameSpectrum(y, params, [&](Eigen::Index t, const std::complex<double>* spectrum) {
        roundSpectrum(spectrum, bins, out.col(t).data(), nullptr);
    });
    return out;
}

StftWithMagnitude stftWithMagnitude(const Eigen::ArrayXf& y, const StftParams& params) {
    params.validate();
    const Eigen::Index bins = params.n_fft / 2 + 1;
    const Eigen::Index frames = std::max<Eigen::Index>(frameCount(y.size(), params), 0);
    StftWithMagnitude out{ComplexSpectrogram(bins, frames), Eigen::ArrayXXf(bins, frames)};
    forEachFrameSpectrum(y, params, [&](Eigen::Index t, const std::complex<double>* spectrum) {
        roundSpectrum(spectrum, bins, out.D.col(t).data(), out.magnitude.col(t).data());
    });
    return out;
}

void complexMagnitudes(const std::complex<float>* z, Eigen::Index count, float* out) {
    // sqrt(re^2 + im^2) rather than std::abs, whose overflow-safe hypot is several times slower;
    // STFT magnitudes of audio are nowhere near float overflow. The loop vectorises (sqrtps is
    // correctly rounded, like sqrtss).
    const float* v = reinterpret_cast<const float*>(z);
    for (Eigen::Index i = 0; i < count; ++i)
        out[i] = std::sqrt(v[2 * i] * v[2 * i] + v[2 * i + 1] * v[2 * i + 1]);
}

Eigen::ArrayXXf magnitude(const ComplexSpectrogram& D) {
    Eigen::ArrayXXf mag(D.rows(), D.cols());
    complexMagnitudes(D.data(), D.size(), mag.data());
    return mag;
}

Eigen::ArrayXXf stftMagnitude(const Eigen::ArrayXf& y, const StftParams& params) {
    // magnitude(stft(y)) frame by frame, without the complex matrix: each bin rounded to
    // complex64 first, then the same float32 operations as magnitude().
    params.validate();
    const Eigen::Index bins = params.n_fft / 2 + 1;
    Eigen::ArrayXXf out(bins, std::max<Eigen::Index>(frameCount(y.size(), params), 0));
    forEachFrameSpectrum(y, params, [&](Eigen::Index t, const std::complex<double>* spectrum) {
        roundSpectrum(spectrum, bins, nullptr, out.col(t).data());
    });
    return out;
}

namespace {

/// librosa.filters.window_sumsquare in float32: window_sq added at every frame's offset t * hop,
/// frame after frame, into n_fft + hop * (n_frames - 1) zeros. A sample's sum runs over the
/// frames covering it, in frame order; away from the first and last n_fft samples those are
/// the same window offsets, in the same order, every hop samples, so one period is summed and
/// repeated: the same floats as the frame loop, without its second read-modify-write stream.
Eigen::ArrayXf windowSumSquare(const Eigen::ArrayXf& window_sq, Eigen::Index n_frames, int hop) {
    const Eigen::Index n_fft = window_sq.size();
    const Eigen::Index full = n_fft + Eigen::Index(hop) * std::max<Eigen::Index>(n_frames - 1, 0);
    Eigen::ArrayXf sum(full);
    // Sample i is covered by frames t with t * hop <= i < t * hop + n_fft, 0 <= t < n_frames.
    const auto exact = [&](Eigen::Index i) {
        const Eigen::Index last = std::min(n_frames - 1, i / hop);
        const Eigen::Index first = i < n_fft ? 0 : (i - n_fft) / hop + 1;
        float s = 0.0f;
        for (Eigen::Index t = first; t <= last; ++t)
            s += window_sq[i - t * hop];
        return s;
    };
    // Interior: every frame that could cover i exists, i.e. n_fft <= i and the frame starting
    // at or before i is not past the last one.
    const Eigen::Index begin = std::min(full, n_fft);
    const Eigen::Index end = std::max(begin, std::min(full, n_frames * hop));
    for (Eigen::Index i = 0; i < begin; ++i)
        sum[i] = exact(i);
    for (Eigen::Index i = begin; i < std::min(end, begin + hop); ++i)
        sum[i] = exact(i);
    for (Eigen::Index i = begin + hop; i < end; ++i)
        sum[i] = sum[i - hop];
    for (Eigen::Index i = end; i < full; ++i)
        sum[i] = exact(i);
    return sum;
}

} // namespace

Eigen::ArrayXf istft(const ComplexSpectrogram& stft_matrix, const StftParams& params,
                     std::optional<Eigen::Index> length) {
    return istft(
        stft_matrix.rows(), stft_matrix.cols(),
        [&](Eigen::Index t, std::complex<float>* out) {
            std::copy_n(stft_matrix.col(t).data(), stft_matrix.rows(), out);
        },
        params, length);
}

Eigen::ArrayXf istft(Eigen::Index rows, Eigen::Index cols, const SpectrogramColumn& column,
                     const StftParams& params, std::optional<Eigen::Index> length) {
    const int n_fft = int(2 * (rows - 1));
    StftParams p = params;
    p.n_fft = n_fft;
    p.validate();
    const int hop = p.hopLength();
    const Eigen::Index pad = p.center ? n_fft / 2 : 0;

    Eigen::Index n_frames = cols;
    if (length) {
        const Eigen::Index padded = *length + 2 * pad;
        n_frames = std::min<Eigen::Index>(n_frames, (padded + hop - 1) / hop);
    }
    const Eigen::ArrayXf window = hannWindow(p.windowLength(), n_fft);
    const Eigen::Index full = n_fft + Eigen::Index(hop) * std::max<Eigen::Index>(n_frames - 1, 0);
    Eigen::ArrayXf signal = Eigen::ArrayXf::Zero(full);
    const Eigen::ArrayXf norm = windowSumSquare(window.square(), n_frames, hop);

    RealFft fft(n_fft);
    const float scale = 1.0f / float(n_fft);
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        if (t % 64 == 0) throwIfCancelled();
        column(t, fft.spectrumBuffer()); // c2r destroys its input: written afresh each frame
        const float* frame = fft.inverse();
        float* out = signal.data() + t * hop;
        for (int i = 0; i < n_fft; ++i)
            out[i] += frame[i] * scale * window[i];
    }
    const Eigen::Index out_length = length ? *length : full - 2 * pad;
    Eigen::ArrayXf y = Eigen::ArrayXf::Zero(std::max<Eigen::Index>(out_length, 0));
    const float tiny = std::numeric_limits<float>::min();
    for (Eigen::Index i = 0; i < y.size() && i + pad < full; ++i) {
        const float w = norm[i + pad];
        y[i] = w > tiny ? signal[i + pad] / w : signal[i + pad];
    }
    return y;
}

Eigen::ArrayXd fftFrequencies(double sr, int n_fft) {
    Eigen::ArrayXd f(n_fft / 2 + 1);
    for (Eigen::Index k = 0; k < f.size(); ++k)
        f[k] = double(k) * sr / double(n_fft);
    return f;
}

} // namespace featurescope
