#include "core/io/sound_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
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

namespace {

std::uint32_t little32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

std::uint32_t big32(const unsigned char* p) {
    return std::uint32_t(p[3]) | std::uint32_t(p[2]) << 8 | std::uint32_t(p[1]) << 16 |
           std::uint32_t(p[0]) << 24;
}

/// Bytes per sample of an encoding whose frames all have the same size; 0 for the others.
int sampleBytes(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
        return 1;
    case SF_FORMAT_PCM_16:
        return 2;
    case SF_FORMAT_PCM_24:
        return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
        return 4;
    case SF_FORMAT_DOUBLE:
        return 8;
    default:
        return 0;
    }
}

bool is(const unsigned char* p, const char (&id)[5]) {
    return std::memcmp(p, id, 4) == 0;
}

} // namespace

std::optional<sf_count_t> declaredPcmFrames(const std::filesystem::path& path,
                                            const FileBytes* bytes, const SF_INFO& info) {
    const int container = info.format & SF_FORMAT_TYPEMASK;
    const int frame_bytes = sampleBytes(info.format) * info.channels;
    if ((container != SF_FORMAT_WAV && container != SF_FORMAT_AIFF) || frame_bytes <= 0)
        return std::nullopt;
    std::vector<unsigned char> head(size_t(1) << 16);
    if (bytes) {
        head.assign(bytes->data(), bytes->data() + std::min<sf_count_t>(bytes->size(), 1 << 16));
    } else {
        std::FILE* file = std::fopen(path.c_str(), "rb");
        if (!file) return std::nullopt;
        head.resize(std::fread(head.data(), 1, head.size(), file));
        std::fclose(file);
    }
    const unsigned char* p = head.data();
    const size_t n = head.size();
    if (n < 12) return std::nullopt;
    const bool riff = is(p, "RIFF"), rifx = is(p, "RIFX");
    const bool wave = (riff || rifx) && is(p + 8, "WAVE");
    const bool aiff = is(p, "FORM") && (is(p + 8, "AIFF") || is(p + 8, "AIFC"));
    // Chunks: a 4-byte id, a 4-byte size (big-endian but in RIFF), the body padded to even.
    for (size_t at = 12; (wave || aiff) && at + 8 <= n;) {
        const std::uint32_t size = riff ? little32(p + at + 4) : big32(p + at + 4);
        if (wave && is(p + at, "data")) {
            if (size == 0 || size == 0xffffffffu) return std::nullopt;
            return sf_count_t(size / std::uint32_t(frame_bytes));
        }
        if (aiff && is(p + at, "COMM") && at + 14 <= n) return sf_count_t(big32(p + at + 10));
        at += 8 + size_t(size) + (size & 1);
    }
    return std::nullopt;
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
