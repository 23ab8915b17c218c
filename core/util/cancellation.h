// Cooperative cancellation inside long DSP loops.
//
// The DSP functions keep librosa's signatures (stft(y, params), hpss(S, params), ...), so a
// std::stop_token cannot be passed as an argument without changing every call site and every
// parity test. Instead the stage runner installs the run's token as the calling thread's
// *current* token for the duration of one stage (CancellationScope), and long loops call
// throwIfCancelled() between frames/blocks. Outside a scope (parity runner, unit tests, GUI
// helpers) there is no token and the check is a no-op. Thread-local because stages run on
// several worker threads at once, each for its own run; a function that spawns threads must
// hand its token on (currentStopToken() + a CancellationScope in the thread).
#pragma once

#include <stdexcept>
#include <stop_token>

namespace featurescope {

/// Thrown by throwIfCancelled() when the current token's stop was requested. The pipeline
/// translates it into AnalysisCancelled.
class OperationCancelled : public std::runtime_error {
public:
    OperationCancelled()
        : std::runtime_error("operation cancelled") {}
};

/// The calling thread's current stop token (a token without stop state when none is installed).
std::stop_token currentStopToken() noexcept;

/// True when the calling thread's current token had a stop requested. Cheap (one thread-local
/// load and, when a token is installed, one atomic load): call it every frame or block.
bool cancellationRequested() noexcept;

/// Throws OperationCancelled when cancellationRequested().
inline void throwIfCancelled() {
    if (cancellationRequested()) throw OperationCancelled();
}

/// RAII: installs `token` as the calling thread's current token; the destructor restores the
/// previous one (scopes nest). Not copyable or movable: it belongs to one thread's stack.
class CancellationScope {
public:
    explicit CancellationScope(std::stop_token token) noexcept;
    ~CancellationScope();
    CancellationScope(const CancellationScope&) = delete;
    CancellationScope& operator=(const CancellationScope&) = delete;

private:
    std::stop_token previous_;
};

} // namespace featurescope
