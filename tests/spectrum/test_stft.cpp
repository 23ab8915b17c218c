// core/stft: librosa.stft / istft semantics on the edge cases.
#include "core/io/audio.h"
#include "core/spectrum/fft.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <complex>
#include <limits>
#include <thread>

using namespace featurescope;
using namespace testsupport;

namespace {
/// A direct DFT of one centred, zero-padded, windowed frame: the definition the FFT must meet.
Eigen::ArrayXf directFrameMagnitude(const Eigen::ArrayXf& y, const StftParams& p, Eigen::Index t) {
    const Eigen::ArrayXf window = hannWindow(p.windowLength(), p.n_fft);
    const Eigen::Index start = t * p.hopLength() - (p.center ? p.n_fft / 2 : 0);
    Eigen::ArrayXf mag(p.n_fft / 2 + 1);
    for (int k = 0; k <= p.n_fft / 2; ++k) {
        std::complex<double> sum = 0;
        for (int i = 0; i < p.n_fft; ++i) {
            const Eigen::Index s = start + i;
            const double x = (s >= 0 && s < y.size()) ? double(y[s]) * window[i] : 0.0;
            sum += x * std::polar(1.0, -2.0 * M_PI * k * i / p.n_fft);
        }
        mag[k] = float(std::abs(sum));
    }
    return mag;
}

/// librosa.istft spelled out: each frame's inverse FFT, windowed, overlap-added, and the window's
/// squares overlap-added beside it frame after frame; then the division where the sum is
/// not tiny. The floats istft must give, whatever its shortcuts.
Eigen::ArrayXf frameLoopIstft(const Eigen::ArrayXXcf& D, const StftParams& p, Eigen::Index length) {
    const int n_fft = int(2 * (D.rows() - 1));
    const int hop = p.hopLength();
    const Eigen::Index pad = p.center ? n_fft / 2 : 0;
    const Eigen::Index n_frames =
        std::min<Eigen::Index>(D.cols(), (length + 2 * pad + hop - 1) / hop);
    const Eigen::ArrayXf window = hannWindow(p.windowLength(), n_fft);
    const Eigen::Index full = n_fft + Eigen::Index(hop) * std::max<Eigen::Index>(n_frames - 1, 0);
    Eigen::ArrayXf signal = Eigen::ArrayXf::Zero(full), norm = Eigen::ArrayXf::Zero(full);
    RealFft fft(n_fft);
    Eigen::ArrayXf frame(n_fft);
    for (Eigen::Index t = 0; t < n_frames; ++t) {
        fft.inverse(D.col(t).data(), frame.data());
        for (int i = 0; i < n_fft; ++i) {
            signal[t * hop + i] += frame[i] * (1.0f / float(n_fft)) * window[i];
            norm[t * hop + i] += window[i] * window[i];
        }
    }
    Eigen::ArrayXf y = Eigen::ArrayXf::Zero(length);
    for (Eigen::Index i = 0; i < length && i + pad < full; ++i) {
        const float w = norm[i + pad];
        y[i] = w > std::numeric_limits<float>::min() ? signal[i + pad] / w : signal[i + pad];
    }
    return y;
}

void compareWithDirect(const Eigen::ArrayXf& y, const StftParams& p) {
    const Eigen::ArrayXXf mag = stftMagnitude(y, p);
    QCOMPARE(mag.rows(), Eigen::Index(p.n_fft / 2 + 1));
    QCOMPARE(mag.cols(), frameCount(y.size(), p));
    for (Eigen::Index t : {Eigen::Index(0), mag.cols() / 2, mag.cols() - 1}) {
        const Eigen::ArrayXf expected = directFrameMagnitude(y, p, t);
        const float err = (mag.col(t) - expected).abs().maxCoeff();
        QVERIFY2(err <= 1e-4f * std::max(1.0f, expected.maxCoeff()),
                 qPrintable(QString::number(err)));
    }
}
} // namespace

class TestStft : public QObject {
    Q_OBJECT
private slots:
    void magnitudeFrameByFrameEqualsMagnitudeOfStft() {
        // stftMagnitude never stores the complex matrix; its numbers must be magnitude(stft).
        const Eigen::ArrayXf y = Eigen::ArrayXf::Random(30000);
        for (const int n_fft : {2048, 1023, 512}) {
            StftParams p;
            p.n_fft = n_fft;
            p.hop_length = n_fft / 3;
            const Eigen::ArrayXXf expected = magnitude(stft(y, p));
            const Eigen::ArrayXXf ours = stftMagnitude(y, p);
            QCOMPARE(ours.cols(), expected.cols());
            QVERIFY((ours == expected).all());
        }
    }

