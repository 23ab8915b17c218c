#include "core/feature/spectral.h"

#include "core/export/number_format.h"
#include "core/spectrum/stft.h"

#include "core/util/cancellation.h"
#include "core/util/cpu_features.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace featurescope {

namespace {

using Column = Eigen::ArrayXXf::ConstColXpr;

/// Whether every x is finite, and the smallest x (meaningful when they are).
struct Range {
    bool finite;
    float min;
};

Range rangePortable(const float* x, Eigen::Index n) {
    // Two vectorised reductions; one pass testing 0 <= x < inf element by element was slower.
    const Eigen::Map<const Eigen::ArrayXf> all(x, n);
    return {all.allFinite(), all.minCoeff()};
}

#if defined(__x86_64__) || defined(__i386__)
// One pass, eight lanes: min, max and a NaN flag per lane. (A spectrogram is read from memory
// here; the two reductions above read it twice.)
__attribute__((target("avx2"))) Range rangeAvx2(const float* x, Eigen::Index n) {
    __m256 low = _mm256_set1_ps(std::numeric_limits<float>::infinity());
    __m256 high = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    __m256 nan = _mm256_setzero_ps();
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        low = _mm256_min_ps(low, v);
        high = _mm256_max_ps(high, v);
    }
    alignas(32) float lows[8], highs[8], nans[8];
    _mm256_store_ps(lows, low);
    _mm256_store_ps(highs, high);
    _mm256_store_ps(nans, nan);
    bool finite = true;
    float min = std::numeric_limits<float>::infinity();
    float max = -std::numeric_limits<float>::infinity();
    for (int k = 0; k < 8; ++k) {
        finite = finite && nans[k] == 0.0f;
        min = std::min(min, lows[k]);
        max = std::max(max, highs[k]);
    }
    for (; i < n; ++i) {
        finite = finite && !std::isnan(x[i]);
        min = std::min(min, x[i]);
        max = std::max(max, x[i]);
    }
    finite = finite && std::isfinite(min) && std::isfinite(max);
    return {finite, min};
}
#endif

void validateSpectrogram(const Eigen::ArrayXXf& S, const char* feature) {
    if (S.size() == 0) return;
#if defined(__x86_64__) || defined(__i386__)
    const Range range =
        cpuHasAvx2() ? rangeAvx2(S.data(), S.size()) : rangePortable(S.data(), S.size());
#else
    const Range range = rangePortable(S.data(), S.size());
#endif
    if (!range.finite)
        throw std::invalid_argument(std::string(feature) + " is only defined for finite input");
    if (range.min < 0.0f)
        throw std::invalid_argument(std::string(feature) +
                                    " is only defined with non-negative energies");
}

// Bin centre frequencies, with n_fft inferred from the bin count as librosa's _spectrogram does.
Eigen::ArrayXd binFrequencies(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    const int n = n_fft / 2 + 1 == S.rows() ? n_fft : int(2 * (S.rows() - 1));
    if (n <= 0)
        throw std::invalid_argument("S must have at least 2 frequency bins, got " +
                                    std::to_string(S.rows()));
    return fftFrequencies(sr, n);
}

// Per-frame sums in double: a0 = sum S, a1 = sum f S, a2 = sum f^2 S. The centroid is a1 / a0
// and, for p = 2, the bandwidth expands to (a2 - 2 c a1 + c^2 a0) / a0, so one pass
// serves both (the cancellation costs nothing at double precision).
struct Moments {
    double a0, a1, a2;
};

// The per-frame kernels below sum in kLanes independent accumulators: one accumulator would be a
// chain of dependent additions, each waiting for the previous one. Four lanes of doubles are one
// AVX2 register: momentsOf and sumOfLogs are also compiled for AVX2 (target_clones, chosen at
// load time), lane for lane the same additions as the two SSE2 registers of the default build.
constexpr int kLanes = 4;

[[gnu::target_clones("avx2", "default")]] Moments
momentsOf(const Column& s, const Eigen::ArrayXd& freq, const Eigen::ArrayXd& freq2) {
    double a0[kLanes] = {}, a1[kLanes] = {}, a2[kLanes] = {};
    const Eigen::Index n = s.size();
    Eigen::Index k = 0;
    for (; k + kLanes <= n; k += kLanes)
        for (int j = 0; j < kLanes; ++j) {
            const double v = s[k + j];
            a0[j] += v;
            a1[j] += v * freq[k + j];
            a2[j] += v * freq2[k + j];
        }
    for (; k < n; ++k) {
        const double v = s[k];
        a0[0] += v;
        a1[0] += v * freq[k];
        a2[0] += v * freq2[k];
    }
    return {(a0[0] + a0[1]) + (a0[2] + a0[3]), (a1[0] + a1[1]) + (a1[2] + a1[3]),
            (a2[0] + a2[1]) + (a2[2] + a2[3])};
}

