#include "core/feature/mfcc.h"

#include "core/spectrum/decibel.h"
#include "core/export/number_format.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

// The first n_out rows of scipy.fftpack.dct's matrix of type 2 or 3 for length n, built in double
// and rounded once to float32 (scipy transforms float32 input in single precision).
Eigen::MatrixXf dctMatrix(int n_out, int n, int type, DctNorm norm) {
    const double pi = std::numbers::pi;
    Eigen::MatrixXd basis(n_out, n);
    for (int k = 0; k < n_out; ++k) {
        for (int j = 0; j < n; ++j) {
            if (type == 2) {
                // y[k] = 2 sum_j x[j] cos(pi k (2j + 1) / 2n)
                double w = 2.0 * std::cos(pi * k * (2.0 * j + 1.0) / (2.0 * n));
                if (norm == DctNorm::Ortho) w *= k == 0 ? std::sqrt(0.25 / n) : std::sqrt(0.5 / n);
                basis(k, j) = w;
            } else {
                // y[k] = x[0] + 2 sum_{j>0} x[j] cos(pi j (2k + 1) / 2n)
                double w = (j == 0 ? 1.0 : 2.0) * std::cos(pi * j * (2.0 * k + 1.0) / (2.0 * n));
                if (norm == DctNorm::Ortho)
                    w = j == 0 ? std::sqrt(1.0 / n) : w * std::sqrt(0.5 / n);
                basis(k, j) = w;
            }
        }
    }
    return basis.cast<float>();
}

} // namespace

Eigen::ArrayXXf mfcc(const Eigen::ArrayXXf& S, const MfccParams& params) {
    if (params.dct_type != 2 && params.dct_type != 3)
        throw std::invalid_argument("dct_type must be 2 or 3, got " +
                                    std::to_string(params.dct_type));
    if (params.n_mfcc <= 0 || params.n_mfcc > S.rows())
        throw std::invalid_argument("n_mfcc must satisfy 0 < n_mfcc <= n_mels (" +
                                    std::to_string(S.rows()) + "), got " +
                                    std::to_string(params.n_mfcc));
    if (!(params.lifter >= 0.0))
        throw std::invalid_argument("lifter must be a non-negative number, got " +
                                    formatNumber(params.lifter));
    const Eigen::MatrixXf basis =
        dctMatrix(params.n_mfcc, int(S.rows()), params.dct_type, params.norm);
    Eigen::ArrayXXf M = (basis * S.matrix()).array();
    if (params.lifter > 0.0) {
        for (int k = 0; k < params.n_mfcc; ++k) {
            const double li = std::sin(std::numbers::pi * (k + 1) / params.lifter);
            M.row(k) *= float(1.0 + params.lifter / 2.0 * li);
        }
    }
    return M;
}

Eigen::ArrayXXf mfcc(const Eigen::ArrayXf& y, double sr, const StftParams& stft_params,
                     const MelParams& mel_params, const MfccParams& params) {
    Eigen::ArrayXXf S = melSpectrogram(y, sr, stft_params, mel_params);
    powerToDbInPlace(S);
    return mfcc(S, params);
}

} // namespace featurescope
