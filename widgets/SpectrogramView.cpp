#include "widgets/SpectrogramView.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featurescope {

namespace {

FrequencyScale naturalScale(Representation r) {
    switch (r) {
    case Representation::Mel:
        return FrequencyScale::Mel;
    case Representation::Cqt:
        return FrequencyScale::Log;
    case Representation::Chroma:
        return FrequencyScale::PitchClass;
    default:
        return FrequencyScale::Linear;
    }
}

} // namespace

SpectrogramView::SpectrogramView(Representation representation, QWidget* parent)
    : TimeView(parent)
    , representation_(representation) {
    map_ = new QCPColorMap(xAxis, yAxis);
    map_->setInterpolate(false); // cells are already one per pixel
    map_->setTightBoundary(true);
    scale_ = new QCPColorScale(this);
    scale_->setType(QCPAxis::atRight);
    scale_->setBarWidth(12);
    // QCPColorScale sizes itself; a sub-grid holds it so the slot keeps the shared width.
    auto* slot = new QCPLayoutGrid;
    setSideSlot(slot);
    slot->addElement(0, 0, scale_);
    map_->setColorScale(scale_);
    setColorMap(colorMap_);
    scaleChoice_ = naturalScale(representation);
    axis_ = FrequencyAxis(scaleChoice_, 0, 11025);
    xAxis->grid()->setVisible(false);
    yAxis->grid()->setVisible(false);
    xAxis->setLayer(QStringLiteral("axes"));
    yAxis->setLayer(QStringLiteral("axes"));
}

QString SpectrogramView::title(Representation r) {
    switch (r) {
    case Representation::Stft:
        return tr("STFT");
    case Representation::Mel:
        return tr("Mel spectrogram");
    case Representation::Cqt:
        return tr("CQT");
    case Representation::Chroma:
        return tr("Chroma");
    case Representation::Harmonic:
        return tr("Harmonic (HPSS)");
    case Representation::Percussive:
        return tr("Percussive (HPSS)");
    }
    return {};
}

void SpectrogramView::setData(SpectrogramData data) {
    data_ = std::move(data);
    const Eigen::Index frames = data_.values ? data_.values->cols() : 0;
    if (data_.valueRange.size() == 0 && frames > 0) {
        const double top = data_.values->maxCoeff();
        data_.valueRange = QCPRange(top - 80.0, top);
    }
    scale_->setDataRange(data_.valueRange);
    scale_->axis()->setLabel(data_.unit);
    updateAxis();
    const double hopSeconds = data_.hop_length / data_.sr;
    setDuration(frames > 0 ? (frames - 1) * hopSeconds : 0.0);
    replot();
}

void SpectrogramView::setColorMap(ColorMapName name) {
    colorMap_ = name;
    map_->setGradient(colorGradient(name));
    scale_->setGradient(colorGradient(name));
    invalidateRender();
    replot();
}

void SpectrogramView::setFrequencyScale(FrequencyScale scale) {
    if (representation_ != Representation::Stft && representation_ != Representation::Harmonic &&
        representation_ != Representation::Percussive)
        return;
    scaleChoice_ = scale;
    updateAxis();
    replot();
}

void SpectrogramView::updateAxis() {
    const auto& hz = data_.rowHz;
    const FrequencyScale scale = data_.rowHz.empty() ? FrequencyScale::PitchClass : scaleChoice_;
    rowAxis_.clear();
    if (hz.empty()) {
        const Eigen::Index rows = data_.values ? data_.values->rows() : 12;
        axis_ = FrequencyAxis(scale, -0.5, rows - 0.5);
        for (Eigen::Index r = 0; r < rows; ++r)
            rowAxis_.push_back(static_cast<double>(r));
    } else {
        // The axis spans the rows' cells: half a row spacing beyond the outer centres.
        double low = hz.size() > 1 ? hz[0] - (hz[1] - hz[0]) / 2 : hz[0];
        double high = hz.size() > 1 ? hz.back() + (hz.back() - hz[hz.size() - 2]) / 2 : hz[0];
        if (scale == FrequencyScale::Log && hz.size() > 1) {
            const double ratio = std::sqrt(hz.back() / hz[hz.size() - 2]);
            low = hz[0] > 0 ? hz[0] / ratio : hz[1] / ratio;
            high = hz.back() * ratio;
        }
        low = std::max(low, scale == FrequencyScale::Linear ? 0.0 : 1e-3);
        axis_ = FrequencyAxis(scale, low, high);
        for (double f : hz)
            rowAxis_.push_back(axis_.toAxis(f));
    }
    const bool notes = representation_ == Representation::Cqt;
    yAxis->setTicker(axis_.ticker(notes));
    yAxis->setLabel(axis_.title(notes));
    yAxis->setRange(axis_.range());
    invalidateRender();
}

