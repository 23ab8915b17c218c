// core/hpss: librosa.decompose.hpss, librosa.util.softmask and librosa.effects.hpss.
#include "core/io/audio.h"
#include "core/decompose/hpss.h"
#include "core/decompose/median_filter.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <stdexcept>

using namespace featurescope;
using namespace testsupport;

namespace {
double energy(const Eigen::ArrayXXcf& S) {
    return double(S.abs2().sum());
}

// The masks composed by hand from the two median filters: what hpssMasks must equal.
HarmonicPercussive<Eigen::ArrayXXf> composedMasks(const Eigen::ArrayXXf& S, int kernel_h,
                                                  int kernel_p, double margin) {
    const Eigen::ArrayXXf harm = medianFilter(S, kernel_h, 1);
    const Eigen::ArrayXXf perc = medianFilter(S, kernel_p, 0);
    const bool split = margin == 1.0;
    return {softmask(harm, perc * float(margin), 2.0, split),
            softmask(perc, harm * float(margin), 2.0, split)};
}

const Eigen::ArrayXf& drums() {
    static const Eigen::ArrayXf y = load(referencePath("drums.wav")).mono();
    return y;
}

/// hpss(S, params) against librosa's formula, bin by bin, from hpssMasks.
void checkPartsFollowMagphase(const ComplexSpectrogram& S, const HpssParams& params) {
    const auto parts = hpss(S, params);
    const Eigen::ArrayXXf magnitude = S.abs();
    const auto masks = hpssMasks(magnitude, params);
    for (Eigen::Index i = 0; i < S.size(); ++i) {
        const float m = magnitude.data()[i];
        const std::complex<float> phase =
            m == 0.0f ? std::complex<float>(1.0f, 0.0f)
                      : std::complex<float>(S.data()[i].real() / m, S.data()[i].imag() / m);
        const float h = m * masks.harmonic.data()[i];
        const float p = m * masks.percussive.data()[i];
        QCOMPARE(parts.harmonic.data()[i], std::complex<float>(h * phase.real(), h * phase.imag()));
        QCOMPARE(parts.percussive.data()[i],
                 std::complex<float>(p * phase.real(), p * phase.imag()));
    }
}
} // namespace

