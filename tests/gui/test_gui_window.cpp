// The window's acceptance suite, offscreen: it opens a track, waits for analysisFinished and
// checks that what the views and panels hold is core's numbers.
#include "app/gui/CropSummary.h"
#include "app/gui/MainWindow.h"
#include "app/gui/SettingsPanel.h"
#include "app/gui/Translations.h"
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/crop/highlight.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "widgets/CropWindow.h"
#include "widgets/OnsetView.h"
#include "widgets/SummaryPanel.h"
#include "widgets/ViewStack.h"
#include "widgets/WaveformView.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace featurescope;

namespace {

QString testTrack() {
    const QString demo = QStringLiteral(FEATURESCOPE_DEMO_TRACK);
    if (QFileInfo::exists(demo)) return demo;
    return QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/drums.wav");
}

bool waitForAnalysis(MainWindow& window) {
    QSignalSpy finished(window.runner(), &AnalysisRunner::analysisFinished);
    return finished.wait(120000);
}

double maxAbsDiff(const Eigen::ArrayXXf& a, const Eigen::ArrayXXf& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return HUGE_VAL;
    return (a - b).abs().maxCoeff();
}

} // namespace

class TestGuiWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void viewsHoldCoresNumbers();
    void spectrogramReadoutIsTheCellUnderTheMouse();
    void draggingTheCropUpdatesTheSummary();
    void hSnapsTheCropToCoresHighlight();
    void exportWritesTheCropThroughCoresWriters();
    void oneSettingRerunsOnlyAffectedStages();
    void settingsShowTheOctavesAndBandsFittedToSr();
    void aBadFileIsNamedAndThePreviousAnalysisStays();
    void settingsAndRecentFilesPersist();
    void aNewTrackCancelsTheStaleRun();
    void cancelKeepsWhatIsShown();
    void aShortFileIsShownWithItsWarning();
    void koreanIsCompiledInAndComplete();

private:
    MainWindow* window_ = nullptr;
    Audio audio_;
};

void TestGuiWindow::initTestCase() {
    window_ = new MainWindow;
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_));
    window_->openFile(testTrack());
    QVERIFY(waitForAnalysis(*window_));
    QVERIFY(window_->analysis());
    audio_ = load(testTrack().toStdString());
}

void TestGuiWindow::viewsHoldCoresNumbers() {
    const auto analysis = window_->analysis();
    ViewStack* views = window_->views();

    // Waveform: librosa.load at 22050 Hz, mono, by an independent core call.
    const auto& y = *views->waveform()->signal();
    QCOMPARE(y.size(), audio_.length());
    QCOMPARE(double((y - audio_.mono()).abs().maxCoeff()), 0.0);
    // Zoomed out, the drawn envelope (from blocks) reaches exactly the signal's extremes.
    WaveformView* wave = views->waveform();
    wave->xAxis->setRange(0, wave->duration());
    wave->replot();
    double top = -1, bottom = 1;
    for (int i = 0; i < wave->graphCount(); ++i)
        for (auto it = wave->graph(i)->data()->begin(); it != wave->graph(i)->data()->end(); ++it) {
            top = std::max(top, it->value);
            bottom = std::min(bottom, it->value);
        }
    QCOMPARE(top, double(y.maxCoeff()));
    QCOMPARE(bottom, double(y.minCoeff()));

    // STFT view: amplitude_to_db(|stft(y)|, ref=np.max), recomputed here from core's pieces.
    AmplitudeToDbParams db;
    db.ref = DbRef::max();
    const Eigen::ArrayXXf expected = amplitudeToDb(stftMagnitude(audio_.mono()), db);
    const auto& shown = *views->spectrogram(Representation::Stft)->data().values;
    QVERIFY2(maxAbsDiff(shown, expected) < 1e-3, "STFT view differs from core's stft dB");

    // The other views show the Analysis's own matrices, not copies or re-derivations.
    QCOMPARE(views->spectrogram(Representation::Mel)->data().values.get(), &analysis->melDb());
    QCOMPARE(analysis->melDb().rows(), Eigen::Index(analysis->settings().n_mels));
    QCOMPARE(views->spectrogram(Representation::Cqt)->data().values.get(), &analysis->cqtDb());
    QCOMPARE(views->spectrogram(Representation::Cqt)->data().rowHz.size(),
             size_t(analysis->settings().n_bins));
    QCOMPARE(views->spectrogram(Representation::Chroma)->data().values->rows(), Eigen::Index(12));
    QCOMPARE(views->onsets()->envelope().get(), &analysis->onsetEnvelope());
    QCOMPARE(views->onsets()->beats()->size(), analysis->beats().size());
    QCOMPARE(views->onsets()->tempo(), analysis->tempo());
    QVERIFY(analysis->tempo() > 0);
    QCOMPARE(views->spectrogram(Representation::Harmonic)->data().values->cols(),
             analysis->frameCount());
}

