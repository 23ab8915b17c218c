// Tuning estimation: librosa.piptrack, librosa.pitch_tuning and librosa.estimate_tuning
// (librosa/core/pitch.py, 0.10.2).
//
// Pitches are found by parabolic interpolation of STFT peaks: J. O. Smith, "Spectral Audio Signal
// Processing", section "Sinusoidal Peak Interpolation" (CCRMA, 2011),
// https://ccrma.stanford.edu/~jos/sasp/Sinusoidal_Peak_Interpolation.html
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// librosa.piptrack parameters, with librosa's names and defaults. The window is always 'hann'
/// and pad_mode always 'constant' (librosa's defaults); only those are implemented.
struct PiptrackParams {
    /// FFT length when the STFT is computed from y (n_fft > 0). The default is 2048. With a
    /// spectrogram S it is inferred from S (2 * (rows - 1)) unless n_fft / 2 + 1 == rows.
    int n_fft = 2048;
    /// samples between frames when computing the STFT from y (hop_length >= 0). The default, 0,
    /// is librosa's None: win_length / 4 (512 for n_fft = 2048).
    int hop_length = 0;
    /// window length when computing the STFT from y (0 <= win_length <= n_fft); the default, 0,
    /// is librosa's None: n_fft.
    int win_length = 0;
    /// centre the frames (zero padding by n_fft / 2) when computing the STFT from y. Default true.
    bool center = true;
    /// lower frequency cutoff in Hz, inclusive (0 <= fmin < fmax). The default is 150.0.
    double fmin = 150.0;
    /// upper frequency cutoff in Hz, exclusive (fmax > fmin; clipped to sr / 2 as in librosa).
    /// The default is 4000.0.
    double fmax = 4000.0;
    /// a bin is a pitch candidate when S > threshold * max(frame) (0 <= threshold, finite;
    /// librosa's range is (0, 1)). The default is 0.1.
    double threshold = 0.1;
    /// the reference magnitude: nullopt (the default) is librosa's np.max, so a bin qualifies
    /// when S > threshold * max(frame); a value (finite) is, as in librosa, used directly as
    /// the fixed level |ref| that S must exceed, and threshold is then ignored.
    std::optional<double> ref;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.estimate_tuning parameters: piptrack's, plus the histogram's.
struct TuningParams : PiptrackParams {
    /// histogram resolution as a fraction of a bin (0 < resolution < 1); 0.01 is cents for
    /// bins_per_octave = 12. The default is 0.01.
    double resolution = 0.01;
    /// frequency bins per octave (bins_per_octave > 0). The default is 12.
    int bins_per_octave = 12;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.piptrack output: both [shape=(d, t)], the full STFT bin range; every bin that is not a
/// thresholded local maximum inside [fmin, fmax) holds 0 in both.
struct Pitches {
    /// instantaneous frequency in Hz of the interpolated peak at bin f, frame t
    Eigen::ArrayXXf pitches;
    /// the interpolated peak magnitude (S + the parabola's skew)
    Eigen::ArrayXXf magnitudes;
};

/// librosa.piptrack(S=S, sr=sr, ...). S is a magnitude or power spectrogram [shape=(d, t)]
/// (librosa takes |S|; S must be non-negative here). sr > 0.
Pitches piptrack(const Eigen::ArrayXXf& S, double sr, const PiptrackParams& params = {});

/// librosa.piptrack(y=y, sr=sr, ...): the same on |stft(y)| with params' n_fft, hop_length,
/// win_length and center.
Pitches piptrack(const Eigen::ArrayXf& y, double sr, const PiptrackParams& params = {});

/// librosa.pitch_tuning(frequencies, resolution, bins_per_octave): the most common deviation
/// of the frequencies from A440 equal temperament, as the left edge of the winning bin of a
/// histogram over [-0.5, 0.5) with `resolution` steps; in fractions of a bin, in [-0.5, 0.5).
/// Frequencies <= 0 are ignored; with none left it returns 0.0 (librosa warns and does the same).
double pitchTuning(const Eigen::ArrayXf& frequencies, double resolution = 0.01,
                   int bins_per_octave = 12);

/// librosa.estimate_tuning(y=y, sr=sr, n_fft, resolution, bins_per_octave, **piptrack kwargs):
/// piptrack on |stft(y)|, keeps the peaks whose magnitude is at least the median peak magnitude
/// and returns their pitch_tuning, in [-0.5, 0.5). Silence (no peaks) gives 0.0.
double estimateTuning(const Eigen::ArrayXf& y, double sr, const TuningParams& params = {});

/// librosa.estimate_tuning(S=S, sr=sr, ...) for a magnitude or power spectrogram S
/// [shape=(d, t)], non-negative; n_fft inferred from S as piptrack does.
double estimateTuningFromSpectrogram(const Eigen::ArrayXXf& S, double sr,
                                     const TuningParams& params = {});

} // namespace featurescope
