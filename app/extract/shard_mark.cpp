#include "app/extract/shard_mark.h"

#include "app/extract/inputs.h"
#include "core/export/atomic_file.h"

#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

fs::path markPath(const fs::path& outdir) {
    return outdir / ".featurescope" / "shard";
}

std::string decimal(std::uint64_t value) {
    char text[24];
    return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

std::string hex16(std::uint64_t value) {
    char text[17];
    const auto end = std::to_chars(text, text + sizeof text, value, 16).ptr;
    return std::string(16 - static_cast<std::size_t>(end - text), '0') + std::string(text, end);
}

struct Mark {
    int index = 0, count = 1;
    std::size_t tracks = 0;
    std::uint64_t inputs = 0;

    std::string shard() const { return decimal(index) + "/" + decimal(count); }
    bool sameDataSet(const Mark& other) const {
        return count == other.count && tracks == other.tracks && inputs == other.inputs;
    }
};

std::optional<Mark> readMark(const fs::path& outdir) {
    std::ifstream in(markPath(outdir));
    std::string shard, tracks, inputs;
    Mark mark;
    if (!(in >> shard >> shard >> tracks >> tracks >> inputs >> inputs)) return std::nullopt;
    const auto slash = shard.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto parse = [](const std::string& text, auto& value, int base = 10) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
        return ec == std::errc{} && end == text.data() + text.size();
    };
    if (!parse(shard.substr(0, slash), mark.index) || !parse(shard.substr(slash + 1), mark.count) ||
        !parse(tracks, mark.tracks) || !parse(inputs, mark.inputs, 16))
        return std::nullopt;
    return mark;
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i)
        text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return text;
}

void removeMark(const fs::path& outdir) {
    std::error_code ignored; // absent is fine
    fs::remove(markPath(outdir), ignored);
}

} // namespace

ShardMark ShardMark::begin(const Options& options) {
    ShardMark mark;
    mark.outdir_ = options.output;
    mark.index_ = options.shard_index;
    mark.count_ = options.shard_count;
    std::string paths;
    for (const auto& track : collectTracks(options.inputs)) {
        paths += track.path + '\n';
        ++mark.tracks_;
    }
    mark.inputs_ = stableHash(paths);
    removeMark(options.output);
    return mark;
}

ShardMark ShardMark::beginMerge(const Options& options) {
    std::optional<Mark> first;
    std::string first_dir;
    std::map<int, std::string> found;
    std::vector<std::string> unfinished, foreign;
    for (const auto& dir : options.inputs) {
        const auto mark = readMark(dir);
        if (!mark) {
            unfinished.push_back(dir);
            continue;
        }
        if (!first) {
            first = mark;
            first_dir = dir;
        }
        if (!mark->sameDataSet(*first)) {
            foreign.push_back(dir + " is shard " + mark->shard() + " of " + decimal(mark->tracks) +
                              " tracks but " + first_dir + " shard " + first->shard() + " of " +
                              decimal(first->tracks));
            continue;
        }
        found.emplace(mark->index, dir);
    }
    std::vector<std::string> problems;
    if (!first) {
        problems.push_back("no folder holds a finished run (" + joined(unfinished) +
                           ": no .featurescope/shard)");
    } else {
        std::vector<std::string> missing;
        for (int i = 0; i < first->count; ++i)
            if (!found.count(i)) missing.push_back(decimal(i));
        if (!missing.empty())
            problems.push_back((missing.size() == 1 ? "shard " : "shards ") + joined(missing) +
                               " of " + decimal(first->count) +
                               (missing.size() == 1 ? " is" : " are") + " missing");
        if (!unfinished.empty())
            problems.push_back(joined(unfinished) + (unfinished.size() == 1 ? " has" : " have") +
                               " not finished (no .featurescope/shard: cancelled, failed or "
                               "still running)");
        if (!foreign.empty())
            problems.push_back("other data sets or shard counts: " + joined(foreign));
    }
    if (!problems.empty()) {
        std::string message = "merge needs every shard of one data set, each finished: ";
        for (std::size_t i = 0; i < problems.size(); ++i)
            message += (i ? "; " : "") + problems[i];
        throw UsageError(message + ". Run (or resubmit) those shards, then merge again");
    }
    ShardMark mark;
    mark.outdir_ = options.output;
    mark.tracks_ = first->tracks;
    mark.inputs_ = first->inputs;
    removeMark(options.output);
    return mark;
}

void ShardMark::finish() const {
    fs::create_directories(markPath(outdir_).parent_path());
    writeFileAtomically(markPath(outdir_), "shard " + decimal(index_) + "/" + decimal(count_) +
                                               "\ntracks " + decimal(tracks_) + "\ninputs " +
                                               hex16(inputs_) + "\n");
}

} // namespace featurescope::extract
