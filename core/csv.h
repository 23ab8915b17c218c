// CSV tables as DESIGN.md fixes them: a header row, '.' decimal, UTF-8, '\n' line ends, numbers
// as %.9g (enough to read every float32 back exactly) by core/number_format.h's formatNumber.
#pragma once

#include "core/analysis.h"
#include "core/number_format.h"
#include "core/summary.h"

#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// A field quoted as RFC 4180 wants when it holds a comma, a quote, a line break or a leading or
/// trailing space; otherwise as it is.
std::string csvField(std::string_view text);

/// Splits CSV text into rows of unquoted fields (RFC 4180 quoting, '\n' or "\r\n" line ends).
std::vector<std::vector<std::string>> parseCsv(std::string_view text);

/// The frame table over the analysis's crop: header "time_s,<curve names>", then one row per
/// frame, time_s = frame * hop_length / sr.
std::string frameTableCsv(const Analysis& analysis);

/// One track's summary: the fixed columns, then "<feature>_<stat>" columns.
struct SummaryRow {
    std::string path;
    std::string label;
    double duration_s = 0.0;
    double crop_start_s = 0.0;
    double crop_duration_s = 0.0;
    double tempo_bpm = 0.0; ///< NaN when tempo was not computed
    Summary summary;
};

/// The summary row of `analysis` for the track named `path` with its `label`.
SummaryRow summaryRow(const Analysis& analysis, std::string path, std::string label);

/// "path,label,duration_s,crop_start_s,crop_duration_s,tempo_bpm,<feature>_<stat>...".
std::vector<std::string> summaryColumns(const Summary& summary);

/// One CSV line (with its '\n') for `row`.
std::string summaryLine(const SummaryRow& row);

/// A summary table: the header of the first row's columns, then every row. Throws
/// std::invalid_argument when rows have different feature columns.
std::string summaryCsv(const std::vector<SummaryRow>& rows);

} // namespace featurescope
