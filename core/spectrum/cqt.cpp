#include "core/spectrum/cqt.h"

#include "core/io/audio.h"
#include "core/util/cancellation.h"
#include "core/spectrum/cqt_plan.h"
#include "core/spectrum/cqt_response.h"
#include "core/util/parallel.h"
#include "core/spectrum/tuning.h"

#include <atomic>
#include <cmath>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace featurescope {

namespace {

/// Below this many samples a second thread costs more than it saves.
constexpr Eigen::Index kParallelMinLength = 1 << 16;

double tunedFmin(const CqtParams& p, double tuning) {
    return p.fminOrDefault() * std::pow(2.0, tuning / p.bins_per_octave);
}

double estimatedTuning(const Eigen::ArrayXf& y, double sr, const CqtParams& p) {
    TuningParams tuning_params;
    tuning_params.bins_per_octave = p.bins_per_octave;
    return estimateTuning(y, sr, tuning_params);
}

/// The decimation schedule when it is the same for every tuning an estimate can return
/// ([-0.5, 0.5): the early-downsampling count only falls as fmin rises), so that the signal
/// chain can start while the tuning is being estimated; std::nullopt otherwise.
std::optional<CqtDecimation> tuningFreeDecimation(double sr, const CqtParams& p) {
    try {
        CqtDecimation low = cqtDecimation(sr, tunedFmin(p, -0.5), p);
        if (low == cqtDecimation(sr, tunedFmin(p, 0.5), p)) return low;
    } catch (const std::invalid_argument&) {
        // Only some tunings pass the Nyquist rule: decide once the estimate is known.
    }
    return std::nullopt;
}

/// The signal each octave reads: octave 0 reads y (early-downsampled if the schedule says so),
/// and octave i+1 reads octave i's signal halved — resampled by 1/2 with scale=True, i.e. times
/// sqrt(2) — when the schedule halves after octave i, else the same signal. The chain runs on
/// one thread while responses run on whichever thread is free; octave i waits only for its own
/// signal. Halved signals are 1 x n rows, the shape audio.h's resample works in.
class OctaveSignals {
public:
    OctaveSignals(const CqtDecimation& decimation, const Eigen::ArrayXf& y, bool scale)
        : decimation_(decimation)
        , y_(y)
        , scale_(scale)
        , owned_(decimation.halve_after.size())
        , owner_(decimation.halve_after.size(), -1)
        , signal_(decimation.halve_after.size(), {y.data(), y.size()})
        , ready_(decimation.halve_after.size()) {
        for (auto& promise : ready_)
            futures_.push_back(promise.get_future().share());
    }

    /// Computes every octave's signal in order; a failure is handed to every waiting octave.
    void produce() {
        size_t i = 0;
        try {
            const int early = decimation_.early_factor;
            if (early > 1) {
                // audio.resample(scale=True) divides by sqrt(target/orig); scale=False undoes it.
                owned_[0] = resample(Eigen::ArrayXXf(y_.transpose()), double(early), 1.0);
                owned_[0] *= float(scale_ ? std::sqrt(double(early)) : double(early));
                signal_[0] = {owned_[0].data(), owned_[0].size()};
                owner_[0] = 0;
            }
            ready_[0].set_value();
            for (i = 1; i < signal_.size(); ++i) {
                throwIfCancelled();
                owner_[i] = owner_[i - 1];
                signal_[i] = signal_[i - 1];
                if (decimation_.halve_after[i - 1]) {
                    const int from = owner_[i - 1];
                    if (from >= 0)
                        owned_[i] = resample(owned_[size_t(from)], 2.0, 1.0);
                    else
                        owned_[i] = resample(Eigen::ArrayXXf(y_.transpose()), 2.0, 1.0);
                    owned_[i] /= float(std::sqrt(0.5));
                    owner_[i] = int(i);
                    signal_[i] = {owned_[i].data(), owned_[i].size()};
                }
                ready_[i].set_value();
            }
        } catch (...) {
            for (; i < signal_.size(); ++i)
                ready_[i].set_exception(std::current_exception());
        }
    }

