// Builds the analysis's stage graph: which stage reads which, and which settings each depends on.
// Internal to the pipeline: core/pipeline/stage_builder.cpp adds the signal and display stages,
// core/pipeline/feature_stages.cpp the routed features and the curve table.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "core/pipeline/analysis_stages.h"
#include "core/spectrum/mel.h"
#include "core/export/number_format.h"
#include "core/pipeline/stage_graph.h"
#include "core/spectrum/stft.h"

#include <Eigen/Core>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace featurescope::stages {

using Inputs = std::vector<StageValue>;
using Matrix = Eigen::ArrayXXf;

template <typename T> StageValue share(T&& value) {
    return std::make_shared<const std::decay_t<T>>(std::forward<T>(value));
}
template <typename T> const T& as(const StageValue& value) {
    return *static_cast<const T*>(value.get());
}

inline std::string g17(double value) {
    return formatNumber(value, 17);
}

inline std::string suffix(Signal signal) {
    return signal == Signal::original ? std::string{} : "@" + std::string(signalName(signal));
}

/// Names the rows of a curve stage's matrix for the frame table.
using RowNames = std::function<std::vector<std::string>(Eigen::Index rows)>;

inline std::vector<std::string> numbered(const std::string& prefix, Eigen::Index rows) {
    std::vector<std::string> names;
    for (Eigen::Index i = 0; i < rows; ++i)
        names.push_back(prefix + std::to_string(i));
    return names;
}

inline std::vector<std::string> pitchClasses(const std::string& prefix, Eigen::Index rows) {
    static const char* const kNames[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                           "F#", "G",  "G#", "A",  "A#", "B"};
    if (rows != 12) return numbered(prefix, rows);
    std::vector<std::string> names;
    for (const char* name : kNames)
        names.push_back(prefix + name);
    return names;
}

/// melspectrogram(S=|S|^2, sr, **params) from a magnitude spectrogram, by blocks of frames (a
/// cancellation is seen between blocks). [shape=(n_mels, t)]
Matrix melOfMagnitude(const Matrix& magnitude, double sr, const MelParams& params);

/// Builds the stage list; each `need*` adds a stage (and what it reads) once.
class StageBuilder {
public:
    StageBuilder(const SourceStage& source, const AnalysisSettings& settings)
        : source_(source)
        , s_(settings) {}

    /// The whole list: source, crop, stft, the displays, the features, the curves.
    std::vector<Stage> build();

private:
    /// audio, crop, y, crop_frames, stft, stft_mag, stft_db, and the selected displays (hpss,
    /// mel, mel_db, cqt, cqt_db). core/pipeline/stage_builder.cpp.
    void addSignalStages();
    /// The selected feature stages, routed. core/pipeline/feature_stages.cpp.
    void addFeatureStages();
    /// "curves": every curve stage stacked into FeatureCurves. core/pipeline/feature_stages.cpp.
    void addCurveStage();
    /// The dB settings of stft_db / mel_db, for their fingerprints.
    std::string dbKey() const;

    bool has(const std::string& name) const { return names_.count(name) > 0; }
    void add(std::string name, std::vector<std::string> inputs, std::string settings,
             std::function<StageValue(const Inputs&)> compute) {
        names_.insert(name);
        stages_.push_back(Stage{std::move(name), std::move(inputs), std::move(settings),
                                [compute = std::move(compute)](const Inputs& in, std::stop_token) {
                                    return compute(in);
                                }});
    }
    StftParams stftParams() const {
        StftParams p;
        p.n_fft = s_.n_fft;
        p.hop_length = s_.hop_length;
        return p;
    }
    std::string stftKey() const {
        return "n_fft=" + std::to_string(s_.n_fft) + " hop=" + std::to_string(s_.hop_length);
    }

    std::string needSignal(Signal signal);
    std::string needHpss();
    std::string needMagnitude(Signal signal);
    std::string needMel(Signal signal);
    std::string needOnset(Signal signal);
    std::string needChromaCqt(Signal signal);
    /// How a curve stage stores its rows.
    enum class Kind { matrix, shape, vector };
    void curve(const std::string& stage, RowNames names, Kind kind = Kind::matrix) {
        curves_.push_back({stage, std::move(names), kind});
    }

    const SourceStage& source_;
    const AnalysisSettings& s_;
    std::vector<Stage> stages_;
    std::set<std::string> names_;
    struct Curve {
        std::string stage;
        RowNames names;
        Kind kind;
    };
    std::vector<Curve> curves_;
};

} // namespace featurescope::stages