class TestHpss : public QObject {
    Q_OBJECT
private slots:
    void silenceGivesNoNaN() {
        const ComplexSpectrogram zeros = ComplexSpectrogram::Zero(1025, 20);
        const auto parts = hpss(zeros);
        QVERIFY(parts.harmonic.allFinite() && parts.percussive.allFinite());
        QCOMPARE(parts.harmonic.abs().maxCoeff(), 0.0f);
        // librosa splits all-zero bins evenly for margin 1 and gives them to nobody otherwise.
        const auto masks = hpssMasks(zeros.abs());
        QVERIFY((masks.harmonic == 0.5f).all() && (masks.percussive == 0.5f).all());
        HpssParams m3;
        m3.margin = 3.0;
        const auto masks3 = hpssMasks(zeros.abs(), m3);
        QVERIFY((masks3.harmonic == 0.0f).all() && (masks3.percussive == 0.0f).all());
        const auto layers = hpssSignals(Eigen::ArrayXf::Zero(22050));
        QCOMPARE(layers.harmonic.size(), Eigen::Index(22050));
        QVERIFY(layers.harmonic.allFinite() && layers.percussive.allFinite());
        QCOMPARE(layers.percussive.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const ComplexSpectrogram S = ComplexSpectrogram::Ones(8, 8);
        HpssParams p;
        p.kernel_size = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpss(S, p));
        p = {};
        p.kernel_size = {31, -1};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpss(S, p));
        p = {};
        p.power = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpss(S, p));
        p.power = std::nan("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpss(S, p));
        p = {};
        p.margin = 0.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpss(S, p));
        p.margin = {1.0, 0.9};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpssSignals(Eigen::ArrayXf::Zero(4096), p));
        const Eigen::ArrayXXf ones = Eigen::ArrayXXf::Ones(3, 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 softmask(ones, Eigen::ArrayXXf::Ones(3, 2)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, softmask(-ones, ones));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, softmask(ones, ones, -1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hpssMasks(-ones));
    }

    void softmaskMatchesLibrosaDocs() {
        // librosa.util.softmask's docstring: X = 2 * ones((3, 3)), X_ref = vander(arange(3.0)).
        const Eigen::ArrayXXf X = Eigen::ArrayXXf::Constant(3, 3, 2.0f);
        Eigen::ArrayXXf X_ref(3, 3);
        X_ref << 0, 0, 1, 1, 1, 1, 4, 2, 1;
        Eigen::ArrayXXf expected(3, 3);
        expected << 1, 1, 0.667f, 0.667f, 0.667f, 0.667f, 0.333f, 0.5f, 0.667f;
        QVERIFY(((softmask(X, X_ref, 1.0) - expected).abs() < 1e-3f).all());
        expected << 1, 1, 0.8f, 0.8f, 0.8f, 0.8f, 0.2f, 0.5f, 0.8f;
        QVERIFY(((softmask(X, X_ref, 2.0) - expected).abs() < 1e-3f).all());
        expected << 1, 1, 0.941f, 0.941f, 0.941f, 0.941f, 0.059f, 0.5f, 0.941f;
        QVERIFY(((softmask(X, X_ref, 4.0) - expected).abs() < 1e-3f).all());
        // Hard mask: ties go to X_ref.
        expected << 1, 1, 1, 1, 1, 1, 0, 0, 1;
        QVERIFY((softmask(X, X_ref, std::numeric_limits<double>::infinity()) == expected).all());
        expected << 0, 0, 0.333f, 0.333f, 0.333f, 0.333f, 0.667f, 0.5f, 0.333f;
        QVERIFY(((softmask(X_ref, X, 1.0) - expected).abs() < 1e-3f).all());
    }

    void matchesLibrosaReference() {
        for (const char* name : {"chords", "drums"}) {
            const std::string prefix = referencePath(name).string();
            const Eigen::ArrayXf y = load(prefix + ".wav").mono();
            const ComplexSpectrogram S = stft(y);
            const auto m1 = hpss(S);
            HpssParams p3;
            p3.margin = 3.0;
            const auto m3 = hpss(S, p3);
            const std::pair<const char*, Eigen::ArrayXXf> outputs[] = {
                {".hpss_h.npy", m1.harmonic.abs()},
                {".hpss_p.npy", m1.percussive.abs()},
                {".hpss_h_m3.npy", m3.harmonic.abs()},
                {".hpss_p_m3.npy", m3.percussive.abs()},
                {".y_harmonic.npy", istft(m1.harmonic, {}, y.size()).transpose()},
                {".y_percussive.npy", istft(m1.percussive, {}, y.size()).transpose()},
            };
            for (const auto& [suffix, ours] : outputs) {
                const Eigen::ArrayXXf ref = readNpy(prefix + suffix);
                QCOMPARE(ours.rows(), ref.rows());
                QCOMPARE(ours.cols(), ref.cols());
                const double err = relativeError(ours, ref);
                QVERIFY2(err <= 1e-4,
                         qPrintable(QString("%1%2: rel %3").arg(name, suffix).arg(err)));
            }
        }
    }

    void realRecordingSplitsAndSumsBack() {
        const Eigen::ArrayXf& y = drums();
        const auto layers = hpssSignals(y);
        QCOMPARE(layers.harmonic.size(), y.size());
        QCOMPARE(layers.percussive.size(), y.size());
        // With margin 1 the masks sum to one, so the layers add back up to the input.
        const Eigen::ArrayXf sum = layers.harmonic + layers.percussive;
        QVERIFY(relativeError(sum, y) < 1e-4);
        // A drum loop with bass and pad: both layers carry a real share of the signal.
        const double total = double(y.square().sum());
        QVERIFY(double(layers.harmonic.square().sum()) > 0.05 * total);
        QVERIFY(double(layers.percussive.square().sum()) > 0.05 * total);
    }

    void marginAboveOneLeavesResidual() {
        const ComplexSpectrogram S = stft(drums());
        HpssParams p3;
        p3.margin = 3.0;
        const auto parts = hpss(S, p3);
        const ComplexSpectrogram residual = S - (parts.harmonic + parts.percussive);
        QVERIFY(energy(residual) > 0.01 * energy(S));
        const ComplexSpectrogram rebuilt = parts.harmonic + parts.percussive + residual;
        QVERIFY((rebuilt - S).abs().maxCoeff() <= 1e-6f * S.abs().maxCoeff());
        // Widening the margin only takes energy away from each layer.
        const auto masks1 = hpssMasks(S.abs());
        const auto masks3 = hpssMasks(S.abs(), p3);
        QVERIFY((masks3.harmonic <= masks1.harmonic).all());
        QVERIFY((masks3.percussive <= masks1.percussive).all());
        QVERIFY((masks3.harmonic + masks3.percussive <= 1.0f + 1e-6f).all());
        // The residual is exactly what the two masks leave over.
        const Eigen::ArrayXXf expected = S.abs() * (1.0f - masks3.harmonic - masks3.percussive);
        QVERIFY((residual.abs() - expected).abs().maxCoeff() <= 1e-5f * S.abs().maxCoeff());
    }

    void complexPartsFollowMagphase() {
        // librosa: H = (|S| * mask_H) * phase, phase = S / |S| (1 where |S| = 0), each product in
        // float32. Zero columns and subnormal bins exercise the exact fallback.
        ComplexSpectrogram S = stft(drums()).leftCols(200);
        S.col(50).setZero();
        S.col(51) *= 1e-39f;
        // Isolated bins in silence: both medians are 0 there, so librosa's split value decides.
        S.middleCols(100, 40).setZero();
        for (Eigen::Index t = 100; t < 140; t += 7)
            S(37 + t % 50, t) = {0.3f, -0.2f};
        HpssParams margin3;
        margin3.margin = 3.0; // the other mask path: MaskRule, not the fused defaults
        for (const HpssParams& params : {HpssParams{}, margin3})
            checkPartsFollowMagphase(S, params);
    }

    // HpssLayers makes H and P column by column (hpss(S) is its matrix()); what it gives
    // without them must be their floats: |H| and |P| (the window's views), made in the mask
    // pass, and the signals, inverted as the columns are made.
    void layersGiveWhatTheMatricesGive() {
        const Eigen::ArrayXf y = drums().head(22050 * 3);
        ComplexSpectrogram S = stft(y);
        S.middleCols(20, 30).setZero(); // the split value, through the fused mask pass too
        S(100, 30) = {0.25f, 0.5f};
        HpssParams margin3, hard;
        margin3.margin = 3.0;
        hard.power = std::numeric_limits<double>::infinity();
        for (const HpssParams& p : {HpssParams{}, margin3, hard}) {
            const auto parts = hpss(S, p);
            const HpssLayers layers(std::make_shared<const ComplexSpectrogram>(S), p, true);
            QVERIFY((layers.magnitudes().harmonic == magnitude(parts.harmonic)).all());
            QVERIFY((layers.magnitudes().percussive == magnitude(parts.percussive)).all());
            for (const auto& [part, matrix] : {std::pair{HpssPart::harmonic, &parts.harmonic},
                                               std::pair{HpssPart::percussive, &parts.percussive}})
                QVERIFY((layers.signal(part, {}, y.size()) == istft(*matrix, {}, y.size())).all());
        }
        // Without the flag no magnitudes are made.
        const HpssLayers plain(std::make_shared<const ComplexSpectrogram>(S));
        QCOMPARE(plain.magnitudes().harmonic.size(), Eigen::Index(0));
    }

    void kernelSizePairGoesToTheRightFilters() {
        const Eigen::ArrayXXf S = stftMagnitude(drums());
        HpssParams pair;
        pair.kernel_size = {13, 5};
        const auto masks = hpssMasks(S, pair);
        const auto expected = composedMasks(S, 13, 5, 1.0);
        QVERIFY((masks.harmonic == expected.harmonic).all());
        QVERIFY((masks.percussive == expected.percussive).all());
        // Swapped, the pair gives a different answer: the two sizes are not interchangeable.
        pair.kernel_size = {5, 13};
        QVERIFY(!(hpssMasks(S, pair).harmonic == masks.harmonic).all());
    }

    void evenKernelSizes() {
        const Eigen::ArrayXXf S = stftMagnitude(drums());
        for (const KernelSize& k : {KernelSize(30), KernelSize(4, 10), KernelSize(2, 1)}) {
            HpssParams p;
            p.kernel_size = k;
            const auto masks = hpssMasks(S, p);
            QVERIFY(masks.harmonic.allFinite() && masks.percussive.allFinite());
            const auto expected = composedMasks(S, k.harmonic, k.percussive, 1.0);
            QVERIFY((masks.harmonic == expected.harmonic).all());
            QVERIFY((masks.percussive == expected.percussive).all());
            const auto parts = hpss(S, p);
            QVERIFY((parts.harmonic + parts.percussive - S).abs().maxCoeff() <=
                    1e-5f * S.maxCoeff());
        }
    }

    void hardMasksAreBinary() {
        const Eigen::ArrayXXf S = stftMagnitude(drums());
        HpssParams hard;
        hard.power = std::numeric_limits<double>::infinity();
        const auto masks = hpssMasks(S, hard);
        const Eigen::ArrayXXf harm = medianFilter(S, 31, 1);
        const Eigen::ArrayXXf perc = medianFilter(S, 31, 0);
        QVERIFY((masks.harmonic == (harm > perc).cast<float>()).all());
        QVERIFY((masks.percussive == (perc > harm).cast<float>()).all());
    }

    void clickGoesPercussiveToneGoesHarmonic() {
        const Eigen::Index n = 2 * 22050;
        const auto steady = hpss(stft(sineTone(440.0, n)));
        QVERIFY(energy(steady.harmonic) > 100.0 * energy(steady.percussive));

        Eigen::ArrayXf clicks = Eigen::ArrayXf::Zero(n);
        for (Eigen::Index i = 5000; i < n; i += 11025)
            clicks[i] = 1.0f;
        const auto hit = hpss(stft(clicks));
        QVERIFY(energy(hit.percussive) > 100.0 * energy(hit.harmonic));
    }
};

QTEST_GUILESS_MAIN(TestHpss)
#include "test_hpss.moc"
