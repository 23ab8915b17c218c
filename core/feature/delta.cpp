#include "core/feature/delta.h"

#include <Eigen/Dense>

#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

// Savitzky-Golay weights c[j], j = -half..half, such that sum_j c[j] * x[i + j] is the
// deriv-th derivative at i of the degree-polyorder least-squares polynomial fitted to
// x[i - half .. i + half] (scipy.signal.savgol_coeffs, delta = 1).
Eigen::VectorXd savgolWeights(int width, int polyorder, int deriv) {
    const int half = width / 2;
    Eigen::MatrixXd A(width, polyorder + 1);
    for (int j = 0; j < width; ++j) {
        double power = 1.0;
        for (int p = 0; p <= polyorder; ++p, power *= double(j - half))
            A(j, p) = power;
    }
    // Polynomial coefficient `deriv`, times deriv!, is the derivative at the window's centre.
    const Eigen::MatrixXd pinv = (A.transpose() * A).ldlt().solve(A.transpose());
    double factorial = 1.0;
    for (int p = 2; p <= deriv; ++p)
        factorial *= p;
    return pinv.row(deriv).transpose() * factorial;
}

} // namespace

Eigen::ArrayXXf delta(const Eigen::ArrayXXf& data, const DeltaParams& params) {
    const int width = params.width;
    if (width < 3 || width % 2 != 1)
        throw std::invalid_argument("width must be an odd integer >= 3, got " +
                                    std::to_string(width));
    if (params.order <= 0)
        throw std::invalid_argument("order must be a positive integer, got " +
                                    std::to_string(params.order));
    if (params.order >= width)
        throw std::invalid_argument("order must be less than width (" + std::to_string(width) +
                                    "), got " + std::to_string(params.order));
    const Eigen::Index n = data.cols();
    if (width > n)
        throw std::invalid_argument("when mode='interp', width=" + std::to_string(width) +
                                    " cannot exceed the number of frames " + std::to_string(n));

    const int half = width / 2;
    const Eigen::VectorXd weights = savgolWeights(width, params.order, params.order);
    Eigen::ArrayXXf out(data.rows(), n);
    // With polyorder == deriv the derivative of the fitted polynomial is the same constant over
    // the whole window, so the 'interp' edges equal the first / last centred value.
    for (Eigen::Index t = half; t < n - half; ++t) {
        Eigen::ArrayXd acc = Eigen::ArrayXd::Zero(data.rows());
        for (int j = 0; j < width; ++j)
            acc += weights[j] * data.col(t - half + j).cast<double>();
        out.col(t) = acc.cast<float>();
    }
    for (Eigen::Index t = 0; t < half; ++t) {
        out.col(t) = out.col(half);
        out.col(n - 1 - t) = out.col(n - 1 - half);
    }
    return out;
}

} // namespace featurescope
