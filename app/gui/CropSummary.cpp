#include "app/gui/CropSummary.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace featurescope {

Crop cropOf(const Analysis& analysis, double start, double duration) {
    CropPolicy policy;
    policy.kind = CropPolicy::Kind::start;
    policy.start = std::max(0.0, start);
    policy.duration = duration;
    const AnalysisSettings& s = analysis.settings();
    return chooseCrop(policy, analysis.y(), analysis.sr(), s.hop_length, s.n_fft,
                      analysis.frameCount());
}

// TEMPORARY: these five statistics stand in for core/summary.h (the pipeline engineer's), which
// the panel will call once it lands so that the GUI and featurescope-extract share one definition.
SummaryTable cropSummary(const Analysis& analysis, double start, double duration) {
    SummaryTable table;
    table.stats = {QStringLiteral("mean"), QStringLiteral("std"), QStringLiteral("min"),
                   QStringLiteral("max"), QStringLiteral("median")};
    table.tempo = analysis.tempo();
    const FeatureCurves& curves = analysis.curves();
    const Crop crop = cropOf(analysis, start, duration);
    table.cropStart = crop.start_s;
    table.cropDuration = crop.duration_s;
    const auto rows = static_cast<Eigen::Index>(curves.names.size());
    table.values = Eigen::ArrayXXd::Constant(rows, table.stats.size(), std::nan(""));
    const Eigen::Index n = std::min(crop.n_frames, curves.values.cols() - crop.start_frame);
    std::vector<double> sorted;
    for (Eigen::Index r = 0; r < rows; ++r) {
        table.features.append(QString::fromStdString(curves.names[size_t(r)]));
        if (n <= 0) continue;
        const Eigen::ArrayXd x = curves.values.row(r).segment(crop.start_frame, n).cast<double>();
        const double mean = x.mean();
        sorted.assign(x.data(), x.data() + n);
        std::sort(sorted.begin(), sorted.end());
        const double median = n % 2 ? sorted[size_t(n / 2)]
                                    : 0.5 * (sorted[size_t(n / 2 - 1)] + sorted[size_t(n / 2)]);
        table.values.row(r) << mean, std::sqrt((x - mean).square().mean()), sorted.front(),
            sorted.back(), median;
    }
    return table;
}

} // namespace featurescope
