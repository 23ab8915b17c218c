#include "core/pipeline/analysis.h"

#include "core/pipeline/analysis_stages.h"
#include "core/pipeline/stage_graph.h"

#include <algorithm>
#include <thread>

namespace featurescope {

namespace {

template <typename T> const T& empty() {
    static const T value{};
    return value;
}

std::string suffix(Signal signal) {
    return signal == Signal::original ? std::string{} : "@" + std::string(signalName(signal));
}

} // namespace

Eigen::Index FeatureCurves::find(std::string_view name) const {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<Eigen::Index>(it - names.begin());
}

template <typename T> const T& Analysis::get(std::string_view name) const {
    const auto it = results_.find(name);
    if (it == results_.end() || !it->second.value) return empty<T>();
    return *static_cast<const T*>(it->second.value.get());
}

const Eigen::ArrayXf& Analysis::y() const {
    return get<Eigen::ArrayXf>("y");
}
double Analysis::duration() const {
    return static_cast<double>(y().size()) / settings_.sr;
}
Eigen::Index Analysis::frameCount() const {
    return stft().cols();
}

Eigen::ArrayXd Analysis::frameTimes() const {
    return Eigen::ArrayXd::LinSpaced(frameCount(), 0.0, static_cast<double>(frameCount() - 1)) *
           (settings_.hop_length / settings_.sr);
}

const ComplexSpectrogram& Analysis::stft() const {
    return get<ComplexSpectrogram>("stft");
}
const Eigen::ArrayXXf& Analysis::stftMagnitude() const {
    return get<Eigen::ArrayXXf>("stft_mag");
}
const Eigen::ArrayXXf& Analysis::stftDb() const {
    return get<Eigen::ArrayXXf>("stft_db");
}
const Eigen::ArrayXXf& Analysis::mel() const {
    return get<Eigen::ArrayXXf>("mel");
}
const Eigen::ArrayXXf& Analysis::melDb() const {
    return get<Eigen::ArrayXXf>("mel_db");
}
const Eigen::ArrayXXf& Analysis::cqt() const {
    return get<Eigen::ArrayXXf>("cqt");
}
const Eigen::ArrayXXf& Analysis::cqtDb() const {
    return get<Eigen::ArrayXXf>("cqt_db");
}
const Eigen::ArrayXf& Analysis::harmonic() const {
    return get<Eigen::ArrayXf>("harmonic");
}
const Eigen::ArrayXf& Analysis::percussive() const {
    return get<Eigen::ArrayXf>("percussive");
}
const Eigen::ArrayXXf& Analysis::harmonicMagnitude() const {
    return get<Eigen::ArrayXXf>("hpss_h_mag");
}
const Eigen::ArrayXXf& Analysis::percussiveMagnitude() const {
    return get<Eigen::ArrayXXf>("hpss_p_mag");
}
const Eigen::ArrayXXf& Analysis::chroma() const {
    return get<Eigen::ArrayXXf>("chroma_stft" + suffix(settings_.routing.chroma_stft));
}
const Eigen::ArrayXXf& Analysis::chromaCqt() const {
    return get<Eigen::ArrayXXf>("chroma_cqt" + suffix(settings_.routing.chroma_cqt));
}
const Eigen::ArrayXXf& Analysis::tonnetz() const {
    return get<Eigen::ArrayXXf>("tonnetz" + suffix(settings_.routing.tonnetz));
}
const Eigen::ArrayXXf& Analysis::mfcc() const {
    return get<Eigen::ArrayXXf>("mfcc" + suffix(settings_.routing.mfcc));
}
const Eigen::ArrayXXf& Analysis::mfccDelta() const {
    return get<Eigen::ArrayXXf>("mfcc_delta" + suffix(settings_.routing.mfcc));
}
const Eigen::ArrayXf& Analysis::onsetEnvelope() const {
    return get<Eigen::ArrayXf>("onset_strength" + suffix(settings_.routing.rhythm));
}
double Analysis::tempo() const {
    return get<double>("tempo" + suffix(settings_.routing.rhythm));
}
const Eigen::ArrayXi& Analysis::beats() const {
    return get<Eigen::ArrayXi>("beats" + suffix(settings_.routing.rhythm));
}
const Eigen::ArrayXXf& Analysis::tempogram() const {
    return get<Eigen::ArrayXXf>("tempogram" + suffix(settings_.routing.rhythm));
}
const FeatureCurves& Analysis::curves() const {
    return get<FeatureCurves>("curves");
}

std::optional<std::uint64_t> Analysis::stageRunId(std::string_view name) const {
    const auto it = results_.find(name);
    if (it == results_.end()) return std::nullopt;
    return it->second.run_id;
}

/// Turns the stage graph's results into an Analysis (a friend of Analysis).
class AnalysisBuilder {
public:
    static std::shared_ptr<const Analysis> run(const SourceStage& source,
                                               const AnalysisSettings& settings,
                                               const ProgressCallback& progress,
                                               std::stop_token stop,
                                               const std::shared_ptr<const Analysis>& previous) {
        settings.validate();
        const std::vector<Stage> stages = analysisStages(source, settings);
        const ReuseLookup reuse = [&](const std::string& name,
                                      const std::string& fingerprint) -> const StageResult* {
            if (!previous) return nullptr;
            const auto it = previous->results_.find(name);
            if (it == previous->results_.end() || it->second.fingerprint != fingerprint)
                return nullptr;
            thread_local StageResult found;
            found = StageResult{it->second.fingerprint, it->second.value, it->second.run_id};
            return &found;
        };
        int threads = settings.threads;
        if (threads <= 0)
            threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const auto results = runStages(
            stages, threads, reuse,
            [&](std::size_t done, std::size_t total, const std::string& name) {
                if (progress)
                    progress(static_cast<double>(done) / static_cast<double>(total), name);
            },
            stop, [] { throw AnalysisCancelled(); });

        auto analysis = std::make_shared<Analysis>();
        analysis->settings_ = settings;
        analysis->path_ = source.path;
        std::vector<std::pair<std::size_t, StageRun>> runs;
        for (const auto& [name, result] : results) {
            analysis->results_[name] =
                Analysis::Stored{result.fingerprint, result.value, result.run_id};
            runs.push_back(
                {result.order, StageRun{name, result.run_id, result.reused, result.seconds,
                                        result.started, result.cpu_seconds}});
        }
        std::sort(runs.begin(), runs.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& run : runs)
            analysis->stages_.push_back(std::move(run.second));
        analysis->track_duration_ = analysis->get<Eigen::ArrayXf>("audio").size() / settings.sr;
        analysis->crop_ = analysis->get<Crop>("crop_frames");
        return analysis;
    }
};

std::shared_ptr<const Analysis> runAnalysis(const std::filesystem::path& path,
                                            const AnalysisSettings& settings,
                                            const ProgressCallback& progress, std::stop_token stop,
                                            std::shared_ptr<const Analysis> previous) {
    return AnalysisBuilder::run(SourceStage::file(path), settings, progress, stop, previous);
}

std::shared_ptr<const Analysis> runAnalysis(const Audio& audio, const AnalysisSettings& settings,
                                            const ProgressCallback& progress, std::stop_token stop,
                                            std::shared_ptr<const Analysis> previous) {
    if (stop.stop_requested()) throw AnalysisCancelled(); // before copying and hashing the samples
    return AnalysisBuilder::run(SourceStage::samples(audio), settings, progress, stop, previous);
}

} // namespace featurescope
