#include "core/feature/poly_features.h"

#include "core/spectrum/stft.h"

#include <Eigen/Dense>

#include <stdexcept>
#include <string>

namespace featurescope {

void PolyFeaturesParams::validate() const {
    if (order < 0)
        throw std::invalid_argument("poly_features: order must be an integer >= 0, got " +
                                    std::to_string(order));
}

Eigen::ArrayXXf polyFeatures(const Eigen::ArrayXXf& S, double sr, const PolyFeaturesParams& params,
                             int n_fft) {
    params.validate();
    if (!(sr > 0)) throw std::invalid_argument("poly_features: sr must be > 0");
    const Eigen::Index bins = S.rows();
    const int coefficients = params.order + 1;
    if (bins < coefficients)
        throw std::invalid_argument("poly_features: order " + std::to_string(params.order) +
                                    " needs at least " + std::to_string(coefficients) +
                                    " frequency bins, S has " + std::to_string(bins));
    if (!S.allFinite()) throw std::invalid_argument("poly_features: S must be finite");
    const int n = n_fft / 2 + 1 == bins ? n_fft : int(2 * (bins - 1));
    const Eigen::ArrayXd freq = fftFrequencies(sr, n);

    // numpy.polyfit: the Vandermonde matrix, highest power first, each column scaled to unit
    // norm so that the powers of frequencies up to 11 kHz stay comparable.
    Eigen::MatrixXd vander(bins, coefficients);
    for (Eigen::Index k = 0; k < bins; ++k) {
        double power = 1.0;
        for (int c = coefficients - 1; c >= 0; --c) {
            vander(k, c) = power;
            power *= freq[k];
        }
    }
    const Eigen::VectorXd scale = vander.colwise().norm().transpose();
    for (int c = 0; c < coefficients; ++c)
        if (scale[c] > 0) vander.col(c) /= scale[c];
    const Eigen::MatrixXd solve = vander.completeOrthogonalDecomposition().pseudoInverse();
    Eigen::MatrixXd fitted = solve * S.cast<double>().matrix();
    for (int c = 0; c < coefficients; ++c)
        if (scale[c] > 0) fitted.row(c) /= scale[c];
    return fitted.array().cast<float>();
}

} // namespace featurescope
