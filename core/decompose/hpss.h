// Median-filtering harmonic / percussive source separation: librosa.decompose.hpss, its soft
// masks (librosa.util.softmask) and the harmonic / percussive signals (librosa.effects.hpss).
//
// Fitzgerald, Derry. "Harmonic/percussive separation using median filtering." 13th
// International Conference on Digital Audio Effects (DAFX10), Graz, Austria, 2010.
// Driedger, Mueller, Disch. "Extending harmonic-percussive separation of audio." 15th ISMIR,
// Taipei, Taiwan, 2014 (the margins, which leave a residual).
#pragma once

#include "core/spectrum/stft.h"

#include <Eigen/Core>

#include <complex>
#include <memory>
#include <optional>

namespace featurescope {

/// A harmonic and a percussive part of the same shape: components, masks or signals.
template <typename T> struct HarmonicPercussive {
    T harmonic;
    T percussive;
};

/// kernel_size : int > 0, or a pair (kernel_harmonic, kernel_percussive). The default is 31
/// for both. The harmonic filter runs across time (`harmonic` frames wide), the percussive one
/// across frequency (`percussive` bins high); even sizes follow scipy (see median_filter.h).
struct KernelSize {
    int harmonic = 31;
    int percussive = 31;
    KernelSize(int both = 31)
        : harmonic(both)
        , percussive(both) {}
    KernelSize(int harmonic_, int percussive_)
        : harmonic(harmonic_)
        , percussive(percussive_) {}
};

/// margin : float >= 1, or a pair (margin_harmonic, margin_percussive). The default is 1.0 for
/// both: S = H + P. With a margin above 1 a bin goes to H only where its harmonic median beats
/// the percussive one by that factor (and vice versa), leaving a residual R = S - (H + P).
struct Margin {
    double harmonic = 1.0;
    double percussive = 1.0;
    Margin(double both = 1.0)
        : harmonic(both)
        , percussive(both) {}
    Margin(double harmonic_, double percussive_)
        : harmonic(harmonic_)
        , percussive(percussive_) {}
};

/// librosa.decompose.hpss parameters, with librosa's names and defaults.
struct HpssParams {
    /// kernel_size : see KernelSize. The default is 31.
    KernelSize kernel_size = 31;
    /// power : float > 0, the exponent of the Wiener-like soft masks. The default is 2.0.
    /// Infinity gives hard (binary) masks: H where harm > perc * margin, P likewise.
    double power = 2.0;
    /// margin : see Margin. The default is 1.0.
    Margin margin = 1.0;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// librosa.util.softmask(X, X_ref, power, split_zeros): the share of X in X + X_ref, in
/// float32 exactly as librosa computes it.
///
/// Both are first divided by Z = max(X, X_ref) (for numerical range); where Z is below the
/// smallest normal float (1.17549435e-38, librosa's `tiny`) both inputs count as zero and the
/// mask is 0.5 if `split_zeros`, else 0. Elsewhere mask = (X/Z)^power / ((X/Z)^power +
/// (X_ref/Z)^power). With power = infinity the mask is 1 where X > X_ref and 0 elsewhere
/// (librosa returns a bool array there).
///
/// X, X_ref : [shape=(d, n)], non-negative. power : float > 0 (infinity allowed); the default is
/// 1.0. split_zeros : the default is false. Returns [shape=(d, n)] in [0, 1]. Throws
/// std::invalid_argument on a shape mismatch, a negative entry or power <= 0.
Eigen::ArrayXXf softmask(const Eigen::ArrayXXf& X, const Eigen::ArrayXXf& X_ref, double power = 1.0,
                         bool split_zeros = false);

/// librosa.decompose.hpss(S, mask=True): the harmonic and percussive masks of a magnitude
/// spectrogram. harm = median across time, perc = median across frequency (mode='reflect');
/// mask_H = softmask(harm, perc * margin_harmonic, power, split_zeros), mask_P = softmask(perc,
/// harm * margin_percussive, power, split_zeros), where split_zeros holds when both margins are
/// exactly 1. For a complex STFT pass its magnitude |S|.
///
/// S : [shape=(d, n)], non-negative. Returns masks of [shape=(d, n)]. Throws
/// std::invalid_argument for a negative entry or invalid params.
HarmonicPercussive<Eigen::ArrayXXf> hpssMasks(const Eigen::ArrayXXf& S,
                                              const HpssParams& params = {});

/// librosa.decompose.hpss(S): H = S * mask_H and P = S * mask_P on the magnitude of a complex
/// STFT, with its phase put back (librosa.magphase: the phase of a zero bin is 1).
///
/// S : [shape=(1 + n_fft/2, t)] complex. Returns H and P of [shape=(1 + n_fft/2, t)]. With
/// both margins 1, H + P == S up to rounding; above 1 the rest is the residual. The median
/// filters and the masks run on up to availableThreads() threads (core/util/parallel.h).
HarmonicPercussive<ComplexSpectrogram> hpss(const ComplexSpectrogram& S,
                                            const HpssParams& params = {});

enum class HpssPart { harmonic, percussive };

/// librosa.decompose.hpss(S) on a complex STFT, kept one step before its products: |S| and the
/// two soft masks, from which any column of H or P is made on demand. H and P themselves (two
/// complex matrices, 21 MB for 30 s) are never stored when only their signals or their
/// magnitudes are wanted: signal() inverts column by column as they are made. Holds S (shared),
/// |S| and the masks; const and safe to read from several threads.
class HpssLayers {
public:
    /// S : [shape=(1 + n_fft/2, t)] complex. With `with_magnitudes`, |H| and |P| (np.abs:
    /// sqrt(re^2 + im^2) in float32, as magnitude() gives them) are computed in the same pass.
    /// The median filters and the masks run on up to availableThreads() threads
    /// (core/util/parallel.h). Throws std::invalid_argument for invalid params.
    HpssLayers(std::shared_ptr<const ComplexSpectrogram> S, const HpssParams& params = {},
               bool with_magnitudes = false);

