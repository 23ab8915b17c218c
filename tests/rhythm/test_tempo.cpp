// core/tempo: librosa.feature.tempo with the default log-normal prior.
#include "core/io/audio.h"
#include "core/export/npy.h"
#include "core/rhythm/onset.h"
#include "core/rhythm/tempo.h"
#include "core/rhythm/tempogram.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

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
        const auto refused =
            paramRefusal<TempoParams>([&](const TempoParams& p) { tempo(env, p); });
        refused([](TempoParams& p) { p.start_bpm = 0; });
        refused([](TempoParams& p) { p.std_bpm = -1; });
        refused([](TempoParams& p) { p.ac_size = 0; });
        refused([](TempoParams& p) { p.ac_size = 0.01; }); // under one hop: win_length 0
        refused([](TempoParams& p) { p.max_tempo = 0.0; });
        refused([](TempoParams& p) { p.hop_length = 0; });
        refused([](TempoParams& p) { p.sr = -22050; });
    }

    void matchesLibrosaReference_data() { addReferenceInputRowsWithSilence(); }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        const std::string prefix = name.toStdString();
        const Eigen::ArrayXf env = readReferenceRow(prefix + ".onset_strength_p.npy");
        const double ref = readReference(prefix + ".tempo_p.npy")(0, 0);
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
        const double ours = tempo(onsetStrength(clickTrack(bpm), op), tp);
        QVERIFY2(std::abs(ours - bpm) <= 0.01 * bpm,
                 qPrintable(QString("%1 vs %2").arg(ours).arg(bpm)));
    }

    void maxTempoExcludesFasterCandidates() {
        // Clicks at 150 BPM (17.2 frames per beat, nearest bin 152.0): with max_tempo 135 the
        // beat period is excluded and the two-beat period (76.0) is the best one left.
        const Eigen::ArrayXf env = onsetStrength(clickTrack(150.0));
        const double free = tempo(env);
        QVERIFY2(std::abs(free - 150.0) <= 0.02 * 150.0, qPrintable(QString::number(free)));
        TempoParams p;
        p.max_tempo = 135.0;
        const double capped = tempo(env, p);
        QVERIFY2(capped < 135.0 && std::abs(capped - 75.0) <= 0.03 * 75.0,
                 qPrintable(QString::number(capped)));
    }

    void dynamicTempoFollowsTheClicks() {
        const Eigen::ArrayXd per_frame = dynamicTempo(onsetStrength(clickTrack(100.0)));
        // Frames well inside the track see whole windows of clicks.
        for (Eigen::Index t = 300; t < 500; t += 50)
            QVERIFY2(std::abs(per_frame[t] - 100.0) <= 0.01 * 100.0,
                     qPrintable(QString::number(per_frame[t])));
    }

    void realRecording() {
        // drums.wav: a 120 BPM loop. At hop 512 the nearest tempo bins are 117.5 and 123.0.
        const Audio audio = load(referencePath("drums.wav"));
        const double bpm = tempo(onsetStrength(audio.mono()));
        QVERIFY2(std::abs(bpm - 120.0) <= 0.03 * 120.0, qPrintable(QString::number(bpm)));
    }
};

QTEST_GUILESS_MAIN(TestTempo)
#include "test_tempo.moc"
