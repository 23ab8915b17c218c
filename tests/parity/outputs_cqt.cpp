// The constant-Q family: `cqt_mag`, `cqt_pitch_mag`, `chroma_cqt_h` and `tonnetz_h`.
#include "registry.h"

#include "core/cqt.h"

namespace parity {

namespace {

/// abs(cqt(y, sr, hop_length=512, fmin, n_bins, bins_per_octave)), tuning 0 (librosa.cqt's).
Eigen::ArrayXXf cqtMagnitudeOf(Input& input, double fmin, int n_bins, int bins_per_octave) {
    featurescope::CqtParams params;
    params.fmin = fmin;
    params.n_bins = n_bins;
    params.bins_per_octave = bins_per_octave;
    return featurescope::cqtMagnitude(input.y(), 22050.0, params);
}

} // namespace

void registerCqtOutputs(Registry& registry) {
    registry.add({"cqt_mag", fixed(Metric::CqtDb, 1e-2),
                  [](Input& in) { return cqtMagnitudeOf(in, featurescope::kNoteC1, 84, 12); }});
    registry.add({"cqt_pitch_mag", fixed(Metric::CqtDb, 1e-2),
                  [](Input& in) { return cqtMagnitudeOf(in, 30.0, 240, 36); }});
}

} // namespace parity
