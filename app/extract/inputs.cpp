#include "app/extract/inputs.h"

#include "core/export/csv.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

bool isAudioName(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const std::set<std::string> kAudio{".wav", ".flac", ".ogg", ".opus",
                                              ".mp3", ".aif",  ".aiff"};
    return kAudio.count(ext) > 0;
}

bool isListName(const fs::path& path) {
    const std::string ext = path.extension().string();
    return ext == ".txt" || ext == ".lst" || ext == ".list";
}

std::string labelOf(const fs::path& path) {
    return path.has_parent_path() ? path.parent_path().filename().string() : std::string{};
}

/// Why a folder or list file cannot be read, or empty. One with no read (or, for a folder, no
/// search) bit at all is refused even for root, who could read it, so that a run reports the
/// same for every user.
std::string readProblem(const fs::path& path, bool folder) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::strerror(errno);
    const int need = folder ? R_OK | X_OK : R_OK;
    if ((info.st_mode & (S_IRUSR | S_IRGRP | S_IROTH)) == 0 ||
        (folder && (info.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0) ||
        ::access(path.c_str(), need) != 0)
        return "no read permission";
    return {};
}

Track unreadable(const fs::path& path, const std::string& what, const std::string& why,
                 const std::string& consequence = {}) {
    return {path.generic_string(), labelOf(path),
            what + " cannot be read (" + why + ")" + consequence};
}

void addFolder(const fs::path& folder, std::vector<Track>& tracks) {
    std::string problem = readProblem(folder, true);
    std::error_code ec;
    fs::directory_iterator it;
    if (problem.empty()) it = fs::directory_iterator(folder, ec);
    if (problem.empty() && ec) problem = ec.message();
    if (!problem.empty()) {
        tracks.push_back(
            unreadable(folder, "folder", problem, ": the tracks in it were not analysed"));
        return;
    }
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path& path = it->path();
        std::error_code entry_ec;
        const bool link = it->is_symlink(entry_ec);
        const bool folder_entry = it->is_directory(entry_ec); // through a link too
        if (isAudioName(path) && !(link && folder_entry))
            tracks.push_back({path.generic_string(), labelOf(path), {}});
        if (folder_entry && !link) addFolder(path, tracks);
    }
    if (ec) // listing stopped halfway (an I/O error): what was found is kept, the rest reported
        tracks.push_back(unreadable(folder, "folder", ec.message(),
                                    ": its listing stopped halfway; the rest was not analysed"));
}

void addInput(const std::string& input, std::vector<Track>& tracks, int depth) {
    const fs::path path(input);
    std::error_code ec;
    if (fs::is_directory(path, ec) && !isAudioName(path)) {
        addFolder(path, tracks);
    } else if (fs::is_regular_file(path, ec) && isListName(path) && depth == 0) {
        std::ifstream list(path);
        const std::string problem = readProblem(path, false);
        if (!problem.empty() || !list) {
            tracks.push_back(
                unreadable(path, "list file", problem.empty() ? std::strerror(errno) : problem));
            return;
        }
        std::string line;
        while (std::getline(list, line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            if (line.empty() || line[0] == '#') continue;
            addInput(line, tracks, depth + 1);
        }
    } else {
        if (fs::is_directory(path, ec)) addFolder(path, tracks); // also look inside x.mp3/
        tracks.push_back({path.generic_string(), labelOf(path), {}});
    }
}

/// A '%' followed by two hex digits, which escapeName and trackStem write as "%25".
bool percentBeforeHex(const std::string& text, std::size_t i) {
    const auto hex = [&](std::size_t k) {
        if (k >= text.size()) return false;
        const char c = text[k];
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    };
    return text[i] == '%' && hex(i + 1) && hex(i + 2);
}

} // namespace

std::vector<Track> collectTracks(const std::vector<std::string>& inputs) {
    std::vector<Track> tracks;
    for (const auto& input : inputs)
        addInput(input, tracks, 0);
    // In the order of the text the tables hold, so that a merge of shards (which sorts that
    // text) gives the rows in the same order as one run.
    std::vector<std::pair<std::string, Track>> keyed;
    for (auto& track : tracks)
        keyed.emplace_back(escapeName(track.path), std::move(track));
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    tracks.clear();
    for (auto& [key, track] : keyed)
        tracks.push_back(std::move(track));
    tracks.erase(std::unique(tracks.begin(), tracks.end(),
                             [](const Track& a, const Track& b) { return a.path == b.path; }),
                 tracks.end());
    return tracks;
}

std::uint64_t stableHash(std::string_view text) {
    std::uint64_t hash = 1469598103934665603ull;
    for (const unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

bool inShard(const Track& track, int index, int count) {
    return stableHash(track.path) % static_cast<std::uint64_t>(count) ==
           static_cast<std::uint64_t>(index);
}

fs::path trackStem(const Track& track) {
    fs::path stem;
    const fs::path path(track.path);
    for (auto part = path.begin(); part != path.end(); ++part) {
        const std::string name = part->string();
        if (part == path.begin() && path.has_root_directory()) {
            stem /= "%2F";
        } else if (name == "..") {
            stem /= "%2E%2E";
        } else if (!name.empty() && name != ".") {
            std::string kept;
            for (std::size_t i = 0; i < name.size(); ++i)
                kept += percentBeforeHex(name, i) ? std::string("%25") : std::string(1, name[i]);
            stem /= kept;
        }
    }
    return stem; // the extension stays: x.wav and x.flac side by side must not collide
}

namespace {

std::uint32_t bigEndian(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

/// An mp3 whose Xing/Info header (written by lame and most encoders) declares more stream bytes
/// than the file holds was cut short; the decoder would return its first part without an error.
std::string truncatedMp3(const fs::path& path, std::uintmax_t file_size) {
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> head(16384);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::size_t id3 = 0;
    if (head.size() >= 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3')
        id3 = 10 + ((std::size_t(head[6] & 0x7f) << 21) | (std::size_t(head[7] & 0x7f) << 14) |
                    (std::size_t(head[8] & 0x7f) << 7) | std::size_t(head[9] & 0x7f));
    // The tag sits in the first frame, after the side information: within 64 bytes of its start.
    for (std::size_t i = id3; i + 16 <= head.size() && i < id3 + 64; ++i) {
        const bool xing = std::equal(head.begin() + long(i), head.begin() + long(i) + 4, "Xing");
        const bool info = std::equal(head.begin() + long(i), head.begin() + long(i) + 4, "Info");
        if (!xing && !info) continue;
        const std::uint32_t flags = bigEndian(&head[i + 4]);
        if (!(flags & 2)) return {};
        const std::size_t at = i + 8 + ((flags & 1) ? 4 : 0);
        const std::uint32_t bytes = bigEndian(&head[at]);
        const std::uintmax_t audio = file_size - std::min<std::uintmax_t>(file_size, id3);
        if (static_cast<double>(audio) < 0.99 * bytes)
            return "truncated mp3: its header declares " + std::to_string(bytes) +
                   " bytes of audio, the file holds " + std::to_string(audio);
        return {};
    }
    return {};
}

} // namespace

std::string accessProblem(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return {}; // load() names the problem
    if (!S_ISREG(info.st_mode)) return {};
    if (::access(path.c_str(), R_OK) != 0 || (info.st_mode & (S_IRUSR | S_IRGRP | S_IROTH)) == 0)
        return "no read permission";
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".mp3") return truncatedMp3(path, static_cast<std::uintmax_t>(info.st_size));
    return {};
}

} // namespace featurescope::extract
