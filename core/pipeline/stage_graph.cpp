#include "core/pipeline/stage_graph.h"

#include "core/util/cancellation.h"
#include "core/util/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <time.h>
#include <vector>

namespace featurescope {

namespace {

std::string fnv1a(std::string_view text) {
    std::uint64_t hash = 1469598103934665603ull;
    for (const unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

double threadCpuSeconds() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::atomic<std::size_t> g_computing{0};

class Inflight;
Inflight& inflight();

/// Counts workers still running. A cancelled run waits for its workers, whose stages stop at
/// their next throwIfCancelled(); the workers themselves are detached, so static objects such as
/// the FFT plan cache must outlive their last instructions: the first cancellation registers an
/// exit handler that waits for them; it runs before the destructors of every static constructed
/// earlier. Never destroyed itself.
class Inflight {
public:
    void enter() {
        std::lock_guard lock(mutex_);
        ++count_;
    }
    void leave() {
        std::lock_guard lock(mutex_);
        if (--count_ == 0) idle_.notify_all();
    }
    void waitAtExit() {
        std::call_once(registered_, [] { std::atexit([] { inflight().waitIdle(); }); });
    }
    void waitIdle() {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return count_ == 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable idle_;
    std::once_flag registered_;
    int count_ = 0;
};

Inflight& inflight() {
    static Inflight* instance = new Inflight;
    return *instance;
}

/// State shared by the caller and the workers; workers own a reference, so an abandoned run
/// stays valid until its last worker ends.
struct Run {
    std::vector<Stage> stages;
    std::vector<std::vector<std::size_t>> dependents;
    std::vector<std::size_t> pending; // unfinished inputs per stage
    std::vector<std::size_t> ready;   // a heap by `weight`: the most depended-on stage first
    std::vector<std::size_t> weight;  // how many stages read this one, directly or not
    std::deque<std::size_t> finished; // not yet reported to the caller
    std::vector<StageValue> values;
    std::vector<double> seconds;
    std::vector<double> started;
    std::vector<double> cpu_seconds;
    std::chrono::steady_clock::time_point begun = std::chrono::steady_clock::now();
    std::size_t workers = 0;   // workers not yet ended
    unsigned thread_limit = 0; // for the parallel loops inside stages (core/util/parallel.h)
    std::size_t taken = 0;     // stages handed to a worker (or reused)
    std::size_t to_take = 0;   // stages to compute
    std::exception_ptr error;
    bool abandoned = false;
    std::stop_source stop;
    std::mutex mutex;
    std::condition_variable changed;

    /// On two cores the order matters: the stage that unblocks the most work (the HPSS chain)
    /// starts first, display-only leaves last.
    void makeReady(std::size_t index) {
        ready.push_back(index);
        std::push_heap(ready.begin(), ready.end(), [this](std::size_t a, std::size_t b) {
            return weight[a] != weight[b] ? weight[a] < weight[b] : a > b;
        });
    }
    std::size_t takeReady() {
        std::pop_heap(ready.begin(), ready.end(), [this](std::size_t a, std::size_t b) {
            return weight[a] != weight[b] ? weight[a] < weight[b] : a > b;
        });
        const std::size_t index = ready.back();
        ready.pop_back();
        return index;
    }

    void complete(std::size_t index) {
        finished.push_back(index);
        for (const std::size_t next : dependents[index])
            if (--pending[next] == 0) makeReady(next);
    }
};

void work(std::shared_ptr<Run> run) {
    for (;;) {
        std::size_t index = 0;
        {
            std::unique_lock lock(run->mutex);
            run->changed.wait(lock, [&] {
                return run->abandoned || !run->ready.empty() || run->taken == run->to_take;
            });
            if (run->abandoned || run->ready.empty()) break;
            index = run->takeReady();
            ++run->taken;
        }
        std::vector<StageValue> inputs;
        {
            std::lock_guard lock(run->mutex);
            for (const auto& name : run->stages[index].inputs) {
                const auto it = std::find_if(run->stages.begin(), run->stages.end(),
                                             [&](const Stage& s) { return s.name == name; });
                inputs.push_back(run->values[static_cast<std::size_t>(it - run->stages.begin())]);
            }
        }
        const auto begin = std::chrono::steady_clock::now();
        const double cpu_begin = threadCpuSeconds();
        StageValue value;
        std::exception_ptr error;
        ++g_computing;
        try {
            // DSP loops deep inside the stage see the run's token through throwIfCancelled(),
            // and its parallel loops keep to the run's thread count.
            const CancellationScope scope(run->stop.get_token());
            const ThreadLimitScope limit(run->thread_limit);
            value = run->stages[index].compute(inputs, run->stop.get_token());
        } catch (...) {
            error = std::current_exception();
        }
        --g_computing;
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - begin;
        std::lock_guard lock(run->mutex);
        if (error) {
            if (!run->error) run->error = error;
            run->abandoned = true;
        } else {
            run->values[index] = std::move(value);
            run->seconds[index] = elapsed.count();
            run->started[index] = std::chrono::duration<double>(begin - run->begun).count();
            run->cpu_seconds[index] = threadCpuSeconds() - cpu_begin;
            run->complete(index);
        }
        run->changed.notify_all();
    }
    {
        std::lock_guard lock(run->mutex);
        --run->workers;
        run->changed.notify_all();
    }
    inflight().leave();
}

} // namespace

std::size_t stagesComputing() {
    return g_computing.load();
}

std::uint64_t nextStageRunId() {
    static std::atomic<std::uint64_t> next{1};
    return next++;
}

std::map<std::string, StageResult>
runStages(const std::vector<Stage>& stages, int threads, const ReuseLookup& reuse,
          const std::function<void(std::size_t, std::size_t, const std::string&)>& progress,
          std::stop_token stop, const std::function<void()>& cancelled) {
    auto run = std::make_shared<Run>();
    run->stages = stages;
    const std::size_t n = stages.size();
    run->dependents.resize(n);
    run->pending.assign(n, 0);
    run->values.resize(n);
    run->seconds.assign(n, 0.0);
    run->started.assign(n, 0.0);
    run->cpu_seconds.assign(n, 0.0);
    std::map<std::string, std::size_t> index_of;
    std::vector<std::string> fingerprints(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string key = stages[i].name + '\x1f' + stages[i].settings;
        for (const auto& input : stages[i].inputs) {
            const auto it = index_of.find(input);
            if (it == index_of.end())
                throw std::invalid_argument("stage '" + stages[i].name + "' reads '" + input +
                                            "', which is not declared before it");
            key += '\x1f' + fingerprints[it->second];
            run->dependents[it->second].push_back(i);
            ++run->pending[i];
        }
        if (!index_of.emplace(stages[i].name, i).second)
            throw std::invalid_argument("stage '" + stages[i].name + "' is declared twice");
        fingerprints[i] = fnv1a(key);
    }

    // Descendant counts, from the last stage back (readers are declared after what they read).
    std::vector<std::vector<bool>> below(n, std::vector<bool>(n, false));
    run->weight.assign(n, 0);
    for (std::size_t i = n; i-- > 0;) {
        for (const std::size_t next : run->dependents[i]) {
            below[i][next] = true;
            for (std::size_t k = 0; k < n; ++k)
                if (below[next][k]) below[i][k] = true;
        }
        run->weight[i] =
            static_cast<std::size_t>(std::count(below[i].begin(), below[i].end(), true));
    }

    std::map<std::string, StageResult> results;
    std::vector<bool> reused(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        const StageResult* earlier = reuse ? reuse(stages[i].name, fingerprints[i]) : nullptr;
        if (earlier && earlier->value) {
            reused[i] = true;
            run->values[i] = earlier->value;
            StageResult result = *earlier;
            result.reused = true;
            result.seconds = 0.0;
            results[stages[i].name] = result;
        }
    }
    // Reused stages are complete from the start; a stage with nothing pending is ready.
    for (std::size_t i = 0; i < n; ++i)
        if (reused[i])
            for (const std::size_t next : run->dependents[i])
                --run->pending[next];
    for (std::size_t i = 0; i < n; ++i)
        if (!reused[i] && run->pending[i] == 0) run->makeReady(i);
    run->to_take = static_cast<std::size_t>(std::count(reused.begin(), reused.end(), false));

    std::size_t done = n - run->to_take;
    std::size_t order = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (reused[i]) {
            results[stages[i].name].order = order++;
            if (progress) progress(order, n, stages[i].name);
        }

    const int workers = static_cast<int>(
        std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), run->to_take));
    run->workers = static_cast<std::size_t>(workers);
    run->thread_limit = static_cast<unsigned>(std::max(threads, 1));
    for (int w = 0; w < workers; ++w) {
        inflight().enter();
        std::thread(work, run).detach();
    }
    // The caller's stop reaches the stages at once, not at the next poll below.
    const std::stop_callback forward(stop, [run] {
        run->stop.request_stop();
        run->changed.notify_all();
    });

    std::size_t computed = 0;
    while (computed < run->to_take) {
        std::vector<std::size_t> batch;
        {
            std::unique_lock lock(run->mutex);
            run->changed.wait_for(lock, std::chrono::milliseconds(10), [&] {
                return !run->finished.empty() || run->error || stop.stop_requested();
            });
            if (run->error || stop.stop_requested()) {
                run->abandoned = true;
                run->stop.request_stop();
                inflight().waitAtExit();
                run->changed.notify_all();
                // Join: the stages in flight stop at their next cancellation check, so nothing
                // of this run computes after the call has returned.
                run->changed.wait(lock, [&] { return run->workers == 0; });
                // Freeing the finished stages' results (an hour's spectrograms are gigabytes,
                // handed back to the system page by page) would take longer than the promised
                // stop: a thread of its own does it.
                std::vector<StageValue> doomed = std::move(run->values);
                for (auto& [name, result] : results)
                    doomed.push_back(std::move(result.value));
                std::thread([doomed = std::move(doomed)]() mutable { doomed.clear(); }).detach();
                if (!stop.stop_requested() && run->error) std::rethrow_exception(run->error);
                lock.unlock();
                cancelled();
                throw std::runtime_error("cancelled"); // cancelled() is expected to throw
            }
            batch.assign(run->finished.begin(), run->finished.end());
            run->finished.clear();
        }
        for (const std::size_t i : batch) {
            StageResult result;
            result.fingerprint = fingerprints[i];
            result.value = run->values[i];
            result.run_id = nextStageRunId();
            result.seconds = run->seconds[i];
            result.started = run->started[i];
            result.cpu_seconds = run->cpu_seconds[i];
            result.order = order++;
            results[stages[i].name] = std::move(result);
            ++computed;
            ++done;
            if (progress) progress(done, n, stages[i].name);
        }
    }
    return results;
}

} // namespace featurescope
