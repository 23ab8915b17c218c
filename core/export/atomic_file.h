// Whole-file writes that never leave half a file behind.
#pragma once

#include <filesystem>
#include <string_view>

namespace featurescope {

/// Whether writeFileAtomically waits for the data to reach the disk before the rename.
enum class Flush {
    /// fsync first: even a power loss leaves the previous file or the whole new one.
    durable,
    /// No fsync (about a millisecond saved per file): a killed process still leaves the previous
    /// file or the whole new one, but a power loss may leave the renamed file empty or short.
    /// For files whose reader checks that they are complete, such as a cache.
    beforeCrashOnly,
};

/// Writes `bytes` to a temporary file beside `path` (same folder, so the rename cannot cross file
/// systems; named as isAtomicTemporary says, never longer than NAME_MAX when `path`'s name is
/// not), flushes it to disk (as `flush` says) and renames it over `path`. A failure or a kill
/// at any moment leaves either the previous file or the new one, never a mix; the temporary is
/// removed on failure. Throws std::runtime_error naming the file and the reason.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes,
                         Flush flush = Flush::durable);

/// Whether `filename` (a name, no folder) is a temporary of writeFileAtomically, as a killed
/// process leaves it: "." + the final name, cut to at most 235 bytes at a character boundary,
/// + ".fstmp-" + 12 lower-case hex digits (at most 255 bytes in all). The pattern of earlier
/// versions, "." + name + ".tmp-" + decimal digits, is recognised too.
bool isAtomicTemporary(std::string_view filename);

} // namespace featurescope
