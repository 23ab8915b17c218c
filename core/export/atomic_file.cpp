#include "core/export/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace featurescope {

namespace {

constexpr std::string_view kMarker = ".fstmp-";
constexpr std::size_t kRandomDigits = 12;
constexpr std::size_t kNameMax = 255; // NAME_MAX of Linux's file systems
/// The longest part of the final name a temporary keeps: "." + part + marker + digits fit.
constexpr std::size_t kKept = kNameMax - 1 - kMarker.size() - kRandomDigits;

std::string failure(const std::filesystem::path& path, const std::string& what) {
    return path.string() + ": " + what + " (" + std::strerror(errno) + ")";
}

/// "." + name (cut to kKept bytes, not inside a UTF-8 character) + ".fstmp-" + 12 hex digits.
std::string temporaryName(const std::string& name) {
    std::size_t kept = std::min(name.size(), kKept);
    while (kept > 0 && kept < name.size() &&
           (static_cast<unsigned char>(name[kept]) & 0xC0) == 0x80)
        --kept;
    std::random_device entropy;
    const std::uint64_t random = (std::uint64_t(entropy()) << 32 | entropy()) &
                                 ((std::uint64_t(1) << 4 * kRandomDigits) - 1);
    char digits[kRandomDigits + 1];
    const auto end = std::to_chars(digits, digits + kRandomDigits, random, 16).ptr;
    std::string padded(kRandomDigits - static_cast<std::size_t>(end - digits), '0');
    padded.append(digits, end);
    std::string temporary = ".";
    temporary.append(name, 0, kept).append(kMarker).append(padded);
    return temporary;
}

bool allOf(std::string_view text, bool (*test)(char)) {
    for (const char c : text)
        if (!test(c)) return false;
    return !text.empty();
}

} // namespace

bool isAtomicTemporary(std::string_view filename) {
    if (filename.size() < 2 || filename.front() != '.') return false;
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    const std::size_t at = filename.size() - std::min(filename.size(), kRandomDigits);
    if (filename.size() >= 1 + kMarker.size() + kRandomDigits &&
        filename.substr(at - kMarker.size(), kMarker.size()) == kMarker &&
        allOf(filename.substr(at), hex))
        return true;
    const auto legacy = filename.rfind(".tmp-"); // "." + name + ".tmp-" + random_device()
    return legacy != std::string_view::npos && legacy > 0 && filename.size() - legacy - 5 <= 10 &&
           allOf(filename.substr(legacy + 5), digit);
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes, Flush flush) {
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const auto temporary = folder / temporaryName(path.filename().string());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(failure(path, "cannot create a temporary file"));
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string message = failure(path, "write failed");
            ::close(fd);
            ::unlink(temporary.c_str());
            throw std::runtime_error(message);
        }
        written += size_t(n);
    }
    if ((flush == Flush::durable && ::fsync(fd) != 0) || ::close(fd) != 0) {
        const std::string message = failure(path, "flushing to disk failed");
        ::unlink(temporary.c_str());
        throw std::runtime_error(message);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string message = failure(path, "rename into place failed");
        ::unlink(temporary.c_str());
        throw std::runtime_error(message);
    }
}

} // namespace featurescope
