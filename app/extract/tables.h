// The data-set tables written at the end of a run or a merge: summary.csv, its z-scored twin
// and the scaler that made it.
#pragma once

#include "core/pipeline/analysis_settings.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace featurescope::extract {

/// summary.csv's leading columns that say which track and which crop a row is, and are not
/// scaled: path, label, duration_s, crop_start_s, crop_start_sample, crop_duration_s.
inline constexpr std::size_t kUnscaledColumns = 6;

/// summary.csv's columns under `settings` when no track can give them: from one second of
/// silence. Throws what the analysis throws (a highlight crop longer than the silence).
std::vector<std::string> summaryColumnsFor(const AnalysisSettings& settings);

/// Writes OUTDIR/summary.csv (`summary`, a header and one line per track), then the
/// standardisation beside it: OUTDIR/scaler.csv (column,mean,std of every feature column, i.e.
/// from tempo_bpm on) and OUTDIR/summary_z.csv (the same table with those columns z-scored).
/// With `scaler` (a scaler.csv from an earlier data set) the columns are scaled with it instead
/// of one fitted here, so that new tracks are scaled as the training set was; OUTDIR/scaler.csv
/// is then a copy of it. Throws std::runtime_error when the scaler's columns differ from the
/// table's.
void writeSummaryTables(const std::filesystem::path& outdir, const std::string& summary,
                        const std::optional<std::filesystem::path>& scaler);

} // namespace featurescope::extract
