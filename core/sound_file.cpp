#include "core/sound_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace featurescope {

std::shared_ptr<const FileBytes> FileBytes::read(const std::filesystem::path& path,
                                                 sf_count_t max_size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    auto bytes = std::make_shared<FileBytes>();
    struct stat status {};
    bool whole = false;
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && status.st_size > 0 &&
        status.st_size <= max_size) {
        bytes->bytes_.resize(size_t(status.st_size));
        size_t done = 0;
        while (done < bytes->bytes_.size()) {
            const ssize_t n = ::read(fd, bytes->bytes_.data() + done, bytes->bytes_.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break; // an error, or the file shrank: leave it to libsndfile's reads
            done += size_t(n);
        }
        whole = done == bytes->bytes_.size();
    }
    ::close(fd);
    return whole ? bytes : nullptr;
}

SoundFile::SoundFile(const std::filesystem::path& path, std::shared_ptr<const FileBytes> bytes,
                     SF_INFO& info)
    : bytes_(std::move(bytes)) {
    // Every open, successful or not, sets libsndfile's global error (sf_error(nullptr)): with
    // tracks opened side by side, one thread's reason was read after another's open ("No
    // Error." or the other file's reason). Opening takes well under a millisecond from memory.
    static std::mutex open_mutex;
    const std::lock_guard lock(open_mutex);
    if (bytes_) {
        SF_VIRTUAL_IO io{&SoundFile::length, &SoundFile::seek, &SoundFile::read, &SoundFile::write,
                         &SoundFile::tell};
        const SF_INFO asked = info;
        file_ = sf_open_virtual(&io, SFM_READ, &info, this);
        if (file_) return;
        info = asked;
    }
    file_ = sf_open(path.c_str(), SFM_READ, &info);
    if (!file_) error_ = sf_strerror(nullptr);
}

SoundFile::~SoundFile() {
    if (file_) sf_close(file_);
}

sf_count_t SoundFile::length(void* self) {
    return static_cast<SoundFile*>(self)->bytes_->size();
}

sf_count_t SoundFile::seek(sf_count_t offset, int whence, void* self) {
    auto& file = *static_cast<SoundFile*>(self);
    const sf_count_t base = whence == SEEK_CUR   ? file.position_
                            : whence == SEEK_END ? file.bytes_->size()
                                                 : 0;
    if (base + offset < 0) return -1;
    file.position_ = base + offset; // past the end is allowed, as for a file; reads give 0
    return file.position_;
}

sf_count_t SoundFile::read(void* to, sf_count_t count, void* self) {
    auto& file = *static_cast<SoundFile*>(self);
    const sf_count_t left = std::max<sf_count_t>(0, file.bytes_->size() - file.position_);
    const sf_count_t n = std::clamp<sf_count_t>(count, 0, left);
    if (n > 0) std::memcpy(to, file.bytes_->data() + file.position_, size_t(n));
    file.position_ += n;
    return n;
}

sf_count_t SoundFile::write(const void*, sf_count_t, void*) {
    return 0; // read-only
}

sf_count_t SoundFile::tell(void* self) {
    return static_cast<SoundFile*>(self)->position_;
}

} // namespace featurescope
