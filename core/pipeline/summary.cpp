#include "core/pipeline/summary.h"

#include "core/util/float_sort.h"
#include "core/util/parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace featurescope {

namespace {

/// np.percentile(sorted, q) with the default linear interpolation.
double percentile(const std::vector<float>& sorted, double q) {
    const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return double(sorted[below]) + (double(sorted[above]) - double(sorted[below])) * fraction;
}

} // namespace

std::array<double, kSummaryStats.size()> summaryStatistics(const Eigen::ArrayXf& values) {
    std::array<double, kSummaryStats.size()> stats;
    if (values.size() == 0) {
        stats.fill(std::numeric_limits<double>::quiet_NaN());
        return stats;
    }
    // Sorted as float32, which orders them as their doubles would, in half the memory; the sums
    // run in double, in sorted order.
    std::vector<float> sorted(values.data(), values.data() + values.size());
    if (values.isFinite().all())
        radixSortFloats(sorted);
    else // NaN has no place in a radix order; std::sort keeps the earlier behaviour
        std::sort(sorted.begin(), sorted.end());
    const double n = static_cast<double>(sorted.size());
    double sum = 0.0;
    for (const float v : sorted)
        sum += double(v);
    const double mean = sum / n;
    double squares = 0.0;
    for (const float v : sorted)
        squares += (double(v) - mean) * (double(v) - mean);
    stats = {mean,
             std::sqrt(squares / n),
             double(sorted.front()),
             double(sorted.back()),
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
    // Each row sorts its own copy: the rows are split between the cores.
    const Eigen::Index rows = Eigen::Index(curves.names.size());
    std::vector<std::array<double, kSummaryStats.size()>> stats(curves.names.size());
    parallelChunks(rows, 8, [&](Eigen::Index first, Eigen::Index last) {
        for (Eigen::Index f = first; f < last; ++f)
            stats[size_t(f)] =
                summaryStatistics(curves.values.row(f).segment(begin, end - begin).transpose());
    });
    Summary summary;
    for (std::size_t f = 0; f < curves.names.size(); ++f)
        for (std::size_t s = 0; s < kSummaryStats.size(); ++s) {
            summary.names.push_back(curves.names[f] + "_" + std::string(kSummaryStats[s]));
            summary.values.push_back(stats[f][s]);
        }
    return summary;
}

Summary summarize(const Analysis& analysis) {
    return summarize(analysis.curves(), analysis.crop().start_frame, analysis.crop().n_frames);
}

} // namespace featurescope
