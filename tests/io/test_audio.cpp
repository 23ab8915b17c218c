// core/audio: librosa.load semantics and clear errors for files that can't be read.
#include "core/io/audio.h"
#include "core/export/npy.h"
#include "core/io/sound_file.h"
#include "tests/support/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {

/// Asserts that loading `path` throws an AudioError whose message names the file.
void expectAudioError(const std::filesystem::path& path) {
    try {
        load(path);
        QFAIL(qPrintable("no error for " + QString::fromStdString(path.string())));
    } catch (const AudioError& e) {
        QVERIFY2(std::string(e.what()).find(path.string()) != std::string::npos, e.what());
        QVERIFY(!e.reason().empty());
    }
}
} // namespace

class TestAudio : public QObject {
    Q_OBJECT
private slots:
    void wavEqualsLibrosa() {
        const Audio audio = load(referencePath("chords.wav"));
        const Eigen::ArrayXXf ref = readReference("chords.y.npy");
        QCOMPARE(audio.sr, 22050.0);
        QCOMPARE(audio.samples.cols(), ref.cols());
        QVERIFY((audio.samples - ref).abs().maxCoeff() <= 1e-6f);
    }

    void stereoKeepsChannelsAndDownmixesByMean() {
        LoadOptions native;
        native.sr = std::nullopt;
        native.mono = false;
        const Audio stereo = load(referencePath("stereo44k.wav"), native);
        QCOMPARE(stereo.channels(), Eigen::Index(2));
        QCOMPARE(stereo.sr, 44100.0);
        native.mono = true;
        const Audio mono = load(referencePath("stereo44k.wav"), native);
        const Eigen::ArrayXf mean = (stereo.samples.row(0) + stereo.samples.row(1)).transpose() / 2;
        QVERIFY((mono.mono() - mean).abs().maxCoeff() <= 1e-7f);
    }

    void offsetAndDurationCutTheSignal() {
        const Audio whole = load(referencePath("chords.wav"));
        LoadOptions part;
        part.offset = 1.0;
        part.duration = 2.0;
        const Audio cut = load(referencePath("chords.wav"), part);
        QCOMPARE(cut.length(), Eigen::Index(44100));
        QVERIFY((cut.samples - whole.samples.middleCols(22050, 44100)).abs().maxCoeff() == 0.0f);
    }

    void resampledLengthIsLibrosas() {
        // librosa: ceil(n * (target / orig)), with the ratio rounded first.
        const Eigen::ArrayXf y = Eigen::ArrayXf::Random(220500);
        QCOMPARE(resample(y, 44100, 12000).size(), Eigen::Index(60001));
        QCOMPARE(resample(y, 44100, 22050).size(), Eigen::Index(110250));
        QCOMPARE(resample(y, 22050, 22050).size(), Eigen::Index(220500));
    }

    void resamplingKeepsATone() {
        const int n = 44100;
        Eigen::ArrayXf y(n);
        for (int i = 0; i < n; ++i)
            y[i] = float(std::sin(2 * M_PI * 440.0 * i / 44100.0));
        const Eigen::ArrayXf down = resample(y, 44100, 22050);
        // Away from the edges the 440 Hz tone survives with its amplitude.
        const float peak = down.segment(2000, 18000).abs().maxCoeff();
        QVERIFY(std::abs(peak - 1.0f) < 0.01f);
    }

    void silenceLoadsAsZeros() {
        QTemporaryDir dir;
        const std::filesystem::path silent = dir.filePath("silence.wav").toStdString();
        // Re-use the reference file's header with zeroed samples.
        std::string bytes = readBytes(referencePath("tiny.wav"));
        const auto data = bytes.find("data");
        QVERIFY(data != std::string::npos);
        std::fill(bytes.begin() + std::ptrdiff_t(data + 8), bytes.end(), '\0');
        writeBytes(silent, bytes);
        const Audio audio = load(silent);
        QCOMPARE(audio.length(), Eigen::Index(1000));
        QVERIFY(audio.samples.isFinite().all());
        QCOMPARE(audio.samples.abs().maxCoeff(), 0.0f);
    }

