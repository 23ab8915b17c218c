// core/audio on damaged files: rates that are not audio, decoder errors part way, headers that
// promise more frames than the file holds, and each file's own reason when opened side by side.
#include "core/io/audio.h"
#include "core/io/sound_file.h"
#include "tests/support/test_support.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

using namespace featurescope;
using namespace testsupport;

namespace {

std::string little(std::uint32_t value, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i)
        out += char((value >> (8 * i)) & 0xff);
    return out;
}

/// A mono 16-bit PCM WAV whose header says `sr`, holding `frames` frames of a ramp.
std::string pcmWav(std::uint32_t sr, std::uint32_t frames, std::uint32_t data_size = 0) {
    std::string data;
    for (std::uint32_t i = 0; i < frames; ++i)
        data += little(std::uint32_t(std::int16_t(i % 2000) * 8) & 0xffff, 2);
    if (!data_size) data_size = std::uint32_t(data.size());
    return "RIFF" + little(36 + std::uint32_t(data.size()), 4) + "WAVEfmt " + little(16, 4) +
           little(1, 2) + little(1, 2) + little(sr, 4) + little(sr * 2, 4) + little(2, 2) +
           little(16, 2) + "data" + little(data_size, 4) + data;
}

/// Writes chords.wav's samples to `path` in `format` through libsndfile (at 48 kHz for Opus).
void encode(const std::filesystem::path& path, int format) {
    Audio audio = load(referencePath("chords.wav"), {});
    SF_INFO info{};
    info.samplerate = (format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS ? 48000 : int(audio.sr);
    if (info.samplerate != int(audio.sr)) audio.samples = resample(audio.samples, audio.sr, 48000);
    info.channels = 1;
    info.format = format;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    QVERIFY2(file, sf_strerror(nullptr));
    QCOMPARE(sf_writef_float(file, audio.samples.data(), audio.length()),
             sf_count_t(audio.length()));
    sf_close(file);
}

/// The first `fraction` of `from`'s bytes, written to `to`.
void cut(const std::filesystem::path& from, const std::filesystem::path& to, double fraction) {
    const std::string bytes = readBytes(from);
    writeBytes(to, bytes.substr(0, size_t(double(bytes.size()) * fraction)));
}

std::string reasonOf(const std::filesystem::path& path, const LoadOptions& options = {}) {
    try {
        load(path, options);
    } catch (const AudioError& error) {
        if (std::string(error.what()).find(path.string()) == std::string::npos) return "unnamed";
        return error.reason();
    }
    return "loaded";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

class TestBadAudio : public QObject {
    Q_OBJECT
private slots:
    void ratesOutsideAudioAreRefusedWithTheRange() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        for (const std::uint32_t sr : {1u, 2u, 999u, 768001u}) {
            const auto path = root / ("rate" + std::to_string(sr) + ".wav");
            writeBytes(path, pcmWav(sr, 10));
            const std::string reason = reasonOf(path);
            QVERIFY2(contains(reason, std::to_string(sr) + " Hz") &&
                         contains(reason, "1000 to 768000 Hz"),
                     reason.c_str());
        }
        for (const std::uint32_t sr : {1000u, 768000u}) { // the bounds are audio
            writeBytes(root / "edge.wav", pcmWav(sr, 4000));
            QCOMPARE(load(root / "edge.wav").length(), resampledLength(4000, sr, 22050));
        }
    }

    void theResamplerNeedsMemoryForItsInputOnly() {
        // 64 samples at 1 Hz to 22050 Hz are 1.4 M samples out; the output buffer was sized for
        // a whole block (65536 frames) times the ratio: 5.7 GB. A child process gets 1 GiB of
        // address space more than it has.
        long pages = 0;
        std::ifstream("/proc/self/statm") >> pages;
        QVERIFY(pages > 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            const rlim_t limit = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (rlim_t(1) << 30);
            const rlimit cap{limit, limit};
            if (setrlimit(RLIMIT_AS, &cap) != 0) _exit(4);
            try {
                const Eigen::ArrayXf y =
                    resample(Eigen::ArrayXf(Eigen::ArrayXf::Ones(64)), 1, 22050);
                _exit(y.size() == 64 * 22050 ? 0 : 3);
            } catch (...) {
                _exit(2);
            }
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY2(WIFEXITED(status), "the child died");
        QCOMPARE(WEXITSTATUS(status), 0); // 2: out of memory, 3: wrong length
    }

    void aDecoderErrorPartWayIsAnErrorWithLibsndfilesReason() {
        QTemporaryDir dir;
        const std::filesystem::path flac = dir.filePath("half.flac").toStdString();
        cut(referencePath("chords.flac"), flac, 0.5);
        const std::string reason = reasonOf(flac);
        QVERIFY2(contains(reason, "flac decoder lost sync") && contains(reason, "decoder error"),
                 reason.c_str());
        // An mp3 with a run of zeros in the middle: mpg123 gives up resyncing, on one stream or
        // on four decoded side by side.
        std::string bytes = readBytes(referencePath("drums.mp3"));
        std::fill_n(bytes.begin() + long(bytes.size() / 2), 2000, '\0');
        const std::filesystem::path mp3 = dir.filePath("zeros.mp3").toStdString();
        writeBytes(mp3, bytes);
        const std::string one = reasonOf(mp3);
        QVERIFY2(contains(one, "decoder error after"), one.c_str());
        LoadOptions split;
        split.threads = 4;
        // The same reason; the time is where the block that failed began, which the parts'
        // blocks place differently.
        const auto libsndfile = [](const std::string& reason) {
            return QString::fromStdString(reason.substr(reason.find("(libsndfile")));
        };
        const std::string parts = reasonOf(mp3, split);
        QVERIFY2(contains(parts, "decoder error after"), parts.c_str());
        QCOMPARE(libsndfile(parts), libsndfile(one));
    }

    void aHeaderPromisingMoreFramesGivesAWarning_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("warning");
        const QString says = QStringLiteral("the header says 132300 frames (6.000 s)");
        QTest::newRow("wav") << "cut.wav" << 0 << says;
        QTest::newRow("aiff") << "cut.aiff" << (SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << says;
        QTest::newRow("ogg vorbis") << "cut.ogg" << (SF_FORMAT_OGG | SF_FORMAT_VORBIS)
                                    << "the header declares no length (an Ogg stream without";
        QTest::newRow("ogg opus") << "cut.opus" << (SF_FORMAT_OGG | SF_FORMAT_OPUS)
                                  << "the header declares no length (an Ogg stream without";
        QTest::newRow("mp3") << "cut.mp3" << -1 << "the header says 352800 frames (8.000 s)";
    }
    void aHeaderPromisingMoreFramesGivesAWarning() {
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(QString, warning);
        QTemporaryDir dir;
        const std::filesystem::path whole =
            dir.filePath("whole").toStdString() + "." + QFileInfo(name).suffix().toStdString();
        if (format > 0)
            encode(whole, format);
        else
            std::filesystem::copy_file(referencePath(format ? "drums.mp3" : "chords.wav"), whole);
        const std::filesystem::path part = dir.filePath(name).toStdString();
        cut(whole, part, 0.5);

        LoadOptions native;
        native.sr = std::nullopt;
        const Audio full = load(whole, native);
        QVERIFY(full.warnings.empty());
        const Audio audio = load(part, native);
        QCOMPARE(audio.warnings.size(), size_t(1));
        const std::string& text = audio.warnings[0];
        QVERIFY2(contains(text, warning.toStdString()), text.c_str());
        // It names what the file holds: the frames decoded.
        QVERIFY2(contains(text, "the file holds " + std::to_string(audio.length()) + " frames"),
                 text.c_str());
        QVERIFY(audio.length() > full.length() / 4 && audio.length() < full.length());
        QVERIFY((audio.samples == full.samples.leftCols(audio.length())).all() || format < 0 ||
                (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG);
        QCOMPARE(loadWarnings(part), audio.warnings); // for callers behind runAnalysis

        // The same path whole again: no warning left over.
        std::filesystem::copy_file(whole, part, std::filesystem::copy_options::overwrite_existing);
        QVERIFY(load(part, native).warnings.empty());
        QVERIFY(loadWarnings(part).empty());
    }

    void aWavOfUnknownLengthIsNoShortfall() {
        // Writers that cannot seek back leave 0xffffffff as the data size: libsndfile reads to
        // the end, and nothing was promised.
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("stream.wav").toStdString();
        writeBytes(path, pcmWav(22050, 30000, 0xffffffffu));
        const Audio audio = load(path);
        QCOMPARE(audio.length(), Eigen::Index(30000));
        QVERIFY(audio.warnings.empty());
        // The same file with its true size, read from its first 64 KiB as libsndfile reads it.
        writeBytes(path, pcmWav(22050, 30000));
        SF_INFO info{};
        const SoundFile file(path, nullptr, info);
        QVERIFY(file.get());
        QCOMPARE(declaredPcmFrames(path, nullptr, info), std::optional<sf_count_t>(30000));
    }

    void filesOpenedSideBySideEachGetTheirOwnReason() {
        // libsndfile keeps the reason of a failed open in one global, which every other open
        // overwrites: read unguarded, a reason is "No Error." or another file's.
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        const std::string wav = readBytes(referencePath("chords.wav"));
        std::string noise(5000, '\0');
        for (size_t i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919u + 13u) % 251u);
        writeBytes(root / "noise.wav", noise);
        writeBytes(root / "no_data.wav", wav.substr(0, 40));
        writeBytes(root / "no_fmt.wav", wav.substr(0, 20));
        const std::vector<std::pair<std::filesystem::path, std::string>> kinds{
            {root / "noise.wav", "Format not recognised"},
            {root / "no_data.wav", "No 'data' chunk"},
            {root / "no_fmt.wav", "Malformed 'fmt ' chunk"},
            {referencePath("tiny.wav"), ""}};
        std::atomic<int> wrong{0};
        std::string example;
        std::mutex example_mutex;
        std::vector<std::thread> threads;
        for (const auto& [path, expected] : kinds)
            threads.emplace_back([&, path = path, expected = expected] {
                for (int i = 0; i < 2000; ++i) {
                    SF_INFO info{};
                    const SoundFile file(path, nullptr, info);
                    const bool right = expected.empty()
                                           ? file.get() && file.error().empty()
                                           : !file.get() && contains(file.error(), expected);
                    if (!right && wrong++ == 0) {
                        const std::lock_guard lock(example_mutex);
                        example = path.filename().string() + ": " + file.error();
                    }
                }
            });
        for (auto& thread : threads)
            thread.join();
        QVERIFY2(wrong == 0, (std::to_string(wrong.load()) + " wrong, e.g. " + example).c_str());
    }
};

QTEST_GUILESS_MAIN(TestBadAudio)
#include "test_bad_audio.moc"
