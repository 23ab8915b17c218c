#include "app/extract/slurm_script.h"

#include "app/extract/inputs.h"
#include "app/extract/memory_model.h"
#include "app/extract/options.h"
#include "core/export/atomic_file.h"
#include "core/io/audio.h"
#include "core/io/audio_info.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string_view>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

struct ScriptOptions {
    int shards = 0;
    int cpus_per_task = 4;
    int throttle = 0; // 0: min(shards, 32)
    std::string time, partition, account, job_name = "featurescope";
    std::string script_dir; // empty: OUTDIR/slurm
};

std::string decimal(std::uint64_t value) {
    char text[24];
    return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

std::string fixed1(double value) {
    char text[32];
    return std::string(
        text, std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 1).ptr);
}

std::string mib(std::uint64_t bytes) {
    return decimal((bytes + (1u << 20) - 1) >> 20) + " MiB";
}

/// One word for bash: as it is when it holds only characters bash leaves alone, else quoted.
std::string shellWord(std::string_view word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("_./:=,+-@%").find(c) != std::string_view::npos;
    });
    if (plain) return std::string(word);
    std::string text = "'";
    for (const char c : word)
        text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return text + "'";
}

/// The extract arguments without their -o / --output, which each task replaces by its shard's.
std::vector<std::string> withoutOutput(const std::vector<std::string>& args) {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-o" || arg == "--output") {
            ++i;
            continue;
        }
        if (arg.rfind("--output=", 0) == 0 || (arg.size() > 2 && arg[0] == '-' && arg[1] == 'o'))
            continue; // --output=DIR, -oDIR
        kept.push_back(arg);
    }
    return kept;
}

/// What the scripts need to know of the data set.
struct DataSet {
    std::size_t tracks = 0;
    std::size_t smallest_shard = 0, largest_shard = 0;
    std::string largest_path; // the track the memory model gives the most
    TrackSize largest;
    bool length_estimated = false;
    std::vector<std::string> unreadable; // headers that cannot be read: the run reports them
};

DataSet measure(const Options& options, int shards) {
    DataSet data;
    std::vector<std::size_t> sizes(static_cast<std::size_t>(shards), 0);
    std::uint64_t most = 0;
    for (const auto& track : collectTracks(options.inputs)) {
        ++data.tracks;
        // inShard's rule, once per track rather than once per track and shard.
        ++sizes[stableHash(track.path) % sizes.size()];
        try {
            const AudioInfo info = readAudioInfo(track.path);
            TrackSize size{0.0, info.sr_native, info.file_size};
            // No length in the header: the file's size at 32 kbit/s, below any common bit rate.
            size.seconds = info.duration().value_or(static_cast<double>(info.file_size) / 4000.0);
            const std::uint64_t bytes = trackPeakBytes(options.settings, options.exports, size);
            if (bytes > most || data.largest_path.empty()) {
                most = bytes;
                data.largest = size;
                data.largest_path = track.path;
                data.length_estimated = !info.duration();
            }
        } catch (const AudioError& error) {
            data.unreadable.push_back(error.what());
        }
    }
    data.smallest_shard = *std::min_element(sizes.begin(), sizes.end());
    data.largest_shard = *std::max_element(sizes.begin(), sizes.end());
    return data;
}

void checkWord(const std::string& option, const std::string& value, std::string_view allowed) {
    for (const char c : value)
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            allowed.find(c) == std::string_view::npos)
            throw UsageError(option + " takes letters, digits and '" + std::string(allowed) +
                             "', not '" + value + "'");
}

/// A path on an #SBATCH line, which sbatch splits at white space unless it is in double quotes.
std::string sbatchPath(const fs::path& path) {
    const std::string text = path.string();
    if (text.find_first_of("\"\n") != std::string::npos)
        throw UsageError("an #SBATCH line cannot hold the path " + text);
    return text.find_first_of(" \t") == std::string::npos ? text : "\"" + text + "\"";
}

