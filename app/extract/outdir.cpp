#include "app/extract/outdir.h"

#include "core/export/atomic_file.h"
#include "core/export/export.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace featurescope::extract {

namespace fs = std::filesystem;

namespace {

fs::path lockFile(const fs::path& folder) {
    return folder / ".featurescope" / "lock";
}
fs::path recordFile(const fs::path& outdir) {
    return outdir / ".featurescope" / "exports.txt";
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The PID the holder wrote into the lock file. It writes it just after taking the lock, so a
/// file still empty is read again for up to a second.
std::string holderPid(int fd) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        char buffer[32] = {};
        const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
        if (n > 0 && buffer[n - 1] == '\n') return std::string(buffer, static_cast<size_t>(n - 1));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}

/// "featurescope-extract genres -o out" from /proc/PID/cmdline (empty when it cannot be read).
std::string commandOf(const std::string& pid) {
    std::string text = readText("/proc/" + pid + "/cmdline");
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    for (char& c : text)
        if (c == '\0') c = ' ';
    if (text.size() > 200) text = text.substr(0, 200) + "...";
    return text;
}

std::string busyMessage(const fs::path& folder, int fd, bool shared) {
    const std::string pid = holderPid(fd);
    std::string holder = pid.empty() ? "another process" : "process " + pid;
    const std::string command = pid.empty() ? "" : commandOf(pid);
    if (!command.empty()) holder += " (" + command + ")";
    return folder.string() + " is in use: " + holder + " holds its lock " +
           lockFile(folder).string() + (shared ? " and is still writing it" : "") +
           "; wait for it to finish, or write to another folder with -o";
}

bool isExportName(const std::string& name) {
    const auto endsWith = [&](const std::string& tail) {
        return name.size() > tail.size() &&
               name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (endsWith(".frames.csv") || endsWith(".json")) return true;
    for (const auto matrix : kNpyOutputs)
        if (endsWith(std::string(".").append(matrix).append(".npy"))) return true;
    return false;
}

/// The `"key": value` items of a flat JSON object such as settingsJson's.
std::vector<std::string> items(const std::string& json) {
    std::vector<std::string> out;
    const std::string body = json.size() >= 2 ? json.substr(1, json.size() - 2) : json;
    std::size_t begin = 0;
    for (std::size_t at; (at = body.find(", \"", begin)) != std::string::npos; begin = at + 2)
        out.push_back(body.substr(begin, at - begin));
    out.push_back(body.substr(begin));
    return out;
}

/// "n_fft: 2048 then, 1024 now; exports: mel,cqt then, mel now".
std::string difference(const ExportSettings& before, const ExportSettings& now) {
    std::string text;
    const auto add = [&](const std::string& key, const std::string& a, const std::string& b) {
        text += (text.empty() ? "" : "; ") + key + ": " + a + " then, " + b + " now";
    };
    const auto old_items = items(before.settings), new_items = items(now.settings);
    for (std::size_t i = 0; i < std::max(old_items.size(), new_items.size()); ++i) {
        const std::string a = i < old_items.size() ? old_items[i] : "";
        const std::string b = i < new_items.size() ? new_items[i] : "";
        if (a == b) continue;
        const auto colon = b.find("\": ");
        const auto old_colon = a.find("\": ");
        if (colon == std::string::npos || old_colon == std::string::npos ||
            a.substr(0, old_colon) != b.substr(0, colon)) {
            add("settings", before.settings, now.settings);
            break;
        }
        add(b.substr(1, colon - 1), a.substr(old_colon + 3), b.substr(colon + 3));
    }
    if (before.exports != now.exports) add("exports", before.exports, now.exports);
    return text;
}

/// Removes every export file under `tracks`, then the folders left empty; returns how many files.
std::size_t removeExports(const fs::path& tracks) {
    std::size_t removed = 0;
    std::vector<fs::path> folders;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(tracks, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code entry_ec;
        if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) {
            folders.push_back(it->path());
        } else if (it->is_regular_file(entry_ec) && isExportName(it->path().filename().string())) {
            if (fs::remove(it->path(), entry_ec)) ++removed;
        }
    }
    for (auto folder = folders.rbegin(); folder != folders.rend(); ++folder)
        if (fs::is_empty(*folder, ec)) fs::remove(*folder, ec);
    return removed;
}

} // namespace

