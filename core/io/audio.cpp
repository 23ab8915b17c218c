#include "core/io/audio.h"

#include "core/io/audio_info.h"
#include "core/util/cancellation.h"
#include "core/util/parallel.h"
#include "core/io/resample.h"
#include "core/io/sound_file.h"

#include <sndfile.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace featurescope {

AudioError::AudioError(const std::filesystem::path& path, const std::string& reason)
    : std::runtime_error(path.string() + ": " + reason)
    , path_(path)
    , reason_(reason) {}

namespace {

constexpr sf_count_t kBlockFrames = 1 << 16;

/// Seconds with three decimals, whatever the locale: "2.972".
std::string seconds(double value) {
    char text[48];
    const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 3);
    return std::string(text, end.ptr);
}

/// A decoder error part way through the stream: libsndfile's reason.
struct DecoderError {
    std::string reason;
};

std::mutex& warningsMutex() {
    static std::mutex mutex;
    return mutex;
}

/// Per path, the warnings of its last load; only paths that had some, so a batch of clean
/// tracks leaves it empty.
std::map<std::string, std::vector<std::string>>& warningsByPath() {
    static std::map<std::string, std::vector<std::string>> warnings;
    return warnings;
}

void recordWarnings(const std::filesystem::path& path, const std::vector<std::string>& warnings) {
    const std::lock_guard lock(warningsMutex());
    if (warnings.empty())
        warningsByPath().erase(path.string());
    else
        warningsByPath()[path.string()] = warnings;
}

std::uintmax_t fileSize(const std::filesystem::path& path) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

bool declared(const SF_INFO& info) {
    return info.frames > 0 && info.frames < SF_COUNT_MAX;
}

std::string framesAndSeconds(sf_count_t frames, double sr) {
    return std::to_string(frames) + " frames (" + seconds(double(frames) / sr) + " s)";
}

