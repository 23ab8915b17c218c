#include "core/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featurescope {

namespace {

/// np.percentile(sorted, q) with the default linear interpolation.
double percentile(const std::vector<double>& sorted, double q) {
    const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

} // namespace

std::array<double, kSummaryStats.size()> summaryStatistics(const Eigen::ArrayXf& values) {
    std::array<double, kSummaryStats.size()> stats;
    if (values.size() == 0) {
        stats.fill(std::numeric_limits<double>::quiet_NaN());
        return stats;
    }
    std::vector<double> sorted(values.data(), values.data() + values.size());
    std::sort(sorted.begin(), sorted.end());
    const double n = static_cast<double>(sorted.size());
    double sum = 0.0;
    for (const double v : sorted)
        sum += v;
    const double mean = sum / n;
    double squares = 0.0;
    for (const double v : sorted)
        squares += (v - mean) * (v - mean);
    stats = {mean,
             std::sqrt(squares / n),
             sorted.front(),
             sorted.back(),
             percentile(sorted, 50.0),
             percentile(sorted, 10.0),
             percentile(sorted, 25.0),
             percentile(sorted, 75.0),
             percentile(sorted, 90.0)};
    return stats;
}

Summary summarize(const FeatureCurves& curves, Eigen::Index start_frame, Eigen::Index n_frames) {
    const Eigen::Index begin = std::clamp<Eigen::Index>(start_frame, 0, curves.values.cols());
    const Eigen::Index end =
        std::clamp<Eigen::Index>(start_frame + n_frames, begin, curves.values.cols());
    Summary summary;
    for (std::size_t f = 0; f < curves.names.size(); ++f) {
        const Eigen::ArrayXf series =
            curves.values.row(static_cast<Eigen::Index>(f)).segment(begin, end - begin).transpose();
        const auto stats = summaryStatistics(series);
        for (std::size_t s = 0; s < kSummaryStats.size(); ++s) {
            summary.names.push_back(curves.names[f] + "_" + std::string(kSummaryStats[s]));
            summary.values.push_back(stats[s]);
        }
    }
    return summary;
}

Summary summarize(const Analysis& analysis) {
    return summarize(analysis.curves(), analysis.crop().start_frame, analysis.crop().n_frames);
}

} // namespace featurescope
