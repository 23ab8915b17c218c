// The constant-Q family: `cqt_mag`, `cqt_pitch_mag`, `chroma_cqt_h` and `tonnetz_h`.
#include "registry.h"

#include "core/feature/chroma_cqt.h"
#include "core/spectrum/cqt.h"
#include "core/feature/tonnetz.h"

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

/// The CQT magnitude chroma_cqt(y=y_harmonic, sr) folds, with librosa's defaults: 7 octaves of
/// 36 bins from C1, tuning estimated from the signal.
const Eigen::ArrayXXf& chromaCqtInputOfHarmonic(Input& input) {
    return input.memo<Eigen::ArrayXXf>("chroma_cqt_h_input", [&] {
        const featurescope::ChromaCqtParams chroma;
        featurescope::CqtParams params;
        params.hop_length = chroma.hop_length;
        params.fmin = chroma.fmin;
        params.n_bins = chroma.n_octaves * chroma.bins_per_octave;
        params.bins_per_octave = chroma.bins_per_octave;
        params.tuning = chroma.tuning;
        return featurescope::cqtMagnitude(harmonicOf(input), 22050.0, params);
    });
}

/// chroma_cqt(y=y_harmonic, sr) with librosa's defaults (tuning estimated), shared by tonnetz.
const Eigen::ArrayXXf& chromaCqtOfHarmonic(Input& input) {
    return input.memo<Eigen::ArrayXXf>("chroma_cqt_h", [&] {
        return featurescope::chromaCqtFromCqt(chromaCqtInputOfHarmonic(input));
    });
}

// max abs 1e-3 over the frames whose CQT magnitude peaks at >= 1e-6 of the whole CQT's peak
// (the reference README's chroma and tonnetz bound).
Comparison overLoudFrames(Input& input) {
    return {Metric::MaxAbs, 1e-3, loudEnoughFrames(chromaCqtInputOfHarmonic(input))};
}

} // namespace

void registerCqtOutputs(Registry& registry) {
    registry.add({"cqt_mag", fixed(Metric::CqtDb, 1e-2),
                  [](Input& in) { return cqtMagnitudeOf(in, featurescope::kNoteC1, 84, 12); }});
    registry.add({"cqt_pitch_mag", fixed(Metric::CqtDb, 1e-2),
                  [](Input& in) { return cqtMagnitudeOf(in, 30.0, 240, 36); }});
    registry.add(
        {"chroma_cqt_h", overLoudFrames, [](Input& in) { return chromaCqtOfHarmonic(in); }});
    registry.add({"tonnetz_h", overLoudFrames, [](Input& in) {
                      return featurescope::tonnetzFromChroma(chromaCqtOfHarmonic(in));
                  }});
}

} // namespace parity
