#include "core/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace featurescope {

namespace {
std::string failure(const std::filesystem::path& path, const std::string& what) {
    return path.string() + ": " + what + " (" + std::strerror(errno) + ")";
}
} // namespace

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes, Flush flush) {
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::random_device entropy;
    const auto temporary =
        folder / ("." + path.filename().string() + ".tmp-" + std::to_string(entropy()));
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
