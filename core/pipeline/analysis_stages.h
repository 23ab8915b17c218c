// The stages of the analysis pipeline: which stage reads which, and which settings each depends
// on. core/pipeline/analysis.cpp runs them (core/pipeline/stage_graph.h) and wraps the results in an Analysis.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "core/io/audio.h"
#include "core/pipeline/stage_graph.h"

#include <Eigen/Core>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace featurescope {

/// Where the samples come from: a file (decoded by the "audio" stage) or samples in memory.
/// `identity` names the source for reuse: a file's path, size and modification time, or a hash
/// of the samples.
struct SourceStage {
    std::filesystem::path path;
    std::string identity;
    /// Mono samples at the given rate, decoded on up to `threads` threads (0 = every core).
    std::function<Eigen::ArrayXf(double sr, int threads)> decode;

    static SourceStage file(const std::filesystem::path& path);
    static SourceStage samples(const Audio& audio);
};

/// Every stage `settings` asks for, inputs before readers. Stage names: "audio" (the decoded
/// track), "crop", "y" (the analysed signal), "crop_frames", "stft", "stft_mag", "stft_db",
/// "hpss", "hpss_h_mag", "hpss_p_mag", "harmonic", "percussive", "mel", "mel_db", "cqt",
/// "cqt_db", and the routed features with their signal as suffix when not the original
/// ("chroma_stft@harmonic", "onset_strength@percussive", "stft_mag@harmonic", ...), "curves".
std::vector<Stage> analysisStages(const SourceStage& source, const AnalysisSettings& settings);

} // namespace featurescope
