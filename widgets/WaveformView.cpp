#include "widgets/WaveformView.h"

#include <algorithm>
#include <cmath>

namespace featurescope {

WaveformView::WaveformView(QWidget* parent)
    : TimeView(parent) {
    const QColor line(31, 119, 180); // matplotlib's C0, as librosa.display.waveshow draws
    upper_ = addGraph();
    lower_ = addGraph();
    for (QCPGraph* g : {upper_, lower_}) {
        g->setPen(QPen(line, 1));
        g->setAdaptiveSampling(false); // the envelope is already one point per pixel
    }
    upper_->setBrush(QBrush(line));
    upper_->setChannelFillGraph(lower_);
    yAxis->setRange(-1.05, 1.05);
    yAxis->setLabel(tr("Amplitude"));
    xAxis->grid()->setVisible(false);
}

void WaveformView::setSignal(std::shared_ptr<const Eigen::ArrayXf> y, double sr,
                             std::shared_ptr<const Eigen::ArrayXXf> envelope, int block) {
    y_ = std::move(y);
    sr_ = sr > 0 ? sr : 22050.0;
    const bool usable = envelope && block > 0 && envelope->rows() == 2 && y_ &&
                        envelope->cols() == (y_->size() + block - 1) / block;
    envelope_ = usable ? std::move(envelope) : nullptr;
    block_ = usable ? block : 0;
    double peak = 1.0;
    if (envelope_ && envelope_->size() > 0)
        peak = std::max(-envelope_->row(0).minCoeff(), envelope_->row(1).maxCoeff());
    else if (y_ && y_->size() > 0)
        peak = static_cast<double>(y_->abs().maxCoeff());
    if (!(peak > 0)) peak = 1.0;
    yAxis->setRange(-1.05 * peak, 1.05 * peak);
    setDuration(y_ ? static_cast<double>(y_->size()) / sr_ : 0.0);
    replot();
}

void WaveformView::renderVisible() {
    if (!y_ || y_->size() == 0) {
        upper_->data()->clear();
        lower_->data()->clear();
        return;
    }
    const Eigen::ArrayXf& y = *y_;
    const Eigen::Index n = y.size();
    const QCPRange range = xAxis->range();
    const int columns = std::max(1, axisRect()->width());
    const double first = std::max(0.0, std::floor(range.lower * sr_));
    const double last = std::min(static_cast<double>(n), std::ceil(range.upper * sr_) + 1);
    QVector<QCPGraphData> top, bottom;

    if (last - first <= 2.0 * columns) {
        // Zoomed in: the samples themselves.
        for (Eigen::Index i = static_cast<Eigen::Index>(first); i < static_cast<Eigen::Index>(last);
             ++i) {
            top.append({i / sr_, y[i]});
            bottom.append({i / sr_, y[i]});
        }
    } else {
        // One min/max pair per pixel column: the cost follows the widget, not the track.
        top.reserve(columns);
        bottom.reserve(columns);
        const double perColumn = (range.upper - range.lower) * sr_ / columns;
        for (int c = 0; c < columns; ++c) {
            const auto a = static_cast<Eigen::Index>(std::floor(range.lower * sr_ + c * perColumn));
            const auto b =
                static_cast<Eigen::Index>(std::ceil(range.lower * sr_ + (c + 1) * perColumn));
            const Eigen::Index lo = std::clamp<Eigen::Index>(a, 0, n - 1);
            const Eigen::Index hi = std::clamp<Eigen::Index>(b, lo + 1, n);
            const double t = range.lower + (c + 0.5) * (range.upper - range.lower) / columns;
            if (envelope_ && perColumn >= 2.0 * block_) {
                // Whole blocks overlapping the column: at most a pixel wider than exact.
                const Eigen::Index b0 = lo / block_, b1 = (hi + block_ - 1) / block_;
                top.append({t, envelope_->row(1).segment(b0, b1 - b0).maxCoeff()});
                bottom.append({t, envelope_->row(0).segment(b0, b1 - b0).minCoeff()});
            } else {
                const auto segment = y.segment(lo, hi - lo);
                top.append({t, segment.maxCoeff()});
                bottom.append({t, segment.minCoeff()});
            }
        }
    }
    upper_->data()->set(top, true);
    lower_->data()->set(bottom, true);
}

QString WaveformView::readoutAt(double time, double) const {
    if (!y_ || y_->size() == 0) return {};
    const auto i = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(std::lround(time * sr_)), 0,
                                            y_->size() - 1);
    return tr("%1 s   amplitude %2").arg(time, 0, 'f', 3).arg((*y_)[i], 0, 'f', 4);
}

} // namespace featurescope
