// Command-line options of featurescope-extract, with librosa's parameter names.
#pragma once

#include "core/analysis_settings.h"
#include "core/export.h"

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope::extract {

/// A command line that cannot be run; main() prints it with the usage and exits with 2.
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
};

/// Parses argv (without argv[0]). Throws UsageError stating what is wrong.
Options parseOptions(const std::vector<std::string>& args);

/// The --help text.
std::string usage();

} // namespace featurescope::extract
