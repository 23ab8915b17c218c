#include "app/extract/warnings.h"

#include "core/export/atomic_file.h"
#include "core/io/audio.h"
#include "core/export/csv.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

fs::path besideRow(const fs::path& row_file) {
    fs::path path = row_file;
    return path.replace_extension(".warnings");
}

} // namespace

void keepWarnings(const std::string& track, const std::string& name, const fs::path& row_file,
                  std::FILE* log) {
    const std::vector<std::string> warnings = loadWarnings(track);
    const fs::path kept = besideRow(row_file);
    if (warnings.empty()) {
        std::error_code ignored; // none is the common case: no file to remove
        fs::remove(kept, ignored);
        return;
    }
    std::string joined;
    for (const std::string& warning : warnings) {
        joined += (joined.empty() ? "" : "; ") + warning;
        // On a terminal the progress bar holds the line: clear it first, as skips do.
        std::fprintf(log, "%swarning %s: %s\n", ::isatty(::fileno(log)) ? "\r\033[K" : "",
                     name.c_str(), warning.c_str());
    }
    std::fflush(log);
    // Checked on reuse like the row: a line with its end, or nothing.
    writeFileAtomically(kept, csvField(name) + "," + csvField(joined) + "\n",
                        Flush::beforeCrashOnly);
}

std::string warningLine(const fs::path& row_file) {
    std::ifstream in(besideRow(row_file), std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    const std::string line = text.str();
    return !line.empty() && line.back() == '\n' ? line : std::string();
}

void writeWarnings(const fs::path& outdir, const std::string& lines) {
    writeFileAtomically(outdir / "warnings.csv", "path,warning\n" + lines);
    if (!lines.empty())
        std::fprintf(stderr, "tracks analysed with warnings: %s\n",
                     (outdir / "warnings.csv").c_str());
}

} // namespace featurescope::extract