std::string sbatchHeader(const std::string& job_name, int cpus, const std::string& mem,
                         const fs::path& log, const ScriptOptions& script) {
    std::string text = "#SBATCH --job-name=" + job_name +
                       "\n#SBATCH --cpus-per-task=" + decimal(cpus) + "\n#SBATCH --mem=" + mem +
                       "\n#SBATCH --chdir=" + sbatchPath(fs::current_path()) +
                       "\n#SBATCH --output=" + sbatchPath(log) + "\n";
    if (!script.time.empty()) text += "#SBATCH --time=" + script.time + "\n";
    if (!script.partition.empty()) text += "#SBATCH --partition=" + script.partition + "\n";
    if (!script.account.empty()) text += "#SBATCH --account=" + script.account + "\n";
    return text;
}

/// `text` with each @KEY@ replaced by its value, in one pass (a value is never searched again).
std::string fill(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t open = text.find('@', at);
        const std::size_t close = open == std::string_view::npos ? open : text.find('@', open + 1);
        const auto it = close == std::string_view::npos
                            ? values.end()
                            : values.find(std::string(text.substr(open + 1, close - open - 1)));
        if (it == values.end()) {
            const std::size_t end = open == std::string_view::npos ? text.size() : open + 1;
            out += text.substr(at, end - at);
            at = end;
            continue;
        }
        out += text.substr(at, open - at);
        out += it->second;
        at = close + 1;
    }
    return out;
}

constexpr std::string_view kExtractScript = R"sh(#!/bin/bash
# featurescope-extract over a data set as a Slurm job array: task I of @N@ analyses
# --shard I/@N@ into @SHARDS@/I; merge.sbatch joins them. Written by
# `featurescope-extract slurm-script`; submit both with submit.sh.
#
# data set: @DATASET@
# largest:  @LARGEST@
# --mem:    the memory model (app/extract/memory_model.h) for @AT_ONCE@ such track(s) at once,
#           @MODEL@, + 25 %
@SBATCH@#SBATCH --array=0-@LAST@%@THROTTLE@
set -u
@PATHS@submit=@SUBMIT@
shard=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is a job array}
status=0
"$exe"@ARGS@ \
    --shard "$shard/@N@" --jobs "${SLURM_CPUS_PER_TASK:-1}" -o "$shards_dir/$shard" || status=$?
case $status in
0) ;;
1) # some files skipped: each reported and listed, not a failed task
    echo "featurescope-extract: shard $shard/@N@ skipped files listed in" \
        "$shards_dir/$shard/skipped.csv; the task succeeded" >&2
    ;;
*) # 2 usage error, 3 runtime failure, > 128 killed
    echo "featurescope-extract: shard $shard/@N@ failed (exit status $status);" \
        "resubmit it: $submit $shard" >&2
    exit "$status"
    ;;
esac
)sh";

constexpr std::string_view kMergeScript = R"sh(#!/bin/bash
# Joins the @N@ shards of extract.sbatch into @OUT@, what one run would have written;
# refuses, naming them, while a shard is missing or unfinished.
#
# --mem: the memory model for @TRACKS@ rows of @COLUMNS@ columns, @MODEL@, + 25 %
@SBATCH@set -u
@PATHS@shards=()
for ((i = 0; i < @N@; i++)); do shards+=("$shards_dir/$i"); done
status=0
"$exe" merge "${shards[@]}" -o @OUT_WORD@@SCALER@ || status=$?
case $status in
0) ;;
1) echo "featurescope-extract: merged; skipped tracks are listed in skipped.csv" >&2 ;;
*) exit "$status" ;;
esac
)sh";

constexpr std::string_view kSubmitScript = R"sh(#!/bin/bash
# Submits extract.sbatch and merge.sbatch, the merge to start when the extraction has ended.
# `submit.sh TASKS` (3, or 1,5-7) resubmits only those tasks, e.g. a cancelled or failed one
# (the tracks it had finished are kept), and a new merge.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p @LOGS@
array=()
if [ $# -gt 0 ]; then array=("--array=$1%@THROTTLE@"); fi
extract=$(sbatch --parsable "${array[@]}" "$here/extract.sbatch")
extract=${extract%%;*}
merge=$(sbatch --parsable --dependency=afterany:"$extract" "$here/merge.sbatch")
echo "extract job $extract, merge job ${merge%%;*} (starts when the extraction has ended)"
)sh";

} // namespace

