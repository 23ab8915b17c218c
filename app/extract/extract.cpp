#include "app/extract/extract.h"

#include "app/extract/inputs.h"
#include "app/extract/outdir.h"
#include "app/extract/progress.h"
#include "app/extract/row_cache.h"
#include "app/extract/shard_mark.h"
#include "app/extract/tables.h"
#include "app/extract/warnings.h"
#include "core/pipeline/analysis.h"
#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/export/export.h"
#include "core/util/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <thread>

#include <unistd.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

/// A finished row file's text: the summary header, then the track's line.
std::pair<std::string, std::string> splitRow(const std::string& text) {
    const auto newline = text.find('\n');
    if (newline == std::string::npos) return {};
    return {text.substr(0, newline + 1), text.substr(newline + 1)};
}

/// The summary header for settings no track could give.
std::string headerFor(const AnalysisSettings& settings) {
    std::string header;
    for (const auto& column : summaryColumnsFor(settings))
        header += (header.empty() ? "" : ",") + csvField(column);
    return header + "\n";
}

struct Outcome {
    std::string reason; // empty: written
    bool reused = false;
    std::string row; // the row's text (header and line), reused or just computed
};

std::vector<Track> selectTracks(const Options& options) {
    std::vector<Track> tracks;
    for (auto& track : collectTracks(options.inputs))
        if (inShard(track, options.shard_index, options.shard_count))
            tracks.push_back(std::move(track));
    return tracks;
}

ExportSettings exportSettingsOf(const Options& options) {
    std::string exports = options.exports.frames ? "frames" : "";
    for (const auto& name : options.exports.npy)
        exports += (exports.empty() ? "" : ",") + name;
    return {settingsJson(options.settings), exports.empty() ? "none" : exports};
}

/// Before any track: the temporaries of a killed run go, and tracks/ keeps only exports of
/// this run's settings.
void prepareOutputFolder(const Options& options, const RowCache& cache) {
    const auto removed = removeTemporaries(options.output);
    if (!removed.empty())
        std::fprintf(stderr,
                     "featurescope-extract: removed %zu temporary files an interrupted run left "
                     "(%s%s)\n",
                     removed.size(), removed.front().c_str(), removed.size() > 1 ? ", ..." : "");
    keepExportsConsistent(options.output, exportSettingsOf(options), cache.folder());
}

/// The tracks to analyse: those without a finished row (all with --force). A row that is stale
/// (the file changed, an export is missing) is said so.
std::vector<std::size_t> findTodo(const std::vector<Track>& tracks, const RowCache& cache,
                                  bool force, std::vector<Outcome>& outcomes) {
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        std::string why;
        std::optional<std::string> row;
        if (!force && tracks[i].problem.empty()) row = cache.finished(tracks[i], why);
        if (row) {
            outcomes[i].reused = true;
            outcomes[i].row = std::move(*row);
            continue;
        }
        if (!why.empty())
            std::fprintf(stderr, "analysing again %s: %s\n", tracks[i].path.c_str(), why.c_str());
        todo.push_back(i);
    }
    return todo;
}

/// Why the exports of `stem` cannot be written under a file system's NAME_MAX, or empty.
std::string exportNameProblem(const fs::path& stem, const TrackExports& exports, long name_max) {
    for (const auto& file : trackExportFiles(stem, exports)) {
        const std::string name = file.filename().string();
        if (static_cast<long>(name.size()) > name_max)
            return "its export file name " + name + " is " + std::to_string(name.size()) +
                   " bytes, more than the file system allows (NAME_MAX " +
                   std::to_string(name_max) + "); rename the track or leave that export out";
    }
    return {};
}

/// Analyses one track, writes its exports and its row; returns the outcome.
Outcome analyseTrack(const Track& track, const Options& options, const AnalysisSettings& settings,
                     const RowCache& cache, long name_max) {
    Outcome outcome;
    const fs::path stem = options.output / "tracks" / trackStem(track);
    std::string& reason = outcome.reason;
    reason = track.problem;
    if (reason.empty()) reason = accessProblem(track.path);
    if (reason.empty()) reason = exportNameProblem(stem, options.exports, name_max);
    if (!reason.empty()) return outcome;
    try {
        const auto stamp = stampOf(track.path); // before reading: a change meanwhile is redone
        const auto analysis = runAnalysis(fs::path(track.path), settings);
        if (!stamp) throw std::runtime_error("cannot read its size and modification time");
        const SummaryRow row =
            summaryRow(*analysis, escapeName(track.path), escapeName(track.label));
        if (options.exports.frames || !options.exports.npy.empty())
            writeTrackExports(*analysis, stem, escapeName(track.path), options.exports);
        keepWarnings(track.path, escapeName(track.path), cache.rowFile(track));
        outcome.row = summaryCsv({row});
        cache.store(track, *stamp, outcome.row);
    } catch (const AudioError& error) {
        reason = error.reason();
    } catch (const std::exception& error) {
        reason = error.what();
    }
    if (reason.empty() && outcome.row.empty()) reason = "no result written";
    return outcome;
}

