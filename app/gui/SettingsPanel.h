// The settings panel: the analysis parameters under librosa's names, and how the views look.
// "Apply" hands the new AnalysisSettings on; the pipeline then reruns only affected stages.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "widgets/ColorMap.h"
#include "widgets/FrequencyAxis.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QDoubleSpinBox;
class QSpinBox;

namespace featurescope {

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    /// Shows `settings` in the fields (no signal).
    void setSettings(const AnalysisSettings& settings);
    /// The fields' values on top of the last settings given.
    AnalysisSettings settings() const;

    void setColorMap(ColorMapName name);
    void setFrequencyScale(FrequencyScale scale);
    /// "" (system), "en" or "ko".
    void setLanguage(const QString& code);

    // The fields, for tests and keyboard users.
    QDoubleSpinBox* srField() const { return sr_; }
    QSpinBox* nFftField() const { return nFft_; }
    QSpinBox* hopLengthField() const { return hop_; }
    QSpinBox* nMelsField() const { return nMels_; }

signals:
    /// Apply was pressed with these settings.
    void settingsApplied(const featurescope::AnalysisSettings& settings);
    void colorMapChosen(featurescope::ColorMapName name);
    void frequencyScaleChosen(featurescope::FrequencyScale scale);
    /// The language was changed ("" = the system's); it applies at the next start.
    void languageChosen(const QString& code);

private:
    /// The fitted chroma_cqt octaves and spectral_contrast bands for the fields' sr.
    void showFittedParameters();

    AnalysisSettings base_;
    QDoubleSpinBox* sr_ = nullptr;
    QSpinBox* nFft_ = nullptr;
    QSpinBox* hop_ = nullptr;
    QSpinBox* nMels_ = nullptr;
    QDoubleSpinBox* melFmax_ = nullptr;
    QDoubleSpinBox* fmin_ = nullptr;
    QSpinBox* nBins_ = nullptr;
    QSpinBox* bpo_ = nullptr;
    QSpinBox* kernel_ = nullptr;
    QDoubleSpinBox* margin_ = nullptr;
    QDoubleSpinBox* topDb_ = nullptr;
    QLabel* chromaOctaves_ = nullptr;
    QLabel* contrastBands_ = nullptr;
    QComboBox* colorMap_ = nullptr;
    QComboBox* scale_ = nullptr;
    QComboBox* language_ = nullptr;
};

} // namespace featurescope
