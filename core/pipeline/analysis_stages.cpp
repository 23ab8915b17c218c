#include "core/pipeline/analysis_stages.h"

#include "core/pipeline/stage_builder.h"

#include <functional>

namespace featurescope {

using stages::g17;

SourceStage SourceStage::file(const std::filesystem::path& path) {
    SourceStage source;
    source.path = path;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto time = std::filesystem::last_write_time(path, ec);
    source.identity = "file=" + path.string() + " size=" + std::to_string(ec ? 0 : size) +
                      " mtime=" + std::to_string(time.time_since_epoch().count());
    source.decode = [path](double sr, int threads) {
        LoadOptions options;
        options.sr = sr;
        options.threads = threads;
        return load(path, options).mono();
    };
    return source;
}

SourceStage SourceStage::samples(const Audio& audio) {
    SourceStage source;
    auto copy = std::make_shared<const Audio>(audio);
    const std::string_view bytes(reinterpret_cast<const char*>(copy->samples.data()),
                                 static_cast<std::size_t>(copy->samples.size()) * sizeof(float));
    source.identity = "samples=" + std::to_string(std::hash<std::string_view>{}(bytes)) +
                      " n=" + std::to_string(copy->samples.size()) +
                      " channels=" + std::to_string(copy->channels()) +
                      " native_sr=" + g17(copy->sr);
    source.decode = [copy](double sr, int) -> Eigen::ArrayXf {
        Eigen::ArrayXf mono = copy->samples.colwise().mean().transpose();
        if (copy->sr != sr) return resample(mono, copy->sr, sr);
        return mono;
    };
    return source;
}

std::vector<Stage> analysisStages(const SourceStage& source, const AnalysisSettings& settings) {
    return stages::StageBuilder(source, settings).build();
}

} // namespace featurescope
