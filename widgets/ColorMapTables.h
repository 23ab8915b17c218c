// matplotlib's perceptually uniform colour tables, 256 RGB entries each.
#pragma once

#include <array>

namespace featurescope::colormap_tables {

/// matplotlib's `magma`, entry 0 (darkest) to 255 (brightest), RGB in [0, 1].
extern const std::array<std::array<float, 3>, 256> magma;
/// matplotlib's `viridis`, entry 0 (dark blue) to 255 (yellow), RGB in [0, 1].
extern const std::array<std::array<float, 3>, 256> viridis;

} // namespace featurescope::colormap_tables
