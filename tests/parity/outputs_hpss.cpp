// The HPSS family: `hpss_h`, `hpss_p` (margin 1), `hpss_h_m3`, `hpss_p_m3` (margin 3),
// `y_harmonic`, `y_percussive`, and the shared intermediates harmonicOf / percussiveOf.
#include "registry.h"

#include "core/decompose/hpss.h"

namespace parity {

namespace {

using Components = featurescope::HarmonicPercussive<featurescope::ComplexSpectrogram>;
using Signals = featurescope::HarmonicPercussive<Eigen::ArrayXf>;

// decompose.hpss(stft(y), margin=margin) with the other librosa defaults, memoised per margin.
const Components& hpssOf(Input& input, double margin) {
    return input.memo<Components>("hpss_m" + std::to_string(margin), [&] {
        featurescope::HpssParams params;
        params.margin = margin;
        return featurescope::hpss(stftOf(input), params);
    });
}

// librosa.effects.hpss(y): both layers inverted with length = len(y).
const Signals& signalsOf(Input& input) {
    return input.memo<Signals>("hpss_signals",
                               [&] { return featurescope::hpssSignals(input.y()); });
}

Eigen::ArrayXXf asRow(const Eigen::ArrayXf& y) {
    return y.transpose();
}

} // namespace

const Eigen::ArrayXf& harmonicOf(Input& input) {
    return signalsOf(input).harmonic;
}

const Eigen::ArrayXf& percussiveOf(Input& input) {
    return signalsOf(input).percussive;
}

void registerHpssOutputs(Registry& registry) {
    registry.add({"hpss_h", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return Eigen::ArrayXXf(hpssOf(in, 1.0).harmonic.abs()); }});
    registry.add({"hpss_p", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return Eigen::ArrayXXf(hpssOf(in, 1.0).percussive.abs()); }});
    registry.add({"hpss_h_m3", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return Eigen::ArrayXXf(hpssOf(in, 3.0).harmonic.abs()); }});
    registry.add({"hpss_p_m3", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return Eigen::ArrayXXf(hpssOf(in, 3.0).percussive.abs()); }});
    registry.add({"y_harmonic", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return asRow(harmonicOf(in)); }});
    registry.add({"y_percussive", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return asRow(percussiveOf(in)); }});
}

} // namespace parity
