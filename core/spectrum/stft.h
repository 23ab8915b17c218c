// Short-time Fourier transform and its inverse, librosa.stft / librosa.istft semantics.
#pragma once

#include <Eigen/Core>

#include <functional>
#include <optional>

namespace featurescope {

/// [shape=(1 + n_fft/2, t)] complex spectrogram, librosa's orientation.
using ComplexSpectrogram = Eigen::ArrayXXcf;

/// STFT parameters with librosa's names and defaults.
struct StftParams {
    /// FFT length (n_fft > 0). The default is 2048.
    int n_fft = 2048;
    /// samples between frames (hop_length > 0); 0 means win_length / 4, as in librosa.
    int hop_length = 512;
    /// window length (0 < win_length <= n_fft), zero-padded in the centre of the frame;
    /// 0 means n_fft.
    int win_length = 0;
    /// pad the signal by n_fft / 2 zeros on both sides (pad_mode='constant') so that frame t is
    /// centred at t * hop_length. The default is true.
    bool center = true;

    int windowLength() const { return win_length > 0 ? win_length : n_fft; }
    int hopLength() const { return hop_length > 0 ? hop_length : windowLength() / 4; }
    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// Periodic Hann window of `win_length` samples (scipy.signal.get_window('hann', N, fftbins=True)),
/// zero-padded on both sides to `n_fft` (librosa.util.pad_center).
Eigen::ArrayXf hannWindow(int win_length, int n_fft);

/// The same window in float64, as librosa multiplies it into the signal (stft computes in
/// float64 and rounds each bin to complex64).
Eigen::ArrayXd hannWindow64(int win_length, int n_fft);

/// Fills frame[0, n_fft) with double(y[start + i]) * window[i], zero where start + i lies
/// outside y (the centred, zero-padded frame stft transforms); n_fft = window.size().
void windowedFrame(const Eigen::ArrayXf& y, Eigen::Index start, const Eigen::ArrayXd& window,
                   double* frame);

/// Number of frames librosa's stft returns for a signal of `length` samples.
Eigen::Index frameCount(Eigen::Index length, const StftParams& params);

/// librosa.stft(y, n_fft, hop_length, win_length, window='hann', center, pad_mode='constant').
/// Returns [shape=(1 + n_fft/2, 1 + (len(y) + 2*(n_fft/2)*center - n_fft) / hop_length)].
/// A signal shorter than n_fft is zero padded (librosa warns and does the same). Throws
/// std::invalid_argument when even the padded signal is shorter than n_fft.
ComplexSpectrogram stft(const Eigen::ArrayXf& y, const StftParams& params = {});

/// |D| element by element (np.abs), [shape=D.shape].
Eigen::ArrayXXf magnitude(const ComplexSpectrogram& D);

/// out[i] = |z[i]| as magnitude() computes it: sqrt(re^2 + im^2) in float32, for `count`
/// values. The HPSS layers' |H| and |P| go through it; the STFT passes compute the same floats
/// as they round each frame (roundSpectrum, core/spectrum/frame_kernels.h), which tests hold to it.
void complexMagnitudes(const std::complex<float>* z, Eigen::Index count, float* out);

/// |stft(y)|: the magnitude spectrogram, [shape=(1 + n_fft/2, t)].
Eigen::ArrayXXf stftMagnitude(const Eigen::ArrayXf& y, const StftParams& params = {});

/// stft(y) and, from the same pass, magnitude(stft(y)): both without reading the other again.
struct StftWithMagnitude {
    ComplexSpectrogram D;
    Eigen::ArrayXXf magnitude;
};
StftWithMagnitude stftWithMagnitude(const Eigen::ArrayXf& y, const StftParams& params = {});

/// librosa.istft(stft_matrix, hop_length, win_length, n_fft, window='hann', center, length):
/// windowed overlap-add normalised by the summed squared window. `params.n_fft` is ignored:
/// n_fft = 2 * (rows - 1), as librosa infers it. With `length` the output is trimmed or zero
/// padded to exactly that many samples.
Eigen::ArrayXf istft(const ComplexSpectrogram& stft_matrix, const StftParams& params = {},
                     std::optional<Eigen::Index> length = std::nullopt);

/// Column t of a spectrogram: writes its rows into `out`.
using SpectrogramColumn = std::function<void(Eigen::Index t, std::complex<float>* out)>;

/// istft of the `rows` x `cols` spectrogram whose columns `column` writes, each once, in order:
/// for one computed column by column (HPSS's layers), never stored whole.
Eigen::ArrayXf istft(Eigen::Index rows, Eigen::Index cols, const SpectrogramColumn& column,
                     const StftParams& params = {},
                     std::optional<Eigen::Index> length = std::nullopt);

/// Frequencies of the STFT bins, librosa.fft_frequencies(sr, n_fft): k * sr / n_fft.
Eigen::ArrayXd fftFrequencies(double sr, int n_fft);

} // namespace featurescope
