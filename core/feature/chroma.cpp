#include "core/feature/chroma.h"

#include "core/util/normalize.h"
#include "core/export/number_format.h"

#include "core/spectrum/stft.h"
#include "core/spectrum/tuning.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

void validateNorm(const std::optional<double>& norm) {
    if (norm && (std::isnan(*norm) || (*norm < 0.0 && !std::isinf(*norm))))
        throw std::invalid_argument("norm must be > 0, 0, +inf, -inf or None, got " +
                                    formatNumber(*norm));
}

void validateChromaShape(int n_chroma, double tuning, double ctroct,
                         const std::optional<double>& octwidth) {
    if (n_chroma <= 0)
        throw std::invalid_argument("n_chroma must be > 0, got " + std::to_string(n_chroma));
    if (!std::isfinite(tuning))
        throw std::invalid_argument("tuning must be finite, got " + formatNumber(tuning));
    if (!std::isfinite(ctroct))
        throw std::invalid_argument("ctroct must be finite, got " + formatNumber(ctroct));
    if (octwidth && !(*octwidth > 0.0 && std::isfinite(*octwidth)))
        throw std::invalid_argument("octwidth must be > 0 or None, got " + formatNumber(*octwidth));
}

/// Python's (and np.remainder's) modulo: the result takes the sign of the divisor.
double floorMod(double a, double b) {
    double r = std::fmod(a, b);
    if (r != 0.0 && ((r < 0.0) != (b < 0.0))) r += b;
    return r;
}

} // namespace

void ChromaFilterParams::validate() const {
    validateChromaShape(n_chroma, tuning, ctroct, octwidth);
    validateNorm(norm);
}

void ChromaStftParams::validate() const {
    validateChromaShape(n_chroma, tuning.value_or(0.0), ctroct, octwidth);
    validateNorm(norm);
    StftParams stft_params;
    stft_params.n_fft = n_fft;
    stft_params.hop_length = hop_length;
    stft_params.win_length = win_length;
    stft_params.validate();
}

Eigen::ArrayXXf chromaFilterBank(double sr, int n_fft, const ChromaFilterParams& params) {
    params.validate();
    if (!(sr > 0.0) || !std::isfinite(sr))
        throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (n_fft <= 0) throw std::invalid_argument("n_fft must be > 0, got " + std::to_string(n_fft));

    const int n_chroma = params.n_chroma;
    const Eigen::Index n_kept = n_fft / 2 + 1; // columns above Nyquist are aliases, dropped
    const double n_chroma_d = double(n_chroma);

    // Position of every FFT bin in chroma bins above C0 (A440 shifted by the tuning); the DC bin
    // gets a made-up position 1.5 octaves below bin 1, so its filter is broad and rotated.
    const double a440 = 440.0 * std::pow(2.0, params.tuning / n_chroma_d);
    const double step = sr / double(n_fft); // np.linspace(0, sr, n_fft, endpoint=False)
    auto position = [&](Eigen::Index k) {
        return n_chroma_d * std::log2(double(k) * step / (a440 / 16.0));
    };
    Eigen::ArrayXd frqbins(n_kept + 1);
    for (Eigen::Index k = 1; k <= n_kept && k < n_fft; ++k)
        frqbins[k] = position(k);
    frqbins[0] = (n_fft > 1 ? frqbins[1] : position(1)) - 1.5 * n_chroma_d;

    const double half = std::nearbyint(n_chroma_d / 2.0); // np.round: ties to even
    Eigen::ArrayXXd wts(n_chroma, n_kept);
    for (Eigen::Index k = 0; k < n_kept; ++k) {
        // The last of librosa's n_fft bins has no successor and a width of 1.
        const double width = k + 1 < n_fft ? std::max(frqbins[k + 1] - frqbins[k], 1.0) : 1.0;
        for (int c = 0; c < n_chroma; ++c) {
            // distance to chroma c, wrapped into [-n_chroma/2, n_chroma/2)
            const double D =
                floorMod(frqbins[k] - double(c) + half + 10.0 * n_chroma_d, n_chroma_d) - half;
            const double z = 2.0 * D / width; // "2 *" makes the bumps narrower
            wts(c, k) = std::exp(-0.5 * z * z);
        }
    }
    normalizeColumns(wts, params.norm);

    if (params.octwidth) {
        for (Eigen::Index k = 0; k < n_kept; ++k) {
            const double z = (frqbins[k] / n_chroma_d - params.ctroct) / *params.octwidth;
            wts.col(k) *= std::exp(-0.5 * z * z);
        }
    }

    // np.roll(wts, -3 * (n_chroma // 12), axis=0): row 0 becomes C instead of A.
    const int roll = params.base_c ? 3 * (n_chroma / 12) : 0;
    Eigen::ArrayXXf out(n_chroma, n_kept);
    for (int c = 0; c < n_chroma; ++c)
        out.row(c) = wts.row((c + roll) % n_chroma).cast<float>();
    return out;
}

Eigen::ArrayXXf chromaStftFromSpectrogram(const Eigen::ArrayXXf& S, double sr,
                                          const ChromaStftParams& params) {
    params.validate();
    if (!(sr > 0.0) || !std::isfinite(sr))
        throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (S.rows() < 2)
        throw std::invalid_argument("S must have at least 2 frequency bins, got " +
                                    std::to_string(S.rows()));
    const int n_fft = params.n_fft / 2 + 1 == S.rows() ? params.n_fft : int(2 * (S.rows() - 1));

    double tuning = 0.0;
    if (params.tuning) {
        tuning = *params.tuning;
    } else {
        TuningParams tuning_params;
        tuning_params.bins_per_octave = params.n_chroma;
        tuning = estimateTuningFromSpectrogram(S, sr, tuning_params);
    }

    ChromaFilterParams filter;
    filter.n_chroma = params.n_chroma;
    filter.tuning = tuning;
    filter.ctroct = params.ctroct;
    filter.octwidth = params.octwidth;
    filter.base_c = params.base_c;
    const Eigen::MatrixXf bank = chromaFilterBank(sr, n_fft, filter).matrix();

    // float32 product, as librosa's einsum over float32 operands
    Eigen::ArrayXXf chroma = (bank * S.matrix()).array();
    normalizeColumns(chroma, params.norm);
    return chroma;
}

Eigen::ArrayXXf chromaStft(const Eigen::ArrayXf& y, double sr, const ChromaStftParams& params) {
    params.validate();
    StftParams stft_params;
    stft_params.n_fft = params.n_fft;
    stft_params.hop_length = params.hop_length;
    stft_params.win_length = params.win_length;
    stft_params.center = params.center;
    return chromaStftFromSpectrogram(stftMagnitude(y, stft_params).square(), sr, params);
}

} // namespace featurescope
