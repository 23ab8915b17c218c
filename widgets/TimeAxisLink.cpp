#include "widgets/TimeAxisLink.h"

#include "widgets/TimeView.h"

namespace featurescope {

namespace {

// Each view carries its own line items, found again by object name.
QCPItemStraightLine* lineIn(TimeView* view, const char* name, const QPen& pen) {
    for (int i = 0; i < view->itemCount(); ++i) {
        auto* line = qobject_cast<QCPItemStraightLine*>(view->item(i));
        if (line && line->objectName() == QLatin1String(name)) return line;
    }
    auto* line = new QCPItemStraightLine(view);
    line->setObjectName(QLatin1String(name));
    line->setPen(pen);
    line->setSelectable(false);
    line->setClipToAxisRect(true);
    line->setVisible(false);
    return line;
}

} // namespace

TimeAxisLink::TimeAxisLink(QObject* parent)
    : QObject(parent) {}

void TimeAxisLink::addView(TimeView* view) {
    views_.append(view);
    connect(view->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this, view](const QCPRange& r) { onViewRangeChanged(view, r); });
}

void TimeAxisLink::removeView(TimeView* view) {
    views_.removeAll(view);
    disconnect(view->xAxis, nullptr, this, nullptr);
}

QVector<TimeView*> TimeAxisLink::views() const {
    QVector<TimeView*> out;
    for (const auto& v : views_)
        if (v) out.append(v);
    return out;
}

void TimeAxisLink::setRange(const QCPRange& range) {
    range_ = range;
    syncing_ = true;
    for (TimeView* v : views()) {
        v->xAxis->setRange(range);
        v->replot(QCustomPlot::rpQueuedReplot);
    }
    syncing_ = false;
    emit rangeChanged(range_);
}

void TimeAxisLink::onViewRangeChanged(TimeView* source, const QCPRange& range) {
    if (syncing_) return;
    range_ = range;
    syncing_ = true;
    for (TimeView* v : views()) {
        if (v == source) continue;
        v->xAxis->setRange(range);
        v->replot(QCustomPlot::rpQueuedReplot);
    }
    syncing_ = false;
    emit rangeChanged(range_);
}

void TimeAxisLink::moveLine(const char* name, double time, const QPen& pen) {
    for (TimeView* v : views()) {
        QCPItemStraightLine* line = lineIn(v, name, pen);
        line->setVisible(time >= 0);
        if (time >= 0) {
            line->point1->setCoords(time, 0);
            line->point2->setCoords(time, 1);
        }
        v->replot(QCustomPlot::rpQueuedReplot);
    }
}

void TimeAxisLink::setCrosshair(double time) {
    moveLine("crosshair", time, QPen(QColor(140, 140, 140, 220), 1, Qt::DashLine));
}

void TimeAxisLink::setPlayhead(double time) {
    playhead_ = time;
    moveLine("playhead", time, QPen(QColor(0, 200, 90), 2));
}

} // namespace featurescope
