// The Featurescope window: the stacked views of one track with the crop window over them, the
// summary and settings panels, playback, and the progress of the analysis running behind them.
#pragma once

#include "app/gui/AnalysisRunner.h"
#include "app/gui/ExportDialog.h"

#include <QMainWindow>
#include <QSettings>
#include <memory>
#include <optional>
#include <thread>

class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;

namespace featurescope {

class Player;
class SettingsPanel;
class SummaryPanel;
class ViewStack;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Starts analysing `path` with the current settings; the current track stays on screen
    /// until the new one is ready.
    void openFile(const QString& path);
    /// Reruns the current track with `settings`, reusing the stages they do not affect.
    void applySettings(const AnalysisSettings& settings);
    /// The analysis on screen (null before the first one finished).
    std::shared_ptr<const Analysis> analysis() const { return analysis_; }
    const AnalysisSettings& settings() const { return settings_; }

    AnalysisRunner* runner() const { return runner_; }
    ViewStack* views() const { return views_; }
    SummaryPanel* summaryPanel() const { return summary_; }
    SettingsPanel* settingsPanel() const { return settingsPanel_; }
    Player* player() const { return player_; }
    /// Redraws every view now (before grabbing the window into an image).
    void replotAll();

    /// Moves the crop to the energy highlight of its length (core's findHighlight, computed on
    /// a worker); cropChanged follows.
    void snapCropToHighlight();
    /// Space: plays the crop, or pauses / resumes what plays.
    void togglePlayback();
    /// Exports the crop as `choice` says, through core's writers on a worker; exportFinished or
    /// exportFailed follows. The crop becomes the analysis's crop policy (start:T:D) first, which
    /// reruns only the crop stage.
    void exportCrop(const ExportChoice& choice);
    /// Ctrl+E: opens the export dialog.
    QAction* exportAction() const { return exportAction_; }

signals:
    /// A newly opened track's waveform and STFT are drawn; its other views follow.
    void previewShown();
    /// A finished analysis is now drawn in every view.
    void analysisShown();
    /// A file could not be analysed; the previous analysis is still shown.
    void openFailed(const QString& path, const QString& reason);
    /// The summary panel now describes [start, start + duration] s.
    void summaryUpdated(double start, double duration);
    /// An export wrote `files`.
    void exportFinished(const QStringList& files);
    /// An export failed for `reason`; nothing half-written is left.
    void exportFailed(const QString& reason);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildDocks();
    void buildMenus();
    void buildViewMenu(QMenu* menu);
    void buildCropMenu(QMenu* menu);
    void buildPlayMenu(QMenu* menu);
    void rebuildRecentMenu();
    void restorePreferences();
    void showAnalysis(std::shared_ptr<const Analysis> analysis,
                      std::shared_ptr<const DisplayLayers> layers);
    void showPreview(std::shared_ptr<const Analysis> preview,
                     std::shared_ptr<const DisplayLayers> layers);
    void showFailure(const QString& path, const QString& reason);
    void showProgress(double fraction, const QString& stage);
    void updateSummary();
    void playSignal(const Eigen::ArrayXf& signal, double from, double to);
    void openDialog();
    void askCustomCropLength();
    void chooseCurves();
    void openExportDialog();
    void writeExports(const ExportChoice& choice);

    QSettings store_;
    AnalysisSettings settings_;
    AnalysisRunner* runner_ = nullptr;
    std::shared_ptr<const Analysis> analysis_;
    std::shared_ptr<const DisplayLayers> layers_;
    QString currentPath_;
    ViewStack* views_ = nullptr;
    SummaryPanel* summary_ = nullptr;
    SettingsPanel* settingsPanel_ = nullptr;
    Player* player_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QLabel* readout_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QToolButton* cancel_ = nullptr;
    QAction* exportAction_ = nullptr;
    std::optional<ExportChoice> pendingExport_;
    std::jthread highlightWorker_; // joined before the window goes away
    std::jthread exportWorker_;
};

} // namespace featurescope
