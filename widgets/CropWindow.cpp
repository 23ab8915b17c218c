#include "widgets/CropWindow.h"

#include "widgets/TimeView.h"

#include <QMouseEvent>

#include <algorithm>
#include <cmath>

namespace featurescope {

namespace {
constexpr double kEdgePixels = 6.0;     // how near an edge a press resizes instead of moves
constexpr double kMinimumLength = 0.05; // seconds
} // namespace

CropWindow::CropWindow(QObject* parent)
    : QObject(parent) {}

void CropWindow::attach(TimeView* view) {
    views_.append(view);
    auto* rect = new QCPItemRect(view);
    rect->setLayer(QStringLiteral("overlay"));
    rect->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    rect->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    rect->setPen(QPen(QColor(0, 190, 255), 2));
    rect->setBrush(QColor(0, 190, 255, 40));
    rect->setSelectable(false);
    rect->setClipToAxisRect(true);
    items_.append(rect);
    view->installEventFilter(this);
    view->setMouseTracking(true);
    updateItems();
}

void CropWindow::setTrackDuration(double seconds) {
    track_ = std::max(0.0, seconds);
    setCrop(start_, duration_);
    updateItems();
}

void CropWindow::setCrop(double start, double duration) {
    duration = std::max(kMinimumLength, duration);
    const double latest = std::max(0.0, track_ - duration);
    start = std::clamp(start, 0.0, latest);
    if (start == start_ && duration == duration_) return;
    start_ = start;
    duration_ = duration;
    updateItems();
    emit cropChanged(start_, duration_);
}

void CropWindow::setVisible(bool visible) {
    visible_ = visible;
    updateItems();
}

void CropWindow::updateItems() {
    for (int i = 0; i < views_.size(); ++i) {
        if (!views_[i]) continue;
        QCPItemRect* rect = items_[i];
        rect->setVisible(visible_ && track_ > 0);
        rect->topLeft->setCoords(start_, 0.0);
        rect->bottomRight->setCoords(end(), 1.0);
        views_[i]->replot(QCustomPlot::rpQueuedReplot);
    }
}

CropWindow::Drag CropWindow::hitTest(TimeView* view, double x) const {
    const double left = view->xAxis->coordToPixel(start_);
    const double right = view->xAxis->coordToPixel(end());
    if (std::abs(x - left) <= kEdgePixels) return Drag::left;
    if (std::abs(x - right) <= kEdgePixels) return Drag::right;
    if (x > left && x < right) return Drag::move;
    return Drag::none;
}

bool CropWindow::eventFilter(QObject* watched, QEvent* event) {
    auto* view = qobject_cast<TimeView*>(watched);
    if (!view || !visible_ || track_ <= 0) return false;
    const auto type = event->type();
    if (type != QEvent::MouseButtonPress && type != QEvent::MouseMove &&
        type != QEvent::MouseButtonRelease)
        return false;
    auto* mouse = static_cast<QMouseEvent*>(event);
    const QPointF pos = mouse->position();
    const double t = view->xAxis->pixelToCoord(pos.x());

    if (type == QEvent::MouseButtonPress && mouse->button() == Qt::LeftButton &&
        mouse->modifiers() == Qt::NoModifier && view->axisRect()->rect().contains(pos.toPoint())) {
        drag_ = hitTest(view, pos.x());
        if (drag_ == Drag::none) return false; // outside the crop: the view pans
        grabTime_ = t;
        grabStart_ = start_;
        grabEnd_ = end();
        return true;
    }
    if (type == QEvent::MouseMove) {
        if (drag_ == Drag::none) {
            const Drag hover = hitTest(view, pos.x());
            view->setCursor(hover == Drag::left || hover == Drag::right ? Qt::SizeHorCursor
                            : hover == Drag::move                       ? Qt::OpenHandCursor
                                                                        : Qt::ArrowCursor);
            return false; // the view still shows its readout
        }
        const double delta = t - grabTime_;
        if (drag_ == Drag::move)
            setCrop(grabStart_ + delta, duration_);
        else if (drag_ == Drag::left) {
            const double s = std::clamp(grabStart_ + delta, 0.0, grabEnd_ - kMinimumLength);
            setCrop(s, grabEnd_ - s);
        } else {
            const double e = std::clamp(grabEnd_ + delta, grabStart_ + kMinimumLength, track_);
            setCrop(grabStart_, e - grabStart_);
        }
        return false;
    }
    if (type == QEvent::MouseButtonRelease && drag_ != Drag::none) {
        drag_ = Drag::none;
        return true;
    }
    return false;
}

} // namespace featurescope
