// core/poly_features: librosa.feature.poly_features, with Essentia's four tests: zeros in, an
// invalid parameter refused with its rule, librosa's numbers, a real recording.
#include "core/io/audio.h"
#include "core/feature/poly_features.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

class TestPolyFeatures : public QObject {
    Q_OBJECT

private slots:
    void zerosGiveZeroCoefficients() {
        const Eigen::ArrayXXf c = polyFeatures(Eigen::ArrayXXf::Zero(1025, 7), 22050.0);
        QCOMPARE(c.rows(), Eigen::Index(2));
        QCOMPARE(c.cols(), Eigen::Index(7));
        QVERIFY(c.allFinite());
        QCOMPARE(c.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXXf S = Eigen::ArrayXXf::Ones(1025, 3);
        PolyFeaturesParams p;
        p.order = -1;
        expectRefusal([&] { polyFeatures(S, 22050.0, p); }, "order must be an integer >= 0");
        expectRefusal([&] { polyFeatures(S, 0.0); }, "sr must be > 0");
        p.order = 3;
        expectRefusal([&] { polyFeatures(Eigen::ArrayXXf::Ones(3, 2), 22050.0, p); },
                      "needs at least 4 frequency bins");
        Eigen::ArrayXXf nan = S;
        nan(5, 1) = NAN;
        expectRefusal([&] { polyFeatures(nan, 22050.0); }, "S must be finite");
    }

    // A spectrum that is itself a polynomial of the frequency is fitted exactly.
    void recoversAPolynomialSpectrum() {
        const Eigen::ArrayXd f = fftFrequencies(22050.0, 2048);
        Eigen::ArrayXXf S(1025, 2);
        S.col(0) = (3.0 - 2e-4 * f).cast<float>();
        S.col(1) = (1.0 + 1e-4 * f + 2e-8 * f.square()).cast<float>();
        PolyFeaturesParams p;
        p.order = 2;
        const Eigen::ArrayXXf c = polyFeatures(S, 22050.0, p);
        QVERIFY(std::abs(c(0, 0)) < 1e-12f);
        QVERIFY(std::abs(c(1, 0) + 2e-4f) < 1e-9f);
        QVERIFY(std::abs(c(2, 0) - 3.0f) < 1e-5f);
        QVERIFY(std::abs(c(0, 1) - 2e-8f) < 1e-13f);
        QVERIFY(std::abs(c(1, 1) - 1e-4f) < 1e-9f);
        QVERIFY(std::abs(c(2, 1) - 1.0f) < 1e-5f);
    }

    void matchesLibrosaReference_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("order");
        for (const char* input : {"chords", "drums"}) {
            QTest::newRow(qPrintable(QString("%1 order 1").arg(input))) << input << 1;
            QTest::newRow(qPrintable(QString("%1 order 2").arg(input))) << input << 2;
        }
    }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        QFETCH(int, order);
        const std::string prefix = name.toStdString();
        const Eigen::ArrayXXf S = readReference(prefix + ".stft_mag.npy");
        PolyFeaturesParams p;
        p.order = order;
        const Eigen::ArrayXXf ours = polyFeatures(S, 22050.0, p);
        const Eigen::ArrayXXf ref =
            readReference(prefix + (order == 1 ? ".poly_features.npy" : ".poly_features_o2.npy"));
        QVERIFY2(relativeError(ours, ref) <= 1e-4,
                 qPrintable(QString::number(relativeError(ours, ref))));
    }

    // Order 0 is each frame's mean magnitude; a recording's order-1 slope is negative (its
    // energy falls with frequency) in every loud frame.
    void realRecording() {
        const Eigen::ArrayXXf S = magnitude(stft(load(referencePath("drums.mp3")).mono()));
        PolyFeaturesParams p;
        p.order = 0;
        const Eigen::ArrayXXf level = polyFeatures(S, 22050.0, p);
        const Eigen::ArrayXXf mean = S.colwise().mean();
        QVERIFY(((level - mean).abs() <= 1e-5f * (mean.abs() + 1e-6f)).all());
        const Eigen::ArrayXXf slope = polyFeatures(S, 22050.0);
        const float loud = 0.1f * mean.maxCoeff();
        for (Eigen::Index t = 0; t < S.cols(); ++t)
            if (mean(0, t) > loud) QVERIFY2(slope(0, t) < 0.0f, qPrintable(QString::number(t)));
    }
};

QTEST_GUILESS_MAIN(TestPolyFeatures)
#include "test_poly_features.moc"