void TestGuiWindow::spectrogramReadoutIsTheCellUnderTheMouse() {
    SpectrogramView* view = window_->views()->spectrogram(Representation::Stft);
    const auto& m = *view->data().values;
    const Eigen::Index frame = m.cols() / 3, bin = 100;
    const double t = frame * 512.0 / 22050.0;
    const double hz = bin * 22050.0 / 2048.0;
    // Linear scale: the axis value is the frequency itself.
    QCOMPARE(view->valueAt(t, hz), double(m(bin, frame)));
    const QString text = view->readoutAt(t, hz);
    QVERIFY2(text.contains(QStringLiteral("1076.7 Hz")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("C6")), qPrintable(text)); // 1076.7 Hz is nearest C6
}

void TestGuiWindow::draggingTheCropUpdatesTheSummary() {
    const auto analysis = window_->analysis();
    CropWindow* crop = window_->views()->crop();
    crop->setCrop(1.0, 2.0);
    const double before = window_->summaryPanel()->value(QStringLiteral("rms"), "mean");

    WaveformView* view = window_->views()->waveform();
    view->replot();
    const int y = view->axisRect()->center().y();
    const QPoint grab(int(view->xAxis->coordToPixel(2.0)), y);
    const int dx = int(view->xAxis->coordToPixel(3.0) - view->xAxis->coordToPixel(2.0));
    QSignalSpy updated(window_, &MainWindow::summaryUpdated);
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, grab);
    QTest::mouseMove(view, grab + QPoint(dx / 2, 0));
    QTest::mouseMove(view, grab + QPoint(dx, 0));
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, grab + QPoint(dx, 0));
    QVERIFY(updated.count() >= 2); // live, while moving
    QVERIFY2(std::abs(crop->start() - 2.0) < 0.05, qPrintable(QString::number(crop->start())));
    QCOMPARE(crop->duration(), 2.0);

    // The panel must now hold the statistics of the frames inside the new range: frame t is
    // centred at t * hop, so the crop's frames start at round(start * sr / hop).
    const double sr = analysis->sr();
    const int hop = analysis->settings().hop_length;
    const auto startSample = Eigen::Index(std::llround(crop->start() * sr));
    const auto first = Eigen::Index(std::llround(double(startSample) / hop));
    const auto count = 1 + Eigen::Index(std::llround(crop->duration() * sr)) / hop;
    const auto& curves = analysis->curves();
    for (const char* name : {"rms", "spectral_centroid", "zero_crossing_rate"}) {
        const Eigen::Index row = curves.find(name);
        QVERIFY(row >= 0);
        const Eigen::ArrayXd x = curves.values.row(row).segment(first, count).cast<double>();
        const double shownMean = window_->summaryPanel()->value(QString::fromLatin1(name), "mean");
        const double shownMax = window_->summaryPanel()->value(QString::fromLatin1(name), "max");
        QVERIFY2(std::abs(shownMean - x.mean()) <= 1e-9 * std::abs(x.mean()), name);
        QCOMPARE(shownMax, x.maxCoeff());
    }
    QVERIFY(window_->summaryPanel()->value(QStringLiteral("rms"), "mean") != before);
}

void TestGuiWindow::hSnapsTheCropToCoresHighlight() {
    const auto analysis = window_->analysis();
    CropWindow* crop = window_->views()->crop();
    crop->setCrop(0.0, 2.0);
    HighlightParams params;
    params.seconds = 2.0;
    const Highlight expected = findHighlight(audio_.mono(), 22050.0, params);
    QVERIFY(expected.start_s > 0); // otherwise the test could not fail
    QSignalSpy changed(crop, &CropWindow::cropChanged);
    window_->activateWindow();
    QTest::keyClick(window_, Qt::Key_H);
    QVERIFY(changed.wait(10000));
    QCOMPARE(crop->start(), expected.start_s);
    QCOMPARE(window_->summaryPanel()->summary().cropStart, expected.start_s);
}

