// The local maxima of one spectrum frame above a level: the bins piptrack looks at.
#pragma once

#include <Eigen/Core>

#include <vector>

namespace featurescope {

/// Appends to `out`, in order, every bin k in [lo, hi) of the frame x (d bins, 1 <= lo) that is
/// a local maximum of the gated frame g = x * (x > level) as librosa's piptrack tests it:
/// g[k] > g[k - 1] and, unless k is the last bin, g[k] >= g[k + 1]. NaN counts as 0. Most bins
/// are not maxima and fail at random, so eight bins are tested at a time (AVX2 where the
/// processor has it): the same comparisons, without a mispredicted branch a bin.
void localMaxima(const float* x, Eigen::Index d, Eigen::Index lo, Eigen::Index hi, float level,
                 std::vector<Eigen::Index>& out);

} // namespace featurescope
