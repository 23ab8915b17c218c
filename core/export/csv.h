// CSV tables as DESIGN.md fixes them: a header row, '.' decimal, UTF-8, '\n' line ends, numbers
// as %.9g (enough to read every float32 back exactly) by core/export/number_format.h's formatNumber.
#pragma once

#include "core/pipeline/analysis.h"
#include "core/export/number_format.h"
#include "core/pipeline/summary.h"

#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// A field quoted as RFC 4180 wants when it holds a comma, a quote, a line break or a leading or
/// trailing space; otherwise as it is.
std::string csvField(std::string_view text);

/// The length of the valid UTF-8 sequence that starts at `text[at]` (1 to 4), or 0 when the byte
/// there does not start one (a stray continuation byte, an overlong form, a surrogate, a cut
/// sequence, beyond U+10FFFF).
std::size_t utf8SequenceLength(std::string_view text, std::size_t at);

/// The text a CSV or JSON file holds for a file name or path, which the file system keeps as
/// bytes: every byte that is not part of valid UTF-8 is written %XX (upper-case hex) and a '%'
/// that two hex digits follow is written %25; everything else is kept. So every table stays
/// UTF-8 (pandas reads it), distinct names stay distinct, and a name that is valid UTF-8 without
/// "%XX" in it is written as it is. Python undoes it exactly:
/// `urllib.parse.unquote(text, errors="surrogateescape")` is the name as os.listdir gives it.
std::string escapeName(std::string_view bytes);

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
    /// the crop's first sample at the analysis rate: y[crop_start_sample:] starts the crop
    /// exactly, where int(crop_start_s * sr) can fall one sample short.
    long long crop_start_sample = 0;
    double crop_duration_s = 0.0;
    double tempo_bpm = 0.0; ///< NaN when tempo was not computed
    Summary summary;
};

/// The summary row of `analysis` for the track named `path` with its `label`.
SummaryRow summaryRow(const Analysis& analysis, std::string path, std::string label);

/// "path,label,duration_s,crop_start_s,crop_start_sample,crop_duration_s,tempo_bpm,
/// <feature>_<stat>...".
std::vector<std::string> summaryColumns(const Summary& summary);

/// One CSV line (with its '\n') for `row`.
std::string summaryLine(const SummaryRow& row);

/// A summary table: the header of the first row's columns, then every row. Throws
/// std::invalid_argument when rows have different feature columns.
std::string summaryCsv(const std::vector<SummaryRow>& rows);

} // namespace featurescope
