// core/spectral and core/spectral_contrast: librosa.feature.spectral_centroid, _bandwidth,
// _rolloff, _flatness and _contrast.
#include "core/io/audio.h"
#include "core/export/npy.h"
#include "core/feature/spectral.h"
#include "core/feature/spectral_contrast.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <limits>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {
constexpr double kSr = 22050.0;

/// librosa.feature.spectral_contrast spelled out: bands from the octave edges (widened by the
/// bin below, the last up to Nyquist, all but the last ranked without their top bin), each
/// band sorted, the quantile's smallest summed ascending and largest descending (in double, as
/// core does), averaged to float32, then power_to_db on the whole peak and valley matrices.
Eigen::ArrayXXf sortedContrast(const Eigen::ArrayXXf& S, double sr,
                               const SpectralContrastParams& p) {
    const Eigen::Index bins = S.rows();
    const double n_fft = 2.0 * double(bins - 1);
    std::vector<double> edges{0.0};
    for (int k = 0; k <= p.n_bands; ++k)
        edges.push_back(p.fmin * std::pow(2.0, k));
    Eigen::ArrayXXd peak(p.n_bands + 1, S.cols()), valley(p.n_bands + 1, S.cols());
    for (int k = 0; k <= p.n_bands; ++k) {
        std::vector<Eigen::Index> in_band;
        for (Eigen::Index b = 0; b < bins; ++b) {
            const double f = double(b) * sr / n_fft;
            if (f >= edges[size_t(k)] && f <= edges[size_t(k) + 1]) in_band.push_back(b);
        }
        Eigen::Index begin = in_band.front(), end = in_band.back() + 1;
        if (k > 0) --begin;
        if (k == p.n_bands) end = bins;
        const Eigen::Index alpha = std::max<Eigen::Index>(
            1, Eigen::Index(std::nearbyint(p.quantile * double(end - begin))));
        if (k < p.n_bands) --end;
        for (Eigen::Index t = 0; t < S.cols(); ++t) {
            std::vector<float> sorted(S.col(t).data() + begin, S.col(t).data() + end);
            std::sort(sorted.begin(), sorted.end());
            double low = 0.0, high = 0.0;
            for (Eigen::Index i = 0; i < alpha; ++i) {
                low += double(sorted[size_t(i)]);
                high += double(sorted[sorted.size() - 1 - size_t(i)]);
            }
            valley(k, t) = double(float(low / double(alpha)));
            peak(k, t) = double(float(high / double(alpha)));
        }
    }
    const auto toDb = [](Eigen::ArrayXXd x) {
        x = 10.0 * x.max(1e-10).log10();
        return Eigen::ArrayXXd(x.max(x.maxCoeff() - 80.0));
    };
    return (toDb(peak) - toDb(valley)).cast<float>();
}
} // namespace

class TestSpectral : public QObject {
    Q_OBJECT
private slots:
    // librosa refuses non-finite or negative spectrograms; one bad bin anywhere is enough,
    // in the eight-lane body of the check or in its tail.
    void badSpectrogramsAreRefused() {
        const Eigen::ArrayXXf good = Eigen::ArrayXXf::Constant(1025, 3, 0.5f); // 3075: a tail of 3
        QVERIFY(spectralShape(good, 22050.0).centroid.allFinite());
        const float inf = std::numeric_limits<float>::infinity();
        for (const Eigen::Index at : {Eigen::Index(0), Eigen::Index(13), Eigen::Index(3074)}) {
            for (const float bad : {std::nanf(""), inf, -inf, -1e-30f}) {
                Eigen::ArrayXXf S = good;
                S.data()[at] = bad;
                bool refused = false;
                try {
                    spectralShape(S, 22050.0);
                } catch (const std::invalid_argument& error) {
                    refused = true;
                    const bool negative = bad == -1e-30f;
                    QVERIFY2(QString(error.what()).contains(negative ? "non-negative" : "finite"),
                             error.what());
                }
                QVERIFY2(refused, qPrintable(QString("%1 at %2").arg(bad).arg(at)));
            }
        }
    }

    void silenceGivesLibrosasValues() {
        // librosa leaves silent frames un-normalised: centroid, bandwidth and rolloff are 0;
        // flatness compares amin with amin: 1; contrast compares two floors: 0.
        const Eigen::ArrayXXf S = Eigen::ArrayXXf::Zero(1025, 5);
        const SpectralShape shape = spectralShape(S, kSr);
        QCOMPARE(shape.centroid.abs().maxCoeff(), 0.0f);
        QCOMPARE(shape.bandwidth.abs().maxCoeff(), 0.0f);
        QCOMPARE(shape.rolloff.abs().maxCoeff(), 0.0f);
        QVERIFY((shape.flatness - 1.0f).abs().maxCoeff() < 1e-5f);
        const Eigen::ArrayXXf contrast = spectralContrast(S, kSr);
        QCOMPARE(contrast.rows(), Eigen::Index(7));
        QVERIFY(contrast.isFinite().all());
        QCOMPARE(contrast.abs().maxCoeff(), 0.0f);
    }

