#include "core/spectrum/cqt_plan.h"

#include "core/export/number_format.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>

namespace featurescope {

namespace {

std::string str(double v) {
    return formatNumber(v, 6);
}

int twoFactors(int x) {
    int n = 0;
    for (; x > 0 && x % 2 == 0; x /= 2)
        ++n;
    return n;
}

/// The bins, their relative bandwidths and filter lengths at the input rate.
struct Grid {
    Eigen::ArrayXd freqs;
    Eigen::ArrayXd alpha;
    WaveletLengths lengths;
    int n_octaves = 0;
    int n_filters = 0;
};

Grid grid(double sr, double fmin_tuned, const CqtParams& p) {
    const int bpo = p.bins_per_octave;
    Grid g;
    g.n_octaves = (p.n_bins + bpo - 1) / bpo;
    g.n_filters = std::min(bpo, p.n_bins);
    g.freqs = cqtFrequencies(p.n_bins, fmin_tuned, bpo);
    g.alpha = p.n_bins == 1 ? Eigen::ArrayXd::Constant(1, equalTemperedBandwidth(bpo))
                            : relativeBandwidth(g.freqs);
    g.lengths = waveletLengths(g.freqs, sr, g.alpha, p.filter_scale);
    const double nyquist = sr / 2.0;
    if (g.lengths.f_cutoff > nyquist)
        throw std::invalid_argument(
            "cqt: the wavelet basis reaches " + str(g.lengths.f_cutoff) + " Hz (top bin " +
            str(g.freqs[p.n_bins - 1]) + " Hz), which exceeds the Nyquist frequency sr/2 = " +
            str(nyquist) + " Hz; every filter must stay below Nyquist: reduce n_bins or fmin");
    return g;
}

CqtDecimation decimation(double sr, const Grid& g, const CqtParams& p) {
    CqtDecimation d;
    // __early_downsample_count
    const double nyquist = sr / 2.0;
    const int count1 = std::max(0, int(std::ceil(std::log2(nyquist / g.lengths.f_cutoff)) - 1) - 1);
    const int count2 = std::max(0, twoFactors(p.hop_length) - g.n_octaves + 1);
    d.early_factor = 1 << std::min(count1, count2);
    int hop = p.hop_length / d.early_factor;
    for (int i = 0; i < g.n_octaves; ++i) {
        d.halve_after.push_back(hop % 2 == 0);
        if (hop % 2 == 0) hop /= 2;
    }
    return d;
}

std::shared_ptr<const CqtPlan> buildPlan(double sr, double fmin_tuned, const CqtParams& p) {
    const Grid g = grid(sr, fmin_tuned, p);
    auto plan = std::make_shared<CqtPlan>();
    plan->decimation = decimation(sr, g, p);
    const double sr_early = sr / plan->decimation.early_factor;
    // librosa rescales by sqrt(length) computed at the early-downsampled rate.
    const Eigen::ArrayXd lengths =
        waveletLengths(g.freqs, sr_early, g.alpha, p.filter_scale).lengths;

    double my_sr = sr_early;
    int my_hop = p.hop_length / plan->decimation.early_factor;
    for (int i = 0; i < g.n_octaves; ++i) {
        const Eigen::Index end = p.n_bins - Eigen::Index(g.n_filters) * i;
        const Eigen::Index begin = std::max<Eigen::Index>(0, end - g.n_filters);
        const Eigen::Index rows = end - begin;
        CqtOctave octave;
        octave.first_row = begin;
        octave.hop = my_hop;
        Eigen::ArrayXd gain = Eigen::ArrayXd::Constant(rows, std::sqrt(sr_early / my_sr));
        if (p.scale) gain /= lengths.segment(begin, rows).sqrt();
        octave.bank =
            waveletFilterFft(g.freqs.segment(begin, rows), my_sr, g.alpha.segment(begin, rows),
                             p.filter_scale, p.norm, p.sparsity, gain);
        if (plan->decimation.halve_after[size_t(i)]) {
            my_hop /= 2;
            my_sr /= 2.0;
        }
        plan->octaves.push_back(std::move(octave));
    }
    return plan;
}

} // namespace

void validateCqt(double sr, const CqtParams& p) {
    if (!(sr > 0)) throw std::invalid_argument("cqt: sr must be > 0, got " + str(sr));
    if (p.hop_length <= 0)
        throw std::invalid_argument("cqt: hop_length must be a positive integer, got " +
                                    std::to_string(p.hop_length));
    if (p.n_bins <= 0)
        throw std::invalid_argument("cqt: n_bins must be > 0, got " + std::to_string(p.n_bins));
    if (p.bins_per_octave <= 0)
        throw std::invalid_argument("cqt: bins_per_octave must be > 0, got " +
                                    std::to_string(p.bins_per_octave));
    if (!(p.fminOrDefault() > 0) || !std::isfinite(p.fminOrDefault()))
        throw std::invalid_argument("cqt: fmin must be a finite frequency > 0, got " +
                                    str(p.fminOrDefault()));
    if (p.tuning && !std::isfinite(*p.tuning))
        throw std::invalid_argument("cqt: tuning must be finite");
    if (!(p.filter_scale > 0))
        throw std::invalid_argument("cqt: filter_scale must be > 0, got " + str(p.filter_scale));
    if (p.norm && !(*p.norm > 0))
        throw std::invalid_argument("cqt: norm must be > 0 (or none), got " + str(*p.norm));
    if (!(p.sparsity >= 0 && p.sparsity < 1))
        throw std::invalid_argument("cqt: sparsity must satisfy 0 <= sparsity < 1, got " +
                                    str(p.sparsity));
}

CqtDecimation cqtDecimation(double sr, double fmin_tuned, const CqtParams& params) {
    return decimation(sr, grid(sr, fmin_tuned, params), params);
}

std::shared_ptr<const CqtPlan> cqtPlan(double sr, double fmin_tuned, const CqtParams& p) {
    using Key = std::tuple<double, double, int, int, int, double, bool, double, double, bool>;
    static std::mutex mutex;
    static std::map<Key, std::shared_ptr<const CqtPlan>> cache;
    const Key key{sr,           fmin_tuned,     p.n_bins,     p.bins_per_octave,
                  p.hop_length, p.filter_scale, bool(p.norm), p.norm.value_or(0.0),
                  p.sparsity,   p.scale};
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(key); it != cache.end()) return it->second;
    }
    // Built outside the lock: with tracks analysed side by side, each new tuning's plan (several
    // ms) would otherwise hold up every other track's lookup. Two threads may build the same
    // plan at once; both give the same plan, and the first one stored is kept.
    auto plan = buildPlan(sr, fmin_tuned, p);
    std::lock_guard lock(mutex);
    // Estimated tunings give each track one of about 100 keys (a resolution of 0.01 bin), and a
    // chroma_cqt plan takes several ms to build but holds about 50 KB: room for them all, while a
    // bound still keeps a session that changes parameters from hoarding.
    if (cache.size() >= 256) cache.clear();
    return cache.try_emplace(key, std::move(plan)).first->second;
}

Eigen::Index cqtFrameCount(Eigen::Index length, const CqtPlan& plan) {
    const int early = plan.decimation.early_factor;
    Eigen::Index n = (length + early - 1) / early;
    Eigen::Index frames = -1;
    for (size_t i = 0; i < plan.octaves.size(); ++i) {
        const CqtOctave& octave = plan.octaves[i];
        const int n_fft = octave.bank.n_fft;
        // A centred, zero-padded ('constant') stft: 1 + (n + 2*(n_fft/2) - n_fft) / hop frames.
        const Eigen::Index f = 1 + (n + 2 * (n_fft / 2) - n_fft) / octave.hop;
        frames = frames < 0 ? f : std::min(frames, f);
        if (plan.decimation.halve_after[i]) n = (n + 1) / 2;
    }
    return frames;
}

} // namespace featurescope
