#include "app/gui/MainWindow.h"

#include "app/gui/AnalysisPresenter.h"
#include "app/gui/CropSummary.h"
#include "app/gui/Player.h"
#include "app/gui/Preferences.h"
#include "app/gui/SettingsPanel.h"
#include "core/crop/highlight.h"
#include "widgets/CropWindow.h"
#include "widgets/FeatureCurveView.h"
#include "widgets/SummaryPanel.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/ViewStack.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

#include <thread>

namespace featurescope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Featurescope"));
    setAcceptDrops(true);
    runner_ = new AnalysisRunner(this);
    player_ = new Player(this);
    views_ = new ViewStack(this);
    setCentralWidget(views_);

    readout_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(240);
    progress_->setVisible(false);
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setVisible(false);
    statusBar()->addWidget(readout_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);

    connect(views_, &ViewStack::pointerMoved, readout_,
            [this](double, const QString& text) { readout_->setText(text); });
    connect(views_, &ViewStack::pointerLeft, readout_, &QLabel::clear);
    connect(cancel_, &QToolButton::clicked, runner_, &AnalysisRunner::cancel);
    connect(runner_, &AnalysisRunner::progressed, this, &MainWindow::showProgress);
    connect(runner_, &AnalysisRunner::analysisPreviewed, this, &MainWindow::showPreview);
    connect(runner_, &AnalysisRunner::analysisFinished, this, &MainWindow::showAnalysis);
    connect(runner_, &AnalysisRunner::analysisFailed, this, &MainWindow::showFailure);
    // Shown until the next message: the track is on screen, but shorter than its header says.
    connect(runner_, &AnalysisRunner::trackWarned, this,
            [this](const QString& path, const QString& warning) {
                statusBar()->showMessage(
                    tr("Warning: %1: %2").arg(QFileInfo(path).fileName(), warning));
            });
    connect(runner_, &AnalysisRunner::analysisCancelled, this, [this] {
        progress_->setVisible(false);
        cancel_->setVisible(false);
        statusBar()->showMessage(tr("Analysis cancelled"), 3000);
    });
    connect(views_->crop(), &CropWindow::cropChanged, this, &MainWindow::updateSummary);
    connect(player_, &Player::positionChanged, views_->link(), &TimeAxisLink::setPlayhead);
    connect(player_, &Player::unavailable, this,
            [this](const QString& reason) { statusBar()->showMessage(reason, 8000); });

    buildDocks();
    buildMenus();
    resize(1400, 900);
    resizeDocks({findChild<QDockWidget*>(QStringLiteral("summaryDock"))}, {400}, Qt::Horizontal);
    restorePreferences();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    summary_ = new SummaryPanel(this);
    auto* summaryDock = new QDockWidget(tr("Summary over the crop"), this);
    summaryDock->setObjectName(QStringLiteral("summaryDock"));
    summaryDock->setWidget(summary_);
    addDockWidget(Qt::RightDockWidgetArea, summaryDock);

    settingsPanel_ = new SettingsPanel(this);
    auto* settingsDock = new QDockWidget(tr("Settings"), this);
    settingsDock->setObjectName(QStringLiteral("settingsDock"));
    settingsDock->setWidget(settingsPanel_);
    addDockWidget(Qt::RightDockWidgetArea, settingsDock);
    tabifyDockWidget(settingsDock, summaryDock);
    summaryDock->raise();

    connect(settingsPanel_, &SettingsPanel::settingsApplied, this, &MainWindow::applySettings);
    connect(settingsPanel_, &SettingsPanel::colorMapChosen, this, [this](ColorMapName name) {
        views_->setColorMap(name);
        store_.setValue("view/colorMap", colorMapKey(name));
    });
    connect(settingsPanel_, &SettingsPanel::frequencyScaleChosen, this, [this](FrequencyScale s) {
        views_->setFrequencyScale(s);
        store_.setValue("view/frequencyScale", int(s));
    });
    connect(settingsPanel_, &SettingsPanel::languageChosen, this, [this](const QString& code) {
        store_.setValue("language", code);
        statusBar()->showMessage(tr("The language changes the next time Featurescope starts."),
                                 8000);
    });
}

