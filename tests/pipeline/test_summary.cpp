// Summary statistics over a crop, and standardisation across a data set.
#include "core/pipeline/analysis.h"
#include "core/export/npy.h"
#include "core/dataset/standardize.h"
#include "core/pipeline/summary.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

using namespace featurescope;

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

double statOf(const Summary& summary, const std::string& name) {
    for (std::size_t i = 0; i < summary.names.size(); ++i)
        if (summary.names[i] == name) return summary.values[i];
    return NAN;
}

} // namespace

class TestSummary : public QObject {
    Q_OBJECT

private slots:
    void statisticsFollowNumpy() {
        // x = 1..10: np.mean 5.5, np.std sqrt(8.25), np.median 5.5, np.percentile (linear):
        // position q/100 * 9 between order statistics.
        Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(10, 1.0f, 10.0f);
        std::reverse(x.data(), x.data() + x.size()); // order must not matter
        const auto s = summaryStatistics(x);
        QCOMPARE(s[0], 5.5);
        QVERIFY(std::abs(s[1] - std::sqrt(8.25)) < 1e-12);
        QCOMPARE(s[2], 1.0);
        QCOMPARE(s[3], 10.0);
        QCOMPARE(s[4], 5.5);
        QVERIFY(std::abs(s[5] - 1.9) < 1e-12);
        QVERIFY(std::abs(s[6] - 3.25) < 1e-12);
        QVERIFY(std::abs(s[7] - 7.75) < 1e-12);
        QVERIFY(std::abs(s[8] - 9.1) < 1e-12);
    }

    void radixSortedStatisticsEqualComparisonSorted() {
        // Negative and positive values, zeros of both signs, ties, infinities and subnormals:
        // the order the statistics are taken in must be std::sort's, to the last bit.
        std::vector<float> pool = {0.0f, -0.0f, 1e-40f, -1e-40f, 3.5f, 3.5f, -2.25f, 1e30f};
        Eigen::ArrayXf values = Eigen::ArrayXf::Random(7752) * 50.0f;
        for (Eigen::Index i = 0; i < values.size(); i += 7)
            values[i] = pool[size_t(i / 7) % pool.size()];
        for (const bool with_infinity : {false, true}) {
            if (with_infinity) values[3] = -std::numeric_limits<float>::infinity();
            std::vector<double> sorted(values.begin(), values.end());
            std::sort(sorted.begin(), sorted.end());
            double sum = 0.0;
            for (const double v : sorted)
                sum += v;
            const auto stats = summaryStatistics(values);
            QCOMPARE(stats[0], sum / double(sorted.size()));
            QCOMPARE(stats[2], sorted.front());
            QCOMPARE(stats[3], sorted.back());
            const double position = 0.25 * double(sorted.size() - 1);
            const auto below = std::size_t(position);
            QCOMPARE(stats[6], sorted[below] + (sorted[below + 1] - sorted[below]) *
                                                   (position - double(below)));
        }
    }

    void emptyGivesNanAndSilenceFinite() {
        for (const double v : summaryStatistics(Eigen::ArrayXf()))
            QVERIFY(std::isnan(v));
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Zero(1, 22050 * 2);
        const Summary summary = summarize(*runAnalysis(audio, AnalysisSettings{}));
        QVERIFY(!summary.values.empty());
        for (const double v : summary.values)
            QVERIFY(std::isfinite(v));
    }

