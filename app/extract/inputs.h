// The tracks a command line names: files, folders searched recursively, list files; their
// labels; and the stable shard each belongs to.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope::extract {

/// One track to analyse. `path` is how the summary names it (as found from the inputs);
/// `label` is its parent folder's name (genres/jazz/x.mp3 -> jazz; empty without a folder).
struct Track {
    std::string path;
    std::string label;
};

/// Every track the inputs name, sorted by path, each once. A folder is searched recursively for
/// audio files (wav, flac, ogg, opus, mp3, aif, aiff, by extension, any case); an entry with such
/// an extension that is not a regular file (a folder named x.mp3) is kept, so that it is
/// reported rather than silently ignored. A .txt / .lst / .list file lists one path per line
/// (blank lines and lines starting with '#' are skipped). Any other input is taken as a track,
/// even if missing, so that its problem is reported.
std::vector<Track> collectTracks(const std::vector<std::string>& inputs);

/// 64-bit FNV-1a: stable across machines and runs (std::hash is not).
std::uint64_t stableHash(std::string_view text);

/// Whether `track` falls in shard `index` of `count`: stableHash(path) % count == index, so a
/// track always lands in the same shard whatever else is in the data set.
bool inShard(const Track& track, int index, int count);

/// Where a track's files go under OUTDIR/tracks: its path, extension included (x.wav and x.flac
/// in one folder must not collide), made relative (leading '/' and '..' parts dropped); the
/// files add their own suffix: x.wav.frames.csv, x.wav.mel.npy, x.wav.json.
std::filesystem::path trackStem(const Track& track);

/// Why `path` cannot be read before even trying ("no read permission", "truncated mp3: ..."),
/// or empty. A file with
/// no read bit at all is refused even for root, who could read it, so that a run behaves the
/// same for every user.
std::string accessProblem(const std::filesystem::path& path);

} // namespace featurescope::extract