Eigen::Index SpectrogramView::frameAt(double time) const {
    if (!data_.values || data_.values->cols() == 0) return -1;
    const double f = std::round(time * data_.sr / data_.hop_length);
    if (f < 0 || f >= data_.values->cols()) return -1;
    return static_cast<Eigen::Index>(f);
}

Eigen::Index SpectrogramView::rowAt(double u) const {
    if (rowAxis_.empty()) return -1;
    const QCPRange r = axis_.range();
    if (u < r.lower || u > r.upper) return -1;
    // Nearest centre in axis units: the cell edges sit halfway between centres as drawn.
    auto it = std::lower_bound(rowAxis_.begin(), rowAxis_.end(), u);
    if (it == rowAxis_.end()) return static_cast<Eigen::Index>(rowAxis_.size()) - 1;
    if (it != rowAxis_.begin() && u - *(it - 1) < *it - u) --it;
    return static_cast<Eigen::Index>(it - rowAxis_.begin());
}

double SpectrogramView::valueAt(double time, double u) const {
    const Eigen::Index f = frameAt(time);
    const Eigen::Index r = rowAt(u);
    if (f < 0 || r < 0) return std::numeric_limits<double>::quiet_NaN();
    return (*data_.values)(r, f);
}

void SpectrogramView::renderVisible() {
    const QRect rect = axisRect()->rect();
    const int width = rect.width();
    const int height = rect.height();
    if (!data_.values || data_.values->cols() == 0) {
        map_->data()->clear();
        return;
    }
    // One cell per pixel: cell centres sit on pixel centres of the visible range, so the cost
    // depends on the widget's size, never on the track's length.
    const double key0 = xAxis->pixelToCoord(rect.left() + 0.5);
    const double key1 = xAxis->pixelToCoord(rect.right() + 0.5);
    const double val0 = yAxis->pixelToCoord(rect.bottom() + 0.5);
    const double val1 = yAxis->pixelToCoord(rect.top() + 0.5);
    std::vector<Eigen::Index> rowOfPixel(height);
    for (int y = 0; y < height; ++y)
        rowOfPixel[y] = rowAt(val0 + (val1 - val0) * (height > 1 ? double(y) / (height - 1) : 0));

    auto* cells = new QCPColorMapData(width, height, QCPRange(key0, key1), QCPRange(val0, val1));
    const Eigen::ArrayXXf& m = *data_.values;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int x = 0; x < width; ++x) {
        const double t = key0 + (key1 - key0) * (width > 1 ? double(x) / (width - 1) : 0);
        const Eigen::Index f = frameAt(t);
        const float* column = f >= 0 ? m.col(f).data() : nullptr;
        for (int y = 0; y < height; ++y) {
            const Eigen::Index r = rowOfPixel[y];
            cells->setCell(x, y, column && r >= 0 ? column[r] : nan);
        }
    }
    map_->setData(cells, false);
    map_->setDataRange(data_.valueRange);
}

QString SpectrogramView::readoutAt(double time, double u) const {
    QString text = tr("%1 s").arg(time, 0, 'f', 3);
    const Eigen::Index r = rowAt(u);
    if (r >= 0) {
        if (data_.rowHz.empty()) {
            text += QStringLiteral("   ") + pitchClassName(static_cast<int>(r));
        } else {
            const double hz = data_.rowHz[static_cast<size_t>(r)];
            text += tr("   %1 Hz (%2)").arg(hz, 0, 'f', 1).arg(noteName(hz));
        }
    }
    const double v = valueAt(time, u);
    if (std::isfinite(v)) text += QStringLiteral("   %1 %2").arg(v, 0, 'f', 1).arg(data_.unit);
    return text;
}

} // namespace featurescope
