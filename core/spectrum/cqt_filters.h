// The constant-Q filter basis: centre frequencies, bandwidths, filter lengths and the sparse
// frequency-domain wavelet filters of one octave, as librosa.filters builds them for vqt/cqt.
#pragma once

#include <Eigen/Core>

#include <complex>
#include <optional>
#include <vector>

namespace featurescope {

/// librosa's C1 (note_to_hz('C1') = 440 * 2^(-45/12)), the default fmin of cqt and chroma_cqt.
inline constexpr double kNoteC1 = 32.70319566257483;

/// Equivalent noise bandwidth of the Hann window in FFT bins (librosa's WINDOW_BANDWIDTHS).
inline constexpr double kHannBandwidth = 1.50018310546875;

/// librosa.cqt_frequencies / interval_frequencies(intervals='equal'):
/// fmin * 2^(k / bins_per_octave), k = 0 .. n_bins-1. [shape=(n_bins,)]
Eigen::ArrayXd cqtFrequencies(int n_bins, double fmin, int bins_per_octave);

/// librosa.filters._relative_bandwidth: alpha[k] = (2^(2/bpo_k) - 1) / (2^(2/bpo_k) + 1), bpo_k
/// the local bins per octave (centred difference of log2 freqs, one-sided at both ends).
/// freqs : ascending, at least 2 of them. [shape=(len(freqs),)]
Eigen::ArrayXd relativeBandwidth(const Eigen::ArrayXd& freqs);

/// The same alpha for a single bin of an equal-tempered scale (librosa's __et_relative_bw).
double equalTemperedBandwidth(int bins_per_octave);

/// librosa.filters.wavelet_lengths with window='hann' and gamma=0 (the CQT case).
struct WaveletLengths {
    /// fractional filter lengths in samples, Q * sr / freqs with Q = filter_scale / alpha.
    Eigen::ArrayXd lengths;
    /// highest frequency any filter's main lobe reaches: max freqs * (1 + 0.5 * ENBW / Q).
    double f_cutoff = 0.0;
};

/// freqs : > 0, ascending; alpha : > 0, one per frequency; sr > 0; filter_scale > 0.
/// Throws std::invalid_argument stating the broken rule.
WaveletLengths waveletLengths(const Eigen::ArrayXd& freqs, double sr, const Eigen::ArrayXd& alpha,
                              double filter_scale = 1.0);

/// A sparse (CSR) complex matrix [shape=(n_filters, n_fft/2 + 1)] mapping one frame's rfft to the
/// filter responses — librosa's sparsified `fft_basis`.
struct SparseFilterBank {
    int n_fft = 0;
    std::vector<int> row_start; ///< n_filters + 1 offsets into column / value
    std::vector<int> column;
    std::vector<std::complex<float>> value;

    int rows() const { return int(row_start.size()) - 1; }
};

/// librosa's __vqt_filter_fft(sr, freqs, filter_scale, norm, sparsity, window='hann', gamma=0,
/// alpha): Hann-windowed complex sinusoids of length `lengths`, each normalised by `norm`
/// (1 = L1, as librosa's default; std::nullopt = none; +inf = max), centred in n_fft =
/// 2^ceil(log2(max length)) samples, scaled by length / n_fft, transformed, cut to the
/// non-negative frequencies and sparsified per row, keeping the largest magnitudes that carry
/// 1 - sparsity of the row's L1 mass (util.sparsify_rows; 0 <= sparsity < 1).
/// Row r is finally multiplied by `row_gain[r]` (cqt folds its resampling and length scaling in
/// here, so the per-frame product already yields the finished response).
SparseFilterBank waveletFilterFft(const Eigen::ArrayXd& freqs, double sr,
                                  const Eigen::ArrayXd& alpha, double filter_scale,
                                  std::optional<double> norm, double sparsity,
                                  const Eigen::ArrayXd& row_gain);

} // namespace featurescope
