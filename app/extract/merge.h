// `featurescope-extract merge SHARD_DIR... -o OUTDIR`: joins the outputs of --shard runs into
// what one run over all the inputs would have written.
#pragma once

#include "app/extract/options.h"

namespace featurescope::extract {

/// Unions the shards' summary rows and skipped lists (sorted by path, as one run sorts them),
/// copies their per-track files and finished rows, and writes OUTDIR/summary.csv, summary.json
/// and skipped.csv. Throws UsageError when a folder is not a shard output or the shards were
/// made with different settings. Returns 0, or 1 when the merged result lists skipped tracks.
int runMerge(const Options& options);

} // namespace featurescope::extract
