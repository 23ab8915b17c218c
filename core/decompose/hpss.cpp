#include "core/decompose/hpss.h"

#include "core/decompose/median_filter.h"
#include "core/export/number_format.h"
#include "core/util/parallel.h"

#include "core/util/cancellation.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <future>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

namespace {

// The fewest columns a thread is given (parallelChunks), so that a short clip does not pay for
// idle threads.
constexpr Eigen::Index kMinColumns = 64;

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

    // numpy computes `a ** 2.0` as a square and `a ** 0.5` as a square root (bit for bit the
    // same here). Other exponents use powf, as numpy does without AVX-512; with it numpy's SVML
    // pow may differ by an ulp.
    float raise(float a) const {
        if (power == 2.0f) return a * a;
        if (power == 1.0f) return a;
        if (power == 0.5f) return std::sqrt(a);
        return std::pow(a, power);
    }
};

void checkPower(double power) {
    if (!(power > 0.0))
        throw std::invalid_argument("power must be strictly positive, got " + formatNumber(power));
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

using Column = Eigen::Map<Eigen::ArrayXf>;
using ConstColumn = Eigen::Map<const Eigen::ArrayXf>;
constexpr float kTiny = std::numeric_limits<float>::min();

// softmask(x, y * margin, power=2) of a column, as Eigen vector code: Z is clamped to tiny for
// the division (the same float32 operations as librosa's wherever Z >= tiny), and the rare
// entries where both inputs are below tiny get librosa's split value afterwards.
void squareSoftmask(const ConstColumn& x, const ConstColumn& y, float margin, float split,
                    Column out, Eigen::ArrayXf& a2, Eigen::ArrayXf& b2) {
    a2 = (x / x.max(y * margin).max(kTiny)).square();
    b2 = ((y * margin) / x.max(y * margin).max(kTiny)).square();
    out = a2 / (a2 + b2);
    for (Eigen::Index r = 0; r < x.size(); ++r)
        if (std::max(x[r], y[r] * margin) < kTiny) out[r] = split;
}

// Both masks of one column (`rows` entries) from its two medians.
struct MaskRule {
    Softmask softmask;
    float margin_h;
    float margin_p;

    explicit MaskRule(const HpssParams& params)
        : softmask(params.power, params.margin.harmonic == 1.0 && params.margin.percussive == 1.0)
        , margin_h(float(params.margin.harmonic))
        , margin_p(float(params.margin.percussive)) {}

    // `scratch` is two column-sized work arrays, reused across calls.
    void operator()(const float* harm, const float* perc, Eigen::Index rows, float* mask_h,
                    float* mask_p, Eigen::ArrayXf (&scratch)[2]) const {
        if (softmask.hard || softmask.power != 2.0f) {
            for (Eigen::Index r = 0; r < rows; ++r) {
                mask_h[r] = softmask(harm[r], perc[r] * margin_h);
                mask_p[r] = softmask(perc[r], harm[r] * margin_p);
            }
            return;
        }
        const float split = softmask.split_zeros ? 0.5f : 0.0f;
        const ConstColumn h(harm, rows), p(perc, rows);
        squareSoftmask(h, p, margin_h, split, Column(mask_h, rows), scratch[0], scratch[1]);
        if (margin_h == 1.0f && margin_p == 1.0f) {
            // Both masks share Z = max(H, P) and the squares (H/Z)^2, (P/Z)^2 that the first
            // left in scratch: mask_P = b2 / (b2 + a2), the very floats softmask(P, H) gives.
            Column(mask_p, rows) = scratch[1] / (scratch[1] + scratch[0]);
            for (Eigen::Index r = 0; r < rows; ++r)
                if (std::max(harm[r], perc[r]) < kTiny) mask_p[r] = split;
            return;
        }
        squareSoftmask(p, h, margin_p, split, Column(mask_p, rows), scratch[0], scratch[1]);
    }
};

/// librosa's defaults (power 2, margins 1) for one column: both softmasks from the two
/// medians, written over them (mask_H over harm, mask_P over perc), the same float32 operations
/// as MaskRule (mask_P = b2 / (b2 + a2) shares Z and the squares; IEEE addition commutes).
/// Also compiled for AVX2 (target_clones): four divisions a bin dominate, and AVX2 does eight at
/// a time.
[[gnu::target_clones("avx2", "default")]] void squareMasksColumn(float* __restrict harm_to_mask_h,
                                                                 float* __restrict perc_to_mask_p,
                                                                 Eigen::Index rows, float split) {
    for (Eigen::Index r = 0; r < rows; ++r) {
        const float x = harm_to_mask_h[r], y = perc_to_mask_p[r];
        const float larger = std::max(x, y);
        const float z = std::max(larger, kTiny);
        const float a = x / z, b = y / z;
        const float a2 = a * a, b2 = b * b;
        // Divided whatever `silent` says, then selected: a division inside the condition is one
        // the compiler may not execute speculatively, which would keep the loop scalar.
        const float share_h = a2 / (a2 + b2), share_p = b2 / (b2 + a2);
        const bool silent = larger < kTiny;
        harm_to_mask_h[r] = silent ? split : share_h;
        perc_to_mask_p[r] = silent ? split : share_p;
    }
}

/// librosa's (|S| * mask) * phase with phase = S / |S| (1 for a zero bin), each product rounded
/// to float32 in that order, for the `rows` bins of one column: one layer of hpss(S). Also
/// compiled for AVX2.
[[gnu::target_clones("avx2", "default")]] void
maskColumn(const float* __restrict s, const float* __restrict mag, const float* __restrict mask,
           Eigen::Index rows, float* __restrict out) {
    for (Eigen::Index r = 0; r < rows; ++r) {
        const float m = mag[r];
        const float zero = m == 0.0f ? 1.0f : 0.0f;
        const float phase_re = s[2 * r] / (m + zero) + zero;
        const float phase_im = s[2 * r + 1] / (m + zero);
        out[2 * r] = (m * mask[r]) * phase_re;
        out[2 * r + 1] = (m * mask[r]) * phase_im;
    }
}

/// |S| as numpy's abs (hypotf): the square root of the sum of squares in double, rounded to
/// float, for `count` interleaved complex values. Also compiled for AVX2 (four double square
/// roots per instruction; the same IEEE operations).
[[gnu::target_clones("avx2", "default")]] void
magnitudeInDouble(const float* __restrict s, Eigen::Index count, float* __restrict mag) {
    for (Eigen::Index i = 0; i < count; ++i)
        mag[i] =
            float(std::sqrt(double(s[2 * i]) * s[2 * i] + double(s[2 * i + 1]) * s[2 * i + 1]));
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
                                    formatNumber(margin.harmonic) + ", " +
                                    formatNumber(margin.percussive) + ")");
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
    const auto median = medians(S, params);
    const MaskRule rule(params);
    parallelChunks(S.cols(), kMinColumns, [&](Eigen::Index begin, Eigen::Index end) {
        Eigen::ArrayXf scratch[2];
        for (Eigen::Index t = begin; t < end; ++t) {
            if (t % 64 == 0) throwIfCancelled();
            rule(median.harmonic.col(t).data(), median.percussive.col(t).data(), S.rows(),
                 masks.harmonic.col(t).data(), masks.percussive.col(t).data(), scratch);
        }
    });
    return masks;
}

