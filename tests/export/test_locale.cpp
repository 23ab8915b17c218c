// Every file Featurescope writes, written under a decimal-comma C locale (de_DE.UTF-8, as a Qt
// application sets it from LANG / LC_ALL) and read back with strict parsers: the same numbers,
// with a '.' decimal. The locale is a prerequisite: when it is missing the test fails, it never
// skips (./featurescope.sh generates it).
#include "core/pipeline/analysis.h"
#include "core/export/csv.h"
#include "core/spectrum/decibel.h"
#include "core/export/export.h"
#include "core/export/librosa_calls.h"
#include "core/export/number_format.h"
#include "core/dataset/standardize.h"

#include "tests/support/test_support.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <QtTest>

#include <clocale>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>

using namespace featurescope;
namespace fs = std::filesystem;

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

/// The JSON object in `text`, parsed strictly (QJsonDocument refuses "32,703", NaN, trailing
/// commas); an empty object and a test failure otherwise.
QJsonObject strictJson(const std::string& text) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        qWarning("not JSON at offset %d: %s\n%s", error.offset, qPrintable(error.errorString()),
                 text.substr(std::max(0, error.offset - 60), 120).c_str());
        return {};
    }
    return doc.object();
}

/// A digit, a comma, a digit: a decimal comma. JSON, Python and CSV text written here only ever
/// puts a space after a separating comma.
bool hasDecimalComma(const std::string& text) {
    return std::regex_search(text, std::regex("[0-9],[0-9]"));
}

/// Every field of a CSV table's numeric columns (from `first` on) parses as a number, and every
/// row has the header's width (a decimal comma would add fields).
bool numericTable(const std::vector<std::vector<std::string>>& rows, std::size_t first) {
    if (rows.size() < 2) return false;
    for (const auto& row : rows) {
        if (row.size() != rows[0].size()) return false;
        if (&row == &rows[0]) continue;
        for (std::size_t i = first; i < row.size(); ++i)
            if (!parseNumber(row[i])) return false;
    }
    return true;
}

} // namespace

class TestLocale : public QObject {
    Q_OBJECT

    AnalysisSettings settings_;
    std::shared_ptr<const Analysis> analysis_;

private slots:
    void initTestCase() {
        QVERIFY2(std::setlocale(LC_ALL, "de_DE.UTF-8"),
                 "the de_DE.UTF-8 locale is not installed; ./featurescope.sh generates it "
                 "(package locales, /etc/locale.gen, locale-gen)");
        // The locale really uses a decimal comma, so every check below can fail.
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%.2f", 1.5);
        QCOMPARE(std::string(buffer), std::string("1,50"));
        QCOMPARE(std::strtod("0.5", nullptr), 0.0);

        settings_.crop = CropPolicy::parse("start:1.25:2.5");
        settings_.margin = 2.5;
        settings_.mel_fmax = 8000.5;
        analysis_ = runAnalysis(kRef + "drums.wav", settings_);
    }

    void theFormatterIgnoresTheLocale() {
        QCOMPARE(formatNumber(32.70319566257483), std::string("32.7031957"));
        QCOMPARE(formatNumber(0.1f), std::string("0.100000001"));
        QCOMPARE(formatNumber(1e-20), std::string("1e-20"));
        QCOMPARE(formatNumber(-INFINITY), std::string("-inf"));
        QCOMPARE(formatShortest(32.70319566257483), std::string("32.70319566257483"));
        QCOMPARE(formatShortest(0.1), std::string("0.1"));
        QCOMPARE(formatFixed(12.345, 1), std::string("12.3"));
        QCOMPARE(jsonNumber(NAN), std::string("null"));
        QCOMPARE(pythonFloat(22050), std::string("22050.0"));
        QCOMPARE(pythonFloat(2.5), std::string("2.5"));
        QCOMPARE(parseNumber("0.5").value_or(-1), 0.5);
        QCOMPARE(parseNumber("-1.5e-3").value_or(-1), -1.5e-3);
        QVERIFY(std::isnan(parseNumber("nan").value_or(0)));
        QVERIFY(!parseNumber("0,5"));
        QVERIFY(!parseNumber("12abc"));
        QVERIFY(!parseNumber(""));
        // Every float32 and every double reads back exactly.
        for (const float v : {3.14159274f, -1234.56787f, 1.17549435e-38f, 8388609.0f})
            QCOMPARE(float(*parseNumber(formatNumber(v))), v);
        for (const double v : {0.1, 1.0 / 3.0, 5e-324, 1.7976931348623157e308})
            QCOMPARE(*parseNumber(formatShortest(v)), v);
    }

