#include "app/extract/extract.h"

#include "app/extract/inputs.h"
#include "app/extract/progress.h"
#include "app/extract/shard_mark.h"
#include "app/extract/tables.h"
#include "core/analysis.h"
#include "core/atomic_file.h"
#include "core/csv.h"
#include "core/export.h"
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

std::string hex(std::uint64_t value) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return buffer;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A finished row file holds the summary header and the track's line.
std::pair<std::string, std::string> splitRow(const std::string& text) {
    const auto newline = text.find('\n');
    if (newline == std::string::npos) return {};
    return {text.substr(0, newline + 1), text.substr(newline + 1)};
}

/// A row file's text when it is whole: the header and one line, with as many fields. Row files
/// are written without an fsync (Flush::beforeCrashOnly), so after a power loss one may be empty
/// or short; such a track is analysed again rather than trusted.
std::optional<std::string> wholeRowFile(const fs::path& path) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return std::nullopt;
    std::string text = readFile(path);
    if (text.empty() || text.back() != '\n') return std::nullopt;
    try {
        const auto rows = parseCsv(text);
        if (rows.size() == 2 && rows[0].size() == rows[1].size() && rows[0].size() > 1) return text;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

/// The summary header for settings no track could give: from one second of silence.
std::string headerFor(const AnalysisSettings& settings) {
    Audio silence;
    silence.sr = settings.sr;
    silence.samples = Eigen::ArrayXXf::Zero(1, static_cast<Eigen::Index>(settings.sr));
    AnalysisSettings s = settings;
    s.threads = 1;
    return splitRow(summaryCsv({summaryRow(*runAnalysis(silence, s), "", "")})).first;
}

struct Outcome {
    std::string reason; // empty: written
    bool reused = false;
    std::string row; // the reused row file's text, read once when it was checked
};

} // namespace

fs::path rowsFolder(const fs::path& outdir, const Options& options) {
    std::string key = settingsJson(options.settings) + (options.exports.frames ? " frames" : "");
    for (const auto& name : options.exports.npy)
        key += " " + name;
    return outdir / ".featurescope" / ("rows-" + hex(stableHash(key)));
}

int runExtract(const Options& options) {
    const ShardMark mark = ShardMark::begin(options);
    std::vector<Track> tracks;
    for (auto& track : collectTracks(options.inputs))
        if (inShard(track, options.shard_index, options.shard_count))
            tracks.push_back(std::move(track));
    const fs::path rows = rowsFolder(options.output, options);
    fs::create_directories(rows);

    const int jobs = options.jobs > 0
                         ? options.jobs
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    AnalysisSettings settings = options.settings;
    // Tracks in parallel already fill the cores; one track at a time parallelises its stages.
    settings.threads = jobs > 1 ? 1 : 0;

    std::vector<Outcome> outcomes(tracks.size());
    const auto rowFile = [&](const Track& t) { return rows / (hex(stableHash(t.path)) + ".csv"); };
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        std::optional<std::string> row;
        if (!options.force) row = wholeRowFile(rowFile(tracks[i]));
        if (row) {
            outcomes[i].reused = true;
            outcomes[i].row = std::move(*row);
        } else {
            todo.push_back(i);
        }
    }

    Progress progress(todo.size(), ::isatty(STDERR_FILENO) != 0);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        // With tracks side by side, each keeps to its thread, its summary included.
        const ThreadLimitScope limit(jobs > 1 ? 1 : 0);
        for (std::size_t k; (k = next++) < todo.size();) {
            const Track& track = tracks[todo[k]];
            const auto begin = std::chrono::steady_clock::now();
            std::string reason = accessProblem(track.path);
            try {
                if (reason.empty()) {
                    const auto analysis = runAnalysis(fs::path(track.path), settings);
                    const SummaryRow row = summaryRow(*analysis, track.path, track.label);
                    if (options.exports.frames || !options.exports.npy.empty())
                        writeTrackExports(*analysis, options.output / "tracks" / trackStem(track),
                                          track.path, options.exports);
                    // A cache checked on reuse (wholeRowFile): no need to wait for the disk.
                    writeFileAtomically(rowFile(track), summaryCsv({row}), Flush::beforeCrashOnly);
                }
            } catch (const AudioError& error) {
                reason = error.reason();
            } catch (const std::exception& error) {
                reason = error.what();
            }
            if (reason.empty() && !fs::exists(rowFile(track))) reason = "no result written";
            outcomes[todo[k]].reason = reason;
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - begin;
            progress.trackDone(track.path, reason, took.count());
        }
    };
    std::vector<std::thread> workers;
    for (int w = 1; w < std::min<int>(jobs, static_cast<int>(todo.size())); ++w)
        workers.emplace_back(work);
    work();
    for (auto& worker : workers)
        worker.join();
    progress.finish();

    // The tables cover every track of this run that has a row, in path order.
    std::string header, body, skipped = "path,reason\n";
    std::size_t written = 0, reused = 0, failed = 0;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        if (!outcomes[i].reason.empty()) {
            ++failed;
            skipped += csvField(tracks[i].path) + "," + csvField(outcomes[i].reason) + "\n";
            continue;
        }
        const auto [row_header, line] =
            splitRow(outcomes[i].reused ? outcomes[i].row : readFile(rowFile(tracks[i])));
        if (header.empty()) header = row_header;
        body += line;
        ++(outcomes[i].reused ? reused : written);
    }
    if (header.empty()) {
        try {
            header = headerFor(options.settings);
        } catch (const std::exception&) { // the settings fail on silence too: fixed columns only
            header =
                "path,label,duration_s,crop_start_s,crop_start_sample,crop_duration_s,tempo_bpm\n";
        }
    }
    writeSummaryTables(options.output, header + body, options.scaler);
    std::vector<std::string> columns;
    for (auto& rows_of_header : parseCsv(header))
        columns = rows_of_header;
    writeFileAtomically(options.output / "summary.json",
                        summarySidecarJson(options.settings, columns));
    writeFileAtomically(options.output / "skipped.csv", skipped);
    mark.finish();

    const double seconds = progress.elapsed();
    std::fprintf(stderr,
                 "%zu tracks: %zu written, %zu already done, %zu skipped; %.2f s (%.1f files/s)\n",
                 tracks.size(), written, reused, failed, seconds,
                 seconds > 0 ? static_cast<double>(written + failed) / seconds : 0.0);
    if (failed)
        std::fprintf(stderr, "skipped tracks and reasons: %s\n",
                     (options.output / "skipped.csv").c_str());
    return failed ? 1 : 0;
}

} // namespace featurescope::extract
