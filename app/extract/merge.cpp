#include "app/extract/merge.h"

#include "app/extract/shard_mark.h"
#include "app/extract/tables.h"

#include "core/atomic_file.h"
#include "core/csv.h"

#include <cstdio>
#include <fstream>
#include <map>
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

void addTable(const std::string& text, const fs::path& file, Table& table) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line)) return;
    line += '\n';
    if (table.header.empty()) table.header = line;
    if (line != table.header)
        throw UsageError(file.string() + " has other columns than the first shard");
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto fields = parseCsv(line);
        if (fields.empty() || fields[0].empty()) continue;
        table.lines[fields[0][0]] = line + '\n';
    }
}

std::string joined(const Table& table) {
    std::string text = table.header;
    for (const auto& [path, line] : table.lines)
        text += line;
    return text;
}

/// Copies every file under `from` to the same place under `to`, each atomically.
void copyTree(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    if (!fs::is_directory(from, ec)) return;
    for (const auto& entry : fs::recursive_directory_iterator(from)) {
        if (!entry.is_regular_file()) continue;
        const fs::path target = to / fs::relative(entry.path(), from);
        fs::create_directories(target.parent_path());
        writeFileAtomically(target, readFile(entry.path()));
    }
}

} // namespace

int runMerge(const Options& options) {
    const ShardMark mark = ShardMark::beginMerge(options);
    std::string sidecar;
    Table summary, skipped;
    for (const auto& input : options.inputs) {
        const fs::path shard(input);
        const std::string json = readFile(shard / "summary.json");
        if (sidecar.empty()) sidecar = json;
        if (json != sidecar)
            throw UsageError(shard.string() + " was made with other settings than " +
                             options.inputs.front() + " (summary.json differs)");
        addTable(readFile(shard / "summary.csv"), shard / "summary.csv", summary);
        addTable(readFile(shard / "skipped.csv"), shard / "skipped.csv", skipped);
    }
    fs::create_directories(options.output);
    for (const auto& input : options.inputs) {
        copyTree(fs::path(input) / "tracks", options.output / "tracks");
        copyTree(fs::path(input) / ".featurescope", options.output / ".featurescope");
    }
    // A track skipped in one shard but written in another (a retried run) counts as written.
    for (const auto& [path, line] : summary.lines)
        skipped.lines.erase(path);
    writeSummaryTables(options.output, joined(summary), options.scaler);
    writeFileAtomically(options.output / "summary.json", sidecar);
    writeFileAtomically(options.output / "skipped.csv", joined(skipped));
    mark.finish();
    std::fprintf(stderr, "merged %zu shards: %zu tracks written, %zu skipped\n",
                 options.inputs.size(), summary.lines.size(), skipped.lines.size());
    return skipped.lines.empty() ? 0 : 1;
}

} // namespace featurescope::extract
