// Spectral contrast, librosa.feature.spectral_contrast.
//
// Jiang, D.-N., Lu, L., Zhang, H.-J., Tao, J.-H. and Cai, L.-H. "Music type classification by
// spectral contrast feature." IEEE International Conference on Multimedia and Expo, 2002.
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// Parameters of `spectralContrast`, named as in librosa.feature.spectral_contrast.
struct SpectralContrastParams {
    /// fmin : float > 0. Upper edge of the first band (Hz); band k > 0 spans
    /// fmin * 2^(k-1) .. fmin * 2^k, the last band reaches Nyquist. The default is 200.
    double fmin = 200.0;
    /// n_bands : int >= 1. Number of octave bands above the first; the output has n_bands + 1
    /// rows, and fmin * 2^n_bands must stay below sr / 2. The default is 6.
    int n_bands = 6;
    /// quantile : 0 < quantile < 1. Fraction of a band's bins averaged into its peak and its
    /// valley (at least one bin each). The default is 0.02.
    double quantile = 0.02;
    /// linear : peak - valley instead of power_to_db(peak) - power_to_db(valley).
    /// The default is false.
    bool linear = false;
};

/// The most bands (1 .. params.n_bands) whose lower edges all stay below sr / 2, librosa's
/// rule: fmin * 2^(n_bands - 1) < sr / 2 (the default 6 bands from 200 Hz need sr > 12800 Hz;
/// at 8 or 12 kHz, 5 fit). What a pipeline computes when the user did not choose the bands.
/// 0 when fmin itself is past Nyquist.
int bandsBelowNyquist(double sr, const SpectralContrastParams& params);

/// librosa.feature.spectral_contrast(S=S, sr, ...). S = |stft(y)| [shape=(1 + n_fft/2, t)],
/// n_fft inferred as in core/feature/spectral.h. For each band and frame: the mean of the largest
/// (peak) and of the smallest (valley) `quantile` of its bins, and their difference, in dB by
/// default (librosa's power_to_db with its defaults, applied to the peak and valley matrices as a
/// whole, top_db 80 included). Like librosa, a band includes the bin just below its lower edge,
/// and every band but the last leaves out its highest bin when ranking. Returns
/// [shape=(n_bands + 1, t)]. Throws std::invalid_argument stating the broken rule (including a
/// band that holds no bin at this resolution).
///
/// Precision: a valley far below its band's peak (-150 dB, as in synthetic signals) is set by the
/// spectrogram's rounding noise. librosa's STFT windows and transforms in float64 before rounding
/// to float32, so to match it there S must be computed the same way; a float32 STFT's noise floor
/// (about 1e-7 of the frame's peak) lifts such valleys.
Eigen::ArrayXXf spectralContrast(const Eigen::ArrayXXf& S, double sr,
                                 const SpectralContrastParams& params = {}, int n_fft = 2048);

} // namespace featurescope
