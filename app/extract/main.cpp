// featurescope-extract: librosa's features for a folder of tracks, one command.
#include "app/extract/extract.h"
#include "app/extract/merge.h"
#include "app/extract/options.h"
#include "app/extract/slurm_script.h"
#include "app/extract/tables.h"
#include "core/pipeline/analysis.h"
#include "core/export/csv.h"
#include "core/util/malloc_tuning.h"
#include "core/dataset/standardize.h"
#include "core/pipeline/summary.h"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace {

using namespace featurescope;
using namespace featurescope::extract;
namespace fs = std::filesystem;

/// The summary's feature columns (tempo_bpm on) for `settings`, from one second of silence, or
/// empty when the settings need a real track (a highlight crop).
std::vector<std::string> featureColumns(const AnalysisSettings& settings) {
    try {
        const auto columns = summaryColumnsFor(settings);
        // The scaled columns, as scaler.csv holds them.
        return {columns.begin() + kUnscaledColumns, columns.end()};
    } catch (const std::exception&) {
        return {};
    }
}

/// --scaler FILE must be a scaler.csv whose columns are the summary's, before any track is read.
void checkScaler(const Options& options) {
    if (!options.scaler) return;
    const std::string name = "--scaler " + options.scaler->string();
    Scaler scaler;
    try {
        scaler = readScaler(*options.scaler);
    } catch (const std::exception& error) {
        throw UsageError(name + ": not a readable scaler.csv (column,mean,std): " + error.what());
    }
    if (options.merge) return; // the shards' columns are known once they are read
    const auto columns = featureColumns(options.settings);
    if (!columns.empty() && columns != scaler.columns)
        throw UsageError(name + " has " + std::to_string(scaler.columns.size()) +
                         " columns, these settings make " + std::to_string(columns.size()) +
                         ": extract with the settings that made it");
}

/// The output folder must be a folder this process can write: checked (and for an extraction
/// made) before any track is read, so that the message names the user's path.
void checkOutput(const Options& options) {
    const fs::path& out = options.output;
    const std::string name = out.string();
    std::error_code error;
    if (fs::exists(out, error) && !fs::is_directory(out, error))
        throw std::runtime_error("cannot write to " + name + ": it is a file, not a folder");
    if (!options.merge && !fs::exists(out, error)) {
        fs::create_directories(out, error);
        if (error) throw std::runtime_error("cannot create " + name + ": " + error.message());
    }
    if (fs::exists(out, error) && ::access(out.c_str(), W_OK | X_OK) != 0)
        throw std::runtime_error("cannot write to " + name + ": no write permission");
}

} // namespace

int main(int argc, char** argv) {
    tuneMallocForLargeArrays(argv);
    if (argc > 1 && std::string(argv[1]) == "slurm-script")
        return runSlurmScript(std::vector<std::string>(argv + 2, argv + argc));
    try {
        const Options options = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
        if (options.help) {
            std::fputs(usage(options.merge).c_str(), stdout);
            return kAllWritten;
        }
        if (options.version) {
            std::printf("%s\n", versionLine().c_str());
            return kAllWritten;
        }
        checkScaler(options);
        for (const auto& note : options.notes)
            std::fprintf(stderr, "featurescope-extract: note: %s\n", note.c_str());
        checkOutput(options);
        return options.merge ? runMerge(options) : runExtract(options);
    } catch (const UsageError& error) {
        std::fprintf(stderr, "featurescope-extract: %s\nTry 'featurescope-extract --help'.\n",
                     error.what());
        return kUsage;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "featurescope-extract: error: %s\n", error.what());
        return kRuntime;
    }
}