    void theSidecarIsJsonAndItsPythonUsesADot() {
        QTemporaryDir dir;
        TrackExports exports;
        exports.frames = true;
        exports.npy = {"mel"};
        const fs::path stem = dir.filePath("drums").toStdString();
        writeTrackExports(*analysis_, stem, kRef + "drums.wav", exports);
        const std::string text = testsupport::readBytes(stem.string() + ".json");
        QVERIFY2(!hasDecimalComma(text), text.c_str());
        const QJsonObject json = strictJson(text);
        QVERIFY(!json.isEmpty());
        const QJsonObject settings = json["settings"].toObject();
        QCOMPARE(settings["fmin"].toDouble(), settings_.fmin);
        QCOMPARE(settings["margin"].toDouble(), 2.5);
        QCOMPARE(settings["mel_fmax"].toDouble(), 8000.5);
        QCOMPARE(settings["crop"].toString(), QStringLiteral("start:1.25:2.5"));
        const QJsonObject crop = json["crop"].toObject();
        QCOMPARE(crop["policy"].toString(), QStringLiteral("start:1.25:2.5"));
        QCOMPARE(crop["start_s"].toDouble(), analysis_->crop().start_s);
        QCOMPARE(crop["duration_s"].toDouble(), analysis_->crop().duration_s);
        QCOMPARE(json["duration_s"].toDouble(), analysis_->trackDuration());
        const std::string python = json["python_setup"].toString().toStdString();
        QVERIFY2(python.find("sr=22050.0,") != std::string::npos, python.c_str());
        QVERIFY2(python.find("margin=2.5,") != std::string::npos, python.c_str());
        const std::string mel =
            json["outputs"]["drums.mel.npy"]["librosa"].toString().toStdString();
        QVERIFY2(mel.find("fmax=8000.5,") != std::string::npos, mel.c_str());
        QCOMPARE(json["outputs"]["drums.mel.npy"]["shape"].toArray().size(), qsizetype(2));
    }

    void theFrameTableReadsBack() {
        const auto rows = parseCsv(frameTableCsv(*analysis_));
        QVERIFY(numericTable(rows, 0));
        const FeatureCurves& curves = analysis_->curves();
        const Crop& crop = analysis_->crop();
        QCOMPARE(rows.size(), std::size_t(1 + crop.n_frames));
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto t = crop.start_frame + static_cast<Eigen::Index>(r - 1);
            QCOMPARE(rows[r][0], formatNumber(double(t) * 512.0 / 22050.0));
            for (std::size_t f = 1; f < rows[r].size(); ++f)
                QCOMPARE(float(*parseNumber(rows[r][f])),
                         curves.values(static_cast<Eigen::Index>(f - 1), t));
        }
    }

    void theSummaryAndItsSidecarReadBack() {
        const SummaryRow row = summaryRow(*analysis_, "drums, take 1.wav", "drums");
        const std::string csv = summaryCsv({row});
        const auto rows = parseCsv(csv);
        QVERIFY(numericTable(rows, 2));
        QCOMPARE(rows[1][0], std::string("drums, take 1.wav"));
        QCOMPARE(*parseNumber(rows[1][3]), *parseNumber(formatNumber(row.crop_start_s)));
        QVERIFY(std::abs(*parseNumber(rows[1][3]) - 1.25) < 1e-4);
        QCOMPARE(rows[0][4], std::string("crop_start_sample"));
        QCOMPARE(*parseNumber(rows[1][4]), double(row.crop_start_sample));
        QCOMPARE(rows[0][5], std::string("crop_duration_s"));
        QCOMPARE(*parseNumber(rows[1][5]), 2.5);
        for (std::size_t i = 0; i < row.summary.values.size(); ++i)
            QCOMPARE(float(*parseNumber(rows[1][7 + i])), float(row.summary.values[i]));

        const std::string text = summarySidecarJson(settings_, summaryColumns(row.summary));
        QVERIFY2(!hasDecimalComma(text), text.c_str());
        const QJsonObject json = strictJson(text);
        QVERIFY(!json.isEmpty());
        QCOMPARE(json["settings"]["fmin"].toDouble(), settings_.fmin);
        QCOMPARE(json["settings"]["crop"].toString(), QStringLiteral("start:1.25:2.5"));
    }

    void theScalerRoundTrips() {
        const Eigen::ArrayXXd table = Eigen::ArrayXXd::Random(5, 3) * 100.0;
        const Scaler scaler = fitScaler(table, {"a", "b", "c"});
        const std::string text = scalerCsv(scaler);
        QVERIFY2(numericTable(parseCsv(text), 1), text.c_str());
        QTemporaryDir dir;
        const std::string path = dir.filePath("scaler.csv").toStdString();
        std::ofstream(path) << text;
        const Scaler back = readScaler(path); // strtod here would read "12.5" as 12
        QVERIFY((back.mean == scaler.mean).all());
        QVERIFY((back.std == scaler.std).all());
    }

    void cropTextAndMessagesUseADot() {
        QCOMPARE(CropPolicy::parse("start:9.44:29.12").toString(), std::string("start:9.44:29.12"));
        QCOMPARE(CropPolicy::parse("highlight:29.12@60.5-120").toString(),
                 std::string("highlight:29.12@60.5-120"));
        const std::string cqt = librosaCall("cqt", settings_);
        QVERIFY2(cqt.find("fmin=32.70319566257483,") != std::string::npos, cqt.c_str());
        PowerToDbParams db;
        db.amin = -0.5;
        try {
            powerToDb(Eigen::ArrayXXf::Ones(2, 2), db);
            QFAIL("amin < 0 was accepted");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(std::string(error.what()).find("got -0.5") != std::string::npos, error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestLocale)
#include "test_locale.moc"
