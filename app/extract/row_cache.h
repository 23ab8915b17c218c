// The re-run cache: the summary row of every finished track, so that a re-run (or a run in a
// merged folder) analyses only the tracks that are new, changed or missing an export.
#pragma once

#include "app/extract/inputs.h"
#include "app/extract/options.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace featurescope::extract {

/// What identifies the version of an audio file a row was computed from.
struct FileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0; ///< modification time, nanoseconds since the epoch
    bool operator==(const FileStamp&) const = default;
};

/// The size and modification time of `path` (through symbolic links), or nullopt when it cannot
/// be read.
std::optional<FileStamp> stampOf(const std::filesystem::path& path);

/// The folder of finished rows for these settings and exports:
/// OUTDIR/.featurescope/rows-<hash>.
std::filesystem::path rowsFolder(const std::filesystem::path& outdir, const Options& options);

/// The finished rows of one run's settings. A row file, <rowsFolder>/<hash of the path>.csv,
/// holds the line "# featurescope row: size=<bytes> mtime_ns=<ns>" (the audio file it was
/// computed from), then the summary header and the track's line.
class RowCache {
public:
    RowCache(const std::filesystem::path& outdir, const Options& options);

    const std::filesystem::path& folder() const { return folder_; }
    std::filesystem::path rowFile(const Track& track) const;

    /// The track's row, "header\nline\n", when its row file is whole, stamps the audio file as it
    /// is now (same size and modification time: a file replaced under the same name is analysed
    /// again) and every file the exports want exists under OUTDIR/tracks (a track is done only
    /// when all its files are there). Otherwise nullopt, with `why` saying what is stale ("changed
    /// since it was analysed: ...", "its export OUT/tracks/x.wav.mel.npy is missing"), or empty
    /// when there is no usable row at all.
    std::optional<std::string> finished(const Track& track, std::string& why) const;

    /// Stores `summary_csv` (a header and the track's line) as computed from the audio file that
    /// `stamp` describes. Written without an fsync: finished() checks that a row file is whole.
    void store(const Track& track, const FileStamp& stamp, const std::string& summary_csv) const;

private:
    std::filesystem::path outdir_;
    std::filesystem::path folder_;
    TrackExports exports_;
};

} // namespace featurescope::extract
