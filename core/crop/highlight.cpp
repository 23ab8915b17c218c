#include "core/crop/highlight.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace featurescope {

Eigen::ArrayXd frameEnergy(const Eigen::ArrayXf& y, int frame_length, int hop_length) {
    if (frame_length <= 0 || hop_length <= 0)
        throw std::invalid_argument("frame_length and hop_length must be > 0");
    const Eigen::Index n = y.size();
    const Eigen::Index pad = frame_length / 2;
    const Eigen::Index n_frames = 1 + (n + 2 * pad - frame_length) / hop_length;
    // A running sum of squares makes each frame O(1); double keeps it exact enough to rank.
    Eigen::ArrayXd cumulative(n + 1);
    cumulative[0] = 0.0;
    for (Eigen::Index i = 0; i < n; ++i)
        cumulative[i + 1] = cumulative[i] + double(y[i]) * double(y[i]);
    Eigen::ArrayXd energy(std::max<Eigen::Index>(n_frames, 0));
    for (Eigen::Index t = 0; t < energy.size(); ++t) {
        const Eigen::Index first = std::clamp<Eigen::Index>(t * hop_length - pad, 0, n);
        const Eigen::Index last =
            std::clamp<Eigen::Index>(t * hop_length - pad + frame_length, 0, n);
        energy[t] = (cumulative[last] - cumulative[first]) / double(frame_length);
    }
    return energy;
}

namespace {
Eigen::Index windowFrames(double seconds, double sr, int hop_length) {
    return std::max<Eigen::Index>(1, Eigen::Index(std::llround(seconds * sr / hop_length)));
}
} // namespace

Eigen::ArrayXd highlightScores(const Eigen::ArrayXf& y, double sr, const HighlightParams& params) {
    if (sr <= 0) throw std::invalid_argument("sr must be > 0");
    if (params.seconds <= 0) throw std::invalid_argument("highlight seconds must be > 0");
    const Eigen::ArrayXd energy = frameEnergy(y, params.frame_length, params.hop_length);
    const Eigen::Index window = windowFrames(params.seconds, sr, params.hop_length);
    if (energy.size() <= window) return Eigen::ArrayXd::Constant(1, energy.mean());
    Eigen::ArrayXd scores(energy.size() - window + 1);
    double sum = energy.head(window).sum();
    scores[0] = sum / double(window);
    for (Eigen::Index s = 1; s < scores.size(); ++s) {
        sum += energy[s + window - 1] - energy[s - 1];
        scores[s] = sum / double(window);
    }
    return scores;
}

Highlight findHighlight(const Eigen::ArrayXf& y, double sr, const HighlightParams& params) {
    const Eigen::ArrayXd scores = highlightScores(y, sr, params);
    const double frames_per_second = sr / params.hop_length;
    Eigen::Index first = 0;
    Eigen::Index last = scores.size() - 1;
    if (params.search_from)
        first = Eigen::Index(std::ceil(*params.search_from * frames_per_second - 1e-9));
    if (params.search_to)
        last =
            std::min(last, Eigen::Index(std::floor(*params.search_to * frames_per_second + 1e-9)));
    if (first < 0 || first > last)
        throw std::invalid_argument("the highlight search range holds no start inside the track");
    Eigen::Index best = first;
    for (Eigen::Index s = first + 1; s <= last; ++s)
        if (scores[s] > scores[best]) best = s; // strict: ties go to the earliest start
    return Highlight{best, double(best) * params.hop_length / sr};
}

} // namespace featurescope
