#include "core/feature/chroma_cqt.h"

#include "core/spectrum/cqt.h"
#include "core/spectrum/cqt_plan.h"
#include "core/util/normalize.h"
#include "core/export/number_format.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

Eigen::ArrayXXf cqToChroma(int n_input, int bins_per_octave, int n_chroma, double fmin,
                           bool base_c) {
    if (n_input <= 0)
        throw std::invalid_argument("cq_to_chroma: n_input must be > 0, got " +
                                    std::to_string(n_input));
    if (n_chroma <= 0 || bins_per_octave <= 0 || bins_per_octave % n_chroma != 0)
        throw std::invalid_argument(
            "cq_to_chroma: incompatible CQ merge: input bins (bins_per_octave=" +
            std::to_string(bins_per_octave) + ") must be an integer multiple of output bins " +
            "(n_chroma=" + std::to_string(n_chroma) + ")");
    if (!(fmin > 0)) throw std::invalid_argument("cq_to_chroma: fmin must be > 0");
    const int n_merge = bins_per_octave / n_chroma;
    // The class's block of n_merge bins starts n_merge/2 bins below it, so that it is centred.
    const int shift = n_merge / 2;
    // Rotate so that row 0 is C (or A): the first bin's pitch class, in chroma bins. np.round
    // rounds half to even, as nearbyint does in the default rounding mode.
    const double midi_0 = std::fmod(12.0 * (std::log2(fmin) - std::log2(440.0)) + 69.0, 12.0);
    const double pitch_class = std::fmod(midi_0 + 12.0, 12.0) - (base_c ? 0.0 : 9.0);
    const int roll = int(std::nearbyint(pitch_class * (n_chroma / 12.0)));

    Eigen::ArrayXXf map = Eigen::ArrayXXf::Zero(n_chroma, n_input);
    for (int j = 0; j < n_input; ++j) {
        const int within = (j % bins_per_octave + shift) % bins_per_octave;
        const int chroma = within / n_merge;
        const int row = ((chroma + roll) % n_chroma + n_chroma) % n_chroma;
        map(row, j) = 1.0f;
    }
    return map;
}

void ChromaCqtParams::validate() const {
    if (hop_length <= 0)
        throw std::invalid_argument("chroma_cqt: hop_length must be > 0, got " +
                                    std::to_string(hop_length));
    if (n_chroma <= 0)
        throw std::invalid_argument("chroma_cqt: n_chroma must be > 0, got " +
                                    std::to_string(n_chroma));
    if (n_octaves <= 0)
        throw std::invalid_argument("chroma_cqt: n_octaves must be > 0, got " +
                                    std::to_string(n_octaves));
    if (bins_per_octave <= 0 || bins_per_octave % n_chroma != 0)
        throw std::invalid_argument(
            "chroma_cqt: bins_per_octave=" + std::to_string(bins_per_octave) +
            " must be an integer multiple of n_chroma=" + std::to_string(n_chroma));
    if (fmin && !(*fmin > 0))
        throw std::invalid_argument("chroma_cqt: fmin must be > 0, got " + formatNumber(*fmin));
    if (norm && !(*norm > 0))
        throw std::invalid_argument("chroma_cqt: norm must be > 0, +inf or none");
}

Eigen::ArrayXXf chromaCqtFromCqt(const Eigen::ArrayXXf& C, const ChromaCqtParams& params) {
    params.validate();
    const Eigen::ArrayXXf map = cqToChroma(int(C.rows()), params.bins_per_octave, params.n_chroma,
                                           params.fmin.value_or(kNoteC1));
    // Each CQ bin belongs to exactly one chroma class, so map.dot(C) is a sum of each class's
    // bins: a pass over C instead of a dense product with a matrix that is mostly zeros.
    std::vector<Eigen::Index> class_of(size_t(map.cols()));
    for (Eigen::Index j = 0; j < map.cols(); ++j)
        map.col(j).maxCoeff(&class_of[size_t(j)]);
    Eigen::ArrayXXf chroma = Eigen::ArrayXXf::Zero(map.rows(), C.cols());
    for (Eigen::Index t = 0; t < C.cols(); ++t) {
        const float* in = C.col(t).data();
        float* out = chroma.col(t).data();
        for (Eigen::Index j = 0; j < C.rows(); ++j)
            out[class_of[size_t(j)]] += in[j];
    }
    chroma = (chroma < float(params.threshold)).select(0.0f, chroma);
    normalizeColumns(chroma, params.norm);
    return chroma;
}

int octavesBelowNyquist(double sr, const ChromaCqtParams& params) {
    params.validate();
    // The highest tuning puts the top filter highest.
    const double tuning = params.tuning.value_or(0.5);
    for (int octaves = params.n_octaves; octaves > 0; --octaves) {
        CqtParams cqt;
        cqt.hop_length = params.hop_length;
        cqt.fmin = params.fmin;
        cqt.n_bins = octaves * params.bins_per_octave;
        cqt.bins_per_octave = params.bins_per_octave;
        try {
            cqtDecimation(sr, cqt.fminOrDefault() * std::pow(2.0, tuning / cqt.bins_per_octave),
                          cqt);
            return octaves;
        } catch (const std::invalid_argument&) {
        }
    }
    return 0;
}

Eigen::ArrayXXf chromaCqt(const Eigen::ArrayXf& y, double sr, const ChromaCqtParams& params) {
    params.validate();
    CqtParams cqt_params;
    cqt_params.hop_length = params.hop_length;
    cqt_params.fmin = params.fmin;
    cqt_params.n_bins = params.n_octaves * params.bins_per_octave;
    cqt_params.bins_per_octave = params.bins_per_octave;
    cqt_params.tuning = params.tuning;
    return chromaCqtFromCqt(cqtMagnitude(y, sr, cqt_params), params);
}

} // namespace featurescope