FolderLock::FolderLock(const fs::path& folder, Mode mode) {
    const fs::path file = lockFile(folder);
    const bool exclusive = mode == Mode::exclusive;
    if (exclusive) fs::create_directories(file.parent_path());
    fd_ =
        ::open(file.c_str(), exclusive ? O_RDWR | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        if (!exclusive && errno == ENOENT) return; // an earlier version's output: no lock to take
        throw std::runtime_error(file.string() + ": cannot open the lock file (" +
                                 std::strerror(errno) + ")");
    }
    if (::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            const std::string message = busyMessage(folder, fd_, !exclusive);
            ::close(fd_);
            fd_ = -1;
            throw FolderBusy(message);
        }
        std::fprintf(stderr, "featurescope-extract: %s cannot be locked (%s): going on unlocked\n",
                     file.c_str(), std::strerror(errno));
        return;
    }
    if (exclusive) {
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd_, 0) != 0 ||
            ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
            std::fprintf(stderr, "featurescope-extract: %s: cannot write this process's ID (%s)\n",
                         file.c_str(), std::strerror(errno));
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) ::close(fd_); // closing releases the lock
}

std::vector<fs::path> removeTemporaries(const fs::path& outdir) {
    std::vector<fs::path> removed;
    const auto consider = [&](const fs::directory_entry& entry) {
        std::error_code ec;
        if (entry.is_regular_file(ec) && !entry.is_symlink(ec) &&
            isAtomicTemporary(entry.path().filename().string()) && fs::remove(entry.path(), ec))
            removed.push_back(entry.path());
    };
    std::error_code ec;
    for (auto it = fs::directory_iterator(outdir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        consider(*it);
    for (const char* sub : {"tracks", ".featurescope"}) {
        std::error_code sub_ec;
        for (auto it = fs::recursive_directory_iterator(outdir / sub, sub_ec);
             !sub_ec && it != fs::recursive_directory_iterator(); it.increment(sub_ec))
            consider(*it);
    }
    return removed;
}

ExportSettings recordedExportSettings(const fs::path& outdir) {
    std::ifstream in(recordFile(outdir));
    ExportSettings record;
    std::getline(in, record.settings);
    std::getline(in, record.exports);
    if (!in) return {}; // missing or cut: no record
    return record;
}

std::size_t keepExportsConsistent(const fs::path& outdir, const ExportSettings& wanted,
                                  const fs::path& rows_folder) {
    const ExportSettings record = recordedExportSettings(outdir);
    const fs::path tracks = outdir / "tracks";
    std::error_code ec;
    std::size_t removed = 0;
    if (record != wanted && fs::is_directory(tracks, ec)) {
        std::string why;
        if (!record.settings.empty()) {
            why = "exported with other settings (" + difference(record, wanted) + ")";
        } else {
            // No record: an earlier version wrote them. Its settings are ours when the only
            // rows beside them are this run's.
            bool others = false;
            for (const auto& entry : fs::directory_iterator(outdir / ".featurescope", ec))
                others = others || (entry.path().filename().string().rfind("rows-", 0) == 0 &&
                                    entry.path().filename() != rows_folder.filename());
            if (others) why = "exported by an earlier version with settings it did not record";
        }
        if (!why.empty()) {
            removed = removeExports(tracks);
            if (removed > 0)
                std::fprintf(stderr,
                             "featurescope-extract: %s held %zu files %s: removed them, so that "
                             "every export there is this run's\n",
                             tracks.c_str(), removed, why.c_str());
        }
    }
    if (record != wanted)
        writeFileAtomically(recordFile(outdir), wanted.settings + "\n" + wanted.exports + "\n");
    return removed;
}

} // namespace featurescope::extract
