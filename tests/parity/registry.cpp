#include "registry.h"

namespace parity {

const Eigen::ArrayXf& Input::y() {
    return memo<Eigen::ArrayXf>("y", [&] { return featurescope::load(path_).mono(); });
}

double Input::nativeSr() {
    if (manifest_sr_) return *manifest_sr_;
    return memo<double>("native_sr", [&] {
        featurescope::LoadOptions native;
        native.sr = std::nullopt;
        native.duration = 0.01;
        return featurescope::load(path_, native).sr;
    });
}

std::vector<bool> loudEnoughFrames(const Eigen::ArrayXXf& input) {
    std::vector<bool> frames(size_t(input.cols()), false);
    if (input.size() == 0) return frames;
    const double threshold = 1e-6 * double(input.maxCoeff());
    for (Eigen::Index t = 0; t < input.cols(); ++t)
        frames[size_t(t)] = double(input.col(t).maxCoeff()) >= threshold;
    return frames;
}

namespace {
/// Every output kind of the reference README, known before it is computed: these print
/// "not yet" until a family registers a computation for them.
void registerPlannedOutputs(Registry& registry) {
    const std::pair<const char*, Comparison> planned[] = {
        {"stft_db", {Metric::MaxAbs, 0.01}},
        {"mel", {Metric::Relative, 1e-4}},
        {"mel_htk", {Metric::Relative, 1e-4}},
        {"mel_db", {Metric::MaxAbs, 0.01}},
        {"keras_mel_db", {Metric::MaxAbs, 0.01}},
        {"mfcc", {Metric::MaxAbs, 0.01}},
        {"mfcc_delta", {Metric::MaxAbs, 0.01}},
        {"spectral_centroid", {Metric::Relative, 1e-4}},
        {"spectral_bandwidth", {Metric::Relative, 1e-4}},
        {"spectral_rolloff", {Metric::Relative, 1e-4}},
        {"spectral_contrast", {Metric::Relative, 1e-4}},
        {"spectral_flatness", {Metric::Relative, 1e-4}},
        {"rms", {Metric::Relative, 1e-4}},
        {"zcr", {Metric::MaxAbs, 1e-6}},
        {"chroma_stft", {Metric::MaxAbs, 1e-3}},
        {"chroma_stft_t0", {Metric::MaxAbs, 1e-3}},
        {"chroma_cqt_h", {Metric::MaxAbs, 1e-3}},
        {"tonnetz_h", {Metric::MaxAbs, 1e-3}},
        {"cqt_mag", {Metric::CqtDb, 1e-2}},
        {"cqt_pitch_mag", {Metric::CqtDb, 1e-2}},
        {"hpss_h", {Metric::Relative, 1e-4}},
        {"hpss_p", {Metric::Relative, 1e-4}},
        {"hpss_h_m3", {Metric::Relative, 1e-4}},
        {"hpss_p_m3", {Metric::Relative, 1e-4}},
        {"y_harmonic", {Metric::Relative, 1e-4}},
        {"y_percussive", {Metric::Relative, 1e-4}},
        {"onset_strength", {Metric::Relative, 1e-4}},
        {"onset_strength_p", {Metric::Relative, 1e-4}},
        {"tempo_p", {Metric::TempoPct, 0.005}},
        {"beats_p", {Metric::BeatFrames, 1}},
        {"tempogram_p", {Metric::Relative, 1e-4}},
    };
    for (const auto& [suffix, comparison] : planned)
        registry.add({suffix, fixed(comparison.metric, comparison.bound), nullptr});
}
} // namespace

void registerAllOutputs(Registry& registry) {
    registerPlannedOutputs(registry);
    registerAudioOutputs(registry);
    registerStftOutputs(registry);
    registerChromaOutputs(registry);
    registerCqtOutputs(registry);
    registerMelOutputs(registry);
    registerSpectralOutputs(registry);
    registerHpssOutputs(registry);
    registerRhythmOutputs(registry);
}

} // namespace parity
