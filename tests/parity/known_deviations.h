// Known deviations: outputs whose reference bound cannot be met at a few named frames, listed
// with the evidence in a file the parity runner is given (--known-deviations FILE).
//
// Each entry names an output and the frames where our float32 result and librosa's differ by
// more than the bound for a reason other than the algorithm (the evidence is the entry's reason,
// with a test that demonstrates it). The runner still computes the output, applies the
// reference README's metric unchanged and prints the verdict; an entry only changes what a FAIL
// counts as, and only when every other frame passes:
//   FAIL over the named frames alone -> KNOWN (printed, counted apart, not a failure)
//   FAIL anywhere else              -> FAIL
//   PASS                            -> FAIL "stale entry": the list must not outlive its reason
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace parity {

struct KnownDeviation {
    std::set<long> frames; ///< the frames (columns) the entry covers
    std::string reason;
};

/// Lines "OUTPUT FRAME[,FRAME...] REASON..." ('#' starts a comment line). Throws
/// std::runtime_error naming the file and line of a malformed entry.
std::map<std::string, KnownDeviation> readKnownDeviations(const std::filesystem::path& file);

} // namespace parity
