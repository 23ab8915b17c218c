// The rhythm family: `onset_strength` (of y), `onset_strength_p` (of the percussive layer), and,
// from the latter, `tempo_p`, `beats_p` and `tempogram_p`.
#include "registry.h"

#include "core/rhythm/beat.h"
#include "core/rhythm/onset.h"
#include "core/rhythm/tempo.h"
#include "core/rhythm/tempogram.h"

namespace parity {

namespace {

Eigen::ArrayXXf asRow(const Eigen::ArrayXf& v) {
    return v.transpose();
}

// onset_strength(y=y_percussive, sr) with librosa's defaults, memoised.
const Eigen::ArrayXf& percussiveOnsetsOf(Input& input) {
    return input.memo<Eigen::ArrayXf>(
        "onset_strength_p", [&] { return featurescope::onsetStrength(percussiveOf(input)); });
}

// feature.tempo(onset_envelope=onset_strength_p, sr), which beat_track also estimates.
double percussiveTempoOf(Input& input) {
    return input.memo<double>("tempo_p",
                              [&] { return featurescope::tempo(percussiveOnsetsOf(input)); });
}

} // namespace

void registerRhythmOutputs(Registry& registry) {
    registry.add({"onset_strength", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return asRow(featurescope::onsetStrength(in.y())); }});
    registry.add({"onset_strength_p", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return asRow(percussiveOnsetsOf(in)); }});
    registry.add({"tempo_p", fixed(Metric::TempoPct, 0.005), [](Input& in) {
                      return Eigen::ArrayXXf::Constant(1, 1, float(percussiveTempoOf(in)));
                  }});
    registry.add({"beats_p", fixed(Metric::BeatFrames, 1), [](Input& in) {
                      featurescope::BeatTrackParams params;
                      params.bpm = percussiveTempoOf(in);
                      const auto track = featurescope::beatTrack(percussiveOnsetsOf(in), params);
                      return asRow(track.beats.cast<float>());
                  }});
    registry.add({"tempogram_p", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return featurescope::tempogram(percussiveOnsetsOf(in)); }});
}

} // namespace parity
