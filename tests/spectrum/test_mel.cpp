// core/mel: the mel scales, librosa.filters.mel and librosa.feature.melspectrogram.
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/spectrum/mel.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

namespace {
// The dense product mel_basis . S, the definition the sparse product must meet.
Eigen::ArrayXXf dense(const MelFilterBank& bank, const Eigen::ArrayXXf& S) {
    return (bank.weights.cast<double>().matrix() * S.cast<double>().matrix()).array().cast<float>();
}
} // namespace

class TestMel : public QObject {
    Q_OBJECT
private slots:
    void scalesMatchTheirDefinitions() {
        QCOMPARE(hzToMel(0.0), 0.0);
        QVERIFY(std::abs(hzToMel(500.0) - 7.5) < 1e-12);   // linear part: 200/3 Hz per mel
        QVERIFY(std::abs(hzToMel(1000.0) - 15.0) < 1e-12); // the knee
        QVERIFY(std::abs(hzToMel(6400.0) - 42.0) < 1e-9);  // 27 mels per factor 6.4 above it
        QVERIFY(std::abs(hzToMel(700.0, true) - 2595.0 * std::log10(2.0)) < 1e-9);
        for (double f : {0.0, 30.0, 440.0, 999.0, 1000.0, 4000.0, 11025.0})
            for (bool htk : {false, true})
                QVERIFY(std::abs(melToHz(hzToMel(f, htk), htk) - f) < 1e-8 * std::max(1.0, f));
        const Eigen::ArrayXd f = melFrequencies(40, 30.0, 8000.0);
        QCOMPARE(f.size(), Eigen::Index(40));
        QCOMPARE(f[0], 30.0);
        QCOMPARE(f[39], 8000.0);
        for (Eigen::Index i = 1; i < f.size(); ++i)
            QVERIFY(f[i] > f[i - 1]);
    }

    void filterBankShapeAndSparsity() {
        const MelFilterBank bank = melFilterBank(22050, 2048);
        QCOMPARE(bank.weights.rows(), Eigen::Index(128));
        QCOMPARE(bank.weights.cols(), Eigen::Index(1025));
        QVERIFY((bank.weights >= 0.0f).all());
        for (Eigen::Index m = 0; m < bank.nMels(); ++m) {
            const size_t i = size_t(m);
            QVERIFY(bank.last[i] > bank.first[i]); // no empty band at this resolution
            const Eigen::Index outside = bank.nBins() - (bank.last[i] - bank.first[i]);
            QCOMPARE(bank.weights.row(m).head(bank.first[i]).abs().sum() +
                         bank.weights.row(m).tail(bank.nBins() - bank.last[i]).abs().sum(),
                     0.0f);
            QVERIFY(outside > bank.nBins() / 2); // each triangle touches few bins
        }
        MelParams peak_one;
        peak_one.norm = MelNorm::None;
        const MelFilterBank unnormalised = melFilterBank(22050, 2048, peak_one);
        QVERIFY(unnormalised.weights.maxCoeff() <= 1.0f);
        QVERIFY(unnormalised.weights.row(100).maxCoeff() > 0.9f);
    }

    void silenceIsFiniteZero() {
        const Eigen::ArrayXXf mel =
            melSpectrogram(Eigen::ArrayXf(Eigen::ArrayXf::Zero(22050)), 22050.0, StftParams{});
        QCOMPARE(mel.rows(), Eigen::Index(128));
        QVERIFY(mel.isFinite().all());
        QCOMPARE(mel.abs().maxCoeff(), 0.0f);
        QVERIFY(powerToDb(mel).isFinite().all());
    }

    void singleClickSpreadsOverEveryBand() {
        Eigen::ArrayXf y = Eigen::ArrayXf::Zero(8192);
        y[4096] = 1.0f; // frame 8 is centred on it: a flat power spectrum of 1
        const Eigen::ArrayXXf mel = melSpectrogram(y, 22050.0, StftParams{});
        QVERIFY(mel.isFinite().all());
        // A flat power spectrum of 1: each band is the sum of its weights.
        const MelFilterBank bank = melFilterBank(22050, 2048);
        const Eigen::ArrayXf expected = bank.weights.rowwise().sum();
        QVERIFY((mel.col(8) - expected).abs().maxCoeff() < 1e-5f * expected.maxCoeff());
        QCOMPARE(mel.col(0).abs().maxCoeff(), 0.0f); // frames far from the click stay silent
    }

