// featurescope: the desktop window. Opens the demo track, or the file named on the command line.
#include "app/gui/Benchmark.h"
#include "app/gui/MainWindow.h"
#include "app/gui/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <cstdio>

namespace {

QString defaultTrack() {
    for (const char* candidate :
         {FEATURESCOPE_DEMO_TRACK, FEATURESCOPE_DEMO_TRACK_WAV, FEATURESCOPE_FALLBACK_TRACK})
        if (QFileInfo::exists(QString::fromUtf8(candidate))) return QString::fromUtf8(candidate);
    return {};
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Featurescope"));
    QApplication::setOrganizationName(QStringLiteral("Featurescope"));
    QApplication::setApplicationVersion(QStringLiteral(FEATURESCOPE_VERSION));
    QIcon icon(QStringLiteral(":/icons/featurescope-256.png"));
    icon.addFile(QStringLiteral(":/icons/featurescope-64.png"));
    QApplication::setWindowIcon(icon);
    QApplication::setDesktopFileName(QStringLiteral("featurescope"));

    // Chosen in the settings panel; empty follows the system locale.
    featurescope::installTranslations(QSettings().value("language").toString());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "A microscope for audio features."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Render the window to <png> once the analysis is done, "
                                        "then exit."),
        QStringLiteral("png"));
    parser.addOption(screenshot);
    QCommandLineOption benchOpen(
        QStringLiteral("benchmark-open"),
        QApplication::translate("main", "Print the time from opening <file> to the first "
                                        "spectrogram on screen, then exit."),
        QStringLiteral("file"));
    QCommandLineOption benchPan(
        QStringLiteral("benchmark-pan"),
        QApplication::translate("main", "Print the time of one pan frame over a one-minute and "
                                        "a one-hour signal, then exit."));
    parser.addOption(benchOpen);
    parser.addOption(benchPan);
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QApplication::translate("main", "Audio file to open."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    if (parser.isSet(benchPan)) return featurescope::benchmarkPan();
    featurescope::MainWindow window;
    if (parser.isSet(benchOpen))
        return featurescope::benchmarkOpen(window, parser.value(benchOpen));
    const QStringList files = parser.positionalArguments();
    const QString track = files.isEmpty() ? defaultTrack() : files.first();

    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        window.resize(1400, 900);
        QObject::connect(&window, &featurescope::MainWindow::analysisShown, &app, [&] {
            window.replotAll();
            const bool saved = window.grab().save(out);
            if (!saved) std::fprintf(stderr, "featurescope: cannot write %s\n", qPrintable(out));
            QApplication::exit(saved ? 0 : 1);
        });
        QObject::connect(&window, &featurescope::MainWindow::openFailed, &app,
                         [](const QString& path, const QString& reason) {
                             std::fprintf(stderr, "featurescope: %s: %s\n", qPrintable(path),
                                          qPrintable(reason));
                             QApplication::exit(1);
                         });
    }
    window.show();
    if (!track.isEmpty()) window.openFile(track);
    return app.exec();
}
