// core/beat: librosa.beat.beat_track (dynamic programming, librosa 0.10.2).
#include "core/io/audio.h"
#include "core/rhythm/beat.h"
#include "core/export/npy.h"
#include "core/rhythm/onset.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

class TestBeat : public QObject {
    Q_OBJECT

private slots:
    void silenceGivesNoBeats() {
        const BeatTrack result = beatTrack(Eigen::ArrayXf::Zero(600));
        QVERIFY(std::isfinite(result.tempo));
        QCOMPARE(result.tempo, 0.0); // librosa returns (0.0, []) when there is no onset at all
        QCOMPARE(result.beats.size(), Eigen::Index(0));
        QCOMPARE(beatTrack(Eigen::ArrayXf(0)).beats.size(), Eigen::Index(0));
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf env = Eigen::ArrayXf::Ones(100);
        const auto refused =
            paramRefusal<BeatTrackParams>([&](const BeatTrackParams& p) { beatTrack(env, p); });
        refused([](BeatTrackParams& p) { p.tightness = 0; });
        refused([](BeatTrackParams& p) { p.bpm = -120.0; });
        refused([](BeatTrackParams& p) { p.start_bpm = 0; });
        refused([](BeatTrackParams& p) { p.hop_length = 0; });
        refused([](BeatTrackParams& p) { p.sr = 0; });
        refused([](BeatTrackParams& p) { p.bpm = 1e6; }); // faster than a beat per frame
    }

    void matchesLibrosaReference_data() { addReferenceInputRowsWithSilence(); }
    void matchesLibrosaReference() {
        QFETCH(QString, name);
        const std::string prefix = name.toStdString();
        const Eigen::ArrayXf env = readReferenceRow(prefix + ".onset_strength_p.npy");
        const Eigen::ArrayXf ref = readReferenceRow(prefix + ".beats_p.npy");
        const double ref_tempo = readReference(prefix + ".tempo_p.npy")(0, 0);
        const BeatTrack ours = beatTrack(env);
        QVERIFY(std::abs(ours.tempo - ref_tempo) <= 0.005 * ref_tempo);
        QCOMPARE(ours.beats.size(), ref.size());
        for (Eigen::Index i = 0; i < ref.size(); ++i)
            QVERIFY2(
                std::abs(float(ours.beats[i]) - ref[i]) <= 1.0f,
                qPrintable(QString("beat %1: %2 vs %3").arg(i).arg(ours.beats[i]).arg(ref[i])));
    }

    void beatsLandOnClicks_data() {
        QTest::addColumn<double>("bpm");
        QTest::newRow("100 BPM") << 100.0;
        QTest::newRow("140 BPM") << 140.0;
    }
    void beatsLandOnClicks() {
        QFETCH(double, bpm);
        const double sr = 22050.0;
        const Eigen::Index length = Eigen::Index(20.0 * sr);
        const std::vector<Eigen::Index> starts = clickStarts(bpm, length, sr);
        const BeatTrack result = beatTrack(onsetStrength(clickTrackAt(starts, length, sr)));
        // Every beat sits on a click (within a frame of the click's onset frame) ...
        QVERIFY(result.beats.size() > 0);
        for (int beat : result.beats) {
            Eigen::Index nearest = length;
            for (Eigen::Index s : starts)
                nearest = std::min(nearest, std::abs(Eigen::Index(beat) * 512 - s));
            QVERIFY2(nearest <= 512 + 256, qPrintable(QString("beat at frame %1").arg(beat)));
        }
        // ... and, untrimmed, nearly every click gets one. (librosa's trim clears edge frames
        // whose local score is below about 0.96 of the mean beat strength, which for clicks of
        // varying sub-frame phase can take a couple of beats at either end.)
        BeatTrackParams untrimmed;
        untrimmed.trim = false;
        const BeatTrack all = beatTrack(onsetStrength(clickTrackAt(starts, length, sr)), untrimmed);
        QVERIFY2(
            all.beats.size() >= Eigen::Index(starts.size()) - 2,
            qPrintable(QString("%1 beats, %2 clicks").arg(all.beats.size()).arg(starts.size())));
        QVERIFY(result.beats.size() >= Eigen::Index(starts.size()) * 3 / 4);
    }

    void givenTempoIsFollowed() {
        Eigen::ArrayXf env = Eigen::ArrayXf::Zero(800);
        for (Eigen::Index i = 10; i < env.size(); i += 30)
            env[i] = 1.0f;
        BeatTrackParams p;
        p.bpm = 60.0 * 22050.0 / (512.0 * 30.0);
        const BeatTrack result = beatTrack(env, p);
        QCOMPARE(result.tempo, *p.bpm);
        QVERIFY(result.beats.size() >= 20);
        for (Eigen::Index i = 1; i < result.beats.size(); ++i)
            QCOMPARE(result.beats[i] - result.beats[i - 1], 30);
    }

    void trimOnlyRemovesBeats() {
        const Eigen::ArrayXf env = readReferenceRow("drums.onset_strength_p.npy");
        BeatTrackParams p;
        p.trim = false;
        const BeatTrack untrimmed = beatTrack(env, p);
        const BeatTrack trimmed = beatTrack(env);
        QVERIFY(untrimmed.beats.size() >= trimmed.beats.size());
        for (int beat : trimmed.beats)
            QVERIFY((untrimmed.beats == beat).any());
    }

    void realRecording() {
        const Audio audio = load(referencePath("drums.wav"));
        const BeatTrack result = beatTrack(onsetStrength(audio.mono()));
        QVERIFY(std::abs(result.tempo - 120.0) <= 0.03 * 120.0);
        // 8 s at 120 BPM: about 16 beats, spaced about 21.5 frames.
        QVERIFY(result.beats.size() >= 13 && result.beats.size() <= 17);
        for (Eigen::Index i = 1; i < result.beats.size(); ++i) {
            const int gap = result.beats[i] - result.beats[i - 1];
            QVERIFY2(gap >= 20 && gap <= 23, qPrintable(QString::number(gap)));
        }
    }
};

QTEST_GUILESS_MAIN(TestBeat)
#include "test_beat.moc"
