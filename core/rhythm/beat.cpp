#include "core/rhythm/beat.h"

#include "core/export/number_format.h"
#include "core/rhythm/tempo.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope {

void BeatTrackParams::validate() const {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (hop_length <= 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
    if (!(start_bpm > 0))
        throw std::invalid_argument("start_bpm must be strictly positive, got " +
                                    formatNumber(start_bpm));
    if (!(tightness > 0))
        throw std::invalid_argument("tightness must be strictly positive, got " +
                                    formatNumber(tightness));
    if (bpm && !(*bpm > 0))
        throw std::invalid_argument("bpm must be strictly positive, got " + formatNumber(*bpm));
}

namespace {

// The onset envelope divided by its sample standard deviation (ddof=1), in float32 as librosa
// leaves it.
Eigen::ArrayXf normalizeOnsets(const Eigen::ArrayXf& onsets) {
    const Eigen::Index n = onsets.size();
    const Eigen::ArrayXd x = onsets.cast<double>();
    const double sd = n > 1 ? std::sqrt((x - x.mean()).square().sum() / double(n - 1)) : 0.0;
    return onsets / (float(sd) + std::numeric_limits<float>::min());
}

// Same-mode convolution with a Gaussian of +-1 beat period (std period / 32). librosa's loop
// stops one short of the envelope's first sample, so frame 0 never contributes; kept for parity.
// The sum is rounded to float32 after every term, as librosa's float32 output array does.
Eigen::ArrayXf localScore(const Eigen::ArrayXf& onsets, float period) {
    const int half = int(period);
    const int size = 2 * half + 1;
    Eigen::ArrayXd window(size);
    for (int k = 0; k < size; ++k) {
        const double z = double(k - half) * 32.0 / double(period);
        window[k] = std::exp(-0.5 * z * z);
    }
    const Eigen::Index n = onsets.size();
    Eigen::ArrayXf score(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        float acc = 0.0f;
        const Eigen::Index k_end = std::min<Eigen::Index>(i + half, size);
        for (Eigen::Index k = std::max<Eigen::Index>(0, i + half - n + 1); k < k_end; ++k)
            acc = float(double(acc) + window[k] * double(onsets[i + half - k]));
        score[i] = acc;
    }
    return score;
}

struct Program {
    Eigen::ArrayXi backlink;
    Eigen::ArrayXf cumscore;
};

// The dynamic program: each frame's best predecessor between round(period / 2) and 2 * period
// frames back, scored cumscore - tightness * (log(gap) - log(period))^2. Leading frames below 1 %
// of the strongest local score cannot start a chain.
Program beatDp(const Eigen::ArrayXf& localscore, float period, float tightness) {
    const Eigen::Index n = localscore.size();
    const double threshold = 0.01 * double(localscore.maxCoeff());
    const int nearest = int(std::nearbyint(period / 2.0f)); // np.round: half to even
    const int farthest = 2 * int(period);
    // The penalty depends on the gap only; librosa takes log(period) in float32.
    const double log_period = double(std::log(period));
    Eigen::ArrayXd penalty =
        Eigen::ArrayXd::Constant(farthest + 1, std::numeric_limits<double>::infinity());
    for (int gap = std::max(nearest, 1); gap <= farthest; ++gap) {
        const double d = std::log(double(gap)) - log_period;
        penalty[gap] = double(tightness) * d * d;
    }

    Program dp{Eigen::ArrayXi::Constant(n, -1), Eigen::ArrayXf::Zero(n)};
    bool first_beat = true;
    for (Eigen::Index i = 0; i < n; ++i) {
        double best = -std::numeric_limits<double>::infinity();
        Eigen::Index best_loc = -1;
        for (Eigen::Index loc = i - nearest; loc >= i - farthest && loc >= 0; --loc) {
            const double score = double(dp.cumscore[loc]) - penalty[i - loc];
            if (score > best) {
                best = score;
                best_loc = loc;
            }
        }
        const float local = localscore[i];
        dp.cumscore[i] = best_loc >= 0 ? float(double(local) + best) : local;
        if (first_beat && double(local) < threshold) {
            dp.backlink[i] = -1;
        } else {
            dp.backlink[i] = int(best_loc);
            first_beat = false;
        }
    }
    return dp;
}

// The last beat: the last local maximum of the cumulative score (librosa.util.localmax: never
// frame 0; the final frame when it exceeds its neighbour) reaching half the median of all local
// maxima. With no such frame, the final frame.
Eigen::Index lastBeat(const Eigen::ArrayXf& cumscore) {
    const Eigen::Index n = cumscore.size();
    std::vector<bool> peak(static_cast<size_t>(n), false);
    std::vector<float> peaks;
    for (Eigen::Index i = 1; i < n; ++i) {
        const bool higher = cumscore[i] > cumscore[i - 1];
        peak[size_t(i)] = i + 1 < n ? higher && cumscore[i] >= cumscore[i + 1] : higher;
        if (peak[size_t(i)]) peaks.push_back(cumscore[i]);
    }
    if (peaks.empty()) return n - 1;
    // np.ma.median in float32: the middle value, or the float32 mean of the two middle ones.
    std::sort(peaks.begin(), peaks.end());
    const size_t h = peaks.size() / 2;
    const float median = peaks.size() % 2 ? peaks[h] : (peaks[h - 1] + peaks[h]) / 2.0f;
    const float threshold = 0.5f * median;
    for (Eigen::Index i = n - 1; i >= 0; --i)
        if (peak[size_t(i)] && cumscore[i] >= threshold) return i;
    return n - 1;
}

// Clears beats on frames at either end whose local score is at most half the RMS of the beat
// strengths smoothed by hann(5) (0 when trim is off). librosa's slice of the full convolution
// keeps two extra trailing values in that RMS; kept for parity.
void trimBeats(const Eigen::ArrayXf& localscore, std::vector<bool>& is_beat, bool trim) {
    const Eigen::Index n = localscore.size();
    double threshold = 0.0;
    if (trim) {
        std::vector<double> strengths;
        for (Eigen::Index i = 0; i < n; ++i)
            if (is_beat[size_t(i)]) strengths.push_back(double(localscore[i]));
        const Eigen::Index nb = Eigen::Index(strengths.size());
        const double w[5] = {0.0, 0.5, 1.0, 0.5, 0.0};
        const Eigen::Index end = std::min(nb + 4, n + 2);
        double sum_sq = 0.0;
        for (Eigen::Index m = 2; m < end; ++m) {
            double s = 0.0;
            for (int j = 0; j < 5; ++j)
                if (m - j >= 0 && m - j < nb) s += strengths[size_t(m - j)] * w[j];
            sum_sq += s * s;
        }
        if (end > 2) threshold = 0.5 * std::sqrt(sum_sq / double(end - 2));
    }
    for (Eigen::Index i = 0; i < n && double(localscore[i]) <= threshold; ++i)
        is_beat[size_t(i)] = false;
    for (Eigen::Index i = n - 1; i >= 0 && double(localscore[i]) <= threshold; --i)
        is_beat[size_t(i)] = false;
}

} // namespace

BeatTrack beatTrack(const Eigen::ArrayXf& onset_envelope, const BeatTrackParams& params) {
    params.validate();
    BeatTrack result;
    if (!(onset_envelope != 0.0f).any()) return result;

    if (params.bpm) {
        result.tempo = *params.bpm;
    } else {
        TempoParams tp;
        tp.sr = params.sr;
        tp.hop_length = params.hop_length;
        tp.start_bpm = params.start_bpm;
        result.tempo = tempo(onset_envelope, tp);
    }
    const double frame_rate = params.sr / double(params.hop_length);
    const float period = float(std::nearbyint(frame_rate * 60.0 / result.tempo));
    if (period < 1.0f)
        throw std::invalid_argument("bpm=" + formatNumber(result.tempo) +
                                    " is faster than one beat per frame");

    const Eigen::ArrayXf localscore = localScore(normalizeOnsets(onset_envelope), period);
    const Program dp = beatDp(localscore, period, float(params.tightness));

    std::vector<bool> is_beat(static_cast<size_t>(onset_envelope.size()), false);
    for (Eigen::Index i = lastBeat(dp.cumscore); i >= 0; i = dp.backlink[i])
        is_beat[size_t(i)] = true;
    trimBeats(localscore, is_beat, params.trim);

    result.beats.resize(std::count(is_beat.begin(), is_beat.end(), true));
    for (size_t i = 0, b = 0; i < is_beat.size(); ++i)
        if (is_beat[i]) result.beats[Eigen::Index(b++)] = int(i);
    return result;
}

} // namespace featurescope
