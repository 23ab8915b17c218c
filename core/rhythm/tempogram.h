// Autocorrelation tempogram, librosa.feature.tempogram (mode 'autocorrelation') and its BPM axis,
// librosa.tempo_frequencies.
//
// Grosche, Peter, Meinard Müller, and Frank Kurth. "Cyclic tempogram - A mid-level tempo
// representation for music signals." ICASSP 2010.
#pragma once

#include <Eigen/Core>

#include <limits>

namespace featurescope {

/// Tempogram parameters with librosa's names and defaults. The window is always 'hann'
/// (periodic, scipy's get_window(..., fftbins=True)), librosa's default.
struct TempogramParams {
    /// sampling rate of the audio the onset envelope came from (sr > 0). The default is 22050.
    double sr = 22050.0;
    /// samples between onset-envelope frames (hop_length > 0). The default is 512.
    int hop_length = 512;
    /// length of the autocorrelation window in frames (win_length > 0). The default is 384
    /// (about 8.9 s at 22050 Hz, hop 512).
    int win_length = 384;
    /// centre window t on frame t by padding win_length // 2 frames on both sides with a linear
    /// ramp down to 0 (np.pad mode 'linear_ramp'). The default is true.
    bool center = true;
    /// normalisation of each column (librosa.util.normalize): +inf (max abs, the default),
    /// -inf (min abs), 0 (count of non-zeros), p > 0 (the p-norm), or NaN for none. A column whose
    /// norm is below the float32 tiny (1.18e-38) is left as is (normalize's fill=None).
    double norm = std::numeric_limits<double>::infinity();

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.feature.tempogram(onset_envelope=..., sr, hop_length, win_length, center,
/// window='hann', norm): the windowed autocorrelation of the onset envelope around each frame,
/// lag 0 to win_length - 1. Row k is lag k, i.e. tempo 60 * sr / (hop_length * k) BPM.
/// Returns [shape=(win_length, n)] for an envelope of n frames (center=true, n >= 1), or
/// [shape=(win_length, n - win_length + 1)] with center=false (needs n >= win_length). The envelope
/// must be finite (librosa.util.normalize's rule).
Eigen::ArrayXXf tempogram(const Eigen::ArrayXf& onset_envelope, const TempogramParams& params = {});

/// The tempogram averaged over time, np.mean(tempogram(...), axis=-1) (in float64), without
/// storing the matrix: what librosa.feature.tempo aggregates. Returns [shape=(win_length,)].
Eigen::ArrayXd tempogramMean(const Eigen::ArrayXf& onset_envelope,
                             const TempogramParams& params = {});

/// librosa.tempo_frequencies(n_bins, sr, hop_length): the BPM of each tempogram row,
/// [shape=(n_bins,)]; bin 0 (lag 0) is +inf, bin k is 60 * sr / (hop_length * k).
/// n_bins >= 0, sr > 0, hop_length > 0.
Eigen::ArrayXd tempoFrequencies(int n_bins, double sr = 22050.0, int hop_length = 512);

} // namespace featurescope
