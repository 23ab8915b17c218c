// The output folder's housekeeping, shared by a run and a merge: one writer at a time (a lock),
// no temporaries left behind by a killed run, and exports under tracks/ that all come from the
// settings of the run that wrote them.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace featurescope::extract {

/// Another process holds a folder's lock; `what()` names the folder, the lock file and the
/// process (PID and command line). A run or merge that meets it exits with status 2.
class FolderBusy : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A flock(2) on FOLDER/.featurescope/lock, held while the object lives: `exclusive` for the run
/// or merge that writes FOLDER (the file then holds its PID), shared for a merge reading a shard,
/// so that a shard is not read while a run still writes it. Exclusive creates FOLDER and
/// FOLDER/.featurescope when missing; shared does nothing for a folder without a lock file (an
/// output of an earlier version). Throws FolderBusy when another process holds the lock,
/// std::filesystem::filesystem_error when the folder cannot be made. Where the file system has
/// no locks (flock fails with ENOLCK), says so on stderr and goes on unlocked.
class FolderLock {
public:
    enum class Mode { exclusive, shared };
    explicit FolderLock(const std::filesystem::path& folder, Mode mode = Mode::exclusive);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

/// Removes the temporaries a killed writer left (core/export/atomic_file.h's isAtomicTemporary names
/// them) in OUTDIR itself and anywhere under OUTDIR/tracks and OUTDIR/.featurescope, the only
/// places featurescope-extract writes; nothing else is touched. Call it holding the lock, so that
/// no live writer's temporary is taken. Returns the files removed.
std::vector<std::filesystem::path> removeTemporaries(const std::filesystem::path& outdir);

/// What the exports under OUTDIR/tracks are made with: `settings` (settingsJson) and `exports`
/// ("frames,mel,cqt", "none"); recorded in OUTDIR/.featurescope/exports.txt.
struct ExportSettings {
    std::string settings;
    std::string exports;
    bool operator==(const ExportSettings&) const = default;
};

/// The record OUTDIR/.featurescope/exports.txt holds, or empty fields when there is none.
ExportSettings recordedExportSettings(const std::filesystem::path& outdir);

/// Makes OUTDIR/tracks hold only exports made with `wanted`, then records `wanted`. When the
/// record names other settings, or there is none and OUTDIR/.featurescope has rows of other
/// settings than `rows_folder` (an earlier version's output), every export file under
/// OUTDIR/tracks (*.frames.csv, *.<matrix>.npy, *.json) is removed, since a table beside a
/// sidecar that does not list it would pass for this run's; stderr says which folder, why (the
/// settings that differ) and how many files. Returns the number of files removed.
std::size_t keepExportsConsistent(const std::filesystem::path& outdir, const ExportSettings& wanted,
                                  const std::filesystem::path& rows_folder);

} // namespace featurescope::extract