/// The warning for a file that holds fewer frames than its header says, `header_frames` (a
/// WAV's or AIFF's own count, which libsndfile cuts to the file's length), else info.frames;
/// or that declares no length. The stream ended early, at `read_to`, when `ended_early`.
std::optional<std::string> shortfall(const SF_INFO& info, std::optional<sf_count_t> header_frames,
                                     sf_count_t read_to, bool ended_early) {
    const double sr = info.samplerate;
    if (info.frames == SF_COUNT_MAX) {
        if (!ended_early) return std::nullopt; // a duration read: the end is not known
        const bool ogg = (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG;
        return std::string("the header declares no length") +
               (ogg ? " (an Ogg stream without its last page: cut short?)" : "") +
               "; the file holds " + framesAndSeconds(read_to, sr);
    }
    if (!declared(info)) return std::nullopt;
    const sf_count_t says = header_frames.value_or(info.frames);
    const sf_count_t holds = ended_early ? read_to : info.frames;
    // mpg123 estimates the length of an mp3 without a Xing header from its size and first
    // frame: off by a fraction of a frame (306 frames in a 6-s file). Other formats count.
    const bool mpeg = (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
    if (holds + (mpeg ? 2 * 1152 : 0) >= says) return std::nullopt;
    return "the header says " + framesAndSeconds(says, sr) + ", the file holds " +
           framesAndSeconds(holds, sr);
}

/// mono[i] = the mean of frame i's channels, summed in channel order and then divided, as
/// librosa's to_mono (np.mean over the channel axis) rounds it. Channel by channel over the
/// whole block, so that the loops vectorise: per frame, a short sum and a division were scalar.
void downmix(const float* interleaved, sf_count_t frames, int channels, float* mono) {
    const size_t n = size_t(frames), width = size_t(channels);
    if (channels == 2) { // the common case, in one pass
        for (size_t i = 0; i < n; ++i)
            mono[i] = (interleaved[2 * i] + interleaved[2 * i + 1]) / 2.0f;
        return;
    }
    for (size_t i = 0; i < n; ++i)
        mono[i] = interleaved[i * width];
    for (size_t c = 1; c < width; ++c)
        for (size_t i = 0; i < n; ++i)
            mono[i] += interleaved[i * width + c];
    const float count = float(channels);
    for (size_t i = 0; i < n; ++i)
        mono[i] /= count;
}

/// Reads up to `count` frames from `file`'s current position, a block at a time, downmixed to
/// mono when `mono`, and hands each block to `consume(frames, n)`. Returns the frames read:
/// fewer than `count` when the stream ends first. Throws DecoderError when the decoder fails on
/// the way; libsndfile clears that error on the next read (which then ends the stream quietly),
/// so it is looked at after every block.
template <typename Consume>
sf_count_t readFrames(SNDFILE* file, sf_count_t count, int channels, bool mono,
                      const Consume& consume) {
    std::vector<float> block(size_t(kBlockFrames) * size_t(channels));
    std::vector<float> mixed(mono ? size_t(kBlockFrames) : 0);
    sf_count_t done = 0;
    while (done < count) {
        throwIfCancelled();
        const sf_count_t want = std::min<sf_count_t>(kBlockFrames, count - done);
        const sf_count_t got = sf_readf_float(file, block.data(), want);
        if (sf_error(file) != SF_ERR_NO_ERROR) throw DecoderError{sf_strerror(file)};
        if (got <= 0) break;
        if (mono && channels > 1) {
            downmix(block.data(), got, channels, mixed.data());
            consume(mixed.data(), got);
        } else {
            consume(block.data(), got);
        }
        done += got;
    }
    return done;
}

/// The last `frames` frames of what passes through, to compare with the next part's start.
class Tail {
public:
    Tail(sf_count_t frames, Eigen::Index width)
        : size_(size_t(frames * width)) {}
    void push(const float* samples, size_t count) {
        kept_.insert(kept_.end(), samples, samples + count);
        if (kept_.size() > 2 * size_) kept_.erase(kept_.begin(), kept_.end() - long(size_));
    }
    bool matches(const float* samples) const {
        return kept_.size() >= size_ && std::equal(kept_.end() - long(size_), kept_.end(), samples);
    }

private:
    size_t size_;
    std::vector<float> kept_;
};

constexpr sf_count_t kMp3Frame = 1152;
/// How early a part of a split decode starts, to be checked against the part before.
constexpr sf_count_t kOverlap = 4 * kMp3Frame;

/// One part of a split decode: its own stream, opened and seeked kOverlap frames before
/// `start`, reading kOverlap + `count` frames into `samples`.
struct DecodedPart {
    sf_count_t start = 0, count = 0;
    std::unique_ptr<SoundFile> file;
    std::vector<float> samples;
    sf_count_t frames = 0; // read, overlap included; fewer when the stream ended early
    std::optional<DecoderError> failure; // the decoder failed after `frames`
};

void decodePart(const std::filesystem::path& path, const std::shared_ptr<const FileBytes>& bytes,
                int channels, bool mono, DecodedPart& part) {
    SF_INFO info{};
    part.file = std::make_unique<SoundFile>(path, bytes, info);
    SNDFILE* file = part.file->get();
    if (!file || sf_seek(file, part.start - kOverlap, SEEK_SET) < 0) return;
    const Eigen::Index width = mono ? 1 : channels;
    part.samples.reserve(size_t((kOverlap + part.count) * width));
    try {
        readFrames(file, kOverlap + part.count, channels, mono, [&](const float* f, sf_count_t n) {
            part.samples.insert(part.samples.end(), f, f + n * width);
        });
    } catch (const DecoderError& error) { // raised only if the single stream gets this far
        part.failure = error;
    }
    part.frames = sf_count_t(part.samples.size()) / width;
}

/// The number of parts an mp3 of `frames` frames is decoded in: one per thread, each at least a
/// second long (a seek costs mpg123 a header scan).
int decodeParts(const SF_INFO& info, sf_count_t frames, int threads) {
    if ((info.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG || frames == SF_COUNT_MAX) return 1;
    if (threads <= 0) threads = int(availableThreads());
    return int(std::clamp<sf_count_t>(frames / info.samplerate, 1, threads));
}

/// Where the parts of an mp3 of `limit` frames begin, counted from the first: `parts` nearly
/// equal parts, each an even number of mp3 frames after the first.
std::vector<sf_count_t> partStarts(sf_count_t limit, int parts) {
    std::vector<sf_count_t> starts;
    for (int k = 1; k < parts; ++k)
        starts.push_back(limit * k / parts / (2 * kMp3Frame) * (2 * kMp3Frame));
    return starts;
}

/// Reads `limit` frames from `file` (already at `start`) into `append`, in parts decoded side
/// by side, beginning at `part_starts` frames after `start`. Returns how many parts were read
/// on from the stream before instead of their own.
///
/// mpg123 decodes a few frames before a seek point to rebuild its bit reservoir and overlap
/// buffers, which gives the very samples of one stream; but its synthesis window sums in an
/// order set by a ring-buffer phase, which a seek can leave different (seen on a mono mp3 at
/// every odd mp3 frame, never on stereo ones): then every later sample may differ in its last
/// bit. So each part starts kOverlap frames early, an even number of mp3 frames after the first
/// part (the phase turns with each frame decoded since a seek), and is kept only when that
/// overlap equals, bit for bit, the end of the part before it; otherwise the stream of the part
/// before simply reads on. The result is always the single stream's.
template <typename Append>
int readSplit(const std::filesystem::path& path, const std::shared_ptr<const FileBytes>& bytes,
              SNDFILE* file, sf_count_t start, sf_count_t limit,
              const std::vector<sf_count_t>& part_starts, int channels, bool mono,
              const Append& append) {
    const Eigen::Index width = mono ? 1 : channels;
    std::vector<sf_count_t> bounds{start};
    for (const sf_count_t part_start : part_starts)
        bounds.push_back(start + part_start);
    bounds.push_back(start + limit);
    const size_t parts = bounds.size() - 1;
    std::vector<DecodedPart> rest(parts - 1);
    for (size_t k = 1; k < parts; ++k)
        rest[k - 1] = DecodedPart{bounds[k], bounds[k + 1] - bounds[k], nullptr, {}, 0, {}};

    Tail tail(kOverlap, width);
    const auto keep = [&](const float* f, sf_count_t n) {
        append(f, n);
        tail.push(f, size_t(n * width));
    };
    sf_count_t first = 0;
    parallelChunks(Eigen::Index(parts), 1, [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index k = begin; k < end; ++k) {
            if (k == 0)
                first = readFrames(file, bounds[1] - start, channels, mono, keep);
            else
                decodePart(path, bytes, channels, mono, rest[size_t(k - 1)]);
        }
    });
    bool ended = first < bounds[1] - start;
    int rereads = 0;
    SNDFILE* exact = file; // a stream whose samples are the single stream's, at the next part
    for (DecodedPart& part : rest) {
        if (ended) break;
        const float* own = part.samples.data();
        if (part.frames >= kOverlap && tail.matches(own)) {
            keep(own + kOverlap * width, part.frames - kOverlap);
            if (part.failure) throw *part.failure;
            ended = part.frames < kOverlap + part.count;
            exact = part.file->get();
        } else {
            ++rereads;
            ended = readFrames(exact, part.count, channels, mono, keep) < part.count;
        }
    }
    return rereads;
}

Audio loadImpl(const std::filesystem::path& path, const LoadOptions& options,
               const std::vector<std::int64_t>* given_starts, int* rereads) {
    checkAudioFileReadable(path);
    if (options.offset < 0) throw AudioError(path, "offset must be >= 0");
    if (options.duration && *options.duration <= 0) throw AudioError(path, "duration must be > 0");
    if (options.sr && *options.sr <= 0) throw AudioError(path, "sr must be > 0");

    SF_INFO info{};
    const std::shared_ptr<const FileBytes> bytes = FileBytes::read(path);
    const SoundFile file(path, bytes, info);
    if (!file.get())
        throw AudioError(path, "not a readable audio file (libsndfile: " + file.error() + ")");
    if (info.channels < 1) throw AudioError(path, "the file declares no channels");
    if (info.samplerate < kMinNativeSr || info.samplerate > kMaxNativeSr)
        throw AudioError(
            path, "the header's sample rate, " + std::to_string(info.samplerate) +
                      " Hz, is not an audio rate (accepted: " + std::to_string(kMinNativeSr) +
                      " to " + std::to_string(kMaxNativeSr) + " Hz)");

    const double native_sr = info.samplerate;
    const sf_count_t start = static_cast<sf_count_t>(options.offset * native_sr);
    if (start > 0 && sf_seek(file.get(), start, SEEK_SET) < 0)
        throw AudioError(path, "offset lies beyond the end of the audio");

    // soundfile reads at most the frames the header declares, and at most `duration` of them.
    sf_count_t limit =
        (info.frames > 0 && info.frames < SF_COUNT_MAX) ? info.frames - start : SF_COUNT_MAX;
    if (options.duration)
        limit = std::min<sf_count_t>(limit, static_cast<sf_count_t>(*options.duration * native_sr));

    const int in_channels = info.channels;
    const Eigen::Index out_channels = options.mono ? 1 : in_channels;
    const double out_sr = options.sr ? *options.sr : native_sr;
    // The output is reserved for the frames the header declares, as long as the file's bytes
    // could hold them: a 100-byte FLAC may declare 2^36 frames. Past that it grows as it fills.
    const std::uintmax_t file_bytes = bytes ? std::uintmax_t(bytes->size()) : fileSize(path);
    const sf_count_t plausible = std::max<sf_count_t>(kBlockFrames, sf_count_t(file_bytes) * 16);
    const Eigen::Index expected_in = std::min(limit, plausible);
    ResamplingSink sink(native_sr, out_sr, out_channels, expected_in);

    const auto append = [&](const float* frames, sf_count_t n) { sink.append(frames, n); };
    std::vector<sf_count_t> starts;
    if (given_starts) {
        starts.assign(given_starts->begin(), given_starts->end());
        for (size_t k = 0; k < starts.size(); ++k)
            if (starts[k] < (k ? starts[k - 1] : 0) + kOverlap || starts[k] >= limit)
                throw std::invalid_argument("loadInParts: part starts must ascend by at least " +
                                            std::to_string(kOverlap) + " frames within the audio");
    } else if (const int parts = decodeParts(info, limit, options.threads); parts > 1) {
        starts = partStarts(limit, parts);
    }
    int reread = 0;
    try {
        if (starts.empty())
            readFrames(file.get(), limit, in_channels, options.mono, append);
        else
            reread = readSplit(path, bytes, file.get(), start, limit, starts, in_channels,
                               options.mono, append);
    } catch (const DecoderError& error) {
        const sf_count_t at = start + sink.inputFrames();
        throw AudioError(path, "decoder error after " + seconds(double(at) / native_sr) + " s" +
                                   (declared(info)
                                        ? " of " + seconds(double(info.frames) / native_sr) + " s"
                                        : std::string()) +
                                   " (libsndfile: " + error.reason + ")");
    }
    if (rereads) *rereads = reread;
    if (sink.inputFrames() == 0) throw AudioError(path, "contains no audio samples");
    Audio audio{sink.finish(), out_sr, {}};
    const auto header_frames = declaredPcmFrames(path, bytes.get(), info);
    if (auto warning =
            shortfall(info, header_frames, start + sink.inputFrames(), sink.inputFrames() < limit))
        audio.warnings.push_back(std::move(*warning));
    recordWarnings(path, audio.warnings);
    return audio;
}

} // namespace

Audio load(const std::filesystem::path& path, const LoadOptions& options) {
    return loadImpl(path, options, nullptr, nullptr);
}

std::vector<std::string> loadWarnings(const std::filesystem::path& path) {
    const std::lock_guard lock(warningsMutex());
    const auto& all = warningsByPath();
    const auto found = all.find(path.string());
    return found == all.end() ? std::vector<std::string>{} : found->second;
}

namespace detail {

Audio loadInParts(const std::filesystem::path& path, const LoadOptions& options,
                  const std::vector<std::int64_t>& part_starts, int* rereads) {
    return loadImpl(path, options, &part_starts, rereads);
}

} // namespace detail

} // namespace featurescope
