// Spectral-flux onset strength, librosa.onset.onset_strength (librosa 0.10.2).
//
// Böck, Sebastian, and Gerhard Widmer. "Maximum filter vibrato suppression for onset detection."
// 16th International Conference on Digital Audio Effects (DAFx), Maynooth, Ireland, 2013.
#pragma once

#include "core/spectrum/mel.h"

#include <Eigen/Core>

namespace featurescope {

/// How the per-bin flux of one frame is combined (librosa's `aggregate`).
enum class OnsetAggregate {
    Mean,  ///< np.mean, librosa's default
    Median ///< np.median (what librosa.beat.beat_track uses when it computes its own envelope)
};

/// Onset strength parameters with librosa's names and defaults.
struct OnsetStrengthParams {
    /// sampling rate of y (sr > 0). The default is 22050.
    double sr = 22050.0;
    /// FFT length of the mel spectrogram (n_fft > 0). The default is 2048.
    int n_fft = 2048;
    /// samples between frames (hop_length > 0). The default is 512.
    int hop_length = 512;
    /// time lag, in frames, of the difference (lag > 0). The default is 1.
    int lag = 1;
    /// size, in bins, of the maximum filter along frequency applied to the reference spectrum
    /// (max_size > 0); 1 disables it. The default is 1.
    int max_size = 1;
    /// remove the DC component with the filter (1 - z^-1) / (1 - 0.99 z^-1). The default is false.
    bool detrend = false;
    /// shift the envelope by n_fft // (2 * hop_length) frames so that frame t lines up with the
    /// centred STFT frame t. The default is true. (The mel spectrogram itself is always centred.)
    bool center = true;
    /// combination across bins. The default is OnsetAggregate::Mean.
    OnsetAggregate aggregate = OnsetAggregate::Mean;
    /// the mel spectrogram's bands (librosa's **kwargs to melspectrogram): n_mels 128, fmin 0,
    /// fmax sr / 2 (librosa's setdefault), Slaney scale and norm by default.
    MelParams mel{};

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.onset.onset_strength(S=S, lag, max_size, detrend, center, aggregate) with S a
/// pre-computed (log-power) spectrogram [shape=(d, t)]: for frame t,
/// aggregate_f max(0, S[f, t] - ref[f, t - lag]), ref being S max-filtered over max_size bins,
/// then lag (+ the centring shift) zero frames in front and trimmed to t frames when centred.
/// `sr` and `mel` are unused here; n_fft and hop_length set the centring shift.
/// Returns [shape=(t,)] (t >= lag; shorter inputs give that many zeros, as librosa pads).
Eigen::ArrayXf onsetStrength(const Eigen::ArrayXXf& S, const OnsetStrengthParams& params = {});

/// librosa.onset.onset_strength(y=y, sr, ...): the above on
/// power_to_db(melspectrogram(y, sr, n_fft, hop_length, **mel)) (ref 1.0, amin 1e-10, top_db 80).
/// y : [shape=(n,)], n >= 1. Returns [shape=(1 + n // hop_length,)], one value per STFT frame.
Eigen::ArrayXf onsetStrength(const Eigen::ArrayXf& y, const OnsetStrengthParams& params = {});

} // namespace featurescope
