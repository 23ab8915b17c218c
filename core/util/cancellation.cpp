#include "core/util/cancellation.h"

#include <utility>

namespace featurescope {

namespace {
// A plain stop_token per thread; stop_possible() is false when none is installed, so the
// common (no scope) check costs one branch.
thread_local std::stop_token t_current;
} // namespace

std::stop_token currentStopToken() noexcept {
    return t_current;
}

bool cancellationRequested() noexcept {
    return t_current.stop_requested();
}

CancellationScope::CancellationScope(std::stop_token token) noexcept
    : previous_(std::exchange(t_current, std::move(token))) {}

CancellationScope::~CancellationScope() {
    t_current = std::move(previous_);
}

} // namespace featurescope