HarmonicPercussive<Eigen::ArrayXXf> hpss(const Eigen::ArrayXXf& S, const HpssParams& params) {
    auto parts = hpssMasks(S, params);
    parts.harmonic *= S;
    parts.percussive *= S;
    return parts;
}

HpssLayers::HpssLayers(std::shared_ptr<const ComplexSpectrogram> S, const HpssParams& params,
                       bool with_magnitudes)
    : S_(std::move(S)) {
    params.validate();
    const Eigen::Index rows = S_->rows(), cols = S_->cols();
    magnitude_ = Eigen::ArrayXXf(rows, cols);
    parallelChunks(cols, kMinColumns, [&](Eigen::Index begin, Eigen::Index end) {
        // By blocks of 64 columns, so that a cancellation is seen within a block.
        for (Eigen::Index t = begin; t < end; t += 64) {
            throwIfCancelled();
            const Eigen::Index n = std::min<Eigen::Index>(64, end - t);
            magnitudeInDouble(reinterpret_cast<const float*>(S_->col(t).data()), n * rows,
                              magnitude_.col(t).data());
        }
    });
    masks_ = medians(magnitude_, params); // turned into the masks in place, column by column
    if (with_magnitudes) magnitudes_ = {Eigen::ArrayXXf(rows, cols), Eigen::ArrayXXf(rows, cols)};
    const MaskRule rule(params);
    const bool square_unit_margins = !rule.softmask.hard && rule.softmask.power == 2.0f &&
                                     rule.margin_h == 1.0f && rule.margin_p == 1.0f;
    parallelChunks(cols, kMinColumns, [&](Eigen::Index begin, Eigen::Index end) {
        Eigen::ArrayXf mask_h(rows), mask_p(rows);
        Eigen::ArrayXf scratch[2];
        Eigen::ArrayXcf layer(rows);
        for (Eigen::Index t = begin; t < end; ++t) {
            if (t % 64 == 0) throwIfCancelled();
            float* h = masks_.harmonic.col(t).data();
            float* p = masks_.percussive.col(t).data();
            if (square_unit_margins) {
                squareMasksColumn(h, p, rows, rule.softmask.split_zeros ? 0.5f : 0.0f);
            } else {
                rule(h, p, rows, mask_h.data(), mask_p.data(), scratch);
                std::copy_n(mask_h.data(), rows, h);
                std::copy_n(mask_p.data(), rows, p);
            }
            if (with_magnitudes) {
                column(HpssPart::harmonic, t, layer.data());
                complexMagnitudes(layer.data(), rows, magnitudes_.harmonic.col(t).data());
                column(HpssPart::percussive, t, layer.data());
                complexMagnitudes(layer.data(), rows, magnitudes_.percussive.col(t).data());
            }
        }
    });
}

