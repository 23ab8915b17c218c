#include "app/gui/MainWindow.h"

#include "core/stft.h"
#include "widgets/SpectrogramView.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/WaveformView.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QToolButton>

namespace featurescope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Featurescope"));
    runner_ = new AnalysisRunner(this);
    link_ = new TimeAxisLink(this);

    stack_ = new QSplitter(Qt::Vertical, this);
    waveform_ = new WaveformView(stack_);
    stft_ = new SpectrogramView(Representation::Stft, stack_);
    stft_->setTimeLabelVisible(true);
    waveform_->setTitle(tr("Waveform"));
    stft_->setTitle(SpectrogramView::title(Representation::Stft) + tr(" (dB)"));
    stack_->addWidget(waveform_);
    stack_->addWidget(stft_);
    stack_->setStretchFactor(0, 1);
    stack_->setStretchFactor(1, 3);
    setCentralWidget(stack_);
    for (TimeView* view : {static_cast<TimeView*>(waveform_), static_cast<TimeView*>(stft_)}) {
        link_->addView(view);
        connect(view, &TimeView::pointerMoved, this, [this](double t, const QString& text) {
            readout_->setText(text);
            link_->setCrosshair(t);
        });
        connect(view, &TimeView::pointerLeft, this, [this] {
            readout_->clear();
            link_->setCrosshair(-1);
        });
    }

    readout_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(220);
    progress_->setVisible(false);
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setVisible(false);
    statusBar()->addWidget(readout_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    connect(cancel_, &QToolButton::clicked, runner_, &AnalysisRunner::cancel);

    connect(runner_, &AnalysisRunner::progressed, this, &MainWindow::showProgress);
    connect(runner_, &AnalysisRunner::analysisFinished, this, &MainWindow::showAnalysis);
    connect(runner_, &AnalysisRunner::analysisFailed, this, &MainWindow::showFailure);
    connect(runner_, &AnalysisRunner::analysisCancelled, this, [this] {
        progress_->setVisible(false);
        cancel_->setVisible(false);
        statusBar()->showMessage(tr("Analysis cancelled"), 3000);
    });
    buildMenus();
    resize(1280, 800);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
}

void MainWindow::openDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open audio file"), QString(),
        tr("Audio (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.aiff *.aif);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path) {
    pendingPath_ = path;
    progress_->setValue(0);
    progress_->setVisible(true);
    cancel_->setVisible(true);
    statusBar()->showMessage(tr("Analysing %1…").arg(QFileInfo(path).fileName()));
    TrackSettings settings;
    runner_->start(path, settings, analysis_);
}

void MainWindow::showProgress(double fraction, const QString& stage) {
    progress_->setValue(static_cast<int>(fraction * 100));
    progress_->setFormat(stage + QStringLiteral(" %p%"));
}

void MainWindow::showAnalysis(std::shared_ptr<const TrackAnalysis> analysis) {
    analysis_ = std::move(analysis);
    progress_->setVisible(false);
    cancel_->setVisible(false);
    statusBar()->clearMessage();
    const TrackSettings& s = analysis_->settings;
    waveform_->setSignal(analysis_->y, s.sr);

    SpectrogramData data;
    data.values = analysis_->stftDb;
    data.sr = s.sr;
    data.hop_length = s.hop_length;
    const Eigen::ArrayXd hz = fftFrequencies(s.sr, s.n_fft);
    data.rowHz.assign(hz.data(), hz.data() + hz.size());
    stft_->setData(std::move(data));
    link_->setRange(QCPRange(0, waveform_->duration()));

    setWindowTitle(
        tr("%1 — Featurescope")
            .arg(QFileInfo(QString::fromStdString(analysis_->path.string())).fileName()));
    emit analysisShown();
}

void MainWindow::showFailure(const QString& path, const QString& reason) {
    progress_->setVisible(false);
    cancel_->setVisible(false);
    statusBar()->clearMessage();
    // Window-modal but not blocking: the previous analysis stays usable behind it, and a test
    // can find and read it.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open file"),
                                tr("Featurescope could not open\n%1\n\n%2").arg(path, reason),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("openFailedMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit openFailed(path, reason);
}

void MainWindow::replotAll() {
    for (TimeView* v : link_->views())
        v->replot();
}

} // namespace featurescope