// librosa.util.normalize(S, norm=1) divides each frame by its L1 norm, except frames whose norm
// is below the smallest normal float32 (silence): those are left as they are.
double l1Length(const Moments& m) {
    return m.a0 < double(std::numeric_limits<float>::min()) ? 1.0 : m.a0;
}

double centroidOf(const Moments& m) {
    return m.a1 / l1Length(m);
}

double squaredDeviation(const Moments& m, double centroid) {
    return std::max(0.0, m.a2 - 2.0 * centroid * m.a1 + centroid * centroid * m.a0);
}

double bandwidthOf(const Column& s, const Eigen::ArrayXd& freq, double centroid, double length,
                   double p) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < s.size(); ++k)
        sum += double(s[k]) * std::pow(std::abs(freq[k] - centroid), p);
    return std::pow(sum / length, 1.0 / p);
}

// librosa compares a float32 running sum (np.cumsum, sequential) with roll_percent times its
// last value, both in float32; the same order of additions picks the same bin at a tie. The
// running sum is one long chain of dependent additions, so kBlock frames are summed side by side
// and the crossing is then found by binary search (a running sum of non-negatives never falls).
constexpr Eigen::Index kBlock = 8;

void rolloffBlock(const Eigen::ArrayXXf& S, Eigen::Index t0, const Eigen::ArrayXd& freq,
                  float roll_percent, std::vector<float>& cumulative, Eigen::ArrayXXf& out) {
    const Eigen::Index lanes = std::min(kBlock, S.cols() - t0);
    const Eigen::Index n = S.rows();
    float running[kBlock] = {};
    const float* columns[kBlock];
    for (Eigen::Index j = 0; j < lanes; ++j)
        columns[j] = S.col(t0 + j).data();
    for (Eigen::Index k = 0; k < n; ++k)
        for (Eigen::Index j = 0; j < lanes; ++j) {
            running[j] += columns[j][k];
            cumulative[size_t(k * kBlock + j)] = running[j];
        }
    for (Eigen::Index j = 0; j < lanes; ++j) {
        const float threshold = roll_percent * running[j];
        // First k with !(cumulative[k] < threshold).
        Eigen::Index lo = 0, hi = n;
        while (lo < hi) {
            const Eigen::Index mid = (lo + hi) / 2;
            if (cumulative[size_t(mid * kBlock + j)] < threshold)
                lo = mid + 1;
            else
                hi = mid;
        }
        out(0, t0 + j) = float(freq[std::min(lo, n - 1)]);
    }
}

Eigen::ArrayXXf rolloffOf(const Eigen::ArrayXXf& S, const Eigen::ArrayXd& freq,
                          float roll_percent) {
    Eigen::ArrayXXf out(1, S.cols());
    std::vector<float> cumulative(size_t(S.rows() * kBlock));
    for (Eigen::Index t0 = 0; t0 < S.cols(); t0 += kBlock) {
        throwIfCancelled();
        rolloffBlock(S, t0, freq, roll_percent, cumulative, out);
    }
    return out;
}

// sum_k log(x[k]) for positive, normal, finite floats, exactly enough and without a logarithm per
// value: each x = 2^e * m with m in [1, 2); the exponents add up as integers and the mantissas
// multiply in double (fewer than 128 per lane per chunk, so the product stays below 2^128), one
// log per chunk.
[[gnu::target_clones("avx2", "default")]] double sumOfLogs(const float* x, Eigen::Index n) {
    constexpr Eigen::Index kChunk = 128 * kLanes;
    std::int64_t exponents = 0;
    double logs = 0.0;
    for (Eigen::Index start = 0; start < n; start += kChunk) {
        const Eigen::Index end = std::min(n, start + kChunk);
        double product[kLanes] = {1.0, 1.0, 1.0, 1.0};
        std::int32_t biased[kLanes] = {};
        Eigen::Index k = start;
        for (; k + kLanes <= end; k += kLanes)
            for (int j = 0; j < kLanes; ++j) {
                const auto bits = std::bit_cast<std::uint32_t>(x[k + j]);
                biased[j] += std::int32_t(bits >> 23);
                product[j] *= double(std::bit_cast<float>((bits & 0x7fffffu) | 0x3f800000u));
            }
        for (; k < end; ++k) {
            const auto bits = std::bit_cast<std::uint32_t>(x[k]);
            biased[0] += std::int32_t(bits >> 23);
            product[0] *= double(std::bit_cast<float>((bits & 0x7fffffu) | 0x3f800000u));
        }
        for (int j = 0; j < kLanes; ++j) {
            exponents += biased[j];
            logs += std::log(product[j]);
        }
        exponents -= 127 * (end - start);
    }
    return logs + double(exponents) * std::numbers::ln2;
}

