#include "app/extract/inputs.h"

#include <algorithm>
#include <cctype>
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

void addFolder(const fs::path& folder, std::vector<Track>& tracks) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(
             folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path& path = it->path();
        if (isAudioName(path) && !(it->is_symlink(ec) && it->is_directory(ec)))
            tracks.push_back({path.generic_string(), labelOf(path)});
    }
}

void addInput(const std::string& input, std::vector<Track>& tracks, int depth) {
    const fs::path path(input);
    std::error_code ec;
    if (fs::is_directory(path, ec) && !isAudioName(path)) {
        addFolder(path, tracks);
    } else if (fs::is_regular_file(path, ec) && isListName(path) && depth == 0) {
        std::ifstream list(path);
        std::string line;
        while (std::getline(list, line)) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            if (line.empty() || line[0] == '#') continue;
            addInput(line, tracks, depth + 1);
        }
    } else {
        if (fs::is_directory(path, ec)) addFolder(path, tracks); // also look inside x.mp3/
        tracks.push_back({path.generic_string(), labelOf(path)});
    }
}

} // namespace

std::vector<Track> collectTracks(const std::vector<std::string>& inputs) {
    std::vector<Track> tracks;
    for (const auto& input : inputs)
        addInput(input, tracks, 0);
    std::sort(tracks.begin(), tracks.end(),
              [](const Track& a, const Track& b) { return a.path < b.path; });
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
    for (const auto& part : fs::path(track.path).lexically_normal().relative_path()) {
        if (part == ".." || part == ".") continue;
        stem /= part;
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
