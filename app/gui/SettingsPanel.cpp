#include "app/gui/SettingsPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace featurescope {

namespace {

QSpinBox* intField(int low, int high, QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(low, high);
    return box;
}

QDoubleSpinBox* realField(double low, double high, int decimals, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(low, high);
    box->setDecimals(decimals);
    return box;
}

} // namespace

SettingsPanel::SettingsPanel(QWidget* parent)
    : QWidget(parent) {
    auto* form = new QFormLayout;
    // Labels are librosa's parameter names, so the panel reads like the documentation.
    sr_ = realField(1000, 192000, 0, this);
    nFft_ = intField(16, 65536, this);
    hop_ = intField(1, 65536, this);
    nMels_ = intField(1, 512, this);
    melFmax_ = realField(0, 96000, 1, this);
    melFmax_->setSpecialValueText(tr("sr / 2"));
    fmin_ = realField(1, 20000, 3, this);
    nBins_ = intField(1, 1000, this);
    bpo_ = intField(1, 120, this);
    kernel_ = intField(1, 255, this);
    margin_ = realField(1, 100, 2, this);
    topDb_ = realField(0, 200, 1, this);
    form->addRow(QStringLiteral("sr"), sr_);
    form->addRow(QStringLiteral("n_fft"), nFft_);
    form->addRow(QStringLiteral("hop_length"), hop_);
    form->addRow(QStringLiteral("n_mels"), nMels_);
    form->addRow(QStringLiteral("fmax (mel)"), melFmax_);
    form->addRow(QStringLiteral("fmin (cqt)"), fmin_);
    form->addRow(QStringLiteral("n_bins"), nBins_);
    form->addRow(QStringLiteral("bins_per_octave"), bpo_);
    form->addRow(QStringLiteral("kernel_size (hpss)"), kernel_);
    form->addRow(QStringLiteral("margin (hpss)"), margin_);
    form->addRow(QStringLiteral("top_db"), topDb_);
    // Not settings of their own: librosa's defaults fitted below sr / 2 (see
    // AnalysisSettings::chromaCqtParams), shown so the numbers match the recorded calls.
    chromaOctaves_ = new QLabel(this);
    chromaOctaves_->setObjectName(QStringLiteral("chromaCqtOctaves"));
    contrastBands_ = new QLabel(this);
    contrastBands_->setObjectName(QStringLiteral("spectralContrastBands"));
    for (QLabel* label : {chromaOctaves_, contrastBands_})
        label->setWordWrap(true);
    form->addRow(QStringLiteral("n_octaves (chroma_cqt)"), chromaOctaves_);
    form->addRow(QStringLiteral("n_bands (spectral_contrast)"), contrastBands_);
    connect(sr_, &QDoubleSpinBox::valueChanged, this, [this] { showFittedParameters(); });
    auto* apply = new QPushButton(tr("Apply"), this);
    apply->setObjectName(QStringLiteral("applySettings"));
    connect(apply, &QPushButton::clicked, this, [this] { emit settingsApplied(settings()); });

    auto* look = new QFormLayout;
    colorMap_ = new QComboBox(this);
    for (auto name : {ColorMapName::Magma, ColorMapName::Viridis, ColorMapName::Gray})
        colorMap_->addItem(colorMapKey(name), int(name));
    scale_ = new QComboBox(this);
    scale_->addItem(tr("linear"), int(FrequencyScale::Linear));
    scale_->addItem(tr("log"), int(FrequencyScale::Log));
    scale_->addItem(tr("mel"), int(FrequencyScale::Mel));
    language_ = new QComboBox(this);
    language_->addItem(tr("System"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    look->addRow(tr("Colour map"), colorMap_);
    look->addRow(tr("Frequency axis"), scale_);
    look->addRow(tr("Language"), language_);
    connect(colorMap_, &QComboBox::activated, this,
            [this] { emit colorMapChosen(ColorMapName(colorMap_->currentData().toInt())); });
    connect(scale_, &QComboBox::activated, this,
            [this] { emit frequencyScaleChosen(FrequencyScale(scale_->currentData().toInt())); });
    connect(language_, &QComboBox::activated, this,
            [this] { emit languageChosen(language_->currentData().toString()); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<b>Analysis</b> (librosa names)"), this));
    layout->addLayout(form);
    layout->addWidget(apply);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("<b>Display</b>"), this));
    layout->addLayout(look);
    layout->addStretch(1);
    setSettings(base_);
}

void SettingsPanel::setSettings(const AnalysisSettings& s) {
    base_ = s;
    sr_->setValue(s.sr);
    nFft_->setValue(s.n_fft);
    hop_->setValue(s.hop_length);
    nMels_->setValue(s.n_mels);
    melFmax_->setValue(s.mel_fmax.value_or(0.0));
    fmin_->setValue(s.fmin);
    nBins_->setValue(s.n_bins);
    bpo_->setValue(s.bins_per_octave);
    kernel_->setValue(s.kernel_size);
    margin_->setValue(s.margin);
    topDb_->setValue(s.top_db.value_or(80.0));
    showFittedParameters();
}

void SettingsPanel::showFittedParameters() {
    const AnalysisSettings s = settings();
    const auto show = [&](QLabel* label, int value, int librosa_default) {
        label->setText(
            value == librosa_default
                ? QString::number(value)
                : tr("%1 (default %2, fitted below sr / 2)").arg(value).arg(librosa_default));
    };
    show(chromaOctaves_, s.chromaCqtParams().n_octaves, ChromaCqtParams{}.n_octaves);
    show(contrastBands_, s.spectralContrastParams().n_bands, SpectralContrastParams{}.n_bands);
}

AnalysisSettings SettingsPanel::settings() const {
    AnalysisSettings s = base_;
    s.sr = sr_->value();
    s.n_fft = nFft_->value();
    s.hop_length = hop_->value();
    s.n_mels = nMels_->value();
    s.mel_fmax = melFmax_->value() > 0 ? std::optional<double>(melFmax_->value()) : std::nullopt;
    // fmin is shown to 3 decimals; keep the exact default (C1) unless it was really changed.
    if (std::abs(fmin_->value() - base_.fmin) > 5e-4) s.fmin = fmin_->value();
    s.n_bins = nBins_->value();
    s.bins_per_octave = bpo_->value();
    s.kernel_size = kernel_->value();
    s.margin = margin_->value();
    s.top_db = topDb_->value();
    return s;
}

void SettingsPanel::setColorMap(ColorMapName name) {
    colorMap_->setCurrentIndex(colorMap_->findData(int(name)));
}

void SettingsPanel::setFrequencyScale(FrequencyScale scale) {
    scale_->setCurrentIndex(scale_->findData(int(scale)));
}

void SettingsPanel::setLanguage(const QString& code) {
    language_->setCurrentIndex(std::max(0, language_->findData(code)));
}

} // namespace featurescope
