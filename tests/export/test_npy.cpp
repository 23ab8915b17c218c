// core/npy: NumPy format 1.0, read back by numpy itself as a student would.
#include "core/export/npy.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace featurescope;

class TestNpy : public QObject {
    Q_OBJECT
private slots:
    void headerIsVersion1AlignedTo64() {
        const std::string bytes = npyBytes(Eigen::ArrayXXf::Zero(3, 5));
        QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
        QCOMPARE(int(bytes[6]), 1);
        const size_t header = size_t(uint8_t(bytes[8])) | size_t(uint8_t(bytes[9])) << 8;
        QCOMPARE((10 + header) % 64, size_t(0));
        QCOMPARE(bytes[10 + header - 1], '\n');
        QCOMPARE(bytes.size(), 10 + header + 15 * 4);
    }

    void roundTripKeepsShapeAndOrder() {
        QTemporaryDir dir;
        Eigen::ArrayXXf m(3, 4);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c)
                m(r, c) = float(10 * r + c) + 0.25f;
        const std::filesystem::path path = dir.filePath("m.npy").toStdString();
        writeNpy(path, m);
        const Eigen::ArrayXXf back = readNpy(path);
        QCOMPARE(back.rows(), Eigen::Index(3));
        QCOMPARE(back.cols(), Eigen::Index(4));
        QVERIFY((back - m).abs().maxCoeff() == 0.0f);
    }

    void numpyReadsIt() {
        // Debian's python3-numpy is a dependency (deps/debian-packages.txt): without it this
        // fails, it does not skip.
        QVERIFY2(QFile::exists("/usr/bin/python3"), "no /usr/bin/python3");
        QTemporaryDir dir;
        Eigen::ArrayXXf m(2, 3);
        m << 1, 2, 3, 4, 5, 6.5f;
        const QString path = dir.filePath("m.npy");
        writeNpy(path.toStdString(), m);
        QProcess python;
        python.start("/usr/bin/python3", {"-c",
                                          "import numpy as np, sys; a = np.load(sys.argv[1]); "
                                          "print(a.dtype, a.shape, a[1, 2], a[0, 1])",
                                          path});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(QString(python.readAllStandardOutput()).trimmed(),
                 QString("float32 (2, 3) 6.5 2.0"));
    }

    void referenceFilesRead() {
        const Eigen::ArrayXXf beats =
            readNpy(FEATURESCOPE_TEST_DATA "/reference/drums.beats_p.npy");
        QCOMPARE(beats.rows(), Eigen::Index(1));
        QCOMPARE(beats.cols(), Eigen::Index(15));
    }

    void badFilesAreRefused() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("bad.npy").toStdString();
        QVERIFY_THROWS_EXCEPTION(NpyError, readNpy(path));
        QFile f(QString::fromStdString(path.string()));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not numpy at all");
        f.close();
        QVERIFY_THROWS_EXCEPTION(NpyError, readNpy(path));
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "test_npy.moc"
