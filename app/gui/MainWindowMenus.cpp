// MainWindow's menus and keyboard shortcuts (the user guide lists every one).
#include "app/gui/MainWindow.h"

#include "app/gui/Player.h"
#include "app/gui/Preferences.h"
#include "widgets/CropWindow.h"
#include "widgets/FeatureCurveView.h"
#include "widgets/TimeAxisLink.h"
#include "widgets/ViewStack.h"

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QStatusBar>
#include <QVBoxLayout>

namespace featurescope {

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    exportAction_ = file->addAction(tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                                    &MainWindow::openExportDialog);
    exportAction_->setObjectName(QStringLiteral("exportAction"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    buildViewMenu(viewMenu_);
    buildCropMenu(menuBar()->addMenu(tr("&Crop")));
    buildPlayMenu(menuBar()->addMenu(tr("&Play")));
}

void MainWindow::buildViewMenu(QMenu* menu) {
    for (ViewKind kind : views_->allKinds()) {
        QAction* a = menu->addAction(ViewStack::title(kind));
        a->setCheckable(true);
        a->setChecked(views_->isViewVisible(kind));
        connect(a, &QAction::toggled, this,
                [this, kind](bool on) { views_->setViewVisible(kind, on); });
    }
    menu->addSeparator();
    menu->addAction(tr("Choose feature curves…"), this, &MainWindow::chooseCurves);
    QAction* z = menu->addAction(tr("z-normalise curves"));
    z->setCheckable(true);
    z->setChecked(views_->curves()->zNormalized());
    connect(z, &QAction::toggled, views_->curves(), &FeatureCurveView::setZNormalized);
    menu->addSeparator();
    menu->addAction(tr("Zoom to whole track"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] {
        if (analysis_) views_->link()->setRange(QCPRange(0, analysis_->duration()));
    });
    connect(menu, &QMenu::aboutToShow, this, [this, menu] {
        const QList<ViewKind> kinds = views_->allKinds();
        const QList<QAction*> actions = menu->actions();
        for (int i = 0; i < kinds.size(); ++i)
            actions[i]->setChecked(views_->isViewVisible(kinds[i]));
    });
}

void MainWindow::buildCropMenu(QMenu* menu) {
    for (double seconds : CropWindow::kPresets)
        menu->addAction(tr("Length %1 s").arg(seconds), this,
                        [this, seconds] { views_->crop()->setDuration(seconds); });
    menu->addAction(tr("Custom length…"), this, &MainWindow::askCustomCropLength);
    menu->addSeparator();
    menu->addAction(tr("Snap to energy &highlight"), QKeySequence(Qt::Key_H), this,
                    &MainWindow::snapCropToHighlight);
    menu->addAction(tr("Nudge earlier"), QKeySequence(Qt::Key_Left), this,
                    [this] { views_->crop()->nudge(-0.1); });
    menu->addAction(tr("Nudge later"), QKeySequence(Qt::Key_Right), this,
                    [this] { views_->crop()->nudge(0.1); });
    menu->addAction(tr("Nudge earlier by 1 s"), QKeySequence(Qt::SHIFT | Qt::Key_Left), this,
                    [this] { views_->crop()->nudge(-1.0); });
    menu->addAction(tr("Nudge later by 1 s"), QKeySequence(Qt::SHIFT | Qt::Key_Right), this,
                    [this] { views_->crop()->nudge(1.0); });
}

void MainWindow::buildPlayMenu(QMenu* menu) {
    menu->addAction(tr("Play / pause the crop"), QKeySequence(Qt::Key_Space), this,
                    &MainWindow::togglePlayback);
    menu->addAction(tr("Play the whole track"), QKeySequence(Qt::CTRL | Qt::Key_Space), this,
                    [this] {
                        if (analysis_) playSignal(analysis_->y(), 0, analysis_->duration());
                    });
    menu->addAction(tr("Play the harmonic layer (crop)"), QKeySequence(Qt::Key_1), this, [this] {
        if (analysis_)
            playSignal(analysis_->harmonic(), views_->crop()->start(), views_->crop()->end());
    });
    menu->addAction(tr("Play the percussive layer (crop)"), QKeySequence(Qt::Key_2), this, [this] {
        if (analysis_)
            playSignal(analysis_->percussive(), views_->crop()->start(), views_->crop()->end());
    });
    menu->addAction(tr("Stop"), QKeySequence(Qt::Key_Escape), player_, &Player::stop);
}

void MainWindow::togglePlayback() {
    if (player_->togglePause()) return;
    if (analysis_) playSignal(analysis_->y(), views_->crop()->start(), views_->crop()->end());
}

void MainWindow::playSignal(const Eigen::ArrayXf& signal, double from, double to) {
    // The Analysis owns the samples; the player holds it alive while it plays.
    player_->play(std::shared_ptr<const Eigen::ArrayXf>(analysis_, &signal), analysis_->sr(), from,
                  to);
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList files = loadRecentFiles(store_);
    for (const QString& path : files)
        recentMenu_->addAction(path, this, [this, path] { openFile(path); });
    recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::openDialog() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open audio file"), QString(),
        tr("Audio (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.aiff *.aif);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::askCustomCropLength() {
    bool ok = false;
    const double seconds =
        QInputDialog::getDouble(this, tr("Crop length"), tr("Crop length in seconds:"),
                                views_->crop()->duration(), 0.05, 36000, 2, &ok);
    if (ok) views_->crop()->setDuration(seconds);
}

void MainWindow::chooseCurves() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Feature curves"));
    auto* list = new QListWidget(&dialog);
    const QStringList shown = views_->curves()->shown();
    for (const QString& name : views_->curves()->available()) {
        auto* item = new QListWidgetItem(name, list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(shown.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(list);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    QStringList chosen;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked) chosen.append(list->item(i)->text());
    views_->curves()->setShown(chosen);
}

} // namespace featurescope