    Eigen::Index rows() const { return S_->rows(); }
    Eigen::Index cols() const { return S_->cols(); }
    /// Column t of H or P: rows() values into `out`, the floats hpss(S) holds there.
    void column(HpssPart part, Eigen::Index t, std::complex<float>* out) const;
    /// H or P whole: hpss(S).harmonic or .percussive.
    ComplexSpectrogram matrix(HpssPart part) const;
    /// istft(H or P, params, length): librosa.effects.hpss's signals, without the matrix.
    Eigen::ArrayXf signal(HpssPart part, const StftParams& params,
                          std::optional<Eigen::Index> length) const;
    /// |H| and |P| when constructed `with_magnitudes`, else empty.
    const HarmonicPercussive<Eigen::ArrayXXf>& magnitudes() const { return magnitudes_; }

private:
    std::shared_ptr<const ComplexSpectrogram> S_;
    Eigen::ArrayXXf magnitude_;
    HarmonicPercussive<Eigen::ArrayXXf> masks_;
    HarmonicPercussive<Eigen::ArrayXXf> magnitudes_;
};

/// librosa.decompose.hpss on a real, non-negative (magnitude or power) spectrogram:
/// H = S * mask_H, P = S * mask_P, [shape=(d, n)].
HarmonicPercussive<Eigen::ArrayXXf> hpss(const Eigen::ArrayXXf& S, const HpssParams& params = {});

/// librosa.effects.hpss(y): stft(y), hpss, then istft of H and of P with length = len(y), so
/// both signals are exactly as long as y. y_harmonic + y_percussive ~= y for margin 1.
///
/// y : [shape=(n,)]. Returns y_harmonic, y_percussive of [shape=(n,)]. `stft_params` are used
/// both ways (librosa's n_fft, hop_length, win_length, center; defaults 2048, 512, n_fft,
/// true). Throws std::invalid_argument as stft and HpssParams::validate do.
HarmonicPercussive<Eigen::ArrayXf> hpssSignals(const Eigen::ArrayXf& y,
                                               const HpssParams& params = {},
                                               const StftParams& stft_params = {});

} // namespace featurescope
