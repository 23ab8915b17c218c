// Opening audio files for libsndfile from their bytes in memory.
#pragma once

#include <sndfile.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace featurescope {

/// The bytes of a whole file, read into memory at once; shared by the streams opened on it.
/// (Not a memory map: a file truncated while mapped would kill the process with SIGBUS.)
class FileBytes {
public:
    /// Files larger than this are left to libsndfile's own reads: holding them whole would
    /// cost more memory than the system calls are worth (an hour of 128 kbit/s mp3 is 58 MB,
    /// and PCM, the large format, is read by libsndfile in large blocks anyway).
    static constexpr sf_count_t kMaxSize = sf_count_t(64) << 20;

    /// Reads `path` whole; null when it cannot be read, is empty or is larger than max_size.
    static std::shared_ptr<const FileBytes> read(const std::filesystem::path& path,
                                                 sf_count_t max_size = kMaxSize);

    const unsigned char* data() const { return bytes_.data(); }
    sf_count_t size() const { return sf_count_t(bytes_.size()); }

private:
    std::vector<unsigned char> bytes_;
};

/// The frames a WAV or AIFF header itself declares (its data chunk's size over the frame size,
/// AIFF's COMM count), read from the file's first 64 KiB (`bytes` when given, else the file).
/// libsndfile reports a data chunk cut short as the frames the file holds, which hides the cut.
/// nullopt for other formats and encodings, for a header not found there, and for the sizes
/// 0 and 0xffffffff that writers unable to seek back leave.
std::optional<sf_count_t> declaredPcmFrames(const std::filesystem::path& path,
                                            const FileBytes* bytes, const SF_INFO& info);

/// A libsndfile stream open for reading. Given the file's bytes, libsndfile reads through its
/// virtual I/O from memory: it asks for an mp3 a frame (a few hundred bytes) at a time, each
/// otherwise a read() system call. Without the bytes, or when libsndfile does not recognise
/// them on their own (it also guesses some formats from the file's extension), the file is
/// opened by name as sf_open does. Streams on the same bytes read independently.
class SoundFile {
public:
    SoundFile(const std::filesystem::path& path, std::shared_ptr<const FileBytes> bytes,
              SF_INFO& info);
    ~SoundFile();
    SoundFile(const SoundFile&) = delete;
    SoundFile& operator=(const SoundFile&) = delete;

    /// The stream; null when libsndfile refused the file (error() says why).
    SNDFILE* get() const { return file_; }
    /// Why libsndfile refused this file ("Format not recognised."); empty when it opened.
    /// libsndfile keeps an open's error in one process-wide variable, which any other open
    /// overwrites, even a successful one ("No Error."): opens are serialised with reading it,
    /// so that tracks opened side by side each get their own reason.
    const std::string& error() const { return error_; }

private:
    static sf_count_t length(void* self);
    static sf_count_t seek(sf_count_t offset, int whence, void* self);
    static sf_count_t read(void* to, sf_count_t count, void* self);
    static sf_count_t write(const void* from, sf_count_t count, void* self);
    static sf_count_t tell(void* self);

    std::shared_ptr<const FileBytes> bytes_;
    sf_count_t position_ = 0;
    SNDFILE* file_ = nullptr;
    std::string error_;
};

} // namespace featurescope
