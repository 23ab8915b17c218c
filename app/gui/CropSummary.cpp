#include "app/gui/CropSummary.h"

#include "core/pipeline/summary.h"

#include <algorithm>

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

SummaryTable cropSummary(const Analysis& analysis, double start, double duration) {
    SummaryTable table;
    for (std::string_view stat : kSummaryStats)
        table.stats.append(QString::fromUtf8(stat.data(), qsizetype(stat.size())));
    table.tempo = analysis.tempo();
    const Crop crop = cropOf(analysis, start, duration);
    table.cropStart = crop.start_s;
    table.cropDuration = crop.duration_s;
    // core's summarize is the definition featurescope-extract writes; the panel only reshapes
    // its flat "<feature>_<stat>" list into one row per feature.
    const Summary summary = summarize(analysis.curves(), crop.start_frame, crop.n_frames);
    const auto nStats = Eigen::Index(kSummaryStats.size());
    const auto nFeatures = Eigen::Index(analysis.curves().names.size());
    table.values =
        Eigen::Map<const Eigen::ArrayXXd>(summary.values.data(), nStats, nFeatures).transpose();
    for (const std::string& name : analysis.curves().names)
        table.features.append(QString::fromStdString(name));
    return table;
}

} // namespace featurescope
