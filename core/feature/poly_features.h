// librosa.feature.poly_features: the coefficients of a polynomial fitted to each frame of a
// spectrogram, frequency against magnitude (librosa 0.10.2).
//
// An order-1 fit gives each frame's spectral slope and level; order 2 adds its curvature. The fit
// is numpy.polyfit's linear least squares per frame over the bin frequencies, as in librosa.
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// Parameters of `polyFeatures`, named as in librosa.feature.poly_features (S given, the bins'
/// frequencies from sr and n_fft).
struct PolyFeaturesParams {
    /// order : int >= 0. The order of the fitted polynomial. The default is 1.
    int order = 1;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.feature.poly_features(S=S, sr, order): for each frame t, the coefficients of the
/// polynomial of degree `order` that fits S[:, t] against fft_frequencies(sr, n_fft) in the
/// least-squares sense, highest power first (numpy.polyfit's order). S = |stft(y)|
/// [shape=(1 + n_fft/2, t)], finite; n_fft is inferred as in core/feature/spectral.h (the given n_fft when
/// n_fft / 2 + 1 == rows, else 2 * (rows - 1)); sr > 0. The fit is computed in double, once for
/// every frame: the pseudo-inverse of the column-scaled Vandermonde matrix (numpy.polyfit's
/// scaling) by a complete orthogonal decomposition, which equals numpy's SVD least squares for a
/// full-rank fit. Returns [shape=(order + 1, t)]. Throws std::invalid_argument for a bad
/// parameter, fewer bins than coefficients or a non-finite S.
Eigen::ArrayXXf polyFeatures(const Eigen::ArrayXXf& S, double sr,
                             const PolyFeaturesParams& params = {}, int n_fft = 2048);

} // namespace featurescope
