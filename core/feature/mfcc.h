// Mel-frequency cepstral coefficients, librosa.feature.mfcc.
//
// Davis, S. and Mermelstein, P. "Comparison of parametric representations for monosyllabic word
// recognition in continuously spoken sentences." IEEE Transactions on Acoustics, Speech, and
// Signal Processing 28(4), 1980.
#pragma once

#include "core/spectrum/mel.h"
#include "core/spectrum/stft.h"

#include <Eigen/Core>

namespace featurescope {

/// Normalisation of the DCT, scipy.fftpack.dct's `norm`.
enum class DctNorm {
    Ortho, ///< 'ortho': an orthonormal basis. Default.
    None   ///< None: scipy's unnormalised DCT.
};

/// Parameters of `mfcc`, named as in librosa.feature.mfcc.
struct MfccParams {
    /// n_mfcc : 0 < n_mfcc <= n_mels. Number of coefficients kept. The default is 20.
    int n_mfcc = 20;
    /// dct_type : 2 or 3. The discrete cosine transform type. The default is 2.
    int dct_type = 2;
    /// norm : 'ortho' or none. The default is 'ortho'.
    DctNorm norm = DctNorm::Ortho;
    /// lifter : float >= 0. Cepstral liftering 1 + (lifter / 2) * sin(pi * (n + 1) / lifter);
    /// 0 disables it. The default is 0.
    double lifter = 0.0;
};

/// librosa.feature.mfcc(S=S, n_mfcc, dct_type, norm, lifter): the DCT along the mel axis of a
/// log-power mel spectrogram S [shape=(n_mels, t)] (typically power_to_db(melspectrogram)),
/// truncated to the first n_mfcc coefficients. Returns [shape=(n_mfcc, t)]. Throws
/// std::invalid_argument stating the broken rule.
Eigen::ArrayXXf mfcc(const Eigen::ArrayXXf& S, const MfccParams& params = {});

/// librosa.feature.mfcc(y=y, sr, ...): mfcc(power_to_db(melspectrogram(y, sr, stft_params,
/// mel_params))) with power_to_db's defaults (ref 1.0, amin 1e-10, top_db 80).
/// Returns [shape=(n_mfcc, t)].
Eigen::ArrayXXf mfcc(const Eigen::ArrayXf& y, double sr, const StftParams& stft_params = {},
                     const MelParams& mel_params = {}, const MfccParams& params = {});

} // namespace featurescope
