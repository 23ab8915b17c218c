// The spectral family: `spectral_centroid`, `spectral_bandwidth`, `spectral_rolloff`,
// `spectral_flatness` (one pass, shared), `spectral_contrast` and `rms` from the shared STFT
// magnitude, and `zcr` from the signal.
#include "registry.h"

#include "core/feature/energy.h"
#include "core/feature/spectral.h"
#include "core/feature/spectral_contrast.h"

namespace parity {

namespace {

constexpr double kSr = 22050.0; // Input::y() is librosa.load at 22050 Hz

const featurescope::SpectralShape& shapeOf(Input& input) {
    return input.memo<featurescope::SpectralShape>(
        "spectral_shape", [&] { return featurescope::spectralShape(stftMagnitudeOf(input), kSr); });
}

} // namespace

void registerSpectralOutputs(Registry& registry) {
    registry.add({"spectral_centroid", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return shapeOf(in).centroid; }});
    registry.add({"spectral_bandwidth", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return shapeOf(in).bandwidth; }});
    registry.add({"spectral_rolloff", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return shapeOf(in).rolloff; }});
    registry.add({"spectral_flatness", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return shapeOf(in).flatness; }});
    registry.add({"spectral_contrast", fixed(Metric::Relative, 1e-4), [](Input& in) {
                      return featurescope::spectralContrast(stftMagnitudeOf(in), kSr);
                  }});
    registry.add({"rms", fixed(Metric::Relative, 1e-4),
                  [](Input& in) { return featurescope::rms(stftMagnitudeOf(in)); }});
    registry.add({"zcr", fixed(Metric::MaxAbs, 1e-6),
                  [](Input& in) { return featurescope::zeroCrossingRate(in.y()); }});
}

} // namespace parity
