#include "core/spectrum/cqt_filters.h"

#include "core/spectrum/fft.h"
#include "core/util/float_sort.h"
#include "core/export/number_format.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace featurescope {

Eigen::ArrayXd cqtFrequencies(int n_bins, double fmin, int bins_per_octave) {
    Eigen::ArrayXd freqs(std::max(n_bins, 0));
    // librosa tiles one octave of ratios by powers of two; the product form keeps its rounding.
    for (int k = 0; k < n_bins; ++k) {
        const double ratio = std::pow(2.0, double(k % bins_per_octave) / bins_per_octave);
        freqs[k] = std::ldexp(ratio, k / bins_per_octave) * fmin;
    }
    return freqs;
}

Eigen::ArrayXd relativeBandwidth(const Eigen::ArrayXd& freqs) {
    const Eigen::Index n = freqs.size();
    if (n <= 1)
        throw std::invalid_argument("relativeBandwidth: 2 or more frequencies are required, got " +
                                    std::to_string(n));
    const Eigen::ArrayXd logf = freqs.log() / std::log(2.0);
    Eigen::ArrayXd bpo(n);
    bpo[0] = 1.0 / (logf[1] - logf[0]);
    bpo[n - 1] = 1.0 / (logf[n - 1] - logf[n - 2]);
    for (Eigen::Index k = 1; k + 1 < n; ++k)
        bpo[k] = 2.0 / (logf[k + 1] - logf[k - 1]);
    Eigen::ArrayXd alpha(n);
    for (Eigen::Index k = 0; k < n; ++k) {
        const double r = std::pow(2.0, 2.0 / bpo[k]);
        alpha[k] = (r - 1.0) / (r + 1.0);
    }
    return alpha;
}

double equalTemperedBandwidth(int bins_per_octave) {
    const double r = std::pow(2.0, 1.0 / bins_per_octave);
    return (r * r - 1.0) / (r * r + 1.0);
}

WaveletLengths waveletLengths(const Eigen::ArrayXd& freqs, double sr, const Eigen::ArrayXd& alpha,
                              double filter_scale) {
    if (!(filter_scale > 0))
        throw std::invalid_argument("filter_scale=" + formatNumber(filter_scale) +
                                    " must be positive");
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (alpha.size() != freqs.size())
        throw std::invalid_argument("waveletLengths: one alpha per frequency is required");
    if (freqs.size() == 0 || !(freqs > 0).all())
        throw std::invalid_argument("frequencies must be strictly positive");
    for (Eigen::Index k = 1; k < freqs.size(); ++k)
        if (freqs[k - 1] > freqs[k])
            throw std::invalid_argument("frequencies must be in ascending order");

    WaveletLengths out;
    const Eigen::ArrayXd q = filter_scale / alpha;
    out.lengths = q * sr / freqs;
    out.f_cutoff = (freqs * (1.0 + 0.5 * kHannBandwidth / q)).maxCoeff();
    return out;
}

namespace {

/// One Hann-windowed complex sinusoid (filters.wavelet): samples at the integer offsets
/// floor(-l/2) .. floor(l/2)-1, so the filter has floor(l/2) - floor(-l/2) taps and the
/// periodic Hann window that many points; then normalised by `norm`.
std::vector<std::complex<double>> wavelet(double length, double freq, double sr,
                                          std::optional<double> norm) {
    const long start = long(std::floor(-length / 2.0));
    const long taps = long(std::floor(length / 2.0)) - start;
    std::vector<std::complex<double>> sig(size_t(std::max(taps, 0L)));
    const double step = 2.0 * std::numbers::pi * freq / sr;
    for (long j = 0; j < taps; ++j) {
        const double phase = double(start + j) * step;
        const double window =
            0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(j) / double(taps));
        sig[size_t(j)] = std::complex<double>(std::cos(phase), std::sin(phase)) * window;
    }
    if (norm) {
        double total = 0.0;
        if (std::isinf(*norm)) {
            for (const auto& s : sig)
                total = std::max(total, std::abs(s));
        } else if (*norm == 1.0) {
            // librosa's default; pow(x, 1) is x exactly, and a pow call per tap was a fifth of
            // building a chroma_cqt filter bank.
            for (const auto& s : sig)
                total += std::abs(s);
        } else {
            for (const auto& s : sig)
                total += std::pow(std::abs(s), *norm);
            total = std::pow(total, 1.0 / *norm);
        }
        // util.normalize leaves a (numerically) silent filter as it is.
        if (total >= std::numeric_limits<double>::min())
            for (auto& s : sig)
                s /= total;
    }
    return sig;
}

