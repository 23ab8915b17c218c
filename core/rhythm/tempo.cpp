#include "core/rhythm/tempo.h"

#include "core/export/number_format.h"
#include "core/rhythm/tempogram.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace featurescope {

void TempoParams::validate() const {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (hop_length <= 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
    if (!(start_bpm > 0))
        throw std::invalid_argument("start_bpm must be strictly positive, got " +
                                    formatNumber(start_bpm));
    if (!(std_bpm > 0))
        throw std::invalid_argument("std_bpm must be > 0, got " + formatNumber(std_bpm));
    if (!(ac_size > 0))
        throw std::invalid_argument("ac_size must be > 0, got " + formatNumber(ac_size));
    if (max_tempo && !(*max_tempo > 0))
        throw std::invalid_argument("max_tempo must be > 0, got " + formatNumber(*max_tempo));
    if (winLength() < 1)
        throw std::invalid_argument("ac_size * sr must span at least one hop (win_length >= 1)");
}

int TempoParams::winLength() const {
    // librosa.time_to_frames: samples truncated to an integer, then floor-divided by the hop.
    const double samples = std::trunc(ac_size * sr);
    return int(std::floor(samples / double(hop_length)));
}

namespace {

// The log prior of every tempogram row, with the rows at or above max_tempo (and lag 0) at -inf.
Eigen::ArrayXd logPrior(const Eigen::ArrayXd& bpms, const TempoParams& params) {
    const double ninf = -std::numeric_limits<double>::infinity();
    Eigen::ArrayXd prior(bpms.size());
    for (Eigen::Index k = 0; k < bpms.size(); ++k) {
        const double z = (std::log2(bpms[k]) - std::log2(params.start_bpm)) / params.std_bpm;
        prior[k] = -0.5 * z * z;
    }
    if (params.max_tempo) {
        // librosa masks everything before the first bin below max_tempo (argmax of a boolean
        // array: 0 when no bin qualifies, so nothing is masked then).
        Eigen::Index first = 0;
        while (first < bpms.size() && !(bpms[first] < *params.max_tempo))
            ++first;
        if (first == bpms.size()) first = 0;
        prior.head(first).setConstant(ninf);
    }
    return prior;
}

// The row maximising log1p(1e6 * acf) + prior; the first one wins a tie, as np.argmax does.
Eigen::Index bestPeriod(const Eigen::ArrayXd& acf, const Eigen::ArrayXd& prior) {
    Eigen::Index best = 0;
    double best_score = std::log1p(1e6 * acf[0]) + prior[0];
    for (Eigen::Index k = 1; k < acf.size(); ++k) {
        const double score = std::log1p(1e6 * acf[k]) + prior[k];
        // np.argmax treats NaN as the maximum; -inf + -inf scores never beat the first row.
        if (score > best_score || (std::isnan(score) && !std::isnan(best_score))) {
            best = k;
            best_score = score;
        }
    }
    return best;
}

TempogramParams tempogramParams(const TempoParams& params) {
    params.validate();
    TempogramParams tg;
    tg.sr = params.sr;
    tg.hop_length = params.hop_length;
    tg.win_length = params.winLength();
    return tg;
}

} // namespace

double tempo(const Eigen::ArrayXf& onset_envelope, const TempoParams& params) {
    const Eigen::ArrayXd mean = tempogramMean(onset_envelope, tempogramParams(params));
    const Eigen::ArrayXd bpms = tempoFrequencies(int(mean.size()), params.sr, params.hop_length);
    return bpms[bestPeriod(mean, logPrior(bpms, params))];
}

Eigen::ArrayXd dynamicTempo(const Eigen::ArrayXf& onset_envelope, const TempoParams& params) {
    const Eigen::ArrayXXf tg = tempogram(onset_envelope, tempogramParams(params));
    const Eigen::ArrayXd bpms = tempoFrequencies(int(tg.rows()), params.sr, params.hop_length);
    const Eigen::ArrayXd prior = logPrior(bpms, params);
    Eigen::ArrayXd out(tg.cols());
    for (Eigen::Index t = 0; t < tg.cols(); ++t)
        out[t] = bpms[bestPeriod(tg.col(t).cast<double>(), prior)];
    return out;
}

} // namespace featurescope