    void sparseProductEqualsDenseProduct() {
        const Eigen::ArrayXf y = whiteNoise(30000, 777);
        for (int n_fft : {2048, 1023}) { // odd n_fft included
            StftParams p;
            p.n_fft = n_fft;
            p.hop_length = 300;
            const Eigen::ArrayXXf power = stftMagnitude(y, p).square();
            MelParams mp;
            mp.n_mels = 40;
            const MelFilterBank bank = melFilterBank(22050, n_fft, mp);
            QCOMPARE(bank.nBins(), Eigen::Index(n_fft / 2 + 1));
            const Eigen::ArrayXXf mel = melSpectrogram(y, 22050, p, mp);
            QCOMPARE(mel.rows(), Eigen::Index(40));
            QCOMPARE(mel.cols(), power.cols());
            QVERIFY(relativeError(mel, dense(bank, power)) < 1e-6);
        }
    }

    void shortWindowAndPowerOne() {
        const Eigen::ArrayXf y = whiteNoise(20000, 777);
        StftParams p;
        p.win_length = 1024;
        const Eigen::ArrayXXf magnitude = stftMagnitude(y, p);
        const MelFilterBank bank = melFilterBank(22050, 2048);
        QVERIFY(relativeError(melSpectrogram(y, 22050, p, {}, 1.0), dense(bank, magnitude)) < 1e-6);
        QVERIFY(relativeError(melSpectrogram(y, 22050, p), dense(bank, magnitude.square())) < 1e-6);
    }

    void invalidParametersAreRefused() {
        MelParams p;
        p.n_mels = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, melFilterBank(22050, 2048, p));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, melFilterBank(0, 2048));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, melFilterBank(22050, 0));
        p = {};
        p.fmin = 5000;
        p.fmax = 4000;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, melFilterBank(22050, 2048, p));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 melSpectrogram(whiteNoise(4096, 777), 22050, {}, {}, 0.0));
        const MelFilterBank bank = melFilterBank(22050, 2048);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 applyMelFilterBank(bank, Eigen::ArrayXXf::Zero(513, 3)));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string n = name;
            const Eigen::ArrayXXf power = readReference(n + ".stft_mag.npy").square();
            QVERIFY(relativeError(melSpectrogram(power, 22050), readReference(n + ".mel.npy")) <=
                    1e-4);
            MelParams htk;
            htk.n_mels = 64;
            htk.htk = true;
            htk.norm = MelNorm::None;
            htk.fmin = 30;
            htk.fmax = 8000;
            QVERIFY(relativeError(melSpectrogram(power, 22050, htk),
                                  readReference(n + ".mel_htk.npy")) <= 1e-4);
        }
    }

    void realRecordingKerasMelgram() {
        // Keras' compute_melgram, step by step: 12 kHz, the first int(29.12 * sr) samples with
        // zeros appended (the clip is shorter), n_fft 512, hop 256, 96 bands, then
        // power_to_db(mel**2, ref=1.0): Keras squares the mel power.
        LoadOptions options;
        options.sr = 12000.0;
        const Eigen::ArrayXf y = load(referencePath("drums.wav"), options).mono();
        const auto fit = Eigen::Index(29.12 * 12000.0);
        QVERIFY(y.size() < fit);
        Eigen::ArrayXf padded = Eigen::ArrayXf::Zero(fit);
        padded.head(y.size()) = y;
        StftParams p;
        p.n_fft = 512;
        p.hop_length = 256;
        MelParams mp;
        mp.n_mels = 96;
        const Eigen::ArrayXXf db =
            powerToDb(melSpectrogram(padded, 12000.0, p, mp).square().eval());
        const Eigen::ArrayXXf ref = readReference("drums.keras_mel_db.npy");
        QCOMPARE(db.rows(), ref.rows());
        QCOMPARE(db.cols(), ref.cols());
        QVERIFY((db - ref).abs().maxCoeff() <= 0.01f);
    }
};

QTEST_GUILESS_MAIN(TestMel)
#include "test_mel.moc"
