// Chroma from the STFT: librosa.filters.chroma and librosa.feature.chroma_stft (librosa 0.10.2).
//
// The filter bank follows D. P. W. Ellis, "Chroma feature analysis and synthesis" (chromagram_E),
// 2007, https://www.ee.columbia.edu/~dpwe/resources/matlab/chroma-ansyn/
#pragma once

#include <Eigen/Core>

#include <limits>
#include <optional>

namespace featurescope {

/// librosa.filters.chroma parameters, with librosa's names and defaults.
struct ChromaFilterParams {
    /// number of chroma bins (n_chroma > 0). The default is 12.
    int n_chroma = 12;
    /// tuning deviation from A440 in fractions of a chroma bin (finite). The default is 0.0.
    double tuning = 0.0;
    /// centre of the octave weighting, in octaves above C0 (finite). The default is 5.0.
    double ctroct = 5.0;
    /// width of the Gaussian octave weighting in octaves (octwidth > 0); nullopt is librosa's
    /// None: all octaves weigh the same. The default is 2.
    std::optional<double> octwidth = 2.0;
    /// norm of each filter column, as librosa.util.normalize's norm: p > 0, +inf (max), -inf
    /// (min), 0 (count of non-zeros), or nullopt (None: no normalisation). The default is 2.
    std::optional<double> norm = 2.0;
    /// rotate so that row 0 is C (true) rather than A (false). The default is true.
    bool base_c = true;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.filters.chroma(sr=sr, n_fft=n_fft, ...): the projection from STFT bins onto pitch
/// classes, built in float64 as librosa does and returned in float32 (librosa's dtype).
/// sr > 0, n_fft > 0. Returns [shape=(n_chroma, 1 + n_fft/2)].
Eigen::ArrayXXf chromaFilterBank(double sr, int n_fft, const ChromaFilterParams& params = {});

/// librosa.feature.chroma_stft parameters, with librosa's names and defaults. The window is
/// always 'hann' and pad_mode always 'constant' (librosa's defaults).
struct ChromaStftParams {
    /// normalisation of each frame's chroma vector (see ChromaFilterParams::norm). The default is
    /// +inf: each frame is divided by its maximum; frames whose norm is below the smallest
    /// normal float are left as they are (librosa's threshold=None, fill=None).
    std::optional<double> norm = std::numeric_limits<double>::infinity();
    /// FFT length for the y input (n_fft > 0). The default is 2048. With a spectrogram it is
    /// inferred from its rows unless n_fft / 2 + 1 == rows.
    int n_fft = 2048;
    /// samples between frames for the y input (hop_length >= 0; 0 = win_length / 4). Default 512.
    int hop_length = 512;
    /// window length for the y input (0 <= win_length <= n_fft; 0 = n_fft). The default is 0.
    int win_length = 0;
    /// centre the frames for the y input. The default is true.
    bool center = true;
    /// tuning deviation from A440 in fractions of a chroma bin; nullopt (the default) estimates
    /// it from the power spectrogram: estimate_tuning(S=S, sr=sr, bins_per_octave=n_chroma).
    std::optional<double> tuning;
    /// number of chroma bins (n_chroma > 0). The default is 12.
    int n_chroma = 12;
    /// the filter bank's ctroct, octwidth and base_c (librosa's **kwargs); their defaults are
    /// 5.0, 2 and true. The filter bank's own norm stays at 2, as in librosa.
    double ctroct = 5.0;
    std::optional<double> octwidth = 2.0;
    bool base_c = true;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.feature.chroma_stft(S=S, sr=sr, ...) for a power spectrogram S (|stft|**2),
/// [shape=(1 + n_fft/2, t)], non-negative and finite; sr > 0.
/// Returns [shape=(n_chroma, t)], float32.
Eigen::ArrayXXf chromaStftFromSpectrogram(const Eigen::ArrayXXf& S, double sr,
                                          const ChromaStftParams& params = {});

/// librosa.feature.chroma_stft(y=y, sr=sr, ...): the same on |stft(y)|**2 with params' n_fft,
/// hop_length, win_length and center. Returns [shape=(n_chroma, t)].
Eigen::ArrayXXf chromaStft(const Eigen::ArrayXf& y, double sr, const ChromaStftParams& params = {});

} // namespace featurescope