int runSlurmScript(const std::vector<std::string>& args) {
    ScriptOptions script;
    CLI::App app{"Writes the Slurm job array that runs featurescope-extract over INPUT in "
                 "--shards N shares (task I: --shard I/N, --jobs = --cpus-per-task) and the merge "
                 "job that joins them into OUTDIR. Every argument not listed here is an extract "
                 "INPUT or option (see featurescope-extract --help), passed on verbatim.",
                 "featurescope-extract slurm-script INPUT... -o OUTDIR --shards N"};
    app.allow_extras();
    app.add_option("--shards", script.shards,
                   "array tasks, one shard each (Slurm's default "
                   "MaxArraySize allows up to 1001)")
        ->required()
        ->check(CLI::Range(1, 1000000));
    app.add_option("--cpus-per-task", script.cpus_per_task, "cores per task = tracks at once")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    app.add_option("--throttle", script.throttle,
                   "at most K tasks at once (%K; default "
                   "min(N, 32))")
        ->check(CLI::Range(1, 1000000));
    app.add_option("--time", script.time, "each task's time limit, sbatch's --time format");
    app.add_option("--partition", script.partition, "sbatch --partition");
    app.add_option("--account", script.account, "sbatch --account");
    app.add_option("--job-name", script.job_name, "job name; the merge's adds -merge")
        ->capture_default_str();
    app.add_option("--script-dir", script.script_dir, "where the scripts go (OUTDIR/slurm)");
    const auto fail = [](const std::string& message) {
        std::fprintf(stderr,
                     "featurescope-extract slurm-script: %s\nTry 'featurescope-extract "
                     "slurm-script --help'.\n",
                     message.c_str());
        return 2;
    };
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError& error) {
        return fail(error.what());
    }
    const std::vector<std::string> extract = app.remaining();
    Options options;
    try {
        options = parseOptions(extract);
        if (options.merge)
            throw UsageError("slurm-script writes an extraction; its merge job is "
                             "written with it");
        if (options.help || options.version)
            throw UsageError("--help / --version are not for the tasks: see slurm-script --help");
        if (options.shard_count != 1)
            throw UsageError("--shard is set for each task from --shards");
        if (options.jobs != 0) throw UsageError("--jobs is set for each task from --cpus-per-task");
        checkWord("--time", script.time, ":-");
        checkWord("--partition", script.partition, "_.,-");
        checkWord("--account", script.account, "_.-");
        checkWord("--job-name", script.job_name, "_.+-");
        if (script.job_name.empty()) throw UsageError("--job-name cannot be empty");
    } catch (const UsageError& error) {
        return fail(error.what());
    } catch (const std::exception& error) {
        return fail(error.what());
    }

    try {
        const DataSet data = measure(options, script.shards);
        if (data.tracks == 0) return fail("the inputs name no audio file");
        const int throttle = script.throttle ? script.throttle : std::min(script.shards, 32);
        const int at_once =
            static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(script.cpus_per_task),
                                                   std::max<std::size_t>(1, data.largest_shard)));
        const std::uint64_t task_bytes =
            taskPeakBytes(options.settings, options.exports, data.largest, at_once);
        const std::size_t columns = summaryColumns(options.settings);
        const std::uint64_t merge_bytes = mergePeakBytes(data.tracks, columns);
        const std::string task_mem = slurmMem(task_bytes), merge_mem = slurmMem(merge_bytes);

        const fs::path out = options.output;
        const fs::path out_abs = fs::absolute(out).lexically_normal();
        const fs::path dir =
            fs::absolute(script.script_dir.empty() ? out / "slurm" : fs::path(script.script_dir))
                .lexically_normal();
        std::error_code ec;
        fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (ec) exe = "featurescope-extract";
        std::string args;
        for (const auto& arg : withoutOutput(extract))
            args += " " + shellWord(arg);
        std::string dataset = decimal(data.tracks) + " tracks, shards of " +
                              decimal(data.smallest_shard) + " to " + decimal(data.largest_shard);
        if (!data.unreadable.empty())
            dataset += ", " + decimal(data.unreadable.size()) + " whose header cannot be read";
        // The paths as the user wrote them, from the folder slurm-script ran in (--chdir), so
        // that the summary names every track as one run from there would.
        const std::map<std::string, std::string> values{
            {"N", decimal(static_cast<std::uint64_t>(script.shards))},
            {"LAST", decimal(static_cast<std::uint64_t>(script.shards - 1))},
            {"THROTTLE", decimal(static_cast<std::uint64_t>(throttle))},
            {"SHARDS", (out / "shards").string()},
            {"OUT", out.string()},
            {"OUT_WORD", shellWord(out.string())},
            {"SCALER", options.scaler ? " --scaler " + shellWord(options.scaler->string()) : ""},
            {"LOGS", shellWord((out_abs / "logs").string())},
            {"DATASET", dataset},
            {"LARGEST",
             data.largest_path + ", " + fixed1(data.largest.seconds) + " s at " +
                 decimal(static_cast<std::uint64_t>(data.largest.sr_native)) + " Hz" +
                 (data.length_estimated ? " (length estimated from the file size)" : "")},
            {"AT_ONCE", decimal(static_cast<std::uint64_t>(at_once))},
            {"TRACKS", decimal(data.tracks)},
            {"COLUMNS", decimal(columns)},
            {"ARGS", args},
            {"PATHS", "exe=" + shellWord(exe.string()) +
                          "\nshards_dir=" + shellWord((out / "shards").string()) + "\n"},
            {"SUBMIT", shellWord((dir / "submit.sh").string())}};
        auto with = [&values](std::map<std::string, std::string> more) {
            more.insert(values.begin(), values.end());
            return more;
        };
        const std::string task =
            fill(kExtractScript,
                 with({{"MODEL", mib(task_bytes)},
                       {"SBATCH", sbatchHeader(script.job_name, script.cpus_per_task, task_mem,
                                               out_abs / "logs" / "extract-%A_%a.log", script)}}));
        const std::string merge =
            fill(kMergeScript,
                 with({{"MODEL", mib(merge_bytes)},
                       {"SBATCH", sbatchHeader(script.job_name + "-merge", 1, merge_mem,
                                               out_abs / "logs" / "merge-%j.log", script)}}));
        const std::string submit = fill(kSubmitScript, values);

        fs::create_directories(dir);
        fs::create_directories(out_abs / "logs"); // Slurm does not create a log's folder
        writeFileAtomically(dir / "extract.sbatch", task);
        writeFileAtomically(dir / "merge.sbatch", merge);
        writeFileAtomically(dir / "submit.sh", submit);
        fs::permissions(dir / "submit.sh",
                        fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                        fs::perm_options::add);
        std::printf("%zu tracks in %d shards of %zu to %zu; largest %s (%s s)\n", data.tracks,
                    script.shards, data.smallest_shard, data.largest_shard,
                    data.largest_path.c_str(), fixed1(data.largest.seconds).c_str());
        for (std::size_t i = 0; i < std::min<std::size_t>(data.unreadable.size(), 10); ++i)
            std::printf("  header unreadable (the run will report it): %s\n",
                        data.unreadable[i].c_str());
        if (data.unreadable.size() > 10)
            std::printf("  ... and %zu more\n", data.unreadable.size() - 10);
        std::printf("wrote %s/extract.sbatch (%d tasks, at most %d at once, %d CPUs and "
                    "--mem=%s each)\n      %s/merge.sbatch (--mem=%s), %s/submit.sh\n"
                    "submit: %s\n",
                    dir.c_str(), script.shards, throttle, script.cpus_per_task, task_mem.c_str(),
                    dir.c_str(), merge_mem.c_str(), dir.c_str(), (dir / "submit.sh").c_str());
        return 0;
    } catch (const UsageError& error) {
        return fail(error.what());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "featurescope-extract slurm-script: %s\n", error.what());
        return 3;
    }
}

} // namespace featurescope::extract
