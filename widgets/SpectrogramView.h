// One view for every time-frequency representation: STFT, mel, CQT, chroma, harmonic and
// percussive spectrograms, drawn in dB through a colour map with a colour bar.
#pragma once

#include "widgets/ColorMap.h"
#include "widgets/FrequencyAxis.h"
#include "widgets/TimeView.h"

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace featurescope {

/// Which representation a SpectrogramView shows; it sets the default axis and labels.
enum class Representation { Stft, Mel, Cqt, Chroma, Harmonic, Percussive };

/// What a SpectrogramView draws. Frame t is centred at t * hop_length / sr seconds
/// (librosa's center=True framing).
struct SpectrogramData {
    /// [shape=(rows, frames)] values to draw, already in dB (or, for chroma, in [0, 1]).
    std::shared_ptr<const Eigen::ArrayXXf> values;
    /// Centre frequency in Hz of each row, ascending, [shape=(rows,)]; empty when the rows are
    /// pitch classes (chroma).
    std::vector<double> rowHz;
    double sr = 22050.0;  ///< sampling rate of the analysed signal (> 0)
    int hop_length = 512; ///< samples between frames (> 0)
    QCPRange valueRange;  ///< colour scale range; empty (0, 0) means [max - 80, max]
    QString unit = QStringLiteral("dB");
};

class SpectrogramView : public TimeView {
    Q_OBJECT
public:
    explicit SpectrogramView(Representation representation, QWidget* parent = nullptr);

    Representation representation() const { return representation_; }
    /// Shows `data`; the axis switches to the representation's default scale.
    void setData(SpectrogramData data);
    const SpectrogramData& data() const { return data_; }

    void setColorMap(ColorMapName name);
    ColorMapName colorMap() const { return colorMap_; }
    /// Linear, Log or Mel for STFT/H/P; the other representations keep their natural axis.
    void setFrequencyScale(FrequencyScale scale);
    FrequencyScale frequencyScale() const { return scaleChoice_; }

    /// The value of the cell under (time s, frequency in axis units), NaN outside the data.
    double valueAt(double time, double axisValue) const;
    /// The frame index shown at `time` and the row shown at `axisValue` (-1 when outside).
    Eigen::Index frameAt(double time) const;
    Eigen::Index rowAt(double axisValue) const;

    QString readoutAt(double time, double value) const override;

    /// Translated title, e.g. "STFT", "Mel spectrogram".
    static QString title(Representation representation);

protected:
    void renderVisible() override;

private:
    void updateAxis();

    Representation representation_;
    SpectrogramData data_;
    std::vector<double> rowAxis_; // rowHz mapped to axis units, ascending
    FrequencyAxis axis_;
    FrequencyScale scaleChoice_ = FrequencyScale::Linear; // applies when rows have frequencies
    ColorMapName colorMap_ = ColorMapName::Magma;
    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
};

} // namespace featurescope
