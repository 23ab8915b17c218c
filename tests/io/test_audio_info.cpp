// core/audio_info: a file's header without decoding it, as slurm-script's memory model reads it.
#include "core/io/audio.h"
#include "core/io/audio_info.h"
#include "tests/support/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <fstream>

using namespace featurescope;
using namespace testsupport;

namespace {
/// Asserts that readAudioInfo(path) throws an AudioError naming the file and `reason`.
void expectError(const std::filesystem::path& path, const std::string& reason) {
    try {
        readAudioInfo(path);
        QFAIL(qPrintable("no error for " + QString::fromStdString(path.string())));
    } catch (const AudioError& e) {
        QVERIFY2(std::string(e.what()).find(path.string()) != std::string::npos, e.what());
        QVERIFY2(e.reason().find(reason) != std::string::npos, e.what());
    }
}
} // namespace

class TestAudioInfo : public QObject {
    Q_OBJECT
private slots:
    void headerAgreesWithTheDecode_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"chords.wav", "chords.flac", "drums.mp3", "stereo44k.wav"})
            QTest::newRow(name) << name;
    }
    void headerAgreesWithTheDecode() {
        QFETCH(QString, name);
        const auto path = referencePath(name.toStdString());
        const AudioInfo info = readAudioInfo(path);
        LoadOptions native;
        native.sr = std::nullopt;
        native.mono = false;
        const Audio audio = load(path, native);
        QCOMPARE(info.sr_native, audio.sr);
        QCOMPARE(Eigen::Index(info.channels), audio.channels());
        QVERIFY(info.frames.has_value());
        QCOMPARE(Eigen::Index(*info.frames), audio.length());
        QCOMPARE(*info.duration(), audio.duration());
        QCOMPARE(info.file_size, std::filesystem::file_size(path));
    }

    void unreadableFilesAreNamed() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        expectError(root / "missing.wav", "no such file");
        std::filesystem::create_directory(root / "folder.wav");
        expectError(root / "folder.wav", "is a folder");
        std::ofstream(root / "empty.wav").close();
        expectError(root / "empty.wav", "empty");
        std::ofstream(root / "text.wav") << "not audio\n";
        expectError(root / "text.wav", "not a readable audio file");
        // A named pipe is refused at once: opening it would wait for a writer.
        QCOMPARE(::mkfifo((root / "pipe.wav").c_str(), 0644), 0);
        expectError(root / "pipe.wav", "not a regular file");
    }
};

QTEST_GUILESS_MAIN(TestAudioInfo)
#include "test_audio_info.moc"
