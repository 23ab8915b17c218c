#include "widgets/TimeView.h"

#include <algorithm>
#include <cmath>

namespace featurescope {

namespace {
// Below this the time axis would show fewer than a few samples at 22050 Hz.
constexpr double kMinimumSpan = 1e-3;
} // namespace

TimeView::TimeView(QWidget* parent)
    : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    axisRect()->setRangeDrag(Qt::Horizontal);
    axisRect()->setRangeZoom(Qt::Horizontal);
    axisRect()->setAutoMargins(QCP::msTop | QCP::msBottom);
    axisRect()->setMargins(QMargins(kLeftMargin, 0, 0, 0));
    marginGroup_ = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, marginGroup_);
    setSideSlot(new QCPLayoutElement(this));
    xAxis->setRange(0, 1);
    setNoAntialiasingOnDrag(true);
    setMinimumHeight(90);

    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &TimeView::clampRange);
    connect(this, &QCustomPlot::afterLayout, this, &TimeView::renderIfNeeded);
}

void TimeView::setTimeLabelVisible(bool visible) {
    xAxis->setLabel(visible ? tr("Time (s)") : QString());
}

void TimeView::setTitle(const QString& title) {
    if (!title_) {
        title_ = new QCPItemText(this);
        title_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        title_->position->setType(QCPItemPosition::ptAxisRectRatio);
        title_->position->setCoords(0.005, 0.02);
        title_->setPadding(QMargins(4, 1, 4, 1));
        title_->setBrush(QColor(255, 255, 255, 200));
        title_->setClipToAxisRect(true);
        title_->setSelectable(false);
    }
    title_->setText(title);
}

void TimeView::setSideSlot(QCPLayoutElement* element) {
    if (plotLayout()->hasElement(0, 1)) plotLayout()->remove(plotLayout()->element(0, 1));
    plotLayout()->addElement(0, 1, element);
    // The outer rect, margins included, so a colour bar and an empty slot take the same width.
    element->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
    element->setMinimumSize(kSideSlotWidth, 0);
    element->setMaximumSize(kSideSlotWidth, QWIDGETSIZE_MAX);
    element->setMarginGroup(QCP::msTop | QCP::msBottom, marginGroup_);
}

void TimeView::setDuration(double seconds) {
    duration_ = std::max(0.0, seconds);
    renderedWidth_ = -1;
    xAxis->setRange(0, duration_ > 0 ? duration_ : 1.0);
}

void TimeView::clampRange(const QCPRange& range) {
    if (duration_ <= 0) return;
    double span = std::clamp(range.size(), kMinimumSpan, duration_);
    double lower = std::clamp(range.lower, 0.0, duration_ - span);
    if (lower != range.lower || span != range.size())
        xAxis->setRange(lower, lower + span); // re-enters once with a valid range
}

void TimeView::renderIfNeeded() {
    const QRect rect = axisRect()->rect();
    const QCPRange range = xAxis->range();
    if (rect.width() == renderedWidth_ && rect.height() == renderedHeight_ &&
        range == renderedRange_)
        return;
    renderedWidth_ = rect.width();
    renderedHeight_ = rect.height();
    renderedRange_ = range;
    if (rect.width() <= 0 || rect.height() <= 0) return;
    renderVisible();
    ++renderCount_;
}

void TimeView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier) &&
        axisRect()->rect().contains(event->position().toPoint())) {
        if (!band_) band_ = new QRubberBand(QRubberBand::Rectangle, this);
        bandOrigin_ = int(event->position().x());
        band_->setGeometry(QRect(bandOrigin_, axisRect()->top(), 1, axisRect()->height()));
        band_->show();
        return;
    }
    QCustomPlot::mousePressEvent(event);
}

void TimeView::mouseReleaseEvent(QMouseEvent* event) {
    if (bandOrigin_ >= 0) {
        band_->hide();
        const int x = int(event->position().x());
        if (std::abs(x - bandOrigin_) > 3) {
            const double a = xAxis->pixelToCoord(std::min(x, bandOrigin_));
            const double b = xAxis->pixelToCoord(std::max(x, bandOrigin_));
            xAxis->setRange(a, b);
            replot();
        }
        bandOrigin_ = -1;
        return;
    }
    QCustomPlot::mouseReleaseEvent(event);
}

void TimeView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (bandOrigin_ >= 0) {
        const int x = int(pos.x());
        band_->setGeometry(QRect(std::min(x, bandOrigin_), axisRect()->top(),
                                 std::abs(x - bandOrigin_) + 1, axisRect()->height()));
    } else {
        QCustomPlot::mouseMoveEvent(event);
    }
    if (duration_ > 0 && axisRect()->rect().contains(pos.toPoint())) {
        const double t = xAxis->pixelToCoord(pos.x());
        const double v = yAxis->pixelToCoord(pos.y());
        emit pointerMoved(t, readoutAt(t, v));
    } else {
        emit pointerLeft();
    }
}

void TimeView::leaveEvent(QEvent* event) {
    QCustomPlot::leaveEvent(event);
    emit pointerLeft();
}

} // namespace featurescope
