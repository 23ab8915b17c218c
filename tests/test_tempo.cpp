// core/tempo: librosa.feature.tempo with the default log-normal prior.
#include "core/audio.h"
#include "core/npy.h"
#include "core/onset.h"
#include "core/tempo.h"
#include "core/tempogram.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;

namespace {
const std::filesystem::path kReference = FEATURESCOPE_TEST_DATA "/reference";

Eigen::ArrayXf row(const Eigen::ArrayXXf& m) {
    return m.row(0).transpose();
}

// A click track: a 10 ms decaying 1 kHz burst on every beat, 20 s long at `sr`.
Eigen::ArrayXf clicks(double bpm, double sr = 22050.0, double seconds = 20.0) {
    Eigen::ArrayXf y = Eigen::ArrayXf::Zero(Eigen::Index(seconds * sr));
    const double period = 60.0 / bpm * sr;
    for (double start = 0.25 * sr; start < double(y.size()); start += period)
        for (int i = 0; i < int(0.01 * sr) && Eigen::Index(start) + i < y.size(); ++i)
            y[Eigen::Index(start) + i] =
                float(std::exp(-i / (0.002 * sr)) * std::sin(2.0 * M_PI * 1000.0 * i / sr));
    return y;
}
} // namespace

class TestTempo : public QObject {
    Q_OBJECT

private slots:
    void silenceGivesAFiniteTempo() {
        const double bpm = tempo(Eigen::ArrayXf::Zero(400));
        QVERIFY(std::isfinite(bpm));
        // An all-zero tempogram leaves only the prior: its peak bin next to start_bpm = 120.
        QVERIFY2(std::abs(bpm - 120.0) < 3.0, qPrintable(QString::number(bpm)));
        QVERIFY(dynamicTempo(Eigen::ArrayXf::Zero(50)).allFinite());
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf env = Eigen::ArrayXf::Ones(100);
        auto refused = [&](auto change) {
            TempoParams p;
            change(p);
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, tempo(env, p));
        };
        refused([](TempoParams& p) { p.start_bpm = 0; });
        refused([](TempoParams& p) { p.std_bpm = -1; });
        refused([](TempoParams& p) { p.ac_size = 0; });
        refused([](TempoParams& p) { p.ac_size = 0.01; }); // under one hop: win_length 0
        refused([](TempoParams& p) { p.max_tempo = 0.0; });
        refused([](TempoParams& p) { p.hop_length = 0; });
        refused([](TempoParams& p) { p.sr = -22050; });
    }

    void matchesLibrosaReference_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("chords") << "chords";
        QTest::newRow("drums") << "drums";
    }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        const std::string prefix = name.toStdString();
        const Eigen::ArrayXf env = row(readNpy(kReference / (prefix + ".onset_strength_p.npy")));
        const double ref = readNpy(kReference / (prefix + ".tempo_p.npy"))(0, 0);
        const double ours = tempo(env);
        QVERIFY2(std::abs(ours - ref) <= 0.005 * ref,
                 qPrintable(QString("%1 vs %2").arg(ours).arg(ref)));
    }

    void clickTrackTempo_data() {
        QTest::addColumn<double>("bpm");
        QTest::addColumn<int>("hop");
        // At hop 512 the tempo bins near 140 BPM are 3 % apart (143.6, 136.0), so 140 BPM is
        // measured at hop 256 (bins 139.7, 143.6), where 1 % is resolvable.
        QTest::newRow("100 BPM, hop 512") << 100.0 << 512;
        QTest::newRow("140 BPM, hop 256") << 140.0 << 256;
        QTest::newRow("99.38 BPM (a bin), hop 512") << 60.0 * 22050.0 / (512.0 * 26.0) << 512;
    }
    void clickTrackTempo() {
        QFETCH(double, bpm);
        QFETCH(int, hop);
        OnsetStrengthParams op;
        op.hop_length = hop;
        TempoParams tp;
        tp.hop_length = hop;
        const double ours = tempo(onsetStrength(clicks(bpm), op), tp);
        QVERIFY2(std::abs(ours - bpm) <= 0.01 * bpm,
                 qPrintable(QString("%1 vs %2").arg(ours).arg(bpm)));
    }

    void maxTempoExcludesFasterCandidates() {
        // Clicks at 150 BPM (17.2 frames per beat, nearest bin 152.0): with max_tempo 135 the
        // beat period is excluded and the two-beat period (76.0) is the best one left.
        const Eigen::ArrayXf env = onsetStrength(clicks(150.0));
        const double free = tempo(env);
        QVERIFY2(std::abs(free - 150.0) <= 0.02 * 150.0, qPrintable(QString::number(free)));
        TempoParams p;
        p.max_tempo = 135.0;
        const double capped = tempo(env, p);
        QVERIFY2(capped < 135.0 && std::abs(capped - 75.0) <= 0.03 * 75.0,
                 qPrintable(QString::number(capped)));
    }

    void dynamicTempoFollowsTheClicks() {
        const Eigen::ArrayXd per_frame = dynamicTempo(onsetStrength(clicks(100.0)));
        // Frames well inside the track see whole windows of clicks.
        for (Eigen::Index t = 300; t < 500; t += 50)
            QVERIFY2(std::abs(per_frame[t] - 100.0) <= 0.01 * 100.0,
                     qPrintable(QString::number(per_frame[t])));
    }

    void realRecording() {
        // drums.wav: a 120 BPM loop. At hop 512 the nearest tempo bins are 117.5 and 123.0.
        const Audio audio = load(kReference / "drums.wav");
        const double bpm = tempo(onsetStrength(audio.mono()));
        QVERIFY2(std::abs(bpm - 120.0) <= 0.03 * 120.0, qPrintable(QString::number(bpm)));
    }
};

QTEST_GUILESS_MAIN(TestTempo)
#include "test_tempo.moc"
