// What an audio file's header says about it, without decoding it (soundfile.info's subset).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace featurescope {

/// An audio file's header: native rate, channels and, when the header states it, the length.
struct AudioInfo {
    double sr_native = 0.0; ///< samples per second per channel, > 0
    int channels = 0;       ///< > 0
    /// frames per channel the header declares; unset when the format does not say (a stream
    /// libsndfile cannot measure without decoding it whole).
    std::optional<std::int64_t> frames;
    std::uintmax_t file_size = 0; ///< bytes

    /// frames / sr_native in seconds; unset when `frames` is.
    std::optional<double> duration() const;
};

/// Opens `path` with libsndfile and reads its header only (for an mp3, mpg123 reads the
/// Xing/Info frame count or estimates the length from the bit rate and the file size, as
/// soundfile.info does); no sample is decoded, so a data set of 100,000 tracks is measured in
/// seconds. Throws AudioError (core/io/audio.h) naming the file and the reason: missing, not a
/// regular file (a folder, a pipe: opening a pipe would wait for a writer), empty, not audio.
AudioInfo readAudioInfo(const std::filesystem::path& path);

/// What both readAudioInfo and load check before libsndfile opens `path`: that it exists, is a
/// regular file (a pipe would block the open) and is not empty. Throws AudioError naming the
/// file and the reason.
void checkAudioFileReadable(const std::filesystem::path& path);

} // namespace featurescope
