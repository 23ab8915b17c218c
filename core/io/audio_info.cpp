#include "core/io/audio_info.h"

#include "core/io/audio.h"
#include "core/io/sound_file.h"

#include <sndfile.h>

#include <string>
#include <system_error>

namespace featurescope {

std::optional<double> AudioInfo::duration() const {
    if (!frames || sr_native <= 0) return std::nullopt;
    return static_cast<double>(*frames) / sr_native;
}

void checkAudioFileReadable(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw AudioError(path, "no such file");
    if (std::filesystem::is_directory(status))
        throw AudioError(path, "is a folder, not an audio file");
    if (!std::filesystem::is_regular_file(status)) throw AudioError(path, "not a regular file");
    if (std::filesystem::file_size(path, ec) == 0 && !ec)
        throw AudioError(path, "the file is empty (0 bytes)");
}

AudioInfo readAudioInfo(const std::filesystem::path& path) {
    checkAudioFileReadable(path);
    std::error_code ec;
    AudioInfo result;
    result.file_size = std::filesystem::file_size(path, ec);
    if (ec) throw AudioError(path, "its size cannot be read: " + ec.message());

    SF_INFO info{};
    const SoundFile file(path, nullptr, info); // by name: only the header is read
    if (!file.get())
        throw AudioError(path, std::string("not a readable audio file (libsndfile: ") +
                                   sf_strerror(nullptr) + ")");
    if (info.channels < 1 || info.samplerate <= 0)
        throw AudioError(path, "the file declares no channels or no sample rate");
    result.sr_native = info.samplerate;
    result.channels = info.channels;
    if (info.frames > 0 && info.frames < SF_COUNT_MAX) result.frames = info.frames;
    return result;
}

} // namespace featurescope