// `buffer` is scratch space of the column's length, reused across frames.
double flatnessOf(const Column& s, double power, float amin, Eigen::ArrayXf& buffer) {
    if (power == 2.0)
        buffer = s.square().max(amin);
    else if (power == 1.0)
        buffer = s.max(amin);
    else
        buffer = s.pow(float(power)).max(amin);
    const Eigen::Index n = buffer.size();
    double sums[kLanes] = {};
    Eigen::Index k = 0;
    for (; k + kLanes <= n; k += kLanes)
        for (int j = 0; j < kLanes; ++j)
            sums[j] += double(buffer[k + j]);
    for (; k < n; ++k)
        sums[0] += double(buffer[k]);
    const double arithmetic = ((sums[0] + sums[1]) + (sums[2] + sums[3])) / double(n);
    double logs;
    if (amin >= std::numeric_limits<float>::min() && std::isfinite(arithmetic)) {
        logs = sumOfLogs(buffer.data(), n);
    } else { // subnormal or infinite values: take the logarithms one by one
        buffer = buffer.log();
        logs = buffer.cast<double>().sum();
    }
    return std::exp(logs / double(n)) / arithmetic;
}

void validateFlatness(double power, double amin) {
    if (!(amin > 0)) throw std::invalid_argument("amin must be strictly positive");
    if (!(power > 0)) throw std::invalid_argument("power must be > 0");
}

} // namespace

Eigen::ArrayXXf spectralCentroid(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral centroid");
    const Eigen::ArrayXd freq2 = freq.square();
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        out(0, t) = float(centroidOf(momentsOf(S.col(t), freq, freq2)));
    return out;
}

Eigen::ArrayXXf spectralBandwidth(const Eigen::ArrayXXf& S, double sr,
                                  const SpectralBandwidthParams& params, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral bandwidth");
    if (!(params.p > 0)) throw std::invalid_argument("p must be > 0");
    if (params.centroid && (params.centroid->rows() != 1 || params.centroid->cols() != S.cols()))
        throw std::invalid_argument("centroid must have shape (1, t) with t the frames of S");
    const Eigen::ArrayXd freq2 = freq.square();
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        const Moments m = momentsOf(S.col(t), freq, freq2);
        const double centroid = params.centroid ? double((*params.centroid)(0, t)) : centroidOf(m);
        const double length = params.norm ? l1Length(m) : 1.0;
        out(0, t) =
            float(params.p == 2.0 ? std::sqrt(squaredDeviation(m, centroid) / length)
                                  : bandwidthOf(S.col(t), freq, centroid, length, params.p));
    }
    return out;
}

Eigen::ArrayXXf spectralRolloff(const Eigen::ArrayXXf& S, double sr, double roll_percent,
                                int n_fft) {
    if (!(roll_percent > 0.0 && roll_percent < 1.0))
        throw std::invalid_argument("roll_percent must lie in the range (0, 1), got " +
                                    formatNumber(roll_percent));
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral rolloff");
    return rolloffOf(S, freq, float(roll_percent));
}

Eigen::ArrayXXf spectralFlatness(const Eigen::ArrayXXf& S, double power, double amin) {
    validateFlatness(power, amin);
    validateSpectrogram(S, "spectral flatness");
    Eigen::ArrayXXf out(1, S.cols());
    Eigen::ArrayXf buffer(S.rows());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        out(0, t) = float(flatnessOf(S.col(t), power, float(amin), buffer));
    return out;
}

SpectralShape spectralShape(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "the spectral shape");
    const Eigen::ArrayXd freq2 = freq.square();
    SpectralShape shape{Eigen::ArrayXXf(1, S.cols()), Eigen::ArrayXXf(1, S.cols()),
                        rolloffOf(S, freq, 0.85f), Eigen::ArrayXXf(1, S.cols())};
    Eigen::ArrayXf buffer(S.rows());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        if (t % 256 == 0) throwIfCancelled();
        const Moments m = momentsOf(S.col(t), freq, freq2);
        const double centroid = centroidOf(m);
        shape.centroid(0, t) = float(centroid);
        shape.bandwidth(0, t) = float(std::sqrt(squaredDeviation(m, centroid) / l1Length(m)));
        shape.flatness(0, t) = float(flatnessOf(S.col(t), 2.0, 1e-10f, buffer));
    }
    return shape;
}

} // namespace featurescope
