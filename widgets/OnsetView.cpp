#include "widgets/OnsetView.h"

#include <algorithm>
#include <cmath>

namespace featurescope {

OnsetView::OnsetView(QWidget* parent)
    : TimeView(parent) {
    beatMarks_ = addGraph();
    beatMarks_->setLineStyle(QCPGraph::lsImpulse);
    beatMarks_->setPen(QPen(QColor(214, 39, 40, 170), 1.5, Qt::DashLine));
    beatMarks_->setName(tr("beats"));
    curve_ = addGraph();
    curve_->setPen(QPen(QColor(31, 119, 180), 1.5));
    curve_->setName(tr("onset strength"));
    curve_->setAdaptiveSampling(false);
    yAxis->setLabel(tr("Onset strength"));
}

void OnsetView::setOnsets(std::shared_ptr<const Eigen::ArrayXf> envelope,
                          std::shared_ptr<const Eigen::ArrayXi> beats, double tempo, double sr,
                          int hop_length) {
    envelope_ = std::move(envelope);
    beats_ = std::move(beats);
    tempo_ = tempo;
    sr_ = sr;
    hop_ = hop_length;
    peak_ = envelope_ && envelope_->size() > 0 ? envelope_->maxCoeff() : 1.0;
    if (!(peak_ > 0)) peak_ = 1.0;
    yAxis->setRange(0, peak_ * 1.05);
    setTitle(tempo_ > 0 ? tr("Onset strength, beats — tempo %1 BPM").arg(tempo_, 0, 'f', 1)
                        : tr("Onset strength"));
    const Eigen::Index frames = envelope_ ? envelope_->size() : 0;
    setDuration(frames > 0 ? (frames - 1) * double(hop_) / sr_ : 0.0);
    replot();
}

void OnsetView::renderVisible() {
    if (!envelope_ || envelope_->size() == 0) return;
    const Eigen::ArrayXf& e = *envelope_;
    const QCPRange range = xAxis->range();
    const double fps = sr_ / hop_;
    const int columns = std::max(1, axisRect()->width());
    const Eigen::Index n = e.size();
    const auto first =
        std::clamp<Eigen::Index>(Eigen::Index(std::floor(range.lower * fps)), 0, n - 1);
    const auto last =
        std::clamp<Eigen::Index>(Eigen::Index(std::ceil(range.upper * fps)) + 1, first + 1, n);
    const double perColumn = double(last - first) / columns;
    QVector<QCPGraphData> points;
    if (perColumn <= 2.0) {
        for (Eigen::Index f = first; f < last; ++f)
            points.append({f / fps, e[f]});
    } else {
        for (int c = 0; c < columns; ++c) {
            const auto a = first + Eigen::Index(c * perColumn);
            const auto b = std::min(last, first + Eigen::Index((c + 1) * perColumn));
            if (b <= a) continue;
            const double t = (a + b - 1) * 0.5 / fps;
            points.append({t, e.segment(a, b - a).minCoeff()});
            points.append({t + 1e-9, e.segment(a, b - a).maxCoeff()});
        }
    }
    curve_->data()->set(points, true);

    QVector<QCPGraphData> marks;
    if (beats_) {
        // Beats are sorted frames: only those in view are drawn.
        const int* begin = beats_->data();
        const int* end = begin + beats_->size();
        for (const int* b = std::lower_bound(begin, end, int(first));
             b != end && *b < last && marks.size() < 4 * columns; ++b)
            marks.append({*b / fps, peak_ * 1.05});
    }
    beatMarks_->data()->set(marks, true);
}

QString OnsetView::readoutAt(double time, double) const {
    QString text = tr("%1 s").arg(time, 0, 'f', 3);
    if (!envelope_ || envelope_->size() == 0) return text;
    const auto f = std::clamp<Eigen::Index>(Eigen::Index(std::lround(time * sr_ / hop_)), 0,
                                            envelope_->size() - 1);
    return text + tr("   onset strength %1").arg((*envelope_)[f], 0, 'g', 4);
}

} // namespace featurescope
