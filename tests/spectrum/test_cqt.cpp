// core/cqt: librosa.cqt semantics — silence, refused parameters, librosa's reference numbers,
// a real recording, a track shorter than the longest filter, pure tones, odd hops.
#include "core/io/audio.h"
#include "core/spectrum/cqt.h"
#include "core/export/npy.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {
/// The README's CQT rule: rel <= 1e-2 and median |dB error| <= 0.1 dB (re the reference max,
/// -80 dB floor).
void expectCqtClose(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    QCOMPARE(ours.rows(), ref.rows());
    QCOMPARE(ours.cols(), ref.cols());
    const double rel = (ours - ref).matrix().norm() / ref.matrix().norm();
    QVERIFY2(rel <= 1e-2, qPrintable(QString("rel %1").arg(rel)));
    const float top = ref.maxCoeff();
    auto db = [&](float v) { return 20.0 * std::log10(std::max(v, top * 1e-4f) / top); };
    std::vector<double> err;
    for (Eigen::Index i = 0; i < ref.size(); ++i)
        err.push_back(std::abs(db(ours(i)) - db(ref(i))));
    std::nth_element(err.begin(), err.begin() + Eigen::Index(err.size() / 2), err.end());
    QVERIFY2(err[err.size() / 2] <= 0.1, qPrintable(QString("dB %1").arg(err[err.size() / 2])));
}

/// The bin with the most energy over the middle frames.
Eigen::Index loudestBin(const Eigen::ArrayXXf& C) {
    const Eigen::Index a = C.cols() / 4, b = 3 * C.cols() / 4;
    Eigen::Index bin = 0;
    C.middleCols(a, b - a).rowwise().sum().maxCoeff(&bin);
    return bin;
}
} // namespace