void TestGuiWindow::exportWritesTheCropThroughCoresWriters() {
    CropWindow* crop = window_->views()->crop();
    crop->setCrop(2.0, 3.0);
    QTemporaryDir out;
    window_->exportAction()->trigger();
    auto* dialog = window_->findChild<ExportDialog*>(QStringLiteral("exportDialog"));
    QVERIFY(dialog);
    dialog->folderField()->setText(out.path());
    dialog->npyBox(QStringLiteral("cqt"))->setChecked(true);
    dialog->vectorBox()->setChecked(true);
    QSignalSpy finished(window_, &MainWindow::exportFinished);
    dialog->accept();
    QVERIFY(finished.wait(120000));
    const QStringList files = finished.first().at(0).toStringList();
    const QString stem = QDir(out.path()).filePath(QFileInfo(testTrack()).completeBaseName());
    for (const char* suffix : {".frames.csv", ".summary.csv", ".mel_db.npy", ".cqt.npy", ".png",
                               ".json", ".stft.pdf", ".stft.svg"}) {
        QVERIFY2(files.contains(stem + suffix), suffix);
        QVERIFY2(QFileInfo(stem + suffix).size() > 0, suffix);
    }

    QFile pdf(stem + ".stft.pdf");
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QFile svg(stem + ".stft.svg");
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray svgText = svg.readAll();
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.contains("Frequency")); // the axis label is text, not pixels

    // The analysis's crop is now the on-screen crop, and the files describe exactly it.
    const auto analysis = window_->analysis();
    QCOMPARE(analysis->crop().start_s, 2.0);
    const Eigen::Index first = analysis->crop().start_frame, n = analysis->crop().n_frames;
    QVERIFY(n > 100);
    const Eigen::ArrayXXf mel = readNpy((stem + ".mel_db.npy").toStdString());
    QCOMPARE(mel.rows(), analysis->melDb().rows());
    QCOMPARE(mel.cols(), n);
    QCOMPARE(double((mel - analysis->melDb().middleCols(first, n)).abs().maxCoeff()), 0.0);

    QFile frames(stem + ".frames.csv");
    QVERIFY(frames.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = frames.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(n + 1));
    QVERIFY(lines.first().startsWith("time_s,"));
    QFile summary(stem + ".summary.csv");
    QVERIFY(summary.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = summary.readAll().trimmed().split('\n');
    QCOMPARE(rows.size(), qsizetype(2));
    const QList<QByteArray> header = rows[0].split(','), values = rows[1].split(',');
    QCOMPARE(values[header.indexOf("crop_start_s")].toDouble(), 2.0);
}

void TestGuiWindow::oneSettingRerunsOnlyAffectedStages() {
    const auto before = window_->analysis();
    SettingsPanel* panel = window_->settingsPanel();
    panel->nMelsField()->setValue(64);
    auto* apply = panel->findChild<QPushButton*>(QStringLiteral("applySettings"));
    QVERIFY(apply);
    QSignalSpy finished(window_->runner(), &AnalysisRunner::analysisFinished);
    apply->click();
    QVERIFY(finished.wait(120000));
    const auto after = window_->analysis();
    QVERIFY(after != before);
    QCOMPARE(after->melDb().rows(), Eigen::Index(64));
    QCOMPARE(window_->views()->spectrogram(Representation::Mel)->data().values->rows(),
             Eigen::Index(64));
    for (const char* unaffected : {"stft", "stft_db", "hpss", "cqt"}) {
        QVERIFY2(before->stageRunId(unaffected).has_value(), unaffected);
        QVERIFY2(after->stageRunId(unaffected) == before->stageRunId(unaffected), unaffected);
    }
    for (const char* affected : {"mel", "mel_db"})
        QVERIFY2(after->stageRunId(affected) != before->stageRunId(affected), affected);
}

void TestGuiWindow::settingsShowTheOctavesAndBandsFittedToSr() {
    SettingsPanel panel;
    auto* octaves = panel.findChild<QLabel*>(QStringLiteral("chromaCqtOctaves"));
    auto* bands = panel.findChild<QLabel*>(QStringLiteral("spectralContrastBands"));
    QVERIFY(octaves && bands);
    QCOMPARE(octaves->text(), QStringLiteral("7"));
    QCOMPARE(bands->text(), QStringLiteral("6"));
    panel.srField()->setValue(8000.0);
    QVERIFY2(octaves->text().startsWith(QStringLiteral("6 (")), qPrintable(octaves->text()));
    QVERIFY2(bands->text().startsWith(QStringLiteral("5 (")), qPrintable(bands->text()));
    const AnalysisSettings s = panel.settings();
    QCOMPARE(s.chromaCqtParams().n_octaves, 6);
    QCOMPARE(s.spectralContrastParams().n_bands, 5);
}

