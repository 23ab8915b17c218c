// Constant-Q transform, librosa.cqt (which runs through librosa.vqt with gamma=0).
//
// Schoerkhuber, C. and Klapuri, A. "Constant-Q transform toolbox for music processing."
// 7th Sound and Music Computing Conference, Barcelona, 2010: the recursive sub-sampling method —
// one octave of filters is applied in the frequency domain, then the signal is halved and the
// same octave of filters serves the next octave down.
#pragma once

#include "core/spectrum/cqt_filters.h"

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// Parameters of librosa.cqt, named and defaulted as there. window is always 'hann', pad_mode
/// 'constant' and res_type 'soxr_hq' (librosa's defaults).
struct CqtParams {
    /// samples between frames, hop_length : int > 0. The default is 512.
    /// librosa 0.10.2 imposes no divisibility rule (older releases required a multiple of
    /// 2^(n_octaves-1)): after each octave the signal and the hop are halved while the hop is
    /// even; once it is odd, the remaining octaves are computed at that rate, slower but valid.
    int hop_length = 512;
    /// lowest bin's frequency before tuning, fmin : float > 0; std::nullopt means C1
    /// (~32.70 Hz). The default is C1.
    std::optional<double> fmin;
    /// number of frequency bins, n_bins : int > 0. The default is 84.
    int n_bins = 84;
    /// bins_per_octave : int > 0. The default is 12.
    int bins_per_octave = 12;
    /// tuning offset in fractions of a bin (finite; -0.5 <= tuning < 0.5 by convention); fmin
    /// becomes fmin * 2^(tuning / bins_per_octave). std::nullopt estimates it from y with
    /// estimateTuning(y, sr) at these bins_per_octave. The default is 0.0, as in librosa.cqt.
    std::optional<double> tuning = 0.0;
    /// filter length multiplier, filter_scale : float > 0. The default is 1.
    double filter_scale = 1.0;
    /// norm of each filter's time-domain basis: p > 0 (1 = L1) or +inf (max), or std::nullopt
    /// for none. The default is 1.
    std::optional<double> norm = 1.0;
    /// fraction of each filter's L1 mass that may be dropped, 0 <= sparsity < 1.
    /// The default is 0.01.
    double sparsity = 0.01;
    /// divide each bin by sqrt(filter length), so that the response is comparable with the STFT
    /// (librosa's scale=True). The default is true.
    bool scale = true;

    double fminOrDefault() const { return fmin.value_or(kNoteC1); }
};

/// Number of frames cqt returns for a signal of `length` samples: the fewest frames any octave
/// yields, 1 + len_octave / hop_octave each.
Eigen::Index cqtFrameCount(Eigen::Index length, double sr, const CqtParams& params = {});

/// Centre frequencies of the bins after tuning (librosa.cqt_frequencies(n_bins,
/// fmin=fmin*2^(tuning/bpo), bins_per_octave)); a std::nullopt tuning counts as 0 here.
/// [shape=(n_bins,)]
Eigen::ArrayXd cqtBinFrequencies(const CqtParams& params = {});

/// librosa.cqt(y, sr, hop_length, fmin, n_bins, bins_per_octave, tuning, filter_scale, norm,
/// sparsity, window='hann', scale, pad_mode='constant', res_type='soxr_hq').
/// y : non-empty; sr > 0. Returns [shape=(n_bins, t)], t = cqtFrameCount(len(y), sr, params);
/// row 0 is the lowest bin. A signal shorter than the longest filter is zero padded (librosa
/// warns and does the same). Throws std::invalid_argument stating the broken rule, including
/// librosa's Nyquist rule — the top filter's reach, max(freqs * (1 + 0.5 * 1.5002 * alpha /
/// filter_scale)) with 1.5002 the Hann window's noise bandwidth, must not exceed sr / 2 — and
/// librosa's rule that an early-downsampled signal must be at least the downsampling factor
/// long.
/// The filter basis is built once per (sr, tuned fmin, n_bins, bins_per_octave, hop_length,
/// filter_scale, norm, sparsity, scale) and cached; calls from several threads are safe.
Eigen::ArrayXXcf cqt(const Eigen::ArrayXf& y, double sr = 22050.0, const CqtParams& params = {});

/// |cqt(y)| without the complex intermediate, [shape=(n_bins, t)].
Eigen::ArrayXXf cqtMagnitude(const Eigen::ArrayXf& y, double sr = 22050.0,
                             const CqtParams& params = {});

} // namespace featurescope