void HpssLayers::column(HpssPart part, Eigen::Index t, std::complex<float>* out) const {
    const Eigen::ArrayXXf& mask = part == HpssPart::harmonic ? masks_.harmonic : masks_.percussive;
    maskColumn(reinterpret_cast<const float*>(S_->col(t).data()), magnitude_.col(t).data(),
               mask.col(t).data(), rows(), reinterpret_cast<float*>(out));
}

ComplexSpectrogram HpssLayers::matrix(HpssPart part) const {
    ComplexSpectrogram out(rows(), cols());
    parallelChunks(cols(), kMinColumns, [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index t = begin; t < end; ++t) {
            if (t % 64 == 0) throwIfCancelled();
            column(part, t, out.col(t).data());
        }
    });
    return out;
}

Eigen::ArrayXf HpssLayers::signal(HpssPart part, const StftParams& params,
                                  std::optional<Eigen::Index> length) const {
    return istft(
        rows(), cols(), [&](Eigen::Index t, std::complex<float>* out) { column(part, t, out); },
        params, length);
}

HarmonicPercussive<ComplexSpectrogram> hpss(const ComplexSpectrogram& S, const HpssParams& params) {
    // A non-owning pointer: `layers` does not outlive S.
    const HpssLayers layers(std::shared_ptr<const ComplexSpectrogram>(std::shared_ptr<void>(), &S),
                            params);
    return {layers.matrix(HpssPart::harmonic), layers.matrix(HpssPart::percussive)};
}

HarmonicPercussive<Eigen::ArrayXf> hpssSignals(const Eigen::ArrayXf& y, const HpssParams& params,
                                               const StftParams& stft_params) {
    params.validate();
    const HpssLayers layers(std::make_shared<const ComplexSpectrogram>(stft(y, stft_params)),
                            params);
    // The two inversions are independent: run the percussive one beside the harmonic one.
    auto percussive = std::async(std::launch::async, [&, stop = currentStopToken()] {
        const CancellationScope scope(stop);
        return layers.signal(HpssPart::percussive, stft_params, y.size());
    });
    Eigen::ArrayXf harmonic = layers.signal(HpssPart::harmonic, stft_params, y.size());
    return {std::move(harmonic), percussive.get()};
}

} // namespace featurescope