    Eigen::Map<const Eigen::ArrayXf> wait(size_t i) {
        futures_[i].get();
        return {signal_[i].first, signal_[i].second};
    }

private:
    const CqtDecimation& decimation_;
    const Eigen::ArrayXf& y_;
    bool scale_;
    std::vector<Eigen::ArrayXXf> owned_;
    std::vector<int> owner_; ///< which owned_ holds octave i's signal; -1: y itself
    std::vector<std::pair<const float*, Eigen::Index>> signal_;
    std::vector<std::promise<void>> ready_;
    std::vector<std::shared_future<void>> futures_;
};

void run(const Eigen::ArrayXf& y, double sr, const CqtParams& params, Eigen::ArrayXXcf* out,
         Eigen::ArrayXXf* mag) {
    validateCqt(sr, params);
    if (y.size() == 0) throw std::invalid_argument("cqt: y must not be empty");
    std::optional<double> tuning = params.tuning;
    std::optional<CqtDecimation> decimation =
        tuning ? cqtDecimation(sr, tunedFmin(params, *tuning), params)
               : tuningFreeDecimation(sr, params);
    if (!decimation) {
        tuning = estimatedTuning(y, sr, params);
        decimation = cqtDecimation(sr, tunedFmin(params, *tuning), params);
    }
    if (y.size() < decimation->early_factor)
        throw std::invalid_argument("cqt: input signal length=" + std::to_string(y.size()) +
                                    " is too short for a " +
                                    std::to_string(decimation->halve_after.size()) + "-octave CQT");

    OctaveSignals signals(*decimation, y, params.scale);
    std::promise<std::shared_ptr<const CqtPlan>> plan_promise;
    const std::shared_future<std::shared_ptr<const CqtPlan>> plan_ready =
        plan_promise.get_future().share();
    Eigen::Index n_frames = 0;
    // Estimates the tuning (when asked to) and builds the plan and the output; the halving chain
    // does not wait for it.
    auto prepare = [&] {
        try {
            if (!tuning) tuning = estimatedTuning(y, sr, params);
            auto plan = cqtPlan(sr, tunedFmin(params, *tuning), params);
            if (!(plan->decimation == *decimation))
                throw std::logic_error("cqt: the decimation schedule changed with the tuning");
            n_frames = cqtFrameCount(y.size(), *plan);
            if (out) out->resize(params.n_bins, n_frames);
            if (mag) mag->resize(params.n_bins, n_frames);
            plan_promise.set_value(std::move(plan));
        } catch (...) {
            plan_promise.set_exception(std::current_exception());
            throw;
        }
    };
    // Each octave's frames in two halves, so that the two threads finish close together.
    constexpr size_t kParts = 2;
    std::atomic<size_t> next{0};
    auto respond = [&] {
        const CqtPlan& plan = *plan_ready.get();
        for (size_t i = next++; i < plan.octaves.size() * kParts; i = next++) {
            throwIfCancelled();
            const size_t o = i / kParts, part = i % kParts;
            const CqtOctave& octave = plan.octaves[o];
            const Eigen::Index begin = n_frames * Eigen::Index(part) / Eigen::Index(kParts);
            const Eigen::Index end = n_frames * Eigen::Index(part + 1) / Eigen::Index(kParts);
            cqtResponse(signals.wait(o), octave.bank, octave.hop,
                        {out, mag, octave.first_row, end, begin});
        }
    };

    const bool parallel = y.size() >= kParallelMinLength && decimation->halve_after.size() > 1 &&
                          availableThreads() > 1;
    if (!parallel) {
        prepare();
        signals.produce();
        respond();
        return;
    }
    auto helper = std::async(std::launch::async, [&, token = currentStopToken()] {
        CancellationScope scope(token);
        signals.produce();
        respond();
    });
    try {
        prepare();
        respond();
    } catch (...) {
        helper.wait();
        throw;
    }
    helper.get();
}

} // namespace

Eigen::Index cqtFrameCount(Eigen::Index length, double sr, const CqtParams& params) {
    validateCqt(sr, params);
    return cqtFrameCount(length,
                         *cqtPlan(sr, tunedFmin(params, params.tuning.value_or(0.0)), params));
}

Eigen::ArrayXd cqtBinFrequencies(const CqtParams& params) {
    return cqtFrequencies(params.n_bins, tunedFmin(params, params.tuning.value_or(0.0)),
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
