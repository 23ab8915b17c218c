// The tracks a command line names: files, folders searched recursively, list files; their
// labels; and the stable shard each belongs to.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope::extract {

/// One track to analyse. `path` is how the summary names it (as found from the inputs, the file
/// system's bytes; the tables write it through escapeName); `label` is its parent folder's name
/// (genres/jazz/x.mp3 -> jazz; empty without a folder). `problem`, when not empty, is why the
/// entry cannot be analysed before even trying: a folder or list file that cannot be read is
/// such an entry, so that it is reported in skipped.csv instead of silently missing.
struct Track {
    std::string path;
    std::string label;
    std::string problem;
};

/// Every track the inputs name, sorted by the path as the tables write it (escapeName), each
/// once. A folder is searched recursively for audio files (wav, flac, ogg, opus, mp3, aif, aiff,
/// by extension, any case; symbolic links to folders are not followed); an entry with such an
/// extension that is not a regular file (a folder named x.mp3) is kept, so that it is reported
/// rather than silently ignored. A folder that cannot be listed, or that has no read or search
/// permission bit at all (refused even for root, like such a file), is kept with its `problem`.
/// A .txt / .lst / .list file lists one path per line (blank lines and lines starting with '#'
/// are skipped). Any other input is taken as a track, even if missing, so that its problem is
/// reported.
std::vector<Track> collectTracks(const std::vector<std::string>& inputs);

/// 64-bit FNV-1a: stable across machines and runs (std::hash is not).
std::uint64_t stableHash(std::string_view text);

/// Whether `track` falls in shard `index` of `count`: stableHash(path) % count == index, so a
/// track always lands in the same shard whatever else is in the data set.
bool inShard(const Track& track, int index, int count);

/// Where a track's files go under OUTDIR/tracks: its path, extension included (x.wav and x.flac
/// in one folder must not collide), part by part, kept relative and distinct: a leading '/' is
/// the part "%2F", a ".." part "%2E%2E", "." parts are dropped (they name the same file), and a
/// '%' before two hex digits is written "%25" (so that no name can pass for those); the file
/// system's bytes are kept otherwise. `in/a.mp3`, `../in/a.mp3` and `/in/a.mp3` thus get
/// `in/a.mp3`, `%2E%2E/in/a.mp3` and `%2F/in/a.mp3`. The files add their own suffix:
/// x.wav.frames.csv, x.wav.mel.npy, x.wav.json.
std::filesystem::path trackStem(const Track& track);

/// Why `path` cannot be read before even trying ("no read permission", "truncated mp3: ..."),
/// or empty. A file with
/// no read bit at all is refused even for root, who could read it, so that a run behaves the
/// same for every user.
std::string accessProblem(const std::filesystem::path& path);

} // namespace featurescope::extract