void TestGuiWindow::aBadFileIsNamedAndThePreviousAnalysisStays() {
    const auto before = window_->analysis();
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("not-audio.wav"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a wave file");
    file.close();
    QSignalSpy failed(window_, &MainWindow::openFailed);
    window_->openFile(bad);
    QVERIFY(failed.wait(30000));
    QCOMPARE(failed.first().at(0).toString(), bad);
    auto* box = window_->findChild<QMessageBox*>(QStringLiteral("openFailedMessage"));
    QVERIFY(box);
    QVERIFY2(box->text().contains(bad), qPrintable(box->text()));
    QVERIFY(box->text().size() > bad.size() + 30); // a reason follows the name
    box->close();
    QCOMPARE(window_->analysis(), before);
    QCOMPARE(window_->views()->waveform()->signal().get(), &before->y());
}

void TestGuiWindow::settingsAndRecentFilesPersist() {
    // oneSettingRerunsOnlyAffectedStages applied n_mels = 64: a new window starts with it.
    MainWindow second;
    QCOMPARE(second.settings().n_mels, 64);
    QCOMPARE(second.settings().n_fft, 2048);
    QSettings store;
    const QStringList recent = store.value(QStringLiteral("recentFiles")).toStringList();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first(), QFileInfo(testTrack()).absoluteFilePath());
}

void TestGuiWindow::aNewTrackCancelsTheStaleRun() {
    const QString first = QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/loud_section.wav");
    const QString second = QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/chords.wav");
    QSignalSpy finished(window_->runner(), &AnalysisRunner::analysisFinished);
    window_->openFile(first);
    window_->openFile(second); // supersedes the first before it can finish
    QVERIFY(finished.wait(120000));
    QTest::qWait(1500); // a stale result would arrive now
    QCOMPARE(finished.count(), 1);
    QCOMPARE(QString::fromStdString(window_->analysis()->path().string()), second);
}

void TestGuiWindow::cancelKeepsWhatIsShown() {
    const auto before = window_->analysis();
    QSignalSpy finished(window_->runner(), &AnalysisRunner::analysisFinished);
    QSignalSpy cancelled(window_->runner(), &AnalysisRunner::analysisCancelled);
    window_->openFile(QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/loud_section.wav"));
    window_->runner()->cancel();
    QCOMPARE(cancelled.count(), 1);
    QTest::qWait(3000);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(window_->analysis(), before);
    QVERIFY(!window_->runner()->isRunning());
}

void TestGuiWindow::aShortFileIsShownWithItsWarning() {
    // Half a WAV: analysed, and the status bar says that its header promised twice as much.
    QTemporaryDir dir;
    const QString cut = dir.filePath(QStringLiteral("half.wav"));
    QFile whole(QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/chords.wav"));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QByteArray bytes = whole.readAll();
    QFile half(cut);
    QVERIFY(half.open(QIODevice::WriteOnly));
    half.write(bytes.left(bytes.size() / 2));
    half.close();
    QSignalSpy warned(window_->runner(), &AnalysisRunner::trackWarned);
    window_->openFile(cut);
    QVERIFY(warned.wait(120000));
    QCOMPARE(QString::fromStdString(window_->analysis()->path().string()), cut);
    const QString message = window_->statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("half.wav")) &&
                 message.contains(QStringLiteral("the header says 132300 frames")),
             qPrintable(message));
    // A whole file says nothing of the kind.
    QSignalSpy finished(window_->runner(), &AnalysisRunner::analysisFinished);
    window_->openFile(QStringLiteral(FEATURESCOPE_TEST_DATA "/reference/chords.wav"));
    QVERIFY(finished.wait(120000));
    QTest::qWait(200);
    QCOMPARE(warned.count(), 1);
    QVERIFY(!window_->statusBar()->currentMessage().contains(QStringLiteral("header")));
}

void TestGuiWindow::koreanIsCompiledInAndComplete() {
    QVERIFY(installTranslations(QStringLiteral("ko")));
    QCOMPARE(QCoreApplication::translate("featurescope::MainWindow", "&File"),
             QString::fromUtf8("파일(&F)"));
    QCOMPARE(QCoreApplication::translate("featurescope::ViewStack", "Waveform"),
             QString::fromUtf8("파형"));
    QCOMPARE(QCoreApplication::translate("FrequencyAxis", "Frequency (Hz)"),
             QString::fromUtf8("주파수 (Hz)"));
    // Every message of the catalogue has a Korean translation (none left unfinished).
    QFile ts(QStringLiteral(FEATURESCOPE_SOURCE_DIR "/translations/featurescope_ko.ts"));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    const QByteArray text = ts.readAll();
    QVERIFY(text.count("<message") > 90);
    QCOMPARE(text.count("type=\"unfinished\""), qsizetype(0));
    QVERIFY(!installTranslations(QStringLiteral("sw"))); // no Swahili catalogue: English stays
}

int main(int argc, char* argv[]) {
    // Keep the user's QSettings out of the test and the test's out of the user's.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FeaturescopeTest"));
    TestGuiWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_gui_window.moc"
