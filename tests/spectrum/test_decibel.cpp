// core/decibel: librosa.power_to_db / amplitude_to_db.
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

class TestDecibel : public QObject {
    Q_OBJECT
private slots:
    void silenceIsFiniteAtTheFloor() {
        const Eigen::ArrayXXf zeros = Eigen::ArrayXXf::Zero(16, 8);
        const Eigen::ArrayXXf power_db = powerToDb(zeros);
        QVERIFY(power_db.isFinite().all());
        QVERIFY((power_db + 100.0f).abs().maxCoeff() < 1e-4f); // amin 1e-10 is -100 dB
        const Eigen::ArrayXXf amp_db = amplitudeToDb(zeros);
        QVERIFY(amp_db.isFinite().all());
        QVERIFY((amp_db + 100.0f).abs().maxCoeff() < 1e-4f); // amin 1e-5 is -100 dB
        // ref = max of silence is floored at amin too: everything is 0 dB.
        QVERIFY(powerToDb(zeros, {DbRef::max()}).abs().maxCoeff() < 1e-4f);
    }

    void knownValues() {
        Eigen::ArrayXXf S(1, 3);
        S << 100.0f, 1.0f, 1e-12f;
        PowerToDbParams no_clip;
        no_clip.top_db.reset();
        const Eigen::ArrayXXf db = powerToDb(S, no_clip);
        QCOMPARE(db(0, 0), 20.0f);
        QCOMPARE(db(0, 1), 0.0f);
        QVERIFY(std::abs(db(0, 2) + 100.0f) < 1e-4f); // floored at amin
        const Eigen::ArrayXXf clipped = powerToDb(S); // top_db 80 below the 20 dB peak
        QVERIFY(std::abs(clipped(0, 2) + 60.0f) < 1e-4f);
        PowerToDbParams ref10 = no_clip;
        ref10.ref = DbRef::fixed(10.0);
        QVERIFY(std::abs(powerToDb(S, ref10)(0, 0) - 10.0f) < 1e-5f);
        QVERIFY(std::abs(powerToDb(S, {DbRef::max()})(0, 1) + 20.0f) < 1e-5f);
        Eigen::ArrayXXf A(1, 2);
        A << 10.0f, -0.1f; // amplitude: |S| is used
        const Eigen::ArrayXXf adb = amplitudeToDb(A, {DbRef::max()});
        QVERIFY(std::abs(adb(0, 0)) < 1e-5f);
        QVERIFY(std::abs(adb(0, 1) + 40.0f) < 1e-4f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXXf S = Eigen::ArrayXXf::Ones(2, 2);
        PowerToDbParams p;
        p.amin = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, powerToDb(S, p));
        p = {};
        p.top_db = -1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, powerToDb(S, p));
        AmplitudeToDbParams a;
        a.amin = -1e-5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, amplitudeToDb(S, a));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string n = name;
            const Eigen::ArrayXXf mag = readReference(n + ".stft_mag.npy");
            AmplitudeToDbParams a;
            a.ref = DbRef::max();
            QVERIFY(maxAbsError(amplitudeToDb(mag, a), readReference(n + ".stft_db.npy")) <= 0.01f);
            PowerToDbParams p;
            p.ref = DbRef::max();
            const Eigen::ArrayXXf mel = readReference(n + ".mel.npy");
            QVERIFY(maxAbsError(powerToDb(mel, p), readReference(n + ".mel_db.npy")) <= 0.01f);
        }
    }

    void realRecording() {
        const Eigen::ArrayXXf mag = stftMagnitude(load(referencePath("drums.wav")).mono());
        AmplitudeToDbParams a;
        a.ref = DbRef::max();
        const Eigen::ArrayXXf db = amplitudeToDb(mag, a);
        QVERIFY(db.isFinite().all());
        QVERIFY(std::abs(db.maxCoeff()) < 1e-5f); // the loudest cell is the reference
        QVERIFY(db.minCoeff() >= -80.0f - 1e-4f); // top_db
        QVERIFY(db.minCoeff() <= -79.0f);         // a real recording reaches the floor
    }
};

QTEST_GUILESS_MAIN(TestDecibel)
#include "test_decibel.moc"
