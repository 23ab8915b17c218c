#include "core/feature/tonnetz.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace featurescope {

Eigen::ArrayXXd tonnetzBasis(int n_chroma) {
    if (n_chroma <= 0)
        throw std::invalid_argument("tonnetz: the chroma must have at least one row, got " +
                                    std::to_string(n_chroma));
    const double scale[6] = {7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3};
    const double radius[6] = {1.0, 1.0, 1.0, 1.0, 0.5, 0.5};
    Eigen::ArrayXXd phi(6, n_chroma);
    for (int p = 0; p < 6; ++p) {
        for (int c = 0; c < n_chroma; ++c) {
            double v = scale[p] * (12.0 * c / n_chroma);
            // Even rows are the sines: cos(pi (v - 1/2)) = sin(pi v).
            if (p % 2 == 0) v -= 0.5;
            phi(p, c) = radius[p] * std::cos(std::numbers::pi * v);
        }
    }
    return phi;
}

Eigen::ArrayXXf tonnetzFromChroma(const Eigen::ArrayXXf& chroma) {
    const Eigen::MatrixXd phi = tonnetzBasis(int(chroma.rows())).matrix();
    Eigen::MatrixXd normalized = chroma.cast<double>().matrix();
    for (Eigen::Index t = 0; t < normalized.cols(); ++t) {
        const double length = normalized.col(t).cwiseAbs().sum();
        if (length >= double(std::numeric_limits<float>::min())) normalized.col(t) /= length;
    }
    return (phi * normalized).cast<float>().array();
}

Eigen::ArrayXXf tonnetz(const Eigen::ArrayXf& y, double sr, const ChromaCqtParams& params) {
    return tonnetzFromChroma(chromaCqt(y, sr, params));
}

} // namespace featurescope
