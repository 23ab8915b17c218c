// The window on a German desktop: LC_ALL=de_DE.UTF-8 before QApplication, which sets the C
// locale from it (a decimal comma for printf and strtod). Ctrl+E's files — the sidecar JSON, the
// frame table, the summary row — must still parse strictly, with the window's crop in them.
#include "app/gui/ExportDialog.h"
#include "app/gui/MainWindow.h"
#include "widgets/CropWindow.h"
#include "widgets/ViewStack.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <clocale>
#include <cstdio>
#include <cstring>

using namespace featurescope;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Every line has the header's number of fields and every field from `first` on is a number
/// (QByteArray::toDouble reads the "C" form only, whatever the locale).
bool numericCsv(const QByteArray& text, int first) {
    const QList<QByteArray> lines = text.trimmed().split('\n');
    if (lines.size() < 2) return false;
    const qsizetype width = lines.first().split(',').size();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].split(',');
        if (fields.size() != width) return false;
        for (qsizetype f = first; f < fields.size(); ++f) {
            bool ok = false;
            fields[f].toDouble(&ok);
            if (!ok && fields[f] != "nan") return false;
        }
    }
    return true;
}

} // namespace

class TestGuiLocale : public QObject {
    Q_OBJECT
private slots:
    void qtSetTheGermanLocale() {
        const char* numeric = std::setlocale(LC_NUMERIC, nullptr);
        QVERIFY2(numeric && std::strcmp(numeric, "de_DE.UTF-8") == 0,
                 "QApplication did not take de_DE.UTF-8 from LC_ALL: is the locale installed? "
                 "./featurescope.sh generates it");
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "%.2f", 9.44);
        QCOMPARE(QByteArray(buffer), QByteArray("9,44")); // the trap the writers must avoid
    }

    void exportedFilesUseADot() {
        MainWindow window;
        window.resize(1000, 700);
        window.show();
        QSignalSpy analysed(window.runner(), &AnalysisRunner::analysisFinished);
        window.openFile(QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/drums.wav"));
        QVERIFY(analysed.wait(120000));
        window.views()->crop()->setCrop(1.25, 2.5);

        QTemporaryDir out;
        ExportChoice choice;
        choice.folder = out.path();
        choice.npy = {QStringLiteral("mel")};
        choice.picture = false;
        QSignalSpy finished(&window, &MainWindow::exportFinished);
        window.exportCrop(choice);
        QVERIFY(finished.wait(120000));
        const QString stem = QDir(out.path()).filePath(QStringLiteral("drums"));

        const QByteArray sidecar = readAll(stem + ".json");
        QVERIFY2(!QString::fromUtf8(sidecar).contains(QRegularExpression("[0-9],[0-9]")),
                 sidecar.constData());
        QJsonParseError error;
        const QJsonObject json = QJsonDocument::fromJson(sidecar, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(json["crop"]["policy"].toString(), QStringLiteral("start:1.25:2.5"));
        QCOMPARE(json["crop"]["start_s"].toDouble(), window.analysis()->crop().start_s);
        QCOMPARE(json["settings"]["fmin"].toDouble(), window.analysis()->settings().fmin);
        QVERIFY(json["python_setup"].toString().contains(QStringLiteral("sr=22050.0,")));

        QVERIFY(numericCsv(readAll(stem + ".frames.csv"), 0));
        const QByteArray summary = readAll(stem + ".summary.csv");
        QVERIFY2(numericCsv(summary, 2), summary.constData());
        const QList<QByteArray> header = summary.split('\n')[0].split(',');
        const QList<QByteArray> row = summary.split('\n')[1].split(',');
        QCOMPARE(row[header.indexOf("crop_duration_s")].toDouble(), 2.5);
    }
};

int main(int argc, char* argv[]) {
    // Keep the user's QSettings out of the test and the test's out of the user's.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    qputenv("LC_ALL", "de_DE.UTF-8");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FeaturescopeTest"));
    TestGuiLocale test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_gui_locale.moc"
