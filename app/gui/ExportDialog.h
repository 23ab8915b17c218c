// Ctrl+E: what to export of the crop, and where. The files themselves are written by core's
// export writers (the same as featurescope-extract's) on a worker thread.
#pragma once

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QLineEdit;

namespace featurescope {

/// The user's choice in the export dialog.
struct ExportChoice {
    QString folder;      ///< where the files go (created when missing)
    bool frames = true;  ///< <stem>.frames.csv: the frame table over the crop
    bool summary = true; ///< <stem>.summary.csv: the one-row summary of the crop
    QStringList npy;     ///< <stem>.<name>.npy for names of core's kNpyOutputs
    bool picture = true; ///< <stem>.png: the views as on screen
    /// <stem>.<view>.pdf per shown view: vector axes and curves (spectrograms as images), for a
    /// paper. SVG would need Qt SVG, which this build does not have.
    bool vector = false;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(const QString& folder, QWidget* parent = nullptr);
    ExportChoice choice() const;

    QLineEdit* folderField() const { return folder_; }
    QCheckBox* vectorBox() const { return vector_; }
    /// The check box of .npy output `name` ("mel", "cqt", ...), or null.
    QCheckBox* npyBox(const QString& name) const;

private:
    QLineEdit* folder_ = nullptr;
    QCheckBox* frames_ = nullptr;
    QCheckBox* summary_ = nullptr;
    QCheckBox* picture_ = nullptr;
    QCheckBox* vector_ = nullptr;
    QList<QCheckBox*> npy_;
};

} // namespace featurescope