    void singleBinAndFlatSpectrum() {
        Eigen::ArrayXXf S = Eigen::ArrayXXf::Zero(1025, 2);
        S(100, 0) = 3.0f;   // one bin: all the energy at its frequency
        S.col(1).setOnes(); // flat, as a click centred on the frame makes it
        const double bin = kSr / 2048.0;
        const SpectralShape shape = spectralShape(S, kSr);
        QVERIFY(std::abs(shape.centroid(0, 0) - 100.0 * bin) < 1e-2);
        QVERIFY(std::abs(shape.bandwidth(0, 0)) < 1e-2);
        QVERIFY(std::abs(shape.rolloff(0, 0) - 100.0 * bin) < 1e-2);
        QVERIFY(shape.flatness(0, 0) < 1e-6f);
        QVERIFY(std::abs(shape.centroid(0, 1) - kSr / 4.0) < 1e-2);
        // The spread of a uniform grid of 1025 points over [0, sr/2]: sqrt(n(n+2)/12) bins.
        QVERIFY(std::abs(shape.bandwidth(0, 1) - bin * std::sqrt(1024.0 * 1026.0 / 12.0)) < 1e-1);
        // 85% of 1025 equal bins is reached at bin ceil(0.85 * 1025) - 1 = 871.
        QVERIFY(std::abs(shape.rolloff(0, 1) - 871.0 * bin) < 1e-2);
        QVERIFY(std::abs(shape.flatness(0, 1) - 1.0f) < 1e-5f);
        QVERIFY(spectralContrast(S, kSr).col(1).abs().maxCoeff() < 1e-4f); // no peaks, no valleys
    }

    void contrastEqualsSortingEachBand() {
        // Only the extremes of each band are ranked; they must be the sorted band's, ties and
        // repeated values (zeros, a constant run) included.
        Eigen::ArrayXXf S = readReference("drums.stft_mag.npy");
        S.col(3).setZero();
        S.col(4).segment(300, 400).setConstant(0.25f);
        for (Eigen::Index i = 0; i < S.rows(); i += 3)
            S(i, 5) = 1.0f;
        const SpectralContrastParams defaults;
        QVERIFY((spectralContrast(S, kSr) == sortedContrast(S, kSr, defaults)).all());
        SpectralContrastParams wide;
        wide.quantile = 0.2;
        wide.n_bands = 4;
        QVERIFY((spectralContrast(S, kSr, wide) == sortedContrast(S, kSr, wide)).all());
    }

    void oneShapePassEqualsTheSeparateFunctions() {
        const Eigen::ArrayXXf S = readReference("drums.stft_mag.npy");
        const SpectralShape shape = spectralShape(S, kSr);
        const Eigen::ArrayXXf centroid = spectralCentroid(S, kSr);
        QVERIFY((shape.centroid - centroid).abs().maxCoeff() == 0.0f);
        QVERIFY((shape.bandwidth - spectralBandwidth(S, kSr)).abs().maxCoeff() == 0.0f);
        QVERIFY((shape.rolloff - spectralRolloff(S, kSr)).abs().maxCoeff() == 0.0f);
        QVERIFY((shape.flatness - spectralFlatness(S)).abs().maxCoeff() == 0.0f);
        SpectralBandwidthParams given;
        given.centroid = centroid;
        QVERIFY(relativeError(spectralBandwidth(S, kSr, given), shape.bandwidth) < 1e-6);
    }

    void oddFftAndShortWindowFindTheTone() {
        const Eigen::ArrayXf y = sineTone(1500.0, 22050, kSr);
        for (int win : {0, 512}) {
            StftParams p;
            p.n_fft = 1023;
            p.win_length = win;
            const Eigen::ArrayXXf S = stftMagnitude(y, p);
            // Given n_fft = 1023 the bins are k * sr / 1023; without it librosa infers
            // 2 * (512 - 1) = 1022 from the 512 rows.
            const Eigen::ArrayXXf c = spectralCentroid(S, kSr, 1023);
            QVERIFY(std::abs(c(0, c.cols() / 2) - 1500.0f) < 30.0f);
            const Eigen::ArrayXXf inferred = spectralCentroid(S, kSr);
            QVERIFY(std::abs(inferred(0, 5) / c(0, 5) - 1023.0f / 1022.0f) < 1e-5f);
            const Eigen::ArrayXXf r = spectralRolloff(S, kSr, 0.5, 1023);
            QVERIFY(std::abs(r(0, r.cols() / 2) - 1500.0f) < 2.0f * float(kSr / 1023.0));
        }
    }

