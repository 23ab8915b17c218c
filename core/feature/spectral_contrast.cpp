#include "core/feature/spectral_contrast.h"

#include "core/export/number_format.h"
#include "core/spectrum/stft.h"

#include "core/util/cancellation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

namespace {

// The bins one band ranks: [begin, end), and how many of them its peak and valley average.
struct Band {
    Eigen::Index begin, end, q;
};

std::vector<Band> octaveBands(const Eigen::ArrayXd& freq, double sr,
                              const SpectralContrastParams& params) {
    const int n_bands = params.n_bands;
    std::vector<double> edges(size_t(n_bands) + 2, 0.0);
    for (int k = 1; k <= n_bands + 1; ++k)
        edges[size_t(k)] = params.fmin * std::pow(2.0, k - 1);
    for (int k = 0; k <= n_bands; ++k)
        if (edges[size_t(k)] >= 0.5 * sr)
            throw std::invalid_argument("Frequency band exceeds Nyquist. "
                                        "Reduce either fmin or n_bands.");
    const Eigen::Index n_bins = freq.size();
    std::vector<Band> bands;
    for (int k = 0; k <= n_bands; ++k) {
        Eigen::Index lo = 0;
        while (lo < n_bins && !(freq[lo] >= edges[size_t(k)]))
            ++lo;
        Eigen::Index hi = lo; // one past the last bin <= the upper edge
        while (hi < n_bins && freq[hi] <= edges[size_t(k) + 1])
            ++hi;
        // librosa widens every band but the first by the bin below it, and the last one up to
        // Nyquist; the bin count of that widened band sets q, though every band but the last
        // then drops its top bin before ranking.
        const Eigen::Index begin = k > 0 ? std::max<Eigen::Index>(lo - 1, 0) : lo;
        const Eigen::Index end = k == n_bands ? n_bins : hi;
        const double q = std::nearbyint(params.quantile * double(end - begin));
        const Eigen::Index ranked_end = k < n_bands ? end - 1 : end;
        // librosa would fail (or average nothing, giving NaN) here.
        if (hi == lo || ranked_end <= begin)
            throw std::invalid_argument("spectral contrast: band " + std::to_string(k) +
                                        " holds too few frequency bins; use a longer n_fft or "
                                        "a larger fmin");
        bands.push_back({begin, ranked_end, std::max<Eigen::Index>(Eigen::Index(q), 1)});
    }
    return bands;
}

// Means of the q smallest and of the q largest of x[0..n), n >= 1 (all of them when n < q).
// librosa sorts the band; only the two sums are needed, so two short sorted lists are kept in
// one pass instead: most values fail a single comparison with the list's bound (held in a
// register), and the few that pass are placed by a short insertion.
void extremeMeans(const float* x, Eigen::Index n, Eigen::Index q, std::vector<float>& low,
                  std::vector<float>& high, double& valley, double& peak) {
    const Eigen::Index used = std::min(q, n);
    if (used == 1) {
        const Eigen::Map<const Eigen::ArrayXf> band(x, n);
        valley = band.minCoeff();
        peak = band.maxCoeff();
        return;
    }
    low.assign(size_t(used), std::numeric_limits<float>::infinity());
    high.assign(size_t(used), -std::numeric_limits<float>::infinity());
    float* lo = low.data();  // ascending: lo[used - 1] is the bound
    float* hi = high.data(); // descending: hi[used - 1] is the bound
    float lo_bound = lo[used - 1], hi_bound = hi[used - 1];
    // Spectra are smooth: visited in order, a falling slope would enter the list of the smallest
    // at every step. A stride spreads each pass over the whole band, so the lists fill with good
    // candidates early and later values rarely enter.
    constexpr Eigen::Index stride = 16;
    for (Eigen::Index offset = 0; offset < std::min(stride, n); ++offset) {
        for (Eigen::Index i = offset; i < n; i += stride) {
            const float v = x[i];
            // The insertion itself is branch-free (new[j] = min(old[j], max(old[j-1], v))): a
            // data-dependent shift loop would mispredict on nearly every insertion.
            if (v < lo_bound) {
                for (Eigen::Index j = used - 1; j > 0; --j)
                    lo[j] = std::min(lo[j], std::max(lo[j - 1], v));
                lo[0] = std::min(lo[0], v);
                lo_bound = lo[used - 1];
            }
            if (v > hi_bound) {
                for (Eigen::Index j = used - 1; j > 0; --j)
                    hi[j] = std::max(hi[j], std::min(hi[j - 1], v));
                hi[0] = std::max(hi[0], v);
                hi_bound = hi[used - 1];
            }
        }
    }
    double low_sum = 0.0, high_sum = 0.0;
    for (Eigen::Index i = 0; i < used; ++i) {
        low_sum += double(lo[i]);
        high_sum += double(hi[i]);
    }
    // librosa averages in float32; that rounding is kept.
    valley = double(float(low_sum / double(used)));
    peak = double(float(high_sum / double(used)));
}

// librosa.power_to_db(x) with its defaults (ref 1.0, amin 1e-10, top_db 80), in float64 as
// librosa runs it on its float64 peak and valley matrices.
void powerToDbDouble(Eigen::ArrayXXd& x) {
    x = 10.0 * x.max(1e-10).log10();
    if (x.size() > 0) x = x.max(x.maxCoeff() - 80.0);
}

} // namespace

int bandsBelowNyquist(double sr, const SpectralContrastParams& params) {
    int bands = params.n_bands;
    while (bands > 0 && params.fmin * std::pow(2.0, bands - 1) >= 0.5 * sr)
        --bands;
    return bands;
}

Eigen::ArrayXXf spectralContrast(const Eigen::ArrayXXf& S, double sr,
                                 const SpectralContrastParams& params, int n_fft) {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (params.n_bands < 1) throw std::invalid_argument("n_bands must be a positive integer");
    if (!(params.quantile > 0.0 && params.quantile < 1.0))
        throw std::invalid_argument("quantile must lie in the range (0, 1)");
    if (!(params.fmin > 0.0)) throw std::invalid_argument("fmin must be a positive number");
    const int n = n_fft / 2 + 1 == S.rows() ? n_fft : int(2 * (S.rows() - 1));
    if (n <= 0) throw std::invalid_argument("S must have at least 2 frequency bins");
    const std::vector<Band> bands = octaveBands(fftFrequencies(sr, n), sr, params);

    const Eigen::Index n_rows = Eigen::Index(bands.size());
    Eigen::ArrayXXd peak(n_rows, S.cols()), valley(n_rows, S.cols());
    std::vector<float> low, high;
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        if (t % 256 == 0) throwIfCancelled();
        const float* frame = S.col(t).data();
        for (Eigen::Index k = 0; k < n_rows; ++k) {
            const Band& band = bands[size_t(k)];
            extremeMeans(frame + band.begin, band.end - band.begin, band.q, low, high, valley(k, t),
                         peak(k, t));
        }
    }
    if (params.linear) return (peak - valley).cast<float>();
    powerToDbDouble(peak);
    powerToDbDouble(valley);
    return (peak - valley).cast<float>();
}

} // namespace featurescope
