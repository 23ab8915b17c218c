// TEMPORARY (stage 1): the window's first look at a track — load, STFT and dB through direct
// core calls — until core/analysis.cpp (runAnalysis) lands; then the runner delivers
// std::shared_ptr<const Analysis> and this file goes away.
#pragma once

#include "core/analysis.h"

#include <Eigen/Core>

#include <filesystem>
#include <memory>

namespace featurescope {

using TrackSettings = AnalysisSettings;

struct TrackAnalysis {
    std::filesystem::path path;
    TrackSettings settings;
    std::shared_ptr<const Eigen::ArrayXf> y;       ///< mono at settings.sr
    std::shared_ptr<const Eigen::ArrayXXf> stftDb; ///< amplitude_to_db(|stft|, ref=np.max)
};

/// Loads `path` and computes what stage 1 shows. Throws AudioError for an unreadable file and
/// AnalysisCancelled when `stop` was requested.
std::shared_ptr<const TrackAnalysis> analyzeTrack(const std::filesystem::path& path,
                                                  const TrackSettings& settings,
                                                  const ProgressCallback& progress,
                                                  std::stop_token stop,
                                                  std::shared_ptr<const TrackAnalysis> previous);

} // namespace featurescope
