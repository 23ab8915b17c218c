// core/tempogram: librosa.feature.tempogram (autocorrelation) and librosa.tempo_frequencies.
#include "core/io/audio.h"
#include "core/export/npy.h"
#include "core/rhythm/onset.h"
#include "core/spectrum/stft.h"
#include "core/rhythm/tempogram.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace featurescope;
using namespace testsupport;

namespace {
// The lag (>= 1) with the largest autocorrelation in column t.
Eigen::Index peakLag(const Eigen::ArrayXXf& tg, Eigen::Index t) {
    Eigen::Index lag = 0;
    tg.col(t).tail(tg.rows() - 1).maxCoeff(&lag);
    return lag + 1;
}
} // namespace

class TestTempogram : public QObject {
    Q_OBJECT

private slots:
    void silenceGivesFiniteZeros() {
        const Eigen::ArrayXXf tg = tempogram(Eigen::ArrayXf::Zero(500));
        QCOMPARE(tg.rows(), Eigen::Index(384));
        QCOMPARE(tg.cols(), Eigen::Index(500));
        QVERIFY(tg.allFinite());
        // normalize leaves an all-zero column alone (fill=None) instead of dividing by zero.
        QCOMPARE(tg.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf env = Eigen::ArrayXf::Ones(100);
        TempogramParams p;
        p.win_length = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(env, p));
        p = {};
        p.hop_length = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(env, p));
        p = {};
        p.sr = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(env, p));
        p = {};
        p.norm = -2;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(env, p));
        // Left-aligned windows need at least one whole window.
        p = {};
        p.center = false;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(env, p));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(Eigen::ArrayXf(0)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempoFrequencies(-1));
        Eigen::ArrayXf nan = Eigen::ArrayXf::Ones(500);
        nan[250] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempogram(nan));
    }

    void matchesLibrosaReference_data() { addReferenceInputRowsWithSilence(); }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        const std::string prefix = name.toStdString();
        const Eigen::ArrayXf env = readReferenceRow(prefix + ".onset_strength_p.npy");
        const Eigen::ArrayXXf ref = readReference(prefix + ".tempogram_p.npy");
        const Eigen::ArrayXXf ours = tempogram(env);
        QCOMPARE(ours.rows(), ref.rows());
        QCOMPARE(ours.cols(), ref.cols());
        QVERIFY2(relativeError(ours, ref) <= 1e-4,
                 qPrintable(QString::number(relativeError(ours, ref))));
    }

    // Music then digital silence, as a centre crop pads a short clip: every column equals the
    // definition (window, linear autocorrelation in double, max-normalised) computed alone, the
    // columns next to the silence too, and the columns whose window holds only zeros are 0.
    void silentTailMatchesTheDefinitionColumnByColumn() {
        Eigen::ArrayXf env = Eigen::ArrayXf::Zero(1500);
        for (Eigen::Index t = 0; t < 700; ++t)
            env[t] = float(1.0 + std::sin(0.3 * double(t)) + (t % 21 == 0 ? 5.0 : 0.0));
        const Eigen::ArrayXXf tg = tempogram(env);
        const int win = 384;
        const Eigen::ArrayXd w = hannWindow64(win, win);
        Eigen::ArrayXd padded = Eigen::ArrayXd::Zero(env.size() + win);
        for (Eigen::Index i = 0; i < win / 2; ++i) // linear_ramp from 0 to the first value
            padded[i] = double(env[0]) * double(i) / double(win / 2);
        padded.segment(win / 2, env.size()) = env.cast<double>();
        double worst = 0.0;
        for (Eigen::Index t = 0; t < env.size(); ++t) {
            Eigen::ArrayXd frame = padded.segment(t, win) * w;
            Eigen::ArrayXd acf(win);
            for (int lag = 0; lag < win; ++lag)
                acf[lag] = (frame.head(win - lag) * frame.tail(win - lag)).sum();
            const double peak = acf.abs().maxCoeff();
            if (peak == 0.0) {
                QCOMPARE(tg.col(t).abs().maxCoeff(), 0.0f);
                continue;
            }
            worst = std::max(worst, (tg.col(t).cast<double>() - acf / peak).abs().maxCoeff());
        }
        QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
        QCOMPARE(tg.rightCols(1500 - 700 - win / 2).abs().maxCoeff(), 0.0f);
    }

    void periodicEnvelopePeaksAtItsPeriod() {
        // An impulse every 20 frames: away from the edges every window's autocorrelation peaks at
        // lag 20 (multiples are weaker, the Hann window tapering their overlap).
        Eigen::ArrayXf env = Eigen::ArrayXf::Zero(1000);
        for (Eigen::Index i = 3; i < env.size(); i += 20)
            env[i] = 1.0f;
        const Eigen::ArrayXXf tg = tempogram(env);
        for (Eigen::Index t : {250, 500, 750}) {
            QCOMPARE(peakLag(tg, t), Eigen::Index(20));
            QCOMPARE(tg(0, t), 1.0f); // norm=inf: lag 0 is each column's maximum
        }
    }

    void uncenteredWindowsAreLeftAligned() {
        Eigen::ArrayXf env = Eigen::ArrayXf::Zero(600);
        for (Eigen::Index i = 0; i < env.size(); i += 25)
            env[i] = 1.0f;
        TempogramParams p;
        p.center = false;
        p.norm = std::numeric_limits<double>::quiet_NaN();
        const Eigen::ArrayXXf tg = tempogram(env, p);
        QCOMPARE(tg.cols(), Eigen::Index(600 - 384 + 1));
        // Unnormalised lag 0 of window 0 is the sum of squared windowed samples.
        double expected = 0.0;
        for (int m = 0; m < 384; m += 25) {
            const double w = 0.5 - 0.5 * std::cos(2.0 * M_PI * m / 384.0);
            expected += w * w;
        }
        QVERIFY(std::abs(tg(0, 0) - expected) <= 1e-5 * expected);
        QCOMPARE(peakLag(tg, 100), Eigen::Index(25));
    }

    void meanIsTheTimeAverageOfTheMatrix() {
        const Eigen::ArrayXf env = readReferenceRow("drums.onset_strength_p.npy");
        TempogramParams p;
        p.win_length = 344; // what tempo() uses at 22050 Hz, hop 512
        const Eigen::ArrayXd expected = tempogram(env, p).cast<double>().rowwise().mean();
        const Eigen::ArrayXd mean = tempogramMean(env, p);
        QCOMPARE(mean.size(), Eigen::Index(344));
        QVERIFY((mean - expected).abs().maxCoeff() <= 1e-12);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 tempogramMean(env, TempogramParams{22050.0, 512, 0}));
    }

    void otherNorms() {
        const Eigen::ArrayXf env = readReferenceRow("drums.onset_strength_p.npy");
        TempogramParams p;
        p.norm = std::numeric_limits<double>::quiet_NaN();
        const Eigen::ArrayXXf raw = tempogram(env, p);
        p.norm = 2.0;
        const Eigen::ArrayXXf l2 = tempogram(env, p);
        p.norm = 0.0;
        const Eigen::ArrayXXf count = tempogram(env, p);
        for (Eigen::Index t : {0, 100, 344}) {
            QVERIFY(std::abs(l2.col(t).matrix().norm() - 1.0f) <= 1e-5f);
            const float nonzero = float((raw.col(t) != 0.0f).count());
            QVERIFY(
                ((count.col(t) - raw.col(t) / nonzero).abs() <= 1e-6f * raw.col(t).abs().maxCoeff())
                    .all());
        }
    }

    void tempoFrequenciesAreLibrosas() {
        const Eigen::ArrayXd bpm = tempoFrequencies(5, 22050.0, 512);
        QVERIFY(std::isinf(bpm[0]));
        QCOMPARE(bpm[1], 60.0 * 22050.0 / 512.0);
        QCOMPARE(bpm[4], 60.0 * 22050.0 / (512.0 * 4.0));
    }

    void realRecordingShowsTheBeatPeriod() {
        // drums.wav is a 120 BPM loop: 21.5 frames per beat at hop 512.
        const Audio audio = load(referencePath("drums.wav"));
        const Eigen::ArrayXXf tg = tempogram(onsetStrength(audio.mono()));
        QVERIFY(tg.allFinite());
        const Eigen::ArrayXd mean = tg.cast<double>().rowwise().mean();
        Eigen::Index lag = 0;
        mean.segment(15, 15).maxCoeff(&lag); // lags 15..29: 86-172 BPM
        lag += 15;
        QVERIFY2(lag == 21 || lag == 22, qPrintable(QString::number(lag)));
    }
};

QTEST_GUILESS_MAIN(TestTempogram)
#include "test_tempogram.moc"