/// util.sparsify_rows for one row: keeps every entry at least as large as the smallest magnitude
/// whose sorted cumulative share of the row's L1 mass reaches `quantile`.
void appendSparseRow(const std::vector<std::complex<float>>& row, double quantile,
                     SparseFilterBank& bank) {
    std::vector<float> mags(row.size());
    for (size_t k = 0; k < row.size(); ++k)
        mags[k] = std::abs(row[k]);
    std::vector<float> sorted = mags;
    // Magnitudes are finite and >= 0 (a bank of finite filters): the radix order is std::sort's.
    radixSortFloats(sorted);
    float norm = 0.0f;
    for (float m : sorted)
        norm += m;
    size_t threshold_idx = 0;
    float cumulative = 0.0f;
    for (size_t k = 0; k < sorted.size(); ++k) {
        cumulative += sorted[k] / norm;
        if (!(cumulative < float(quantile))) {
            threshold_idx = k;
            break;
        }
    }
    const float threshold = sorted.empty() ? 0.0f : sorted[threshold_idx];
    for (size_t k = 0; k < row.size(); ++k) {
        if (mags[k] >= threshold) {
            bank.column.push_back(int(k));
            bank.value.push_back(row[k]);
        }
    }
    bank.row_start.push_back(int(bank.column.size()));
}

} // namespace

SparseFilterBank waveletFilterFft(const Eigen::ArrayXd& freqs, double sr,
                                  const Eigen::ArrayXd& alpha, double filter_scale,
                                  std::optional<double> norm, double sparsity,
                                  const Eigen::ArrayXd& row_gain) {
    if (!(sparsity >= 0.0 && sparsity < 1.0))
        throw std::invalid_argument("sparsity must satisfy 0 <= sparsity < 1, got " +
                                    formatNumber(sparsity));
    const WaveletLengths wl = waveletLengths(freqs, sr, alpha, filter_scale);
    // pad_fft: the next power of two of the longest filter (at least 1 sample).
    const int n_fft = 1 << std::max(0, int(std::ceil(std::log2(wl.lengths.maxCoeff()))));

    SparseFilterBank bank;
    bank.n_fft = n_fft;
    bank.row_start.push_back(0);
    ComplexFft fft(n_fft);
    std::complex<float>* basis = fft.input();
    std::vector<std::complex<float>> row(size_t(n_fft / 2 + 1));
    for (Eigen::Index r = 0; r < freqs.size(); ++r) {
        const auto sig = wavelet(wl.lengths[r], freqs[r], sr, norm);
        // librosa stores the basis as complex64 and then rescales it by length / n_fft.
        std::fill_n(basis, n_fft, std::complex<float>(0.0f, 0.0f));
        const size_t lpad = (size_t(n_fft) - sig.size()) / 2;
        const double rescale = wl.lengths[r] / double(n_fft);
        for (size_t j = 0; j < sig.size(); ++j)
            basis[lpad + j] = std::complex<float>(std::complex<float>(sig[j]) * float(rescale));
        fft.forward();
        std::copy_n(fft.output(), row.size(), row.begin());
        const size_t first = bank.value.size();
        appendSparseRow(row, sparsity, bank);
        for (size_t k = first; k < bank.value.size(); ++k)
            bank.value[k] *= float(row_gain[r]);
    }
    return bank;
}

} // namespace featurescope
