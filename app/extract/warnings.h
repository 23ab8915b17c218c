// Decode warnings of a batch: a track that loaded with warnings (a header promising more frames
// than the file holds, core/io/audio.h) is analysed, logged and listed in OUTDIR/warnings.csv, and
// its warnings are kept beside its row, so that a later run reusing the row still lists them.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace featurescope::extract {

/// After `track` was analysed, before its row is written to `row_file`: keeps the warnings of
/// its load (core/io/audio.h: loadWarnings) beside the row, as its warnings.csv line naming it
/// `name` (the path as the tables write it), or removes an old one when there are none; logs
/// them to `log` as "warning NAME: ...".
void keepWarnings(const std::string& track, const std::string& name,
                  const std::filesystem::path& row_file, std::FILE* log = stderr);

/// The warnings.csv line of a track whose row is `row_file` ("path,warning\n"; several warnings
/// joined by "; "), or "" when it had none.
std::string warningLine(const std::filesystem::path& row_file);

/// Writes OUTDIR/warnings.csv atomically: the header "path,warning", then `lines`; written even
/// when there are none, as skipped.csv is.
void writeWarnings(const std::filesystem::path& outdir, const std::string& lines);

} // namespace featurescope::extract
