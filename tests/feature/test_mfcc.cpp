// core/mfcc and core/delta: librosa.feature.mfcc and librosa.feature.delta.
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/feature/delta.h"
#include "core/feature/mfcc.h"
#include "core/export/npy.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>
#include <numbers>

using namespace featurescope;
using namespace testsupport;

namespace {
// A dB-scaled spectrogram stand-in: uniform in [-80, -20) dB.
Eigen::ArrayXXf noise(Eigen::Index rows, Eigen::Index cols) {
    return uniformMatrix(rows, cols, 4242, -80.0f, 60.0f);
}
} // namespace

class TestMfcc : public QObject {
    Q_OBJECT
private slots:
    void silenceIsFinite() {
        const Eigen::ArrayXXf S = powerToDb(Eigen::ArrayXXf::Zero(128, 10)); // -100 dB everywhere
        const Eigen::ArrayXXf M = mfcc(S);
        QCOMPARE(M.rows(), Eigen::Index(20));
        QVERIFY(M.isFinite().all());
        // A constant spectrum has only a DC coefficient: -100 * sqrt(128) with the ortho DCT.
        QVERIFY(std::abs(M(0, 0) + 100.0f * std::sqrt(128.0f)) < 1e-2f);
        QVERIFY(M.bottomRows(19).abs().maxCoeff() < 1e-3f);
        const Eigen::ArrayXXf D = delta(M);
        QVERIFY(D.isFinite().all());
        QVERIFY(D.abs().maxCoeff() < 1e-3f);
    }

    void orthonormalDctKeepsEnergyAndInverts() {
        const Eigen::ArrayXXf S = noise(40, 7);
        MfccParams all;
        all.n_mfcc = 40;
        const Eigen::ArrayXXf M = mfcc(S, all);
        for (Eigen::Index t = 0; t < S.cols(); ++t)
            QVERIFY(std::abs(M.col(t).matrix().norm() - S.col(t).matrix().norm()) <
                    1e-4f * S.col(t).matrix().norm());
        MfccParams inverse = all;
        inverse.dct_type = 3; // DCT-III (ortho) undoes DCT-II (ortho)
        QVERIFY(maxAbsError(mfcc(M, inverse), S) < 1e-3f);
        MfccParams plain = all;
        plain.norm = DctNorm::None; // scipy's unnormalised DCT-II: 2 * sum on coefficient 0
        QVERIFY(std::abs(mfcc(S, plain)(0, 0) - 2.0f * S.col(0).sum()) < 1e-2f);
    }

    void lifterScalesEachCoefficient() {
        const Eigen::ArrayXXf S = noise(64, 3);
        MfccParams lifted;
        lifted.lifter = 22.0;
        const Eigen::ArrayXXf plain = mfcc(S);
        const Eigen::ArrayXXf L = mfcc(S, lifted);
        for (int k = 0; k < 20; ++k) {
            const float gain = float(1.0 + 11.0 * std::sin(std::numbers::pi * (k + 1) / 22.0));
            QVERIFY((L.row(k) - gain * plain.row(k)).abs().maxCoeff() <
                    1e-5f * std::max(1.0f, plain.row(k).abs().maxCoeff() * gain));
        }
    }

    void deltaOfPolynomials() {
        const Eigen::Index n = 30;
        Eigen::ArrayXXf ramp(2, n), parabola(1, n);
        for (Eigen::Index t = 0; t < n; ++t) {
            ramp(0, t) = 3.0f * float(t) + 1.0f;
            ramp(1, t) = -0.5f * float(t);
            parabola(0, t) = 0.25f * float(t * t) - float(t);
        }
        // A least-squares fit of a line is exact on a line, edges ('interp') included.
        const Eigen::ArrayXXf d = delta(ramp);
        QVERIFY((d.row(0) - 3.0f).abs().maxCoeff() < 1e-4f);
        QVERIFY((d.row(1) + 0.5f).abs().maxCoeff() < 1e-4f);
        DeltaParams second;
        second.order = 2;
        QVERIFY((delta(parabola, second) - 0.5f).abs().maxCoeff() < 1e-4f);
        // On a parabola the first-order delta is the true slope at the window centres and, in
        // 'interp' mode, the slope of the line fitted to the first / last 9 frames at the edges.
        const Eigen::ArrayXXf d1 = delta(parabola);
        for (Eigen::Index t = 4; t < n - 4; ++t)
            QVERIFY(std::abs(d1(0, t) - (0.5f * float(t) - 1.0f)) < 1e-3f);
        for (Eigen::Index t = 0; t < 4; ++t) {
            QVERIFY(std::abs(d1(0, t) - d1(0, 4)) < 1e-6f);
            QVERIFY(std::abs(d1(0, n - 1 - t) - d1(0, n - 5)) < 1e-6f);
        }
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXXf S = noise(40, 12);
        MfccParams p;
        p.n_mfcc = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mfcc(S, p));
        p.n_mfcc = 41;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mfcc(S, p));
        p = {};
        p.dct_type = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mfcc(S, p));
        p = {};
        p.lifter = -1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mfcc(S, p));
        DeltaParams d;
        d.width = 8;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, delta(S, d));
        d.width = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, delta(S, d));
        d = {};
        d.order = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, delta(S, d));
        d = {};
        d.width = 13; // more than the 12 frames
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, delta(S, d));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string n = name;
            const Eigen::ArrayXXf mel = readReference(n + ".mel.npy");
            const Eigen::ArrayXXf ref = readReference(n + ".mfcc.npy");
            QVERIFY(maxAbsError(mfcc(powerToDb(mel)), ref) <= 0.01f);
            QVERIFY(maxAbsError(delta(ref), readReference(n + ".mfcc_delta.npy")) <= 0.01f);
        }
    }

    void realRecording() {
        const Eigen::ArrayXf y = load(referencePath("drums.wav")).mono();
        const Eigen::ArrayXXf M = mfcc(y, 22050.0);
        QVERIFY(maxAbsError(M, readReference("drums.mfcc.npy")) <= 0.01f);
        QVERIFY(maxAbsError(delta(M), readReference("drums.mfcc_delta.npy")) <= 0.01f);
    }
};

QTEST_GUILESS_MAIN(TestMfcc)
#include "test_mfcc.moc"
