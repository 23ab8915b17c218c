// `featurescope-extract slurm-script INPUT... -o OUTDIR --shards N [extract options]`: writes the
// Slurm job array that extracts a data set in N shards and the merge job that joins them.
#pragma once

#include <string>
#include <vector>

namespace featurescope::extract {

/// `args` follow "slurm-script". slurm-script's own options (--shards, --cpus-per-task,
/// --throttle, --time, --partition, --account, --job-name, --script-dir) are parsed here; every
/// other argument is an extract INPUT or option, checked by parseOptions now (a bad one exits
/// 2 before anything is written) and passed on verbatim to every task. Writes, in --script-dir
/// (OUTDIR/slurm):
///   extract.sbatch  the array: task I runs `featurescope-extract ... --shard I/N --jobs
///                   $SLURM_CPUS_PER_TASK -o OUTDIR/shards/I`; exit 1 (some files skipped)
///                   counts as success, 2 and 3 as failure; one log per task in OUTDIR/logs;
///                   --mem from the memory model (memory_model.h) for the largest input
///   merge.sbatch    `featurescope-extract merge OUTDIR/shards/0 .. N-1 -o OUTDIR`
///   submit.sh       submits the array, then the merge with --dependency=afterany; `submit.sh
///                   TASKS` resubmits only those tasks (and a new merge)
/// Returns 0, 2 for a usage error, 3 when a script cannot be written.
int runSlurmScript(const std::vector<std::string>& args);

} // namespace featurescope::extract
