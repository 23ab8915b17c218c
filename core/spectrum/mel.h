// The mel scale, the mel filter bank and the mel spectrogram: librosa.hz_to_mel,
// librosa.mel_to_hz, librosa.mel_frequencies, librosa.filters.mel and
// librosa.feature.melspectrogram.
//
// Two mel scales are offered: Slaney's (Auditory Toolbox, Technical Report #1998-010, Interval
// Research, 1998: linear below 1 kHz, logarithmic above; librosa's default) and HTK's
// (Young et al., The HTK Book: 2595 * log10(1 + f / 700)).
#pragma once

#include "core/spectrum/stft.h"

#include <Eigen/Core>

#include <optional>
#include <vector>

namespace featurescope {

/// Hz to mels, librosa.hz_to_mel(frequencies, htk). Slaney's scale by default.
double hzToMel(double frequency, bool htk = false);

/// Mels to Hz, librosa.mel_to_hz(mels, htk); the inverse of hzToMel.
double melToHz(double mel, bool htk = false);

/// librosa.mel_frequencies(n_mels, fmin, fmax, htk): `n_mels` frequencies (Hz) evenly spaced on
/// the mel scale from fmin to fmax, both included (numpy.linspace on the mel values).
/// n_mels : int >= 0; fmin, fmax : float >= 0.
Eigen::ArrayXd melFrequencies(int n_mels = 128, double fmin = 0.0, double fmax = 11025.0,
                              bool htk = false);

/// How the triangles of the filter bank are scaled (librosa's `norm`).
enum class MelNorm {
    Slaney, ///< 'slaney': each triangle divided by its width in Hz / 2 (constant area). Default.
    None    ///< None: every triangle peaks at 1.
};

/// Parameters of the mel filter bank, named as in librosa.filters.mel.
struct MelParams {
    /// n_mels : int > 0. Number of mel bands. The default is 128.
    int n_mels = 128;
    /// fmin : float >= 0. Lowest frequency (Hz). The default is 0.
    double fmin = 0.0;
    /// fmax : float >= 0, or none for sr / 2. Highest frequency (Hz). The default is sr / 2.
    std::optional<double> fmax;
    /// htk : use the HTK mel scale instead of Slaney's. The default is false.
    bool htk = false;
    /// norm : 'slaney' or none. The default is 'slaney'.
    MelNorm norm = MelNorm::Slaney;
};

/// A mel filter bank, [shape=(n_mels, 1 + n_fft/2)], float32 like librosa's (built in float64,
/// then cast). Each triangle touches only a few bins; `first`/`last` delimit the non-zero run of
/// each row so that applying the bank costs a sparse product, not a dense matrix product.
struct MelFilterBank {
    Eigen::ArrayXXf weights;
    /// first[m] .. last[m] (exclusive) are the bins where row m may be non-zero.
    std::vector<Eigen::Index> first, last;

    Eigen::Index nMels() const { return weights.rows(); }
    Eigen::Index nBins() const { return weights.cols(); }
};

/// librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm). sr : float > 0;
/// n_fft : int > 0. Returns [shape=(n_mels, 1 + n_fft/2)]. A band with no bin (too many bands for
/// the resolution) stays zero, as librosa leaves it (librosa warns). Throws std::invalid_argument
/// stating the broken rule.
MelFilterBank melFilterBank(double sr, int n_fft, const MelParams& params = {});

/// mel_basis . S, with S a spectrogram [shape=(1 + n_fft/2, t)]; returns [shape=(n_mels, t)].
/// Throws std::invalid_argument when the bin counts differ.
Eigen::ArrayXXf applyMelFilterBank(const MelFilterBank& bank, const Eigen::ArrayXXf& S);

/// librosa.feature.melspectrogram(S=S, sr, **mel params): S is a power (or, for other uses, any)
/// spectrogram [shape=(1 + n_fft/2, t)], n_fft = 2 * (rows - 1) as librosa infers it.
/// Returns [shape=(n_mels, t)].
Eigen::ArrayXXf melSpectrogram(const Eigen::ArrayXXf& S, double sr, const MelParams& params = {});

/// librosa.feature.melspectrogram(y=y, sr, n_fft, hop_length, win_length, center, power, ...):
/// |stft(y)|^power mapped onto the mel bands. power : float > 0; the default is 2 (power).
/// Returns [shape=(n_mels, t)].
Eigen::ArrayXXf melSpectrogram(const Eigen::ArrayXf& y, double sr, const StftParams& stft_params,
                               const MelParams& params = {}, double power = 2.0);

} // namespace featurescope
