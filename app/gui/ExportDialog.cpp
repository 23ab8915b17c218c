#include "app/gui/ExportDialog.h"

#include "core/export/export.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace featurescope {

ExportDialog::ExportDialog(const QString& folder, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Export the crop"));
    setObjectName(QStringLiteral("exportDialog"));
    folder_ = new QLineEdit(folder, this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Export folder"), folder_->text());
        if (!dir.isEmpty()) folder_->setText(dir);
    });
    auto* where = new QHBoxLayout;
    where->addWidget(folder_, 1);
    where->addWidget(browse);

    frames_ = new QCheckBox(tr("Frame table (CSV)"), this);
    summary_ = new QCheckBox(tr("Summary row (CSV)"), this);
    picture_ = new QCheckBox(tr("Picture of the views (PNG)"), this);
    for (QCheckBox* box : {frames_, summary_, picture_})
        box->setChecked(true);

    vector_ = new QCheckBox(tr("Vector picture of each view (SVG and PDF)"), this);

    auto* npyGroup =
        new QGroupBox(tr("Matrices for a CNN (.npy, float32, librosa orientation)"), this);
    auto* grid = new QGridLayout(npyGroup);
    int i = 0;
    for (std::string_view name : kNpyOutputs) {
        auto* box = new QCheckBox(QString::fromUtf8(name.data(), qsizetype(name.size())), this);
        box->setChecked(name == "mel_db");
        npy_.append(box);
        grid->addWidget(box, i / 4, i % 4);
        ++i;
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->addRow(tr("Folder"), where);
    layout->addLayout(form);
    layout->addWidget(frames_);
    layout->addWidget(summary_);
    layout->addWidget(picture_);
    layout->addWidget(vector_);
    layout->addWidget(npyGroup);
    layout->addWidget(buttons);
}

QCheckBox* ExportDialog::npyBox(const QString& name) const {
    for (QCheckBox* box : npy_)
        if (box->text() == name) return box;
    return nullptr;
}

ExportChoice ExportDialog::choice() const {
    ExportChoice c;
    c.folder = folder_->text();
    c.frames = frames_->isChecked();
    c.summary = summary_->isChecked();
    c.picture = picture_->isChecked();
    c.vector = vector_->isChecked();
    for (QCheckBox* box : npy_)
        if (box->isChecked()) c.npy.append(box->text());
    return c;
}

} // namespace featurescope
