// Summary statistics of feature curves over a crop: one row per track for a classifier.
#pragma once

#include "core/pipeline/analysis.h"

#include <Eigen/Core>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// The statistics, in column order: mean, std (population, ddof=0 as np.std), min, max, median,
/// p10, p25, p75, p90 (percentiles interpolated linearly between order statistics, as
/// np.percentile's default 'linear' method).
inline constexpr std::array<std::string_view, 9> kSummaryStats{
    "mean", "std", "min", "max", "median", "p10", "p25", "p75", "p90"};

/// Named values: `names[i]` is "<feature>_<stat>" (e.g. "spectral_centroid_mean").
struct Summary {
    std::vector<std::string> names;
    std::vector<double> values;
};

/// Statistics of one series. Computed in double; NaN for an empty series.
std::array<double, kSummaryStats.size()> summaryStatistics(const Eigen::ArrayXf& values);

/// Every row of `curves` over frames [start_frame, start_frame + n_frames) (clipped to the
/// curves' columns), feature by feature, each with the statistics of kSummaryStats.
Summary summarize(const FeatureCurves& curves, Eigen::Index start_frame, Eigen::Index n_frames);

/// summarize(analysis.curves()) over analysis.crop()'s frames.
Summary summarize(const Analysis& analysis);

} // namespace featurescope
