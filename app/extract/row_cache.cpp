#include "app/extract/row_cache.h"

#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/export/export.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStampPrefix = "# featurescope row: ";

std::string hex(std::uint64_t value) {
    char buffer[16];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, 16).ptr;
    return std::string(16 - static_cast<std::size_t>(end - buffer), '0') + std::string(buffer, end);
}

std::string stampLine(const FileStamp& stamp) {
    return std::string(kStampPrefix) + "size=" + std::to_string(stamp.size) +
           " mtime_ns=" + std::to_string(stamp.mtime_ns) + "\n";
}

std::optional<FileStamp> parseStamp(std::string_view line) {
    FileStamp stamp;
    if (line.substr(0, kStampPrefix.size()) != kStampPrefix) return std::nullopt;
    line.remove_prefix(kStampPrefix.size());
    const auto field = [&](std::string_view name, auto& value) {
        if (line.substr(0, name.size()) != name) return false;
        const auto [end, ec] =
            std::from_chars(line.data() + name.size(), line.data() + line.size(), value);
        line.remove_prefix(static_cast<std::size_t>(end - line.data()));
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        return ec == std::errc{};
    };
    if (!field("size=", stamp.size) || !field("mtime_ns=", stamp.mtime_ns) || !line.empty())
        return std::nullopt;
    return stamp;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::optional<FileStamp> stampOf(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    return FileStamp{static_cast<std::uintmax_t>(info.st_size),
                     std::int64_t(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

fs::path rowsFolder(const fs::path& outdir, const Options& options) {
    std::string key = settingsJson(options.settings) + (options.exports.frames ? " frames" : "");
    for (const auto& name : options.exports.npy)
        key += " " + name;
    return outdir / ".featurescope" / ("rows-" + hex(stableHash(key)));
}

RowCache::RowCache(const fs::path& outdir, const Options& options)
    : outdir_(outdir)
    , folder_(rowsFolder(outdir, options))
    , exports_(options.exports) {
    fs::create_directories(folder_);
}

fs::path RowCache::rowFile(const Track& track) const {
    return folder_ / (hex(stableHash(track.path)) + ".csv");
}

std::optional<std::string> RowCache::finished(const Track& track, std::string& why) const {
    why.clear();
    std::error_code ec;
    const fs::path file = rowFile(track);
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    // Row files are written without an fsync (Flush::beforeCrashOnly), so after a power loss one
    // may be empty or short; such a track is analysed again rather than trusted.
    const std::string text = readFile(file);
    const auto newline = text.find('\n');
    if (newline == std::string::npos || text.back() != '\n') return std::nullopt;
    const auto stamp = parseStamp(std::string_view(text).substr(0, newline));
    std::string row = text.substr(newline + 1);
    try {
        const auto rows = parseCsv(row);
        if (!stamp || rows.size() != 2 || rows[0].size() != rows[1].size() || rows[0].size() < 2)
            return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    const auto now = stampOf(track.path);
    if (!now) return std::nullopt; // gone or unreadable: analysing it says why
    if (*now != *stamp) {
        why = "changed since it was analysed (";
        why += now->size != stamp->size ? "size " + std::to_string(stamp->size) + " -> " +
                                              std::to_string(now->size) + " bytes"
                                        : "modified since";
        why += ")";
        return std::nullopt;
    }
    for (const auto& export_file :
         trackExportFiles(outdir_ / "tracks" / trackStem(track), exports_))
        if (!fs::is_regular_file(export_file, ec)) {
            why = "its export " + export_file.string() + " is missing";
            return std::nullopt;
        }
    return row;
}

void RowCache::store(const Track& track, const FileStamp& stamp,
                     const std::string& summary_csv) const {
    writeFileAtomically(rowFile(track), stampLine(stamp) + summary_csv, Flush::beforeCrashOnly);
}

} // namespace featurescope::extract
