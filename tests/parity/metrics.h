// How close an output is to librosa's, by the rules of the reference README.
#pragma once

#include "registry.h"

#include <string>

namespace parity {

struct Verdict {
    double value = 0.0; ///< the metric's value (for CqtDb: the relative error)
    bool pass = false;
    std::string metric; ///< the metric's name as printed
    std::string bound;  ///< the bound as printed
    std::string detail; ///< anything else worth printing (the dB median, a shape mismatch)
};

/// Compares `ours` with `reference` (same shape required) under `comparison`.
Verdict compare(const Comparison& comparison, const Eigen::ArrayXXf& ours,
                const Eigen::ArrayXXf& reference);

} // namespace parity