    void shorterThanNfftMatchesLibrosa() {
        const Eigen::ArrayXXf ref = readReference("tiny.stft_mag.npy");
        const Eigen::ArrayXXf ours = stftMagnitude(load(referencePath("tiny.wav")).mono());
        QCOMPARE(ours.rows(), ref.rows());
        QCOMPARE(ours.cols(), ref.cols());
        QVERIFY((ours - ref).matrix().norm() <= 1e-4 * ref.matrix().norm());
    }

    void silenceIsFiniteZero() {
        const Eigen::ArrayXXcf S = stft(Eigen::ArrayXf::Zero(5000));
        QVERIFY(S.abs().isFinite().all());
        QCOMPARE(S.abs().maxCoeff(), 0.0f);
        const Eigen::ArrayXf back = istft(S, {}, 5000);
        QVERIFY(back.isFinite().all());
        QCOMPARE(back.abs().maxCoeff(), 0.0f);
    }

    void singleClickIsFlatAtTheWindowValue() {
        Eigen::ArrayXf y = Eigen::ArrayXf::Zero(8192);
        y[4096] = 1.0f; // frame 8 is centred on it: |X_k| = w[n_fft/2] = 1 for every k
        const Eigen::ArrayXXf mag = stftMagnitude(y);
        QVERIFY((mag.col(8) - 1.0f).abs().maxCoeff() < 1e-6f);
        QVERIFY(mag.col(0).maxCoeff() == 0.0f); // frames that don't reach the click are silent
    }

    void oddNfft() { compareWithDirect(whiteNoise(6000, 12345), StftParams{1023, 256, 0, true}); }

    void winLengthShorterThanNfft() {
        compareWithDirect(whiteNoise(6000, 12345), StftParams{2048, 512, 1000, true});
        compareWithDirect(whiteNoise(6000, 12345), StftParams{1024, 128, 401, true});
    }

    void nonDefaultHops() {
        for (int hop : {1, 100, 333, 2048, 4096}) {
            StftParams p{2048, hop, 0, true};
            QCOMPARE(stft(whiteNoise(7000, 12345), p).cols(), Eigen::Index(1 + 7000 / hop));
        }
        compareWithDirect(whiteNoise(7000, 12345), StftParams{512, 77, 0, false});
    }

    void istftInvertsStft() {
        const Eigen::ArrayXf y = whiteNoise(30001, 12345);
        for (StftParams p :
             {StftParams{}, StftParams{1024, 256, 0, true}, StftParams{2048, 512, 1500, true}}) {
            const Eigen::ArrayXf back = istft(stft(y, p), p, y.size());
            QCOMPARE(back.size(), y.size());
            QVERIFY((back - y).abs().maxCoeff() < 1e-4f);
        }
    }

    void istftEqualsTheFrameLoop() {
        // The window's sum of squares is tiled, not accumulated frame by frame: the same floats,
        // at the edges, with hops that do not divide n_fft, and with gaps (hop > n_fft).
        const Eigen::ArrayXf y = whiteNoise(20011, 12345);
        for (StftParams p :
             {StftParams{}, StftParams{1024, 333, 0, true}, StftParams{512, 77, 300, false},
              StftParams{256, 400, 0, true}, StftParams{2048, 512, 1500, true}}) {
            const Eigen::ArrayXXcf D = stft(y, p);
            for (Eigen::Index length : {y.size(), Eigen::Index(3000), Eigen::Index(100)}) {
                const Eigen::ArrayXf ours = istft(D, p, length);
                const Eigen::ArrayXf expected = frameLoopIstft(D, p, length);
                QCOMPARE(ours.size(), expected.size());
                QVERIFY((ours == expected).all());
            }
            const Eigen::ArrayXXcf two = D.leftCols(2);
            QVERIFY((istft(two, p, 700) == frameLoopIstft(two, p, 700)).all());
        }
    }

    void concurrentTransformsAgree() {
        const Eigen::ArrayXf y = whiteNoise(50000, 12345);
        const Eigen::ArrayXXcf serial = stft(y);
        Eigen::ArrayXXcf a, b;
        std::thread ta([&] { a = stft(y); });
        std::thread tb([&] { b = stft(y); });
        ta.join();
        tb.join();
        QVERIFY((a - serial).abs().maxCoeff() == 0.0f);
        QVERIFY((b - serial).abs().maxCoeff() == 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = whiteNoise(4096, 12345);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stft(y, StftParams{0, 512, 0, true}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stft(y, StftParams{2048, -1, 0, true}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stft(y, StftParams{2048, 512, 4096, true}));
        // Uncentred and shorter than n_fft: no frame at all.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 stft(whiteNoise(100, 12345), StftParams{2048, 512, 0, false}));
    }
};

QTEST_GUILESS_MAIN(TestStft)
#include "test_stft.moc"