    void unreadableFilesAreNamedWithAReason() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        expectAudioError(root / "missing.wav");
        std::filesystem::create_directory(root / "folder.mp3");
        expectAudioError(root / "folder.mp3");
        writeBytes(root / "empty.wav", "");
        expectAudioError(root / "empty.wav");
        std::string noise(4096, '\0');
        for (size_t i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919u + 13u) % 251u);
        writeBytes(root / "random.wav", noise);
        expectAudioError(root / "random.wav");
        writeBytes(root / "header_only.wav", readBytes(referencePath("chords.wav")).substr(0, 20));
        expectAudioError(root / "header_only.wav");
    }

    void bytesInMemoryReadAsTheFileOpenedByName() {
        // libsndfile reads the bytes in memory through its virtual I/O: the same description
        // and the same samples as sf_open by name, seeks included.
        for (const char* name : {"drums.mp3", "chords.flac", "stereo44k.wav", "tiny.wav"}) {
            const std::filesystem::path path = referencePath(name);
            const auto bytes = FileBytes::read(path);
            QVERIFY(bytes);
            QCOMPARE(bytes->size(), sf_count_t(std::filesystem::file_size(path)));
            SF_INFO memory_info{}, named_info{};
            const SoundFile in_memory(path, bytes, memory_info), named(path, nullptr, named_info);
            QVERIFY(in_memory.get() && named.get());
            QCOMPARE(memory_info.frames, named_info.frames);
            QCOMPARE(memory_info.format, named_info.format);
            QCOMPARE(memory_info.channels, named_info.channels);
            QCOMPARE(memory_info.samplerate, named_info.samplerate);
            const sf_count_t middle = named_info.frames / 3;
            QCOMPARE(sf_seek(in_memory.get(), middle, SEEK_SET), middle);
            QCOMPARE(sf_seek(named.get(), middle, SEEK_SET), middle);
            std::vector<float> a(size_t(named_info.frames * named_info.channels));
            std::vector<float> b(a.size());
            const sf_count_t got = sf_readf_float(named.get(), b.data(), named_info.frames);
            QCOMPARE(got, named_info.frames - middle);
            QCOMPARE(sf_readf_float(in_memory.get(), a.data(), named_info.frames), got);
            QVERIFY(a == b);
        }
        // What is not read into memory opens by name, or not at all, as before.
        QVERIFY(!FileBytes::read(referencePath("missing.wav")));
        QVERIFY(!FileBytes::read(referencePath("drums.mp3"), 1000)); // over the size limit
        QTemporaryDir dir;
        writeBytes(dir.filePath("empty.wav").toStdString(), "");
        QVERIFY(!FileBytes::read(dir.filePath("empty.wav").toStdString()));
        QVERIFY(!FileBytes::read(dir.path().toStdString())); // a folder
    }

    void truncatedMp3LoadsWhatIsThere() {
        QTemporaryDir dir;
        const std::filesystem::path cut = dir.filePath("cut.mp3").toStdString();
        const std::string bytes = readBytes(referencePath("drums.mp3"));
        writeBytes(cut, bytes.substr(0, bytes.size() / 2));
        const Audio audio = load(cut); // no hang, no crash: a shorter signal
        QVERIFY(audio.length() > 0);
        QVERIFY(audio.length() < 176400);
        QVERIFY(audio.samples.isFinite().all());
    }

    void splitMp3DecodeEqualsOneStream_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<double>("offset");
        QTest::addColumn<bool>("mono");
        QTest::addColumn<bool>("native");
        QTest::newRow("2 parts") << 2 << 0.0 << true << false;
        QTest::newRow("3 parts, stereo, native rate") << 3 << 0.0 << false << true;
        QTest::newRow("5 parts after an offset") << 5 << 0.7 << true << false;
    }
    void splitMp3DecodeEqualsOneStream() {
        QFETCH(int, threads);
        QFETCH(double, offset);
        QFETCH(bool, mono);
        QFETCH(bool, native);
        LoadOptions options;
        options.offset = offset;
        options.mono = mono;
        if (native) options.sr = std::nullopt;
        const Audio one = load(referencePath("drums.mp3"), options);
        options.threads = threads;
        const Audio split = load(referencePath("drums.mp3"), options);
        QCOMPARE(split.samples.rows(), one.samples.rows());
        QCOMPARE(split.samples.cols(), one.samples.cols());
        QVERIFY((split.samples == one.samples).all()); // bit for bit, not within a tolerance
    }

    void aPartThatDoesNotMatchItsOverlapIsReadOnFromTheStreamBefore() {
        // On this mono mp3 a seek to an odd mp3 frame leaves mpg123's synthesis phase turned:
        // the samples differ in their last bit. Such parts must be found and replaced.
        const Audio one = load(referencePath("drums.mp3"));
        int rereads = -1;
        const std::vector<std::int64_t> odd{1152 * 41, 1152 * 101, 1152 * 203};
        const Audio split = detail::loadInParts(referencePath("drums.mp3"), {}, odd, &rereads);
        QCOMPARE(split.samples.cols(), one.samples.cols());
        QVERIFY((split.samples == one.samples).all());
        QVERIFY(rereads > 0);

        const std::vector<std::int64_t> even{1152 * 40, 1152 * 100, 1152 * 200};
        const Audio kept = detail::loadInParts(referencePath("drums.mp3"), {}, even, &rereads);
        QCOMPARE(rereads, 0); // every part decoded on its own thread was used
        QVERIFY((kept.samples == one.samples).all());

        const std::vector<std::int64_t> too_close{1152 * 40, 1152 * 41};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 detail::loadInParts(referencePath("drums.mp3"), {}, too_close));
    }

    void splitDecodeOfATruncatedMp3StopsWhereOneStreamDoes() {
        QTemporaryDir dir;
        const std::filesystem::path cut = dir.filePath("cut.mp3").toStdString();
        const std::string bytes = readBytes(referencePath("drums.mp3"));
        writeBytes(cut, bytes.substr(0, bytes.size() * 2 / 3));
        const Audio one = load(cut);
        LoadOptions split;
        split.threads = 4;
        const Audio parts = load(cut, split);
        QCOMPARE(parts.samples.cols(), one.samples.cols());
        QVERIFY((parts.samples == one.samples).all());
    }

    void invalidParametersAreRefused() {
        LoadOptions bad;
        bad.sr = -1.0;
        QVERIFY_THROWS_EXCEPTION(AudioError, load(referencePath("tiny.wav"), bad));
        bad = {};
        bad.offset = -1.0;
        QVERIFY_THROWS_EXCEPTION(AudioError, load(referencePath("tiny.wav"), bad));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 resample(Eigen::ArrayXf(Eigen::ArrayXf::Zero(10)), 0, 1));
    }
};

QTEST_GUILESS_MAIN(TestAudio)
#include "test_audio.moc"
