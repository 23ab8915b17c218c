#include "core/cqt.h"

#include "core/audio.h"
#include "core/cqt_response.h"
#include "core/tuning.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace featurescope {

namespace {

std::string str(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

void validate(double sr, const CqtParams& p) {
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

int twoFactors(int x) {
    int n = 0;
    for (; x > 0 && x % 2 == 0; x /= 2)
        ++n;
    return n;
}

/// One octave of the recursion: its filters, the output rows they fill, and the hop at its rate.
struct Octave {
    SparseFilterBank bank;
    Eigen::Index first_row = 0;
    int hop = 0;
    bool halve_after = false; ///< librosa halves the signal after this octave (its hop is even)
};

/// Everything about a cqt that does not depend on the signal.
struct CqtPlan {
    int early_factor = 1; ///< __early_downsample's 2^count (1: none)
    int hop = 0;          ///< hop after early downsampling
    std::vector<Octave> octaves;
};

using PlanKey = std::tuple<double, double, int, int, int, double, double, double, bool, bool>;

std::shared_ptr<const CqtPlan> buildPlan(double sr, double fmin_tuned, const CqtParams& p) {
    const int bpo = p.bins_per_octave;
    const int n_octaves = (p.n_bins + bpo - 1) / bpo;
    const int n_filters = std::min(bpo, p.n_bins);
    const Eigen::ArrayXd freqs = cqtFrequencies(p.n_bins, fmin_tuned, bpo);
    const Eigen::ArrayXd alpha = p.n_bins == 1
                                     ? Eigen::ArrayXd::Constant(1, equalTemperedBandwidth(bpo))
                                     : relativeBandwidth(freqs);
    const WaveletLengths wl = waveletLengths(freqs, sr, alpha, p.filter_scale);
    const double nyquist = sr / 2.0;
    if (wl.f_cutoff > nyquist)
        throw std::invalid_argument(
            "cqt: the wavelet basis reaches " + str(wl.f_cutoff) + " Hz (top bin " +
            str(freqs.tail(std::min(bpo, p.n_bins)).maxCoeff()) +
            " Hz), which exceeds the Nyquist frequency sr/2 = " + str(nyquist) +
            " Hz; every filter must stay below Nyquist: reduce n_bins or fmin");

    auto plan = std::make_shared<CqtPlan>();
    // __early_downsample_count: halve first while the top octave stays well below Nyquist and
    // the hop keeps enough factors of two for the recursion.
    const int count1 = std::max(0, int(std::ceil(std::log2(nyquist / wl.f_cutoff)) - 1) - 1);
    const int count2 = std::max(0, twoFactors(p.hop_length) - n_octaves + 1);
    const int count = std::min(count1, count2);
    plan->early_factor = 1 << count;
    plan->hop = p.hop_length / plan->early_factor;
    const double sr_early = sr / plan->early_factor;
    // librosa rescales by sqrt(length) computed at the early-downsampled rate.
    const Eigen::ArrayXd lengths = waveletLengths(freqs, sr_early, alpha, p.filter_scale).lengths;

    double my_sr = sr_early;
    int my_hop = plan->hop;
    for (int i = 0; i < n_octaves; ++i) {
        const Eigen::Index end = p.n_bins - Eigen::Index(n_filters) * i;
        const Eigen::Index begin = std::max<Eigen::Index>(0, end - n_filters);
        Octave octave;
        octave.first_row = begin;
        octave.hop = my_hop;
        Eigen::ArrayXd gain = Eigen::ArrayXd::Constant(end - begin, std::sqrt(sr_early / my_sr));
        if (p.scale) gain /= lengths.segment(begin, end - begin).sqrt();
        octave.bank = waveletFilterFft(freqs.segment(begin, end - begin), my_sr,
                                       alpha.segment(begin, end - begin), p.filter_scale, p.norm,
                                       p.sparsity, gain);
        octave.halve_after = my_hop % 2 == 0;
        if (octave.halve_after) {
            my_hop /= 2;
            my_sr /= 2.0;
        }
        plan->octaves.push_back(std::move(octave));
    }
    return plan;
}

std::shared_ptr<const CqtPlan> planFor(double sr, double fmin_tuned, const CqtParams& p) {
    static std::mutex mutex;
    static std::map<PlanKey, std::shared_ptr<const CqtPlan>> cache;
    const PlanKey key{sr,
                      fmin_tuned,
                      p.n_bins,
                      p.bins_per_octave,
                      p.hop_length,
                      p.filter_scale,
                      p.norm.value_or(-1.0),
                      p.sparsity,
                      p.scale,
                      p.norm.has_value()};
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    // Estimated tunings make a new key per track; a small bound keeps a batch from hoarding.
    if (cache.size() >= 16) cache.clear();
    auto plan = buildPlan(sr, fmin_tuned, p);
    cache.emplace(key, plan);
    return plan;
}

double tunedFmin(const Eigen::ArrayXf& y, double sr, const CqtParams& p) {
    double tuning = 0.0;
    if (p.tuning) {
        tuning = *p.tuning;
    } else {
        TuningParams tuning_params;
        tuning_params.bins_per_octave = p.bins_per_octave;
        tuning = estimateTuning(y, sr, tuning_params);
    }
    return p.fminOrDefault() * std::pow(2.0, tuning / p.bins_per_octave);
}

/// Frames of a centred, zero-padded ('constant') stft: 1 + (n + 2*(n_fft/2) - n_fft) / hop.
Eigen::Index stftFrames(Eigen::Index n, int n_fft, int hop) {
    return 1 + (n + 2 * (n_fft / 2) - n_fft) / hop;
}

Eigen::Index frameCount(Eigen::Index length, const CqtPlan& plan) {
    Eigen::Index n = (length + plan.early_factor - 1) / plan.early_factor;
    Eigen::Index frames = -1;
    for (const Octave& octave : plan.octaves) {
        const Eigen::Index f = stftFrames(n, octave.bank.n_fft, octave.hop);
        frames = frames < 0 ? f : std::min(frames, f);
        if (octave.halve_after) n = (n + 1) / 2;
    }
    return frames;
}

/// Below this many samples a second thread costs more than it saves.
constexpr Eigen::Index kParallelMinLength = 1 << 16;

/// The signal each octave reads: octave 0 reads y, and octave i+1 reads the previous one halved
/// (resample by 1/2 with scale=True, i.e. times sqrt(2)) when octave i's hop was even, else the
/// same signal. The halving chain runs on one thread while responses run on whichever thread is
/// free; octave i waits only for its own signal.
class OctaveSignals {
public:
    OctaveSignals(const CqtPlan& plan, const Eigen::ArrayXf& y)
        : plan_(plan)
        , halved_(plan.octaves.size())
        , source_(plan.octaves.size(), &y)
        , ready_(plan.octaves.size()) {
        for (auto& promise : ready_)
            futures_.push_back(promise.get_future().share());
        ready_[0].set_value();
    }

    /// Computes every octave's signal in order; a failure is handed to every waiting octave.
    void produce() {
        size_t i = 1;
        try {
            for (; i < source_.size(); ++i) {
                if (plan_.octaves[i - 1].halve_after) {
                    halved_[i] = resample(*source_[i - 1], 2.0, 1.0);
                    halved_[i] /= float(std::sqrt(0.5));
                    source_[i] = &halved_[i];
                } else {
                    source_[i] = source_[i - 1];
                }
                ready_[i].set_value();
            }
        } catch (...) {
            for (; i < source_.size(); ++i)
                ready_[i].set_exception(std::current_exception());
        }
    }

    const Eigen::ArrayXf& wait(size_t i) {
        futures_[i].get();
        return *source_[i];
    }

private:
    const CqtPlan& plan_;
    std::vector<Eigen::ArrayXf> halved_;
    std::vector<const Eigen::ArrayXf*> source_;
    std::vector<std::promise<void>> ready_;
    std::vector<std::shared_future<void>> futures_;
};

void run(const Eigen::ArrayXf& y, double sr, const CqtParams& params, Eigen::ArrayXXcf* out,
         Eigen::ArrayXXf* mag) {
    validate(sr, params);
    if (y.size() == 0) throw std::invalid_argument("cqt: y must not be empty");
    const auto plan = planFor(sr, tunedFmin(y, sr, params), params);
    const Eigen::Index n_frames = frameCount(y.size(), *plan);
    if (out) out->resize(params.n_bins, n_frames);
    if (mag) mag->resize(params.n_bins, n_frames);

    Eigen::ArrayXf early;
    if (plan->early_factor > 1) {
        if (y.size() < plan->early_factor)
            throw std::invalid_argument("cqt: input signal length=" + std::to_string(y.size()) +
                                        " is too short for a " +
                                        std::to_string(plan->octaves.size()) + "-octave CQT");
        // audio.resample(scale=True) divides by sqrt(target/orig); scale=False undoes it.
        early = resample(y, double(plan->early_factor), 1.0);
        early *= float(params.scale ? std::sqrt(double(plan->early_factor))
                                    : double(plan->early_factor));
    }
    OctaveSignals signals(*plan, plan->early_factor > 1 ? early : y);
    std::atomic<size_t> next{0};
    auto respond = [&] {
        for (size_t i = next++; i < plan->octaves.size(); i = next++) {
            const Octave& octave = plan->octaves[i];
            cqtResponse(signals.wait(i), octave.bank, octave.hop,
                        {out, mag, octave.first_row, n_frames});
        }
    };
    const bool parallel = y.size() >= kParallelMinLength && plan->octaves.size() > 1 &&
                          std::thread::hardware_concurrency() > 1;
    if (!parallel) {
        signals.produce();
        respond();
        return;
    }
    auto helper = std::async(std::launch::async, [&] {
        signals.produce();
        respond();
    });
    try {
        respond();
    } catch (...) {
        helper.wait();
        throw;
    }
    helper.get();
}

} // namespace

Eigen::Index cqtFrameCount(Eigen::Index length, double sr, const CqtParams& params) {
    validate(sr, params);
    const double tuning = params.tuning.value_or(0.0);
    const double fmin = params.fminOrDefault() * std::pow(2.0, tuning / params.bins_per_octave);
    return frameCount(length, *planFor(sr, fmin, params));
}

Eigen::ArrayXd cqtBinFrequencies(const CqtParams& params) {
    const double tuning = params.tuning.value_or(0.0);
    return cqtFrequencies(params.n_bins,
                          params.fminOrDefault() * std::pow(2.0, tuning / params.bins_per_octave),
                          params.bins_per_octave);
}

Eigen::ArrayXXcf cqt(const Eigen::ArrayXf& y, double sr, const CqtParams& params) {
    Eigen::ArrayXXcf out;
    run(y, sr, params, &out, nullptr);
    return out;
}

Eigen::ArrayXXf cqtMagnitude(const Eigen::ArrayXf& y, double sr, const CqtParams& params) {
    Eigen::ArrayXXf mag;
    run(y, sr, params, nullptr, &mag);
    return mag;
}

} // namespace featurescope
