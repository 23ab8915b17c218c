#include "app/extract/merge.h"

#include "app/extract/outdir.h"
#include "app/extract/shard_mark.h"
#include "app/extract/tables.h"

#include "core/export/atomic_file.h"
#include "core/export/csv.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(path.string() + " is missing: not a featurescope-extract output");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Header line and path -> line of a table whose first column is the path.
struct Table {
    std::string header;
    std::map<std::string, std::string> lines;
};

/// One CSV line for `fields`, as the tables write it (csvField), so that the lines of a merge
/// are byte for byte those of the shards.
std::string csvLine(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) line += ',';
        line += csvField(fields[i]);
    }
    return line + '\n';
}

/// Parsed as CSV, not line by line: a quoted path may hold a line break.
void addTable(const std::string& text, const fs::path& file, Table& table) {
    const auto rows = parseCsv(text);
    if (rows.empty()) return;
    const std::string header = csvLine(rows[0]);
    if (table.header.empty()) table.header = header;
    if (header != table.header)
        throw UsageError(file.string() + " has other columns than the first shard");
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].empty() || rows[r][0].empty()) continue;
        table.lines[rows[r][0]] = csvLine(rows[r]);
    }
}

std::string joined(const Table& table) {
    std::string text = table.header;
    for (const auto& [path, line] : table.lines)
        text += line;
    return text;
}

/// Copies every file under `from` to the same place under `to`, each atomically; the
/// temporaries a killed writer left are not copied, and with `rows_only` only the rows-*
/// folders are (not the shard's lock or its record).
void copyTree(const fs::path& from, const fs::path& to, bool rows_only = false) {
    std::error_code ec;
    if (!fs::is_directory(from, ec)) return;
    for (const auto& entry : fs::recursive_directory_iterator(from)) {
        if (!entry.is_regular_file() || isAtomicTemporary(entry.path().filename().string()))
            continue;
        const fs::path relative = fs::relative(entry.path(), from);
        if (rows_only && (relative.begin()->string().rfind("rows-", 0) != 0 ||
                          std::distance(relative.begin(), relative.end()) < 2))
            continue;
        const fs::path target = to / relative;
        fs::create_directories(target.parent_path());
        writeFileAtomically(target, readFile(entry.path()));
    }
}

/// The shards' record of their exports (all the same, or a UsageError), or empty fields when
/// they have none (an earlier version's shards).
ExportSettings shardsExports(const Options& options) {
    const ExportSettings first = recordedExportSettings(options.inputs.front());
    for (const auto& input : options.inputs)
        if (recordedExportSettings(input) != first)
            throw UsageError(input + " exported other files than " + options.inputs.front() +
                             " (.featurescope/exports.txt differs): merge shards of one run");
    return first;
}

/// Shared locks on the shards, so that none is read while a run still writes it.
std::vector<std::unique_ptr<FolderLock>> lockShards(const Options& options) {
    std::vector<std::unique_ptr<FolderLock>> locks;
    for (const auto& input : options.inputs) {
        std::error_code ec;
        if (fs::equivalent(input, options.output, ec)) continue; // locked for writing already
        locks.push_back(std::make_unique<FolderLock>(input, FolderLock::Mode::shared));
    }
    return locks;
}

} // namespace

int runMerge(const Options& options) {
    // A merge that refuses writes nothing: into a folder that does not exist yet, the shards
    // are checked (every one finished, of one data set) before the lock makes it; into one
    // that exists, the lock comes first, so that a busy folder is named as such.
    std::error_code missing;
    const bool fresh = !std::filesystem::exists(options.output, missing);
    std::optional<ShardMark> mark;
    if (fresh) mark = ShardMark::beginMerge(options);
    std::optional<FolderLock> lock;
    std::vector<std::unique_ptr<FolderLock>> shard_locks;
    try {
        lock.emplace(options.output);
        shard_locks = lockShards(options);
    } catch (const FolderBusy& busy) {
        std::fprintf(stderr, "featurescope-extract: %s\n", busy.what());
        return 2;
    }
    if (!fresh) mark = ShardMark::beginMerge(options);
    std::string sidecar;
    Table summary, skipped, warnings;
    for (const auto& input : options.inputs) {
        const fs::path shard(input);
        const std::string json = readFile(shard / "summary.json");
        if (sidecar.empty()) sidecar = json;
        if (json != sidecar)
            throw UsageError(shard.string() + " was made with other settings than " +
                             options.inputs.front() + " (summary.json differs)");
        addTable(readFile(shard / "summary.csv"), shard / "summary.csv", summary);
        addTable(readFile(shard / "skipped.csv"), shard / "skipped.csv", skipped);
        // Shards written before warnings.csv existed have none.
        if (std::error_code ec; fs::is_regular_file(shard / "warnings.csv", ec))
            addTable(readFile(shard / "warnings.csv"), shard / "warnings.csv", warnings);
    }
    const ExportSettings exports = shardsExports(options);
    removeTemporaries(options.output);
    if (!exports.settings.empty()) keepExportsConsistent(options.output, exports, {});
    for (const auto& input : options.inputs) {
        std::error_code ec;
        if (fs::equivalent(input, options.output, ec)) continue;
        copyTree(fs::path(input) / "tracks", options.output / "tracks");
        copyTree(fs::path(input) / ".featurescope", options.output / ".featurescope", true);
    }
    // A track skipped in one shard but written in another (a retried run) counts as written.
    for (const auto& [path, line] : summary.lines)
        skipped.lines.erase(path);
    for (auto line = warnings.lines.begin(); line != warnings.lines.end();)
        line = summary.lines.count(line->first) ? std::next(line) : warnings.lines.erase(line);
    if (warnings.header.empty()) warnings.header = "path,warning\n";
    writeSummaryTables(options.output, joined(summary), options.scaler);
    writeFileAtomically(options.output / "summary.json", sidecar);
    writeFileAtomically(options.output / "skipped.csv", joined(skipped));
    writeFileAtomically(options.output / "warnings.csv", joined(warnings));
    mark->finish();
    std::fprintf(stderr, "merged %zu shards: %zu tracks written, %zu skipped\n",
                 options.inputs.size(), summary.lines.size(), skipped.lines.size());
    return skipped.lines.empty() ? 0 : 1;
}

} // namespace featurescope::extract
