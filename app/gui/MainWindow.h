// The Featurescope window: the stacked views of one track, the status-bar readout and the
// progress of the analysis running behind them.
#pragma once

#include "app/gui/AnalysisRunner.h"

#include <QMainWindow>
#include <memory>

class QLabel;
class QProgressBar;
class QToolButton;
class QSplitter;

namespace featurescope {

class SpectrogramView;
class TimeAxisLink;
class WaveformView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Starts analysing `path`; the current track stays on screen until the new one is ready.
    void openFile(const QString& path);
    /// The analysis on screen (null before the first one finished).
    std::shared_ptr<const TrackAnalysis> analysis() const { return analysis_; }
    AnalysisRunner* runner() const { return runner_; }
    WaveformView* waveformView() const { return waveform_; }
    SpectrogramView* stftView() const { return stft_; }
    /// Redraws every view now (before grabbing the window into an image).
    void replotAll();

signals:
    /// A finished analysis is now drawn in every view.
    void analysisShown();
    /// A file could not be analysed; the previous analysis is still shown.
    void openFailed(const QString& path, const QString& reason);

private:
    void buildMenus();
    void showAnalysis(std::shared_ptr<const TrackAnalysis> analysis);
    void showFailure(const QString& path, const QString& reason);
    void showProgress(double fraction, const QString& stage);
    void openDialog();

    AnalysisRunner* runner_ = nullptr;
    std::shared_ptr<const TrackAnalysis> analysis_;
    QString pendingPath_;
    TimeAxisLink* link_ = nullptr;
    QSplitter* stack_ = nullptr;
    WaveformView* waveform_ = nullptr;
    SpectrogramView* stft_ = nullptr;
    QLabel* readout_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancel_ = nullptr;
};

} // namespace featurescope
