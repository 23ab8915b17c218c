// Whole-file writes that never leave half a file behind.
#pragma once

#include <filesystem>
#include <string_view>

namespace featurescope {

/// Writes `bytes` to a temporary file beside `path` (same folder, so the rename cannot cross file
/// systems), flushes it to disk and renames it over `path`. A failure or a kill at any moment
/// leaves either the previous file or the new one, never a mix; the temporary is removed on
/// failure. Throws std::runtime_error naming the file and the reason.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

} // namespace featurescope
