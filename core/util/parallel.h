// Splitting a loop over independent items (columns, lines, blocks) between threads.
#pragma once

#include "core/util/cancellation.h"

#include <Eigen/Core>

#include <algorithm>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <vector>

namespace featurescope {

namespace detail {
inline thread_local unsigned t_thread_limit = 0; // 0: no limit
} // namespace detail

/// How many threads a parallel loop started on the calling thread may use: every core, or
/// fewer inside a ThreadLimitScope. An analysis run with `threads` = 1 gives each stage a limit
/// of 1 (core/stage_graph), so that tracks analysed side by side by featurescope-extract keep to
/// one thread each instead of every stage spawning helpers on cores the other tracks fill.
inline unsigned availableThreads() {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return detail::t_thread_limit ? std::min(cores, detail::t_thread_limit) : cores;
}

/// Limits availableThreads() on this thread to `limit` (0: no limit) until destroyed; scopes
/// nest, the inner one ruling.
class ThreadLimitScope {
public:
    explicit ThreadLimitScope(unsigned limit) noexcept
        : previous_(detail::t_thread_limit) {
        detail::t_thread_limit = limit;
    }
    ~ThreadLimitScope() { detail::t_thread_limit = previous_; }
    ThreadLimitScope(const ThreadLimitScope&) = delete;
    ThreadLimitScope& operator=(const ThreadLimitScope&) = delete;

private:
    unsigned previous_;
};

/// Runs body(begin, end) over [0, count) split into contiguous chunks, one per thread, on up to
/// availableThreads() threads (the calling thread takes the first chunk).
///
/// count : int >= 0, the number of items.
/// min_chunk : int > 0, the fewest items a thread is given, so that a small input does not pay
///     for starting idle threads; count < 2 * min_chunk runs on the calling thread alone.
/// body : callable (Eigen::Index begin, Eigen::Index end); chunks must be independent.
///
/// The spawned threads run under the caller's stop token (cancellation.h), so long loops in
/// `body` can call throwIfCancelled(). The first exception any chunk throws (a cancellation)
/// is rethrown here once every thread has ended: no chunk outlives the call. Throws
/// std::invalid_argument when min_chunk <= 0.
template <typename Body>
void parallelChunks(Eigen::Index count, Eigen::Index min_chunk, const Body& body) {
    if (min_chunk <= 0) throw std::invalid_argument("min_chunk must be > 0");
    const Eigen::Index threads = std::clamp<Eigen::Index>(
        Eigen::Index(availableThreads()), 1, std::max<Eigen::Index>(count / min_chunk, 1));
    const std::stop_token stop = currentStopToken();
    const unsigned limit = detail::t_thread_limit;
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto guarded = [&](Eigen::Index begin, Eigen::Index end) {
        const CancellationScope scope(stop);
        const ThreadLimitScope limited(limit);
        try {
            body(begin, end);
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    for (Eigen::Index k = 1; k < threads; ++k)
        workers.emplace_back(guarded, count * k / threads, count * (k + 1) / threads);
    guarded(Eigen::Index(0), count / threads);
    for (auto& worker : workers)
        worker.join();
    if (error) std::rethrow_exception(error);
}

} // namespace featurescope
