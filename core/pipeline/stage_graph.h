// A graph of computation stages, run in dependency order on worker threads, with reuse of
// unchanged stages from an earlier run and prompt cancellation.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// A type-erased, immutable stage result; shared between runs that reuse it.
using StageValue = std::shared_ptr<const void>;

/// One stage: its name, the stages whose results it reads (in the order `compute` receives
/// them), and a text naming every setting it depends on. Two runs give a stage the same
/// fingerprint — and the second may reuse the first's result — exactly when its `settings` text
/// and those of all its inputs, transitively, are equal.
struct Stage {
    std::string name;
    std::vector<std::string> inputs;
    std::string settings;
    /// Computes the result from the inputs' results; long computations should check `stop`.
    std::function<StageValue(const std::vector<StageValue>& inputs, std::stop_token stop)> compute;
};

/// A stage's result after a run.
struct StageResult {
    std::string fingerprint;
    StageValue value;
    std::uint64_t run_id = 0;
    bool reused = false;
    double seconds = 0.0;
    /// When the computation began, in seconds after the run started (0 when reused).
    double started = 0.0;
    /// CPU time of the computing thread (what the stage costs, whatever else runs).
    double cpu_seconds = 0.0;
    /// Order of completion in this run (0 = first).
    std::size_t order = 0;
};

/// Looks up a result with the given fingerprint from an earlier run (null when none).
using ReuseLookup =
    std::function<const StageResult*(const std::string& name, const std::string& fingerprint)>;

/// Runs `stages` (inputs must be declared before the stages that read them; throws
/// std::invalid_argument otherwise) on `threads` workers (>= 1). Stages found by `reuse` are not
/// computed. `progress(done, total, name)` is called on the calling thread after each stage.
/// Each stage runs inside a CancellationScope holding the run's token, so the DSP loops it calls
/// stop at their next throwIfCancelled() (core/util/cancellation.h), and inside a ThreadLimitScope
/// of `threads`, so that its own parallel loops use no more threads than the run
/// (core/util/parallel.h). When `stop` is requested the
/// call waits for the stages in flight to stop, then throws `cancelled()`'s exception; no stage
/// of the run computes after it has returned (a stage without cancellation checks would delay
/// it). An exception thrown by a stage is rethrown here (or the cancellation, when `stop` was
/// requested).
std::map<std::string, StageResult>
runStages(const std::vector<Stage>& stages, int threads, const ReuseLookup& reuse,
          const std::function<void(std::size_t done, std::size_t total, const std::string& name)>&
              progress,
          std::stop_token stop, const std::function<void()>& cancelled);

/// How many stage computations are running now, in every run of the process (a test's probe
/// that a cancelled run left nothing computing).
std::size_t stagesComputing();

/// A fresh id for a stage computation, unique within the process.
std::uint64_t nextStageRunId();

} // namespace featurescope