    // librosa's rule fmin * 2^(n_bands - 1) < sr / 2: the fitted count is the largest it allows.
    void contrastBandsFitBelowNyquist() {
        const SpectralContrastParams defaults;
        QCOMPARE(bandsBelowNyquist(22050.0, defaults), 6);
        QCOMPARE(bandsBelowNyquist(16000.0, defaults), 6);
        QCOMPARE(bandsBelowNyquist(12800.0, defaults), 5); // 6400 Hz is not below 6400 Hz
        QCOMPARE(bandsBelowNyquist(8000.0, defaults), 5);
        QCOMPARE(bandsBelowNyquist(400.0, defaults), 0);
        const Eigen::ArrayXXf S = Eigen::ArrayXXf::Ones(257, 4);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralContrast(S, 8000.0, defaults, 512));
        SpectralContrastParams fitted = defaults;
        fitted.n_bands = bandsBelowNyquist(8000.0, defaults);
        QCOMPARE(spectralContrast(S, 8000.0, fitted, 512).rows(), Eigen::Index(6));
    }

    void invalidParametersAreRefused() {
        Eigen::ArrayXXf S = Eigen::ArrayXXf::Ones(1025, 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralRolloff(S, kSr, 0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralRolloff(S, kSr, 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralCentroid(S, 0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralFlatness(S, 2.0, 0.0));
        SpectralBandwidthParams bw;
        bw.p = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralBandwidth(S, kSr, bw));
        SpectralContrastParams c;
        c.quantile = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralContrast(S, kSr, c));
        c = {};
        c.n_bands = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralContrast(S, kSr, c));
        c = {};
        c.fmin = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralContrast(S, kSr, c));
        c = {};
        c.n_bands = 7; // 200 * 2^6 = 12800 Hz is past Nyquist
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralContrast(S, kSr, c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 spectralContrast(Eigen::ArrayXXf::Ones(33, 3), kSr));
        S(3, 1) = -1.0f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralCentroid(S, kSr));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralShape(S, kSr));
        S(3, 1) = NAN;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, spectralFlatness(S));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string n = name;
            const Eigen::ArrayXXf S = readReference(n + ".stft_mag.npy");
            const SpectralShape shape = spectralShape(S, kSr);
            auto ref = [&](const char* suffix) { return readReference(n + "." + suffix + ".npy"); };
            QVERIFY(relativeError(shape.centroid, ref("spectral_centroid")) <= 1e-4);
            QVERIFY(relativeError(shape.bandwidth, ref("spectral_bandwidth")) <= 1e-4);
            QVERIFY(relativeError(shape.rolloff, ref("spectral_rolloff")) <= 1e-4);
            QVERIFY(relativeError(shape.flatness, ref("spectral_flatness")) <= 1e-4);
            QVERIFY(relativeError(spectralContrast(S, kSr), ref("spectral_contrast")) <= 1e-4);
        }
    }

    void realRecording() {
        const Eigen::ArrayXXf S = stftMagnitude(load(referencePath("chords.wav")).mono());
        const SpectralShape shape = spectralShape(S, kSr);
        QVERIFY((shape.centroid >= 0.0f).all() && (shape.centroid <= kSr / 2).all());
        QVERIFY((shape.rolloff >= 0.0f).all() && (shape.rolloff <= kSr / 2).all());
        QVERIFY((shape.flatness >= 0.0f).all() && (shape.flatness <= 1.0f).all());
        auto ref = [&](const char* suffix) {
            return readReference(std::string("chords.") + suffix + ".npy");
        };
        QVERIFY(relativeError(shape.centroid, ref("spectral_centroid")) <= 1e-4);
        QVERIFY(relativeError(shape.bandwidth, ref("spectral_bandwidth")) <= 1e-4);
        QVERIFY(relativeError(shape.rolloff, ref("spectral_rolloff")) <= 1e-4);
        QVERIFY(relativeError(shape.flatness, ref("spectral_flatness")) <= 1e-4);
        QVERIFY(relativeError(spectralContrast(S, kSr), ref("spectral_contrast")) <= 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestSpectral)
#include "test_spectral.moc"
