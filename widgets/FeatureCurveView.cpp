#include "widgets/FeatureCurveView.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace featurescope {

namespace {
// matplotlib's tab10 cycle, the colours a student's own plots would have.
const QColor kCycle[] = {QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),
                         QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
                         QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                         QColor(23, 190, 207)};
} // namespace

FeatureCurveView::FeatureCurveView(QWidget* parent)
    : TimeView(parent) {
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    legend->setBrush(QColor(255, 255, 255, 200));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
}

void FeatureCurveView::setCurves(const QStringList& names,
                                 std::shared_ptr<const Eigen::ArrayXXf> values, double sr,
                                 int hop_length) {
    names_ = names;
    values_ = std::move(values);
    sr_ = sr;
    hop_ = hop_length;
    const Eigen::Index rows = values_ ? values_->rows() : 0;
    mean_ = Eigen::ArrayXd::Zero(rows);
    std_ = Eigen::ArrayXd::Ones(rows);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const Eigen::ArrayXd row = values_->row(r).cast<double>().transpose();
        mean_[r] = row.mean();
        const double sd = std::sqrt((row - mean_[r]).square().mean());
        std_[r] = sd > 0 ? sd : 1.0;
    }
    const Eigen::Index frames = values_ ? values_->cols() : 0;
    setDuration(frames > 0 ? (frames - 1) * double(hop_) / sr_ : 0.0);
    rebuildGraphs();
}

void FeatureCurveView::setShown(const QStringList& names) {
    shown_.clear();
    for (const QString& n : names)
        if (names_.contains(n)) shown_.append(n);
    rebuildGraphs();
}

void FeatureCurveView::setZNormalized(bool on) {
    zNormalized_ = on;
    rebuildGraphs();
}

void FeatureCurveView::rebuildGraphs() {
    clearGraphs();
    for (int i = 0; i < shown_.size(); ++i) {
        QCPGraph* g = addGraph();
        g->setName(shown_[i]);
        g->setPen(QPen(kCycle[i % 10], 1.5));
        g->setAdaptiveSampling(false);
    }
    yAxis->setLabel(zNormalized_ ? tr("z-score") : QString());
    invalidateRender();
    replot();
}

Eigen::Index FeatureCurveView::frameAt(double time) const {
    if (!values_ || values_->cols() == 0) return -1;
    const double f = std::round(time * sr_ / hop_);
    if (f < 0 || f >= values_->cols()) return -1;
    return static_cast<Eigen::Index>(f);
}

double FeatureCurveView::shownValue(const QString& name, Eigen::Index frame) const {
    const auto r = names_.indexOf(name);
    if (r < 0 || !values_ || frame < 0 || frame >= values_->cols())
        return std::numeric_limits<double>::quiet_NaN();
    const double v = (*values_)(r, frame);
    return zNormalized_ ? (v - mean_[r]) / std_[r] : v;
}

void FeatureCurveView::renderVisible() {
    if (!values_ || values_->cols() == 0) return;
    const QCPRange range = xAxis->range();
    const int columns = std::max(1, axisRect()->width());
    const Eigen::Index frames = values_->cols();
    const double framesPerSecond = sr_ / hop_;
    const auto first = std::clamp<Eigen::Index>(
        static_cast<Eigen::Index>(std::floor(range.lower * framesPerSecond)), 0, frames - 1);
    const auto last = std::clamp<Eigen::Index>(
        static_cast<Eigen::Index>(std::ceil(range.upper * framesPerSecond)) + 1, first + 1, frames);
    const double perColumn = double(last - first) / columns;
    double low = HUGE_VAL, high = -HUGE_VAL;
    for (int i = 0; i < shown_.size(); ++i) {
        const auto r = names_.indexOf(shown_[i]);
        const double m = zNormalized_ ? mean_[r] : 0.0, s = zNormalized_ ? std_[r] : 1.0;
        QVector<QCPGraphData> points;
        if (perColumn <= 2.0) {
            for (Eigen::Index f = first; f < last; ++f)
                points.append({f / framesPerSecond, ((*values_)(r, f) - m) / s});
        } else {
            // A min/max pair per pixel column keeps peaks visible at any zoom.
            for (int c = 0; c < columns; ++c) {
                const auto a = first + static_cast<Eigen::Index>(c * perColumn);
                const auto b =
                    std::min(last, first + static_cast<Eigen::Index>((c + 1) * perColumn));
                if (b <= a) continue;
                const auto seg = values_->row(r).segment(a, b - a);
                const double t = (a + b - 1) * 0.5 / framesPerSecond;
                points.append({t, (seg.minCoeff() - m) / s});
                points.append({t + 1e-9, (seg.maxCoeff() - m) / s});
            }
        }
        for (const auto& p : points) {
            if (!std::isfinite(p.value)) continue;
            low = std::min(low, p.value);
            high = std::max(high, p.value);
        }
        graph(i)->data()->set(points, true);
    }
    if (low <= high) {
        const double pad = (high - low) * 0.05 + 1e-9;
        yAxis->setRange(low - pad, high + pad);
    }
}

QString FeatureCurveView::readoutAt(double time, double) const {
    QString text = tr("%1 s").arg(time, 0, 'f', 3);
    const Eigen::Index f = frameAt(time);
    if (f < 0) return text;
    for (const QString& n : shown_)
        text += QStringLiteral("   %1 %2").arg(n).arg(shownValue(n, f), 0, 'g', 5);
    return text;
}

} // namespace featurescope
