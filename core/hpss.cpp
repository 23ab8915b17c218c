#include "core/hpss.h"

#include "core/median_filter.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <future>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace featurescope {

namespace {

// Runs body(begin, end) over the columns [0, count), one contiguous chunk per thread.
template <typename Body> void parallelColumns(Eigen::Index count, const Body& body) {
    const Eigen::Index threads = std::clamp<Eigen::Index>(
        Eigen::Index(std::thread::hardware_concurrency()), 1, std::max<Eigen::Index>(count, 1));
    std::vector<std::thread> workers;
    for (Eigen::Index k = 1; k < threads; ++k)
        workers.emplace_back(body, count * k / threads, count * (k + 1) / threads);
    body(Eigen::Index(0), count / threads);
    for (auto& worker : workers)
        worker.join();
}

// One entry of librosa.util.softmask, in float32 as numpy evaluates it.
struct Softmask {
    float power;
    bool hard;
    bool split_zeros;

    Softmask(double power_, bool split_zeros_)
        : power(float(power_))
        , hard(std::isinf(power_))
        , split_zeros(split_zeros_) {}

    float operator()(float x, float x_ref) const {
        if (hard) return x > x_ref ? 1.0f : 0.0f;
        const float z = std::max(x, x_ref);
        if (z < std::numeric_limits<float>::min()) return split_zeros ? 0.5f : 0.0f;
        const float mask = raise(x / z);
        return mask / (mask + raise(x_ref / z));
    }

    // numpy computes `a ** 2.0` as a square; powf is kept for other exponents.
    float raise(float a) const {
        if (power == 2.0f) return a * a;
        if (power == 1.0f) return a;
        return std::pow(a, power);
    }
};

void checkPower(double power) {
    if (!(power > 0.0))
        throw std::invalid_argument("power must be strictly positive, got " +
                                    std::to_string(power));
}

void checkNonNegative(const Eigen::ArrayXXf& S, const char* name) {
    // (S >= 0).all() is false for NaN too, which softmask cannot order either.
    if (!(S >= 0.0f).all())
        throw std::invalid_argument(std::string(name) + " must be non-negative");
}

// The two median filters of a magnitude spectrogram: across time, then across frequency.
HarmonicPercussive<Eigen::ArrayXXf> medians(const Eigen::ArrayXXf& magnitude,
                                            const HpssParams& params) {
    return {medianFilter(magnitude, params.kernel_size.harmonic, 1),
            medianFilter(magnitude, params.kernel_size.percussive, 0)};
}

// Calls apply(i, mask_harmonic, mask_percussive) for every entry, column chunks in parallel.
template <typename Apply>
void forEachMask(const HarmonicPercussive<Eigen::ArrayXXf>& median, const HpssParams& params,
                 const Apply& apply) {
    const bool split_zeros = params.margin.harmonic == 1.0 && params.margin.percussive == 1.0;
    const Softmask softmask(params.power, split_zeros);
    const float margin_h = float(params.margin.harmonic);
    const float margin_p = float(params.margin.percussive);
    const Eigen::Index rows = median.harmonic.rows();
    parallelColumns(median.harmonic.cols(), [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index i = begin * rows; i < end * rows; ++i) {
            const float harm = median.harmonic.data()[i];
            const float perc = median.percussive.data()[i];
            apply(i, softmask(harm, perc * margin_h), softmask(perc, harm * margin_p));
        }
    });
}

} // namespace

void HpssParams::validate() const {
    if (kernel_size.harmonic < 1 || kernel_size.percussive < 1)
        throw std::invalid_argument("kernel_size must be > 0 (harmonic and percussive), got (" +
                                    std::to_string(kernel_size.harmonic) + ", " +
                                    std::to_string(kernel_size.percussive) + ")");
    checkPower(power);
    if (!(margin.harmonic >= 1.0) || !(margin.percussive >= 1.0))
        throw std::invalid_argument("margins must be >= 1.0 (a typical range is 1 to 10), got (" +
                                    std::to_string(margin.harmonic) + ", " +
                                    std::to_string(margin.percussive) + ")");
}

