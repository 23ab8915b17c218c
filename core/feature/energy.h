// Frame energy and zero crossings: librosa.feature.rms and librosa.feature.zero_crossing_rate.
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// How a centred framing pads the signal by frame_length // 2 samples on each side (numpy.pad's
/// mode).
enum class FramePadMode {
    Constant, ///< 'constant': zeros. librosa's default for rms.
    Edge      ///< 'edge': repeat the first / last sample. What zero_crossing_rate always uses.
};

/// Parameters of `rms` on a signal, named as in librosa.feature.rms.
struct RmsParams {
    /// frame_length : int > 0. Samples per frame. The default is 2048.
    int frame_length = 2048;
    /// hop_length : int > 0. Samples between frames. The default is 512.
    int hop_length = 512;
    /// center : pad by frame_length // 2 on both sides so that frame t is centred at
    /// t * hop_length. The default is true.
    bool center = true;
    /// pad_mode : how the centring pads. The default is 'constant' (zeros).
    FramePadMode pad_mode = FramePadMode::Constant;
};

/// librosa.feature.rms(y=y, frame_length, hop_length, center, pad_mode): sqrt(mean(frame^2)) of
/// each frame. Returns [shape=(1, 1 + (len(y) + 2 * (frame_length // 2) * center - frame_length)
/// // hop_length)]. Throws std::invalid_argument for a bad parameter or a (padded) signal shorter
/// than frame_length.
Eigen::ArrayXXf rms(const Eigen::ArrayXf& y, const RmsParams& params = {});

/// librosa.feature.rms(S=S, frame_length): the RMS of each frame from its magnitude spectrum
/// S [shape=(1 + frame_length // 2, t)] by Parseval, counting the DC bin (and, for an even
/// frame_length, the Nyquist bin) once and every other bin twice:
/// sqrt(2 * sum_k w_k |S[k, t]|^2 / frame_length^2), w_0 = w_nyquist = 1/2, else 1.
/// S is typically |stft(y, n_fft=frame_length)|, so the window's gain is included. frame_length
/// must satisfy frame_length // 2 + 1 == rows of S (the default is 2048). Returns [shape=(1, t)].
Eigen::ArrayXXf rms(const Eigen::ArrayXXf& S, int frame_length = 2048);

/// Parameters of `zeroCrossingRate`, named as in librosa.feature.zero_crossing_rate and
/// librosa.zero_crossings.
struct ZeroCrossingRateParams {
    /// frame_length : int > 0. Samples per frame. The default is 2048.
    int frame_length = 2048;
    /// hop_length : int > 0. Samples between frames. The default is 512.
    int hop_length = 512;
    /// center : pad by frame_length // 2 on both sides (repeating the edge samples, as librosa
    /// 0.10 does for this feature). The default is true.
    bool center = true;
    /// threshold : float >= 0. Samples with |y| <= threshold count as zero. The default is 1e-10.
    double threshold = 1e-10;
    /// zero_pos : zero counts as positive (compare sign bits), so a step from 0 to a negative
    /// value is a crossing and 0 to positive is not. When false, 0 is its own sign and any change
    /// of sign (-1, 0, +1) counts. The default is true.
    bool zero_pos = true;
};

/// librosa.feature.zero_crossing_rate(y, frame_length, hop_length, center, threshold, zero_pos):
/// the fraction of sample pairs (y[i-1], y[i]) inside each frame whose signs differ, divided by
/// frame_length (the frame's first sample has no predecessor and never counts, librosa's
/// pad=False). Returns [shape=(1, t)], t as for rms. Throws std::invalid_argument for a bad
/// parameter, a non-finite signal or a (padded) signal shorter than frame_length.
Eigen::ArrayXXf zeroCrossingRate(const Eigen::ArrayXf& y,
                                 const ZeroCrossingRateParams& params = {});

} // namespace featurescope
