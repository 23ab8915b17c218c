// The batch: analyse every track of the inputs (or of one shard of them), write the summary table,
// the skipped list and the per-track exports; skip tracks a previous run already wrote.
#pragma once

#include "app/extract/options.h"

namespace featurescope::extract {

/// Runs the batch `options` describes. Returns the exit status: 0 when every track was written,
/// 1 when some were skipped (each reported with its reason, and listed in OUTDIR/skipped.csv),
/// 2 when another process is writing OUTDIR (its PID is named; nothing is touched).
///
/// OUTDIR/summary.csv      one row per track written (this run or an earlier one), sorted by path
/// OUTDIR/summary.json     its sidecar: settings, crop, versions, the librosa call per column
/// OUTDIR/skipped.csv      path,reason for each track (or unreadable folder) not analysed
/// OUTDIR/warnings.csv     path,warning for each track analysed despite a warning (a header
///                         that promises more frames than the file holds)
/// OUTDIR/tracks/...       per-track frame tables / .npy files and their sidecars
/// OUTDIR/.featurescope/   the lock, the record of what tracks/ was exported with, and per-track
///                         rows that let a re-run (or `merge`) skip finished tracks
///
/// Paths and labels are written through escapeName (core/export/csv.h). A re-run analyses again a
/// track whose file changed (size or modification time) or lost one of its exports; a run with
/// other settings or exports removes the earlier exports under tracks/ first (saying so).
int runExtract(const Options& options);

} // namespace featurescope::extract
