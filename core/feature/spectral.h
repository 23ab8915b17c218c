// The spectral shape family: librosa.feature.spectral_centroid, spectral_bandwidth,
// spectral_rolloff and spectral_flatness, each a [shape=(1, t)] curve of a magnitude spectrogram.
//
// Centroid and bandwidth: Klapuri, A. and Davy, M. (eds.) "Signal Processing Methods for Music
// Transcription", Springer, 2006, chapter 5. Flatness: Dubnov, S. "Generalization of spectral
// flatness measure for non-gaussian linear processes." IEEE Signal Processing Letters 11(8),
// 2004. Rolloff: the frequency below which `roll_percent` of the energy lies.
//
// Every function takes S = |stft(y)| [shape=(1 + n_fft/2, t)], non-negative and finite; n_fft is
// inferred as librosa does: the given n_fft (default 2048) when n_fft / 2 + 1 == rows, else
// 2 * (rows - 1). Silent frames give centroid 0, bandwidth 0, rolloff 0 and flatness 1, as in
// librosa. A negative or non-finite S, or a bad parameter, throws std::invalid_argument.
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// librosa.feature.spectral_centroid(S=S, sr): the magnitude-weighted mean frequency (Hz) of each
/// frame. sr : float > 0. Returns [shape=(1, t)].
Eigen::ArrayXXf spectralCentroid(const Eigen::ArrayXXf& S, double sr, int n_fft = 2048);

/// Parameters of `spectralBandwidth`, named as in librosa.feature.spectral_bandwidth.
struct SpectralBandwidthParams {
    /// p : float > 0. Power of the deviation from the centroid. The default is 2.
    double p = 2.0;
    /// norm : normalise each frame to unit sum (L1) first. The default is true.
    bool norm = true;
    /// centroid [shape=(1, t)], or none to compute it. The default is none.
    std::optional<Eigen::ArrayXXf> centroid;
};

/// librosa.feature.spectral_bandwidth(S=S, sr, p, norm, centroid):
/// (sum_k S[k, t] * |freq[k] - centroid[t]|^p)^(1/p). Returns [shape=(1, t)] in Hz.
Eigen::ArrayXXf spectralBandwidth(const Eigen::ArrayXXf& S, double sr,
                                  const SpectralBandwidthParams& params = {}, int n_fft = 2048);

/// librosa.feature.spectral_rolloff(S=S, sr, roll_percent): the centre frequency of the first bin
/// whose cumulative energy reaches roll_percent of the frame's total.
/// roll_percent : 0 < roll_percent < 1; the default is 0.85. Returns [shape=(1, t)] in Hz.
Eigen::ArrayXXf spectralRolloff(const Eigen::ArrayXXf& S, double sr, double roll_percent = 0.85,
                                int n_fft = 2048);

/// librosa.feature.spectral_flatness(S=S, power, amin): the geometric over the arithmetic mean of
/// max(amin, S^power) per frame, in [0, 1]. power : float > 0, the default is 2;
/// amin : float > 0, the default is 1e-10. Returns [shape=(1, t)].
Eigen::ArrayXXf spectralFlatness(const Eigen::ArrayXXf& S, double power = 2.0, double amin = 1e-10);

/// The four curves above with their default parameters in one sweep over the frames (each frame
/// read while it is in cache; the frequency table built once). Each member is [shape=(1, t)].
struct SpectralShape {
    Eigen::ArrayXXf centroid, bandwidth, rolloff, flatness;
};
SpectralShape spectralShape(const Eigen::ArrayXXf& S, double sr, int n_fft = 2048);

} // namespace featurescope
