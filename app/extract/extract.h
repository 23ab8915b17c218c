// The batch: analyse every track of the inputs (or of one shard of them), write the summary table,
// the skipped list and the per-track exports; skip tracks a previous run already wrote.
#pragma once

#include "app/extract/options.h"

#include <filesystem>

namespace featurescope::extract {

/// Runs the batch `options` describes. Returns the exit status: 0 when every track was written,
/// 1 when some were skipped (each reported with its reason, and listed in OUTDIR/skipped.csv).
///
/// OUTDIR/summary.csv      one row per track written (this run or an earlier one), sorted by path
/// OUTDIR/summary.json     its sidecar: settings, crop, versions, the librosa call per column
/// OUTDIR/skipped.csv      path,reason for each track that could not be analysed
/// OUTDIR/warnings.csv     path,warning for each track analysed despite a warning (a header
///                         that promises more frames than the file holds)
/// OUTDIR/tracks/...       per-track frame tables / .npy files and their sidecars
/// OUTDIR/.featurescope/   per-track rows that let a re-run (or `merge`) skip finished tracks
int runExtract(const Options& options);

/// The folder of finished rows for these settings: OUTDIR/.featurescope/rows-<hash>.
std::filesystem::path rowsFolder(const std::filesystem::path& outdir, const Options& options);

} // namespace featurescope::extract
