// core/energy: librosa.feature.rms and librosa.feature.zero_crossing_rate.
#include "core/io/audio.h"
#include "core/feature/energy.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <tuple>

using namespace featurescope;
using namespace testsupport;

class TestEnergy : public QObject {
    Q_OBJECT
private slots:
    void silenceIsFiniteZero() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Zero(10000);
        const Eigen::ArrayXXf r = rms(y);
        QCOMPARE(r.cols(), Eigen::Index(1 + 10000 / 512));
        QCOMPARE(r.abs().maxCoeff(), 0.0f);
        QCOMPARE(rms(stftMagnitude(y)).abs().maxCoeff(), 0.0f);
        const Eigen::ArrayXXf z = zeroCrossingRate(y);
        QCOMPARE(z.cols(), r.cols());
        QCOMPARE(z.abs().maxCoeff(), 0.0f);
    }

    void rmsOfAConstantAndItsPadding() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Constant(8192, 0.5f);
        const Eigen::ArrayXXf zero_padded = rms(y);
        QVERIFY(std::abs(zero_padded(0, 4) - 0.5f) < 1e-6f);
        // Frame 0 is half padding: mean square 0.25 / 2.
        QVERIFY(std::abs(zero_padded(0, 0) - 0.5f / std::sqrt(2.0f)) < 1e-6f);
        RmsParams edge;
        edge.pad_mode = FramePadMode::Edge;
        QVERIFY((rms(y, edge) - 0.5f).abs().maxCoeff() < 1e-6f);
    }

    void singleClickAndNonDefaultHop() {
        Eigen::ArrayXf y = Eigen::ArrayXf::Zero(10000);
        y[5000] = 1.0f;
        RmsParams p;
        p.frame_length = 1000;
        p.hop_length = 300;
        const Eigen::ArrayXXf r = rms(y, p);
        QCOMPARE(r.cols(), Eigen::Index(1 + 10000 / 300));
        // Frame t covers padded samples [300 t, 300 t + 1000), i.e. y[300 t - 500 ..].
        for (Eigen::Index t = 0; t < r.cols(); ++t) {
            const bool covers = 300 * t - 500 <= 5000 && 5000 < 300 * t + 500;
            QVERIFY(std::abs(r(0, t) - (covers ? std::sqrt(1.0f / 1000.0f) : 0.0f)) < 1e-7f);
        }
        RmsParams uncentred = p;
        uncentred.center = false;
        QCOMPARE(rms(y, uncentred).cols(), Eigen::Index(1 + (10000 - 1000) / 300));
        ZeroCrossingRateParams z;
        z.frame_length = 1000;
        z.hop_length = 300;
        z.center = false;
        QCOMPARE(zeroCrossingRate(y, z).cols(), Eigen::Index(1 + (10000 - 1000) / 300));
        // A positive click never crosses zero (0 counts as positive).
        QCOMPARE(zeroCrossingRate(y, z).abs().maxCoeff(), 0.0f);
    }

    void rmsFromSpectrumFollowsParseval() {
        // A one-bin spectrum: the DC bin (and Nyquist for even lengths) counts once, others twice.
        Eigen::ArrayXXf S = Eigen::ArrayXXf::Zero(1025, 3);
        S(0, 0) = 2048.0f;
        S(10, 1) = 2048.0f;
        S(1024, 2) = 2048.0f;
        const Eigen::ArrayXXf even = rms(S);
        QVERIFY(std::abs(even(0, 0) - 1.0f) < 1e-6f);
        QVERIFY(std::abs(even(0, 1) - std::sqrt(2.0f)) < 1e-6f);
        QVERIFY(std::abs(even(0, 2) - 1.0f) < 1e-6f);
        const Eigen::ArrayXXf odd = rms(S, 2049); // 2049 // 2 + 1 == 1025: no Nyquist bin
        QVERIFY(std::abs(odd(0, 2) - std::sqrt(2.0f) * 2048.0f / 2049.0f) < 1e-6f);
    }

    void zeroCrossingRateEqualsFrameByFrameCounts() {
        // librosa's recipe spelled out: pad both edges by repeating the end samples, frame, and
        // count the class changes inside each frame. Crossings are counted once per sample
        // between frame edges, which must give the same rates.
        std::mt19937 random(7);
        std::uniform_int_distribution<int> pick(-2, 2);
        Eigen::ArrayXf y(9001);
        for (Eigen::Index i = 0; i < y.size(); ++i)
            y[i] = float(pick(random)) * (i % 3 ? 1.0f : 1e-12f); // zeros and tiny values too
        for (const auto& [length, hop, center] : {std::tuple{2048, 512, true},
                                                  {1000, 300, false},
                                                  {512, 700, true},
                                                  {7, 3, true},
                                                  {4096, 4096, false},
                                                  {2048, 512, false}}) {
            for (const bool zero_pos : {true, false}) {
                ZeroCrossingRateParams p;
                p.frame_length = length;
                p.hop_length = hop;
                p.center = center;
                p.zero_pos = zero_pos;
                const auto classOf = [&](float v) {
                    if (std::abs(v) <= float(p.threshold)) v = 0.0f;
                    return zero_pos ? int(v < 0.0f) : int(v > 0.0f) - int(v < 0.0f);
                };
                const Eigen::Index pad = center ? length / 2 : 0;
                const auto padded = [&](Eigen::Index i) {
                    return y[std::clamp<Eigen::Index>(i - pad, 0, y.size() - 1)];
                };
                const Eigen::ArrayXXf ours = zeroCrossingRate(y, p);
                QCOMPARE(ours.cols(), 1 + (y.size() + 2 * pad - length) / hop);
                for (Eigen::Index t = 0; t < ours.cols(); ++t) {
                    int count = 0;
                    for (Eigen::Index j = 1; j < length; ++j)
                        count += classOf(padded(t * hop + j)) != classOf(padded(t * hop + j - 1));
                    QCOMPARE(ours(0, t), float(double(count) / length));
                }
            }
        }
    }

    void zeroCrossingSemantics() {
        Eigen::ArrayXf alternating(4096);
        for (Eigen::Index i = 0; i < alternating.size(); ++i)
            alternating[i] = i % 2 ? 1.0f : -1.0f;
        // Every pair of an interior frame crosses; the frame's first sample has no predecessor.
        QCOMPARE(zeroCrossingRate(alternating)(0, 4), 2047.0f / 2048.0f);
        // The edge padding repeats y[0] 1024 times: no crossing there, nor into y[0].
        QCOMPARE(zeroCrossingRate(alternating)(0, 0), 1023.0f / 2048.0f);

        ZeroCrossingRateParams p;
        p.frame_length = 4;
        p.hop_length = 4;
        p.center = false;
        Eigen::ArrayXf y(8);
        y << 0.0f, -1.0f, 0.0f, 1.0f, 1e-12f, -1e-12f, 2.0f, 3.0f;
        // zero_pos: 0 -> -1 and -1 -> 0 cross, 0 -> 1 does not; +-1e-12 is below threshold.
        const Eigen::ArrayXXf pos = zeroCrossingRate(y, p);
        QCOMPARE(pos(0, 0), 2.0f / 4.0f);
        QCOMPARE(pos(0, 1), 0.0f);
        p.zero_pos = false; // now 0 is its own sign: 0 -> 1 crosses too
        const Eigen::ArrayXXf sign = zeroCrossingRate(y, p);
        QCOMPARE(sign(0, 0), 3.0f / 4.0f);
        QCOMPARE(sign(0, 1), 1.0f / 4.0f);
        p.threshold = 0.0; // the tiny values are no longer zero: 1e-12 -> -1e-12 -> 2 crosses twice
        QCOMPARE(zeroCrossingRate(y, p)(0, 1), 2.0f / 4.0f);

        Eigen::ArrayXf sine(22050);
        for (Eigen::Index i = 0; i < sine.size(); ++i)
            sine[i] = float(std::sin(2.0 * std::numbers::pi * 441.0 * (double(i) + 0.5) / 22050.0));
        // 441 Hz crosses zero 882 times a second: 2048 * 882 / 22050 per frame.
        QVERIFY(std::abs(zeroCrossingRate(sine)(0, 20) * 2048.0f - 81.92f) <= 1.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Ones(5000);
        RmsParams r;
        r.frame_length = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rms(y, r));
        r = {};
        r.hop_length = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rms(y, r));
        r = {};
        r.center = false;
        r.frame_length = 8000; // longer than the signal
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rms(y, r));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rms(Eigen::ArrayXXf::Ones(1025, 2), 2047));
        ZeroCrossingRateParams z;
        z.hop_length = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, zeroCrossingRate(y, z));
        Eigen::ArrayXf bad = y;
        bad[7] = NAN;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, zeroCrossingRate(bad));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string n = name;
            QVERIFY(relativeError(rms(readReference(n + ".stft_mag.npy")),
                                  readReference(n + ".rms.npy")) <= 1e-4);
            const Eigen::ArrayXf y = readReferenceRow(n + ".y.npy");
            QVERIFY(maxAbsError(zeroCrossingRate(y), readReference(n + ".zcr.npy")) <= 1e-6f);
        }
    }

    void realRecording() {
        const Eigen::ArrayXf y = load(referencePath("drums.wav")).mono();
        QVERIFY(relativeError(rms(stftMagnitude(y)), readReference("drums.rms.npy")) <= 1e-4);
        QVERIFY(maxAbsError(zeroCrossingRate(y), readReference("drums.zcr.npy")) <= 1e-6f);
        // The time-domain RMS of a Hann-windowed STFT is not the signal's: only check the range.
        const Eigen::ArrayXXf r = rms(y);
        QVERIFY(r.isFinite().all());
        QVERIFY(r.maxCoeff() > 0.01f && r.maxCoeff() <= 1.0f);
    }
};

QTEST_GUILESS_MAIN(TestEnergy)
#include "test_energy.moc"