Eigen::ArrayXXf softmask(const Eigen::ArrayXXf& X, const Eigen::ArrayXXf& X_ref, double power,
                         bool split_zeros) {
    if (X.rows() != X_ref.rows() || X.cols() != X_ref.cols())
        throw std::invalid_argument("softmask: X and X_ref must have the same shape");
    checkNonNegative(X, "X");
    checkNonNegative(X_ref, "X_ref");
    checkPower(power);
    const Softmask mask(power, split_zeros);
    return X.binaryExpr(X_ref, [&](float x, float x_ref) { return mask(x, x_ref); });
}

HarmonicPercussive<Eigen::ArrayXXf> hpssMasks(const Eigen::ArrayXXf& S, const HpssParams& params) {
    params.validate();
    checkNonNegative(S, "S");
    HarmonicPercussive<Eigen::ArrayXXf> masks{Eigen::ArrayXXf(S.rows(), S.cols()),
                                              Eigen::ArrayXXf(S.rows(), S.cols())};
    forEachMask(medians(S, params), params, [&](Eigen::Index i, float mask_h, float mask_p) {
        masks.harmonic.data()[i] = mask_h;
        masks.percussive.data()[i] = mask_p;
    });
    return masks;
}

HarmonicPercussive<Eigen::ArrayXXf> hpss(const Eigen::ArrayXXf& S, const HpssParams& params) {
    params.validate();
    checkNonNegative(S, "S");
    HarmonicPercussive<Eigen::ArrayXXf> parts{Eigen::ArrayXXf(S.rows(), S.cols()),
                                              Eigen::ArrayXXf(S.rows(), S.cols())};
    forEachMask(medians(S, params), params, [&](Eigen::Index i, float mask_h, float mask_p) {
        parts.harmonic.data()[i] = S.data()[i] * mask_h;
        parts.percussive.data()[i] = S.data()[i] * mask_p;
    });
    return parts;
}

HarmonicPercussive<ComplexSpectrogram> hpss(const ComplexSpectrogram& S, const HpssParams& params) {
    params.validate();
    Eigen::ArrayXXf magnitude(S.rows(), S.cols());
    parallelColumns(S.cols(), [&](Eigen::Index begin, Eigen::Index end) {
        magnitude.middleCols(begin, end - begin) = S.middleCols(begin, end - begin).abs();
    });
    HarmonicPercussive<ComplexSpectrogram> parts{ComplexSpectrogram(S.rows(), S.cols()),
                                                 ComplexSpectrogram(S.rows(), S.cols())};
    forEachMask(medians(magnitude, params), params,
                [&](Eigen::Index i, float mask_h, float mask_p) {
                    // librosa: (|S| * mask) * phase, with phase = S / |S| (1 for a zero bin),
                    // each product rounded to float32 in that order.
                    const float mag = magnitude.data()[i];
                    const std::complex<float> s = S.data()[i];
                    const float zero = mag == 0.0f ? 1.0f : 0.0f;
                    const float phase_re = s.real() / (mag + zero) + zero;
                    const float phase_im = s.imag() / (mag + zero);
                    const float h = mag * mask_h;
                    const float p = mag * mask_p;
                    parts.harmonic.data()[i] = {h * phase_re, h * phase_im};
                    parts.percussive.data()[i] = {p * phase_re, p * phase_im};
                });
    return parts;
}

HarmonicPercussive<Eigen::ArrayXf> hpssSignals(const Eigen::ArrayXf& y, const HpssParams& params,
                                               const StftParams& stft_params) {
    params.validate();
    const auto parts = hpss(stft(y, stft_params), params);
    // The two inversions are independent: run the percussive one beside the harmonic one.
    auto percussive = std::async(std::launch::async,
                                 [&] { return istft(parts.percussive, stft_params, y.size()); });
    Eigen::ArrayXf harmonic = istft(parts.harmonic, stft_params, y.size());
    return {std::move(harmonic), percussive.get()};
}

} // namespace featurescope
