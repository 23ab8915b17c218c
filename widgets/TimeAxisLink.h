// Keeps stacked views in step: one x-range (zoom, pan), one crosshair, one playhead.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVector>
#include <qcustomplot.h>

namespace featurescope {

class TimeView;

class TimeAxisLink : public QObject {
    Q_OBJECT
public:
    explicit TimeAxisLink(QObject* parent = nullptr);

    /// Joins `view` to the link; it takes the link's current range. Views removed from their
    /// window (destroyed) leave the link by themselves.
    void addView(TimeView* view);
    void removeView(TimeView* view);
    QVector<TimeView*> views() const;

    QCPRange range() const { return range_; }
    /// Shows [lower, upper] seconds in every view.
    void setRange(const QCPRange& range);
    /// A vertical line at `time` seconds in every view; a negative time hides it.
    void setCrosshair(double time);
    /// The playback position in every view; a negative time hides it.
    void setPlayhead(double time);
    double playhead() const { return playhead_; }

signals:
    /// The shared visible range changed (zoom, pan, a new track).
    void rangeChanged(const QCPRange& range);

private:
    void onViewRangeChanged(TimeView* source, const QCPRange& range);
    void moveLine(const char* name, double time, const QPen& pen);

    QVector<QPointer<TimeView>> views_;
    QCPRange range_{0, 1};
    double playhead_ = -1;
    bool syncing_ = false;
};

} // namespace featurescope