void analyseTracks(const std::vector<Track>& tracks, const std::vector<std::size_t>& todo,
                   const Options& options, const RowCache& cache, std::vector<Outcome>& outcomes,
                   Progress& progress) {
    const int jobs = options.jobs > 0
                         ? options.jobs
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    AnalysisSettings settings = options.settings;
    // Tracks in parallel already fill the cores; one track at a time parallelises its stages.
    settings.threads = jobs > 1 ? 1 : 0;
    const long limit = ::pathconf(options.output.c_str(), _PC_NAME_MAX);
    const long name_max = limit > 0 ? limit : 255;
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        // With tracks side by side, each keeps to its thread, its summary included.
        const ThreadLimitScope limit_threads(jobs > 1 ? 1 : 0);
        for (std::size_t k; (k = next++) < todo.size();) {
            const Track& track = tracks[todo[k]];
            const auto begin = std::chrono::steady_clock::now();
            outcomes[todo[k]] = analyseTrack(track, options, settings, cache, name_max);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - begin;
            progress.trackDone(track.path, outcomes[todo[k]].reason, took.count());
        }
    };
    std::vector<std::thread> workers;
    for (int w = 1; w < std::min<int>(jobs, static_cast<int>(todo.size())); ++w)
        workers.emplace_back(work);
    work();
    for (auto& worker : workers)
        worker.join();
}

struct Counts {
    std::size_t written = 0, reused = 0, failed = 0;
};

/// summary.csv and its twins, summary.json, skipped.csv and warnings.csv, over every track of
/// this run that has a row, in path order.
Counts writeTables(const Options& options, const std::vector<Track>& tracks,
                   const std::vector<Outcome>& outcomes, const RowCache& cache) {
    Counts counts;
    std::string header, body, skipped = "path,reason\n", warnings;
    for (std::size_t i = 0; i < tracks.size(); ++i) {
        if (!outcomes[i].reason.empty()) {
            ++counts.failed;
            skipped += csvField(escapeName(tracks[i].path)) + "," +
                       csvField(escapeName(outcomes[i].reason)) + "\n";
            continue;
        }
        const auto [row_header, line] = splitRow(outcomes[i].row);
        if (header.empty()) header = row_header;
        body += line;
        warnings += warningLine(cache.rowFile(tracks[i]));
        ++(outcomes[i].reused ? counts.reused : counts.written);
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
    writeWarnings(options.output, warnings);
    return counts;
}

} // namespace

int runExtract(const Options& options) {
    std::optional<FolderLock> lock;
    try {
        lock.emplace(options.output);
    } catch (const FolderBusy& busy) {
        std::fprintf(stderr, "featurescope-extract: %s\n", busy.what());
        return 2;
    }
    // After the lock: the mark of an earlier run in this folder goes first.
    const ShardMark mark = ShardMark::begin(options);
    const std::vector<Track> tracks = selectTracks(options);
    const RowCache cache(options.output, options);
    prepareOutputFolder(options, cache);

    std::vector<Outcome> outcomes(tracks.size());
    const std::vector<std::size_t> todo = findTodo(tracks, cache, options.force, outcomes);
    Progress progress(todo.size(), ::isatty(STDERR_FILENO) != 0);
    analyseTracks(tracks, todo, options, cache, outcomes, progress);
    progress.finish();
    const Counts counts = writeTables(options, tracks, outcomes, cache);
    mark.finish();

    const double seconds = progress.elapsed();
    std::fprintf(stderr,
                 "%zu tracks: %zu written, %zu already done, %zu skipped; %.2f s (%.1f files/s)\n",
                 tracks.size(), counts.written, counts.reused, counts.failed, seconds,
                 seconds > 0 ? static_cast<double>(counts.written + counts.failed) / seconds : 0.0);
    if (counts.failed)
        std::fprintf(stderr, "skipped tracks and reasons: %s\n",
                     (options.output / "skipped.csv").c_str());
    return counts.failed ? 1 : 0;
}

} // namespace featurescope::extract
