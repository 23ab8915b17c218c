// librosa.util.normalize along columns, shared by the chroma family.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <optional>

namespace featurescope {

/// librosa.util.normalize(X, norm, axis=0) with threshold=tiny(X) and fill=None: the column norm
/// is taken in float64 and columns whose norm is below `tiny` are left unscaled.
template <typename Scalar>
void normalizeColumns(Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic>& X,
                      const std::optional<double>& norm) {
    if (!norm) return;
    const double p = *norm;
    const double tiny = double(std::numeric_limits<Scalar>::min());
    for (Eigen::Index t = 0; t < X.cols(); ++t) {
        auto column = X.col(t);
        double length = 0.0;
        if (std::isinf(p)) {
            length = p > 0 ? double(column.abs().maxCoeff()) : double(column.abs().minCoeff());
        } else if (p == 0.0) {
            length = double((column != Scalar(0)).count());
        } else {
            double sum = 0.0;
            for (Eigen::Index i = 0; i < column.size(); ++i) {
                const double m = std::abs(double(column[i]));
                sum += p == 2.0 ? m * m : std::pow(m, p);
            }
            length = p == 2.0 ? std::sqrt(sum) : std::pow(sum, 1.0 / p);
        }
        if (length < tiny) continue;
        for (Eigen::Index i = 0; i < column.size(); ++i)
            column[i] = Scalar(double(column[i]) / length);
    }
}

} // namespace featurescope
