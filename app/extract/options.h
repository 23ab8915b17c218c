// Command-line options of featurescope-extract, with librosa's parameter names.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "core/export/export.h"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope::extract {

/// The exit statuses of featurescope-extract.
enum Exit : int {
    kAllWritten = 0,
    kSomeSkipped = 1, ///< each skipped track is reported with its reason and in skipped.csv
    kUsage = 2,       ///< a command line that cannot run, found before any track is read
    kRuntime = 3,     ///< the run could not finish: an unusable output folder, a full disk ...
};

/// A command line that cannot be run; main() prints it with a pointer to --help and exits with
/// kUsage.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Everything the command line says.
struct Options {
    bool merge = false; ///< `featurescope-extract merge SHARD_DIR... -o OUTDIR`
    bool help = false;
    bool version = false;
    std::vector<std::string> inputs; ///< files, folders, list files (or shard folders to merge)
    std::filesystem::path output;
    AnalysisSettings settings;
    TrackExports exports;
    int jobs = 0;        ///< 0 = every core
    int shard_index = 0; ///< --shard I/N: 0 <= I < N
    int shard_count = 1;
    bool force = false; ///< recompute tracks already done
    /// --scaler FILE: z-score with this scaler.csv instead of fitting one to this data set.
    std::optional<std::filesystem::path> scaler;
    /// Remarks on options that change no output, printed before the run.
    std::vector<std::string> notes;
};

/// Parses argv (without argv[0]) and validates the settings once. Throws UsageError stating what
/// is wrong; with --help or --version it returns at once, with `help` or `version` set.
Options parseOptions(const std::vector<std::string>& args);

/// The --help text (of `merge` when `merge`), made from the same declarations as the parser.
std::string usage(bool merge = false);

/// The --version line.
std::string versionLine();

} // namespace featurescope::extract