class TestCqt : public QObject {
    Q_OBJECT
private slots:
    void silenceIsFiniteZero() {
        const Eigen::ArrayXXcf C = cqt(Eigen::ArrayXf::Zero(22050));
        QCOMPARE(C.rows(), Eigen::Index(84));
        QCOMPARE(C.cols(), Eigen::Index(1 + 22050 / 512));
        QVERIFY(C.abs().isFinite().all());
        QCOMPARE(C.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = sineTone(440.0, 8192);
        CqtParams p;
        p.hop_length = 0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "hop_length must be a positive integer");
        p = {};
        p.fmin = 0.0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "fmin must be a finite frequency > 0");
        p = {};
        p.fmin = -30.0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "fmin must be a finite frequency > 0");
        p = {};
        p.n_bins = 0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "n_bins must be > 0");
        p = {};
        p.bins_per_octave = 0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "bins_per_octave must be > 0");
        p = {};
        p.sparsity = 1.0;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "0 <= sparsity < 1");
        // 10 octaves from C1 reach ~31 kHz: past Nyquist at 22050 Hz.
        p = {};
        p.n_bins = 120;
        expectRefusal([&] { cqt(y, 22050.0, p); }, "exceeds the Nyquist frequency");
        expectRefusal([&] { cqt(Eigen::ArrayXf(), 22050.0); }, "y must not be empty");
    }

    void matchesLibrosaReference() {
        for (const std::string name : {"chords", "drums"}) {
            const Eigen::ArrayXf y = readReferenceRow(name + ".y.npy");
            expectCqtClose(cqtMagnitude(y), readReference(name + ".cqt_mag.npy"));
            CqtParams pitch;
            pitch.fmin = 30.0;
            pitch.n_bins = 240;
            pitch.bins_per_octave = 36;
            expectCqtClose(cqtMagnitude(y, 22050.0, pitch),
                           readReference(name + ".cqt_pitch_mag.npy"));
        }
    }

    void realRecording() {
        const Audio audio = load(referencePath("drums.wav"));
        const Eigen::ArrayXf y = audio.mono();
        const Eigen::ArrayXXcf C = cqt(y, audio.sr);
        QVERIFY(C.abs().isFinite().all());
        QCOMPARE(C.cols(), cqtFrameCount(y.size(), audio.sr));
        // The magnitude path is the same computation without the complex intermediate.
        QVERIFY((C.abs() - cqtMagnitude(y, audio.sr)).abs().maxCoeff() <=
                1e-6f * C.abs().maxCoeff());
        expectCqtClose(C.abs(), readReference("drums.cqt_mag.npy"));
    }

    void shorterThanTheLongestFilterIsZeroPadded() {
        // C1's filter spans ~11.7k samples at 22050 Hz; librosa warns and pads with zeros.
        const Eigen::ArrayXf y = load(referencePath("tiny.wav")).mono();
        QCOMPARE(y.size(), Eigen::Index(1000));
        const Eigen::ArrayXXf C = cqtMagnitude(y);
        QCOMPARE(C.rows(), Eigen::Index(84));
        QCOMPARE(C.cols(), Eigen::Index(1 + 1000 / 512));
        QVERIFY(C.isFinite().all());
        QVERIFY(C.maxCoeff() > 0.0f);
        // Padding is zeros ('constant'): the two top octaves, whose frames never reach the
        // truncated end of a halved signal, equal those of the same samples followed by silence.
        // (Lower octaves differ, in librosa too: each halving keeps only ceil(n/2) samples, so a
        // short signal loses the resampler's ringing past its end.)
        Eigen::ArrayXf padded = Eigen::ArrayXf::Zero(1 << 15);
        padded.head(y.size()) = y;
        const Eigen::ArrayXXf top = C.bottomRows(24);
        const Eigen::ArrayXXf long_top = cqtMagnitude(padded).leftCols(C.cols()).bottomRows(24);
        QVERIFY2((top - long_top).matrix().norm() <= 1e-5 * long_top.matrix().norm(),
                 qPrintable(QString::number((top - long_top).matrix().norm())));
    }

    void pureToneLandsInItsBin() {
        // Bin k of the default CQT is C1 * 2^(k/12): A1 = bin 9, A4 = bin 45, A6 = bin 69.
        for (const auto& [freq, bin] : {std::pair{55.0, 9}, {440.0, 45}, {1760.0, 69}})
            QCOMPARE(loudestBin(cqtMagnitude(sineTone(freq, 44100))), Eigen::Index(bin));
        CqtParams fine;
        fine.n_bins = 252;
        fine.bins_per_octave = 36;
        QCOMPARE(loudestBin(cqtMagnitude(sineTone(440.0, 44100), 22050.0, fine)),
                 Eigen::Index(135));
        // A tuning of +0.3 bin moves the grid up, so a tone 0.3 semitone sharp is centred again.
        CqtParams tuned;
        tuned.tuning = 0.3;
        const Eigen::ArrayXd freqs = cqtBinFrequencies(tuned);
        QVERIFY(std::abs(freqs[45] - 440.0 * std::pow(2.0, 0.3 / 12)) < 1e-9);
        QCOMPARE(loudestBin(cqtMagnitude(sineTone(freqs[45], 44100), 22050.0, tuned)),
                 Eigen::Index(45));
    }

    void phaseAdvancesWithTheTone() {
        // librosa's response is basis.dot(stft): a tone at a bin's centre turns by
        // +2 pi f hop / sr from one frame to the next. Bin 45 (A4) is in the top octave and bin
        // 9 (A1) in the fifth halving, so both the direct and the recursive paths are checked.
        for (const auto& [freq, bin] : {std::pair{440.0, 45}, {55.0, 9}}) {
            const Eigen::ArrayXXcf C = cqt(sineTone(freq, 44100));
            const double expected =
                std::remainder(2 * std::numbers::pi * freq * 512 / 22050.0, 2 * std::numbers::pi);
            for (Eigen::Index t = 20; t < 60; t += 13) {
                const double step =
                    std::arg(std::complex<double>(C(bin, t + 1)) / std::complex<double>(C(bin, t)));
                QVERIFY2(std::abs(std::remainder(step - expected, 2 * std::numbers::pi)) < 1e-2,
                         qPrintable(QString("%1 Hz: %2 vs %3").arg(freq).arg(step).arg(expected)));
            }
        }
    }

    void singleBin() {
        // One bin has no neighbours to take a bandwidth from: librosa uses the equal-tempered one.
        CqtParams p;
        p.fmin = 440.0;
        p.n_bins = 1;
        const Eigen::ArrayXXf C = cqtMagnitude(sineTone(440.0, 22050), 22050.0, p);
        QCOMPARE(C.rows(), Eigen::Index(1));
        QVERIFY(C.isFinite().all());
        QVERIFY(C.middleCols(10, 20).minCoeff() > 0.1f * C.maxCoeff());
    }

    void hopWithFewFactorsOfTwoIsAccepted() {
        // librosa 0.10.2 has no divisibility rule: it halves only while the hop is even.
        CqtParams p;
        p.hop_length = 100;
        const Eigen::ArrayXf y = sineTone(110.0, 30000);
        const Eigen::ArrayXXf C = cqtMagnitude(y, 22050.0, p);
        QCOMPARE(C.cols(), Eigen::Index(1 + 30000 / 100));
        QVERIFY(C.isFinite().all());
        QCOMPARE(loudestBin(C), Eigen::Index(21)); // A2
    }

    void earlyDownsamplingAgreesWithTheRecursion() {
        // 24 bins from C1 reach ~130 Hz, so librosa first resamples by 2^5 (__early_downsample);
        // the same bins of the 84-bin CQT come from five successive halvings instead.
        const Eigen::ArrayXf y = readReferenceRow("drums.y.npy");
        CqtParams low;
        low.n_bins = 24;
        const Eigen::ArrayXXf early = cqtMagnitude(y, 22050.0, low);
        const Eigen::ArrayXXf full = cqtMagnitude(y).topRows(24);
        QCOMPARE(early.cols(), full.cols());
        QVERIFY2(
            (early - full).matrix().norm() <= 1e-3 * full.matrix().norm(),
            qPrintable(QString::number((early - full).matrix().norm() / full.matrix().norm())));
    }

    void unscaledResponseIsScaledBySqrtLength() {
        // scale=False skips the division by sqrt(filter length), length = sr / (alpha * freq),
        // with or without early downsampling.
        const Eigen::ArrayXf y = readReferenceRow("chords.y.npy");
        for (const int n_bins : {24, 84}) {
            CqtParams p;
            p.n_bins = n_bins;
            const Eigen::ArrayXXf scaled = cqtMagnitude(y, 22050.0, p);
            p.scale = false;
            const Eigen::ArrayXXf unscaled = cqtMagnitude(y, 22050.0, p);
            const Eigen::ArrayXd freqs = cqtBinFrequencies(p);
            const Eigen::ArrayXd lengths = 22050.0 / (relativeBandwidth(freqs) * freqs);
            const Eigen::ArrayXXf expected = scaled.colwise() * lengths.sqrt().cast<float>();
            QVERIFY((unscaled - expected).matrix().norm() <= 1e-5 * expected.matrix().norm());
        }
    }

    void veryQuietSignalScalesLinearly() {
        // |C| of a signal at -400 dB is that of the original times 1e-20: no square underflows.
        const Eigen::ArrayXf y = readReferenceRow("chords.y.npy");
        const Eigen::ArrayXXf loud = cqtMagnitude(y);
        const Eigen::ArrayXXf quiet = cqtMagnitude(Eigen::ArrayXf(y * 1e-20f)) * 1e20f;
        QVERIFY2(
            (quiet - loud).matrix().norm() <= 1e-4 * loud.matrix().norm(),
            qPrintable(QString::number((quiet - loud).matrix().norm() / loud.matrix().norm())));
    }

    void concurrentCallsAgree() {
        const Eigen::ArrayXf y = readReferenceRow("chords.y.npy");
        Eigen::ArrayXXf a, b;
        std::thread other([&] { a = cqtMagnitude(y); });
        b = cqtMagnitude(y);
        other.join();
        QCOMPARE(a.rows(), b.rows());
        QVERIFY((a - b).abs().maxCoeff() == 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestCqt)
#include "test_cqt.moc"