    void regressionAgainstLibrosaCurves() {
        AnalysisSettings settings;
        settings.routing = Routing::all(Signal::original);
        const auto analysis = runAnalysis(kRef + "chords.wav", settings);
        const Summary summary = summarize(*analysis);
        const Eigen::ArrayXXf centroid = readNpy(kRef + "chords.spectral_centroid.npy");
        const double mean = centroid.cast<double>().mean();
        QVERIFY(std::abs(statOf(summary, "spectral_centroid_mean") - mean) <= 1e-4 * mean);
        const Eigen::ArrayXXf mfcc = readNpy(kRef + "chords.mfcc.npy");
        QVERIFY(std::abs(statOf(summary, "mfcc_0_max") - mfcc.row(0).maxCoeff()) <= 0.01);
        QVERIFY(std::abs(statOf(summary, "mfcc_0_min") - mfcc.row(0).minCoeff()) <= 0.01);
        QCOMPARE(summary.names.size(), analysis->curves().names.size() * kSummaryStats.size());
        QCOMPARE(summary.names[0], std::string("spectral_centroid_mean"));
    }

    void cropLimitsTheFrames() {
        const auto analysis = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        const FeatureCurves& curves = analysis->curves();
        const Summary part = summarize(curves, 100, 50);
        const Eigen::Index rms = curves.find("rms");
        const Eigen::ArrayXf segment = curves.values.row(rms).segment(100, 50).transpose();
        QCOMPARE(statOf(part, "rms_max"), static_cast<double>(segment.maxCoeff()));
        QVERIFY(statOf(part, "rms_max") != statOf(summarize(curves, 0, 345), "rms_max") ||
                segment.maxCoeff() == curves.values.row(rms).maxCoeff());
        // A crop past the end is clipped, not read out of bounds.
        QVERIFY(std::isfinite(statOf(summarize(curves, 300, 1000), "rms_mean")));
    }

    void standardisationIsAZScorePerColumn() {
        Eigen::ArrayXXd table(4, 3);
        table << 1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5;
        const Scaler scaler = fitScaler(table, {"a", "b", "c"});
        QCOMPARE(scaler.mean[0], 2.5);
        QVERIFY(std::abs(scaler.std[0] - std::sqrt(1.25)) < 1e-12); // population std, ddof=0
        QCOMPARE(scaler.std[2], 1.0); // a constant column is scaled by 1, as sklearn does
        const Eigen::ArrayXXd z = standardize(table, scaler);
        for (Eigen::Index c = 0; c < 2; ++c) {
            QVERIFY(std::abs(z.col(c).mean()) < 1e-12);
            QVERIFY(std::abs(std::sqrt(z.col(c).square().mean()) - 1.0) < 1e-12);
        }
        QVERIFY((z.col(2) == 0.0).all());
        // A new track scaled later with the same scaler.
        Eigen::ArrayXXd later(1, 3);
        later << 2.5, 25, 6;
        const Eigen::ArrayXXd zl = standardize(later, scaler);
        QCOMPARE(zl(0, 0), 0.0);
        QCOMPARE(zl(0, 2), 1.0);
    }

    void scalerFileRoundTrips() {
        Eigen::ArrayXXd table = Eigen::ArrayXXd::Random(7, 5) * 1000.0;
        const Scaler scaler = fitScaler(table, {"a", "b", "c", "d", "e"});
        const QString path = QDir::temp().filePath("featurescope_scaler_test.csv");
        {
            std::FILE* f = std::fopen(path.toStdString().c_str(), "w");
            const std::string text = scalerCsv(scaler);
            std::fwrite(text.data(), 1, text.size(), f);
            std::fclose(f);
        }
        const Scaler back = readScaler(path.toStdString());
        QCOMPARE(back.columns, scaler.columns);
        QVERIFY((back.mean == scaler.mean).all());
        QVERIFY((back.std == scaler.std).all());
        QFile::remove(path);
    }

    void refusesBadInput() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 fitScaler(Eigen::ArrayXXd(0, 2), {"a", "b"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitScaler(Eigen::ArrayXXd(3, 2), {"a"}));
        const Scaler scaler = fitScaler(Eigen::ArrayXXd::Ones(2, 2), {"a", "b"});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 standardize(Eigen::ArrayXXd::Ones(2, 3), scaler));
    }
};

QTEST_GUILESS_MAIN(TestSummary)
#include "test_summary.moc"
