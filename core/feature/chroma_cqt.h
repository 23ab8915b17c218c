// Chroma from the constant-Q transform: librosa.filters.cq_to_chroma and
// librosa.feature.chroma_cqt (librosa 0.10.2).
//
// Constant-Q chroma as in Brown, J. C. and Puckette, M. S., "An efficient algorithm for the
// calculation of a constant Q transform", JASA 92(5), 1992, with pitch classes folded from the
// CQT bins.
#pragma once

#include "core/spectrum/cqt_filters.h"

#include <Eigen/Core>

#include <limits>
#include <optional>

namespace featurescope {

/// librosa.filters.cq_to_chroma(n_input, bins_per_octave, n_chroma, fmin, window=None, base_c):
/// the 0/1 matrix that sums each pitch class's CQT bins, centred on the class (the
/// bins_per_octave / n_chroma bins nearest it) and rotated so that row 0 is C (base_c) or A.
/// n_input > 0; bins_per_octave > 0 and an integer multiple of n_chroma > 0; fmin > 0 (the first
/// CQT bin's frequency; the default is C1). Returns [shape=(n_chroma, n_input)], float32.
Eigen::ArrayXXf cqToChroma(int n_input, int bins_per_octave = 12, int n_chroma = 12,
                           double fmin = kNoteC1, bool base_c = true);

/// librosa.feature.chroma_cqt parameters, with librosa's names and defaults (window=None and
/// cqt_mode='full' only).
struct ChromaCqtParams {
    /// samples between frames, hop_length : int > 0. The default is 512.
    int hop_length = 512;
    /// frequency of the lowest CQT bin before tuning, fmin > 0; std::nullopt is C1 (~32.70 Hz).
    /// The default is C1.
    std::optional<double> fmin;
    /// normalisation of each frame's chroma vector: p > 0 or +inf (max); std::nullopt for none.
    /// Frames whose norm is below the smallest normal float stay as they are (librosa's
    /// normalize with threshold=None, fill=None). The default is +inf.
    std::optional<double> norm = std::numeric_limits<double>::infinity();
    /// chroma values below this are set to 0 before normalising. The default is 0.0.
    double threshold = 0.0;
    /// CQT tuning in fractions of a CQT bin; std::nullopt (the default) estimates it from y:
    /// estimateTuning(y, sr, {.bins_per_octave = bins_per_octave}).
    std::optional<double> tuning;
    /// number of chroma bins, n_chroma : int > 0. The default is 12.
    int n_chroma = 12;
    /// number of octaves of CQT, n_octaves : int > 0. The default is 7.
    int n_octaves = 7;
    /// CQT bins per octave, an integer multiple of n_chroma. The default is 36.
    int bins_per_octave = 36;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// The most octaves (1 .. params.n_octaves) of chroma_cqt's CQT whose filters all stay below
/// the Nyquist frequency sr / 2 for every tuning chroma_cqt may use: params.tuning when it is
/// set, else any estimate in [-0.5, 0.5) bins. librosa refuses a CQT that reaches past Nyquist
/// (7 octaves from C1 reach 4186 Hz, past 8 kHz's 4000 Hz); chroma_cqt(..., n_octaves=this)
/// is what a pipeline computes when the user did not choose the octaves. 0 when not even one
/// octave fits.
int octavesBelowNyquist(double sr, const ChromaCqtParams& params);

/// librosa.feature.chroma_cqt(C=C, ...): chroma from a CQT magnitude C [shape=(n_bins, t)] whose
/// first bin is at params.fmin (tuning and hop_length are ignored here, as in librosa).
/// Returns [shape=(n_chroma, t)].
Eigen::ArrayXXf chromaCqtFromCqt(const Eigen::ArrayXXf& C, const ChromaCqtParams& params = {});

/// librosa.feature.chroma_cqt(y=y, sr=sr, ...): |cqt(y, sr, hop_length, fmin,
/// n_bins = n_octaves * bins_per_octave, bins_per_octave, tuning)| folded to chroma.
/// y non-empty, sr > 0. Returns [shape=(n_chroma, t)], t as cqtFrameCount.
Eigen::ArrayXXf chromaCqt(const Eigen::ArrayXf& y, double sr = 22050.0,
                          const ChromaCqtParams& params = {});

} // namespace featurescope
