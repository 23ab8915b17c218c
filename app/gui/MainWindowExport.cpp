// MainWindow's export: the crop's frame table, summary row, .npy matrices and a picture.
#include "app/gui/MainWindow.h"

#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/export/export.h"
#include "widgets/CropWindow.h"
#include "widgets/ViewStack.h"

#include <QDir>
#include <QFileInfo>
#include <QProgressBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSvgGenerator>

namespace featurescope {

void MainWindow::openExportDialog() {
    if (!analysis_) return;
    const QString folder =
        store_
            .value("export/folder",
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString();
    auto* dialog = new ExportDialog(folder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        store_.setValue("export/folder", dialog->choice().folder);
        exportCrop(dialog->choice());
    });
    dialog->open();
}

void MainWindow::exportCrop(const ExportChoice& choice) {
    if (!analysis_) return;
    CropPolicy crop;
    crop.kind = CropPolicy::Kind::start;
    crop.start = views_->crop()->start();
    crop.duration = views_->crop()->duration();
    if (analysis_->settings().crop == crop) {
        writeExports(choice);
        return;
    }
    // The exports describe the analysis's crop: make the on-screen crop the policy. Only the
    // crop stage (and what reads it) reruns; the matrices are reused.
    pendingExport_ = choice;
    settings_.crop = crop;
    runner_->start(QString::fromStdString(analysis_->path().string()), settings_, analysis_);
}

namespace {
/// One view as SVG: QCustomPlot draws itself onto any QPaintDevice, so its axes, curves and
/// labels stay vectors (a spectrogram stays the image it is on screen).
bool saveSvg(QCustomPlot* plot, const QString& path) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(plot->size());
    svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
    svg.setTitle(QFileInfo(path).completeBaseName());
    QCPPainter painter;
    if (!painter.begin(&svg)) return false;
    plot->toPainter(&painter, plot->width(), plot->height());
    return painter.end();
}
} // namespace

void MainWindow::writeExports(const ExportChoice& choice) {
    const QFileInfo track(QString::fromStdString(analysis_->path().string()));
    const QDir dir(choice.folder);
    if (!dir.mkpath(QStringLiteral("."))) {
        emit exportFailed(tr("Cannot create the folder %1").arg(choice.folder));
        return;
    }
    const QString stem = dir.filePath(track.completeBaseName());
    QStringList files;
    if (choice.picture) {
        // Drawing is the GUI thread's job; a picture of the window is small.
        const QString png = stem + QStringLiteral(".png");
        if (views_->grab().save(png))
            files.append(png);
        else {
            emit exportFailed(tr("Cannot write %1").arg(png));
            return;
        }
    }
    if (choice.vector) {
        for (ViewKind kind : views_->allKinds()) {
            if (!views_->isViewVisible(kind)) continue;
            const QString base = stem + QLatin1Char('.') + ViewStack::key(kind);
            for (const QString& file : {base + ".svg", base + ".pdf"}) {
                const bool saved = file.endsWith(".svg") ? saveSvg(views_->view(kind), file)
                                                         : views_->view(kind)->savePdf(file);
                if (!saved) {
                    emit exportFailed(tr("Cannot write %1").arg(file));
                    return;
                }
                files.append(file);
            }
        }
    }
    TrackExports exports;
    exports.frames = choice.frames;
    for (const QString& name : choice.npy)
        exports.npy.push_back(name.toStdString());
    statusBar()->showMessage(tr("Exporting to %1…").arg(choice.folder));
    exportWorker_ =
        std::jthread([this, analysis = analysis_, exports, files, stem = stem.toStdString(),
                      summary = choice.summary, path = track.filePath().toStdString(),
                      label = track.dir().dirName().toStdString()]() mutable {
            try {
                for (const auto& p : writeTrackExports(*analysis, stem, path, exports))
                    files.append(QString::fromStdString(p.string()));
                if (summary) {
                    const std::string csv = summaryCsv({summaryRow(*analysis, path, label)});
                    writeFileAtomically(stem + ".summary.csv", csv);
                    files.append(QString::fromStdString(stem + ".summary.csv"));
                }
                QMetaObject::invokeMethod(this, [this, files] {
                    statusBar()->showMessage(tr("Exported %n file(s)", nullptr, int(files.size())),
                                             5000);
                    emit exportFinished(files);
                });
            } catch (const std::exception& error) {
                const QString reason = QString::fromUtf8(error.what());
                QMetaObject::invokeMethod(this, [this, reason] {
                    statusBar()->showMessage(tr("Export failed: %1").arg(reason), 8000);
                    emit exportFailed(reason);
                });
            }
        });
}

} // namespace featurescope
