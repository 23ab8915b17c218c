// core/onset: librosa.onset.onset_strength (spectral flux of the log-power mel spectrogram).
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/spectrum/mel.h"
#include "core/export/npy.h"
#include "core/rhythm/onset.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

namespace {
void compareWithReference(const Eigen::ArrayXf& ours, const std::string& file) {
    const Eigen::ArrayXf ref = readReferenceRow(file);
    QCOMPARE(ours.size(), ref.size());
    const double err = relativeError(ours, ref);
    QVERIFY2(err <= 1e-4, qPrintable(QString::fromStdString(file) + ": " + QString::number(err)));
}
} // namespace

class TestOnset : public QObject {
    Q_OBJECT

private slots:
    void silenceGivesFiniteZeros() {
        const Eigen::ArrayXf env = onsetStrength(Eigen::ArrayXf(Eigen::ArrayXf::Zero(22050)));
        QCOMPARE(env.size(), Eigen::Index(1 + 22050 / 512));
        QVERIFY(env.allFinite());
        QCOMPARE(env.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Ones(4096);
        const auto refused = paramRefusal<OnsetStrengthParams>(
            [&](const OnsetStrengthParams& p) { onsetStrength(y, p); });
        refused([](OnsetStrengthParams& p) { p.lag = 0; });
        refused([](OnsetStrengthParams& p) { p.max_size = 0; });
        refused([](OnsetStrengthParams& p) { p.hop_length = 0; });
        refused([](OnsetStrengthParams& p) { p.n_fft = -1; });
        refused([](OnsetStrengthParams& p) { p.sr = 0; });
    }

    void matchesLibrosaReference_data() { addReferenceInputRows(); }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        const std::string prefix = name.toStdString();
        compareWithReference(onsetStrength(readReferenceRow(prefix + ".y.npy")),
                             prefix + ".onset_strength.npy");
        compareWithReference(onsetStrength(readReferenceRow(prefix + ".y_percussive.npy")),
                             prefix + ".onset_strength_p.npy");
    }

    void realRecording() {
        const Audio audio = load(referencePath("drums.wav"));
        compareWithReference(onsetStrength(audio.mono()), "drums.onset_strength.npy");
    }

    void blockwiseMelEqualsTheWholeSpectrogram_data() {
        QTest::addColumn<int>("length");
        QTest::newRow("short: 6 frames") << 3000;
        QTest::newRow("one block and a bit: 130 frames") << 129 * 512;
        QTest::newRow("drums: 345 frames") << 0;
    }
    void blockwiseMelEqualsTheWholeSpectrogram() {
        // onsetStrength(y) frames the STFT in blocks; it must equal the flux of the log-power mel
        // spectrogram of the whole signal at once.
        QFETCH(int, length);
        Eigen::ArrayXf y = readReferenceRow("drums.y.npy");
        if (length > 0) y = Eigen::ArrayXf(y.head(length));
        Eigen::ArrayXXf S = melSpectrogram(y, 22050.0, StftParams{});
        powerToDbInPlace(S);
        const Eigen::ArrayXf whole = onsetStrength(S);
        const Eigen::ArrayXf blocked = onsetStrength(y);
        QCOMPARE(blocked.size(), whole.size());
        QVERIFY(whole.abs().maxCoeff() > 0.0f);
        QVERIFY(relativeError(blocked, whole) <= 1e-6);
    }

    void fluxOfAGivenSpectrogram() {
        // Two bins, four frames: the positive part of each bin's rise, averaged over bins.
        Eigen::ArrayXXf S(2, 4);
        S << 0, 1, 1, 3, //
            0, 0, 2, 2;
        OnsetStrengthParams p;
        p.center = false;
        Eigen::ArrayXf expected(4);
        expected << 0.0f, 0.5f, 1.0f, 1.0f; // lag 1: one leading zero
        QVERIFY((onsetStrength(S, p) == expected).all());
        // Centred: n_fft // (2 * hop_length) = 2 more leading zeros, trimmed back to 4 frames.
        p.center = true;
        expected << 0.0f, 0.0f, 0.0f, 0.5f;
        QVERIFY((onsetStrength(S, p) == expected).all());
    }

    void maxFilterAndMedian() {
        // Three bins; max_size 3 compares each bin with the loudest of its neighbours a frame ago.
        Eigen::ArrayXXf S(3, 2);
        S << 5, 4, //
            0, 3,  //
            0, 1;
        OnsetStrengthParams p;
        p.center = false;
        p.max_size = 3;
        // ref[:, 0] = (5, 5, 0): rises (0, 0, 1), mean 1/3.
        QCOMPARE(onsetStrength(S, p)[1], 1.0f / 3.0f);
        p.max_size = 1;
        p.aggregate = OnsetAggregate::Median; // rises (0, 3, 1): median 1
        QCOMPARE(onsetStrength(S, p)[1], 1.0f);
    }

    void detrendRemovesTheMean() {
        // The DC blocker's pole (0.99) forgets the start within a few hundred frames: on 32 s of
        // a loop the second half of the detrended envelope averages near zero.
        const Eigen::ArrayXf loop = readReferenceRow("drums.y.npy");
        const Eigen::ArrayXf y = loop.replicate(4, 1);
        OnsetStrengthParams p;
        const Eigen::ArrayXf raw = onsetStrength(y, p);
        p.detrend = true;
        const Eigen::ArrayXf detrended = onsetStrength(y, p);
        QVERIFY(detrended.allFinite());
        const Eigen::Index half = detrended.size() / 2;
        QVERIFY(std::abs(detrended.tail(half).mean()) < 0.05f * raw.tail(half).mean());
        // The filter's first output is its first input.
        QCOMPARE(detrended[3], raw[3]);
    }

    void lagShiftsTheEnvelope() {
        const Eigen::ArrayXf y = readReferenceRow("drums.y.npy");
        OnsetStrengthParams p;
        p.lag = 3;
        const Eigen::ArrayXf env = onsetStrength(y, p);
        QCOMPARE(env.size(), Eigen::Index(345));
        QCOMPARE(env.head(3 + 2).abs().maxCoeff(), 0.0f); // lag + centring shift
        QVERIFY(env.maxCoeff() > 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestOnset)
#include "test_onset.moc"
