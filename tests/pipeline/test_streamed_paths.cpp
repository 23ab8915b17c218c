// The streamed and threaded fast paths agree with the plain whole-matrix computations they
// replace: estimate_tuning frame by frame on two threads, onset_strength's paired-frame FFTs,
// the tempogram mean over two halves with paired autocorrelations, and beat_track given the
// tempo it would have estimated.
#include "core/io/audio.h"
#include "core/rhythm/beat.h"
#include "core/spectrum/decibel.h"
#include "core/spectrum/mel.h"
#include "core/rhythm/onset.h"
#include "core/spectrum/stft.h"
#include "core/rhythm/tempo.h"
#include "core/rhythm/tempogram.h"
#include "core/spectrum/tuning.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace featurescope;
using namespace testsupport;

namespace {
constexpr double kSr = 22050.0;

/// `times` copies of y end to end: long enough for many blocks on both threads.
Eigen::ArrayXf tiled(const Eigen::ArrayXf& y, int times) {
    Eigen::ArrayXf out(y.size() * times);
    for (int i = 0; i < times; ++i)
        out.segment(i * y.size(), y.size()) = y;
    return out;
}
} // namespace

class TestStreamedPaths : public QObject {
    Q_OBJECT
private slots:
    void tuningFromTheSignalEqualsTuningFromItsSpectrogram() {
        for (const char* name : {"chords.wav", "drums.wav"}) {
            const Eigen::ArrayXf y = tiled(load(referencePath(name)).mono(), 3);
            const Eigen::ArrayXXf S = stftMagnitude(y);
            for (int bins_per_octave : {12, 36}) {
                for (double threshold : {0.1, 0.4}) {
                    TuningParams p;
                    p.bins_per_octave = bins_per_octave;
                    p.threshold = threshold;
                    p.resolution = 0.001; // fine bins: any change in the candidates would show
                    QCOMPARE(estimateTuning(y, kSr, p), estimateTuningFromSpectrogram(S, kSr, p));
                }
            }
            TuningParams fixed_ref;
            fixed_ref.ref = 0.05;
            QCOMPARE(estimateTuning(y, kSr, fixed_ref),
                     estimateTuningFromSpectrogram(S, kSr, fixed_ref));
        }
    }

    void onsetStrengthEqualsTheMelSpectrogramRoute() {
        // An odd frame count leaves the last frame without a partner in its transform.
        Eigen::ArrayXf y = load(referencePath("drums.wav")).mono();
        if (frameCount(y.size(), StftParams{}) % 2 == 0) y.conservativeResize(y.size() - 512);
        QVERIFY(frameCount(y.size(), StftParams{}) % 2 == 1);
        const Eigen::ArrayXXf power = stftMagnitude(y).square();
        Eigen::ArrayXXf S = melSpectrogram(power, kSr);
        powerToDbInPlace(S);
        const Eigen::ArrayXf fast = onsetStrength(y);
        const Eigen::ArrayXf plain = onsetStrength(S);
        QCOMPARE(fast.size(), plain.size());
        const double rel = relativeError(Eigen::ArrayXXf(fast), Eigen::ArrayXXf(plain));
        QVERIFY2(rel < 1e-5, qPrintable(QString::number(rel)));
    }

    void tempogramMeanOfALongEnvelopeEqualsTheMatrixMean() {
        const Eigen::ArrayXf envelope =
            onsetStrength(tiled(load(referencePath("drums.wav")).mono(), 8));
        for (Eigen::Index n : {envelope.size(), envelope.size() - 1}) {
            QVERIFY(n > 2048); // the two-thread path
            const Eigen::ArrayXf e = envelope.head(n);
            TempogramParams p;
            p.win_length = 384;
            const Eigen::ArrayXXf matrix = tempogram(e, p);
            const Eigen::ArrayXd expected = matrix.cast<double>().rowwise().mean();
            const Eigen::ArrayXd mean = tempogramMean(e, p);
            QCOMPARE(mean.size(), expected.size());
            QVERIFY((mean - expected).abs().maxCoeff() <= 1e-6 * expected.abs().maxCoeff());
        }
    }

    void autocorrelationsMatchTheDirectSum() {
        // Frames by the O(win^2) definition, norm=None, uncentred; 237 frames, so frames pair up
        // in the transforms and the last one is left alone.
        Eigen::ArrayXf envelope(300);
        for (Eigen::Index i = 0; i < envelope.size(); ++i)
            envelope[i] = float((i * 37) % 11) / 11.0f;
        TempogramParams p;
        p.win_length = 64;
        p.center = false;
        p.norm = std::numeric_limits<double>::quiet_NaN();
        const Eigen::ArrayXXf tg = tempogram(envelope, p);
        QCOMPARE(tg.cols(), Eigen::Index(237));
        const Eigen::ArrayXf window = hannWindow(64, 64);
        for (Eigen::Index t : {0, 1, 100, 235, 236}) {
            const Eigen::ArrayXf frame = envelope.segment(t, 64) * window;
            for (int lag = 0; lag < 64; ++lag) {
                double sum = 0.0;
                for (int i = 0; i + lag < 64; ++i)
                    sum += double(frame[i]) * double(frame[i + lag]);
                QVERIFY2(std::abs(tg(lag, t) - sum) <= 1e-5 * std::max(1.0, std::abs(sum)),
                         qPrintable(QStringLiteral("t %1 lag %2: %3 vs %4")
                                        .arg(t)
                                        .arg(lag)
                                        .arg(tg(lag, t))
                                        .arg(sum)));
            }
        }
    }

    void beatTrackGivenItsOwnTempoFindsTheSameBeats() {
        const Eigen::ArrayXf envelope = onsetStrength(load(referencePath("drums.wav")).mono());
        const BeatTrack estimated = beatTrack(envelope);
        BeatTrackParams given;
        given.bpm = tempo(envelope);
        const BeatTrack passed = beatTrack(envelope, given);
        QCOMPARE(passed.tempo, estimated.tempo);
        QVERIFY(passed.beats.size() > 0);
        QVERIFY(passed.beats.size() == estimated.beats.size());
        for (Eigen::Index i = 0; i < Eigen::Index(passed.beats.size()); ++i)
            QCOMPARE(passed.beats[i], estimated.beats[i]);
    }
};

QTEST_GUILESS_MAIN(TestStreamedPaths)
#include "test_streamed_paths.moc"