void MainWindow::restorePreferences() {
    settings_ = loadAnalysisSettings(store_);
    settingsPanel_->setSettings(settings_);
    const ColorMapName map = colorMapFromKey(store_.value("view/colorMap").toString());
    views_->setColorMap(map);
    settingsPanel_->setColorMap(map);
    const auto scale =
        FrequencyScale(store_.value("view/frequencyScale", int(FrequencyScale::Linear)).toInt());
    views_->setFrequencyScale(scale);
    settingsPanel_->setFrequencyScale(scale);
    settingsPanel_->setLanguage(store_.value("language").toString());
    views_->curves()->setZNormalized(store_.value("view/zNormalized", true).toBool());
    views_->curves()->setShown(store_.value("view/curves", defaultCurves()).toStringList());
    // The HPSS layers start hidden so that the default stack fits a laptop screen.
    const QStringList hidden = store_
                                   .value("view/hidden", QStringList{QStringLiteral("harmonic"),
                                                                     QStringLiteral("percussive")})
                                   .toStringList();
    for (ViewKind kind : views_->allKinds())
        views_->setViewVisible(kind, !hidden.contains(ViewStack::key(kind)));
    views_->crop()->setDuration(store_.value("crop/duration", 29.12).toDouble());
    restoreGeometry(store_.value("window/geometry").toByteArray());
    restoreState(store_.value("window/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    store_.setValue("window/geometry", saveGeometry());
    store_.setValue("window/state", saveState());
    QStringList hidden;
    for (ViewKind kind : views_->allKinds())
        if (!views_->isViewVisible(kind)) hidden.append(ViewStack::key(kind));
    store_.setValue("view/hidden", hidden);
    store_.setValue("view/curves", views_->curves()->shown());
    store_.setValue("view/zNormalized", views_->curves()->zNormalized());
    store_.setValue("crop/duration", views_->crop()->duration());
    player_->stop();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) openFile(urls.first().toLocalFile());
}

void MainWindow::openFile(const QString& path) {
    currentPath_ = path;
    progress_->setValue(0);
    progress_->setVisible(true);
    cancel_->setVisible(true);
    statusBar()->showMessage(tr("Analysing %1…").arg(QFileInfo(path).fileName()));
    // A different file shares nothing with the one on screen.
    const bool sameFile = analysis_ && QString::fromStdString(analysis_->path().string()) == path;
    runner_->start(path, settings_, sameFile ? analysis_ : nullptr);
}

void MainWindow::applySettings(const AnalysisSettings& panelSettings) {
    // The panel edits parameters; what to compute, from where and which crop stay as they are.
    AnalysisSettings settings = panelSettings;
    settings.features = settings_.features;
    settings.routing = settings_.routing;
    settings.crop = settings_.crop;
    settings.crop_signal = settings_.crop_signal;
    settings.threads = settings_.threads;
    try {
        settings.validate();
    } catch (const std::invalid_argument& error) {
        QMessageBox::warning(this, tr("Invalid setting"), QString::fromUtf8(error.what()));
        return;
    }
    settings_ = settings;
    saveAnalysisSettings(store_, settings_);
    if (analysis_) {
        currentPath_ = QString::fromStdString(analysis_->path().string());
        progress_->setValue(0);
        progress_->setVisible(true);
        cancel_->setVisible(true);
        runner_->start(currentPath_, settings_, analysis_);
    }
}

void MainWindow::showProgress(double fraction, const QString& stage) {
    progress_->setValue(static_cast<int>(fraction * 100));
    progress_->setFormat(stage + QStringLiteral(" %p%"));
}

void MainWindow::showAnalysis(std::shared_ptr<const Analysis> analysis,
                              std::shared_ptr<const DisplayLayers> layers) {
    const bool newTrack = !analysis_ || analysis_->path() != analysis->path();
    player_->stop();
    analysis_ = std::move(analysis);
    layers_ = std::move(layers);
    progress_->setVisible(false);
    cancel_->setVisible(false);
    statusBar()->clearMessage();
    presentAnalysis(*views_, analysis_, layers_);
    if (newTrack) {
        // A new track starts with the crop centred, like --crop center:D.
        const double d = views_->crop()->duration();
        views_->crop()->setStart(std::max(0.0, (analysis_->duration() - d) / 2));
    }
    updateSummary();
    if (pendingExport_) {
        writeExports(*pendingExport_);
        pendingExport_.reset();
    }
    const QString path = QString::fromStdString(analysis_->path().string());
    addRecentFile(store_, path);
    rebuildRecentMenu();
    setWindowTitle(tr("%1 — Featurescope").arg(QFileInfo(path).fileName()));
    emit analysisShown();
}

void MainWindow::showPreview(std::shared_ptr<const Analysis> preview,
                             std::shared_ptr<const DisplayLayers> layers) {
    // Drawn only: analysis_ (the summary, export and playback source) stays the last finished
    // analysis until the full one arrives.
    presentAnalysis(*views_, preview, layers);
    emit previewShown();
}

void MainWindow::showFailure(const QString& path, const QString& reason) {
    progress_->setVisible(false);
    cancel_->setVisible(false);
    statusBar()->clearMessage();
    // Window-modal but not blocking: the previous analysis stays on screen behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open file"),
                                tr("Featurescope could not open\n%1\n\n%2").arg(path, reason),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("openFailedMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit openFailed(path, reason);
}

void MainWindow::updateSummary() {
    if (!analysis_) return;
    const CropWindow* crop = views_->crop();
    summary_->setSummary(cropSummary(*analysis_, crop->start(), crop->duration()));
    emit summaryUpdated(crop->start(), crop->duration());
}

void MainWindow::snapCropToHighlight() {
    if (!analysis_) return;
    HighlightParams params;
    params.seconds = views_->crop()->duration();
    params.hop_length = analysis_->settings().hop_length;
    params.frame_length = analysis_->settings().n_fft;
    // The search reads the whole signal: a worker does it; the answer comes back queued.
    highlightWorker_ = std::jthread([this, analysis = analysis_, params] {
        double start = -1;
        try {
            start = findHighlight(analysis->y(), analysis->sr(), params).start_s;
        } catch (const std::invalid_argument&) {
            start = 0;
        }
        QMetaObject::invokeMethod(this, [this, analysis, start] {
            if (analysis == analysis_) views_->crop()->setStart(start);
        });
    });
}

void MainWindow::replotAll() {
    views_->replotAll();
}

} // namespace featurescope
