// The STFT family: `stft_mag` (and the shared intermediates stftOf / stftMagnitudeOf).
#include "registry.h"

#include "core/spectrum/stft.h"

namespace parity {

const Eigen::ArrayXXcf& stftOf(Input& input) {
    return input.memo<Eigen::ArrayXXcf>("stft", [&] { return featurescope::stft(input.y()); });
}

const Eigen::ArrayXXf& stftMagnitudeOf(Input& input) {
    return input.memo<Eigen::ArrayXXf>("stft_mag",
                                       [&] { return Eigen::ArrayXXf(stftOf(input).abs()); });
}

void registerStftOutputs(Registry& registry) {
    registry.add(
        {"stft_mag", fixed(Metric::Relative, 1e-4), [](Input& in) { return stftMagnitudeOf(in); }});
}

} // namespace parity
