// The signal-independent part of a cqt (librosa.vqt with gamma=0): parameter rules, the bin grid,
// librosa's early-downsampling and octave-halving schedule, and each octave's sparse filter
// basis. Plans are cached, so a batch of tracks with the same parameters builds them once.
#pragma once

#include "core/spectrum/cqt.h"

#include <memory>
#include <vector>

namespace featurescope {

/// Throws std::invalid_argument stating the broken rule (sr > 0, hop_length > 0, n_bins > 0,
/// bins_per_octave > 0, fmin > 0, filter_scale > 0, norm > 0 or none, 0 <= sparsity < 1).
void validateCqt(double sr, const CqtParams& params);

/// How the signal is decimated before and during the octave recursion.
struct CqtDecimation {
    /// librosa's __early_downsample factor 2^count (1: none): halve up front while the top
    /// octave stays well below Nyquist and the hop keeps enough factors of two.
    int early_factor = 1;
    /// per octave, top first: the signal is halved after it (librosa: while the hop is even).
    std::vector<bool> halve_after;

    bool operator==(const CqtDecimation&) const = default;
};

/// The schedule for a tuned fmin (fmin * 2^(tuning / bins_per_octave)). Throws
/// std::invalid_argument when the top filter reaches past Nyquist.
CqtDecimation cqtDecimation(double sr, double fmin_tuned, const CqtParams& params);

/// One octave of the recursion: its filters (scaled by sqrt(sr_early / sr_octave) and, with
/// scale=True, by 1 / sqrt(filter length)), the first output row they fill, and its hop.
struct CqtOctave {
    SparseFilterBank bank;
    Eigen::Index first_row = 0;
    int hop = 0;
};

struct CqtPlan {
    CqtDecimation decimation;
    std::vector<CqtOctave> octaves; ///< top octave first, as librosa iterates
};

/// The cached plan for (sr, tuned fmin, params' n_bins, bins_per_octave, hop_length,
/// filter_scale, norm, sparsity, scale); thread-safe.
std::shared_ptr<const CqtPlan> cqtPlan(double sr, double fmin_tuned, const CqtParams& params);

/// Frames cqt returns for `length` samples under `plan`: the fewest any octave yields.
Eigen::Index cqtFrameCount(Eigen::Index length, const CqtPlan& plan);

} // namespace featurescope
