// The common frame of every view on the shared time axis: a QCustomPlot with one axis rect
// whose x axis is time in seconds, fixed side margins so stacked views line up, and lazy
// rendering of only the visible range at the widget's pixel size.
#pragma once

#include <QRubberBand>
#include <QString>
#include <qcustomplot.h>

namespace featurescope {

class TimeView : public QCustomPlot {
    Q_OBJECT
public:
    /// Width in pixels of the left axis margin and of the right-hand slot (colour bar or empty)
    /// that every view reserves, so that their time axes line up when stacked.
    static constexpr int kLeftMargin = 76;
    static constexpr int kSideSlotWidth = 92;

    explicit TimeView(QWidget* parent = nullptr);

    QCPAxisRect* plotRect() const { return axisRect(); }
    /// Length of the shown data in seconds; 0 when empty.
    double duration() const { return duration_; }
    /// Shows "Time (s)" under the x axis (the bottom view of a stack).
    void setTimeLabelVisible(bool visible);
    /// A caption in the top-left corner of the plot ("STFT (dB)").
    void setTitle(const QString& title);
    /// How many times the visible range was rebuilt (for tests and benchmarks).
    int renderCount() const { return renderCount_; }

    /// Status-bar text for the point (time s, axis value), e.g. "1.23 s  440 Hz (A4)  -12.3 dB".
    virtual QString readoutAt(double time, double value) const = 0;

signals:
    /// The mouse moved over the plot to `time` (s); `readout` describes the point under it.
    void pointerMoved(double time, const QString& readout);
    /// The mouse left the plot.
    void pointerLeft();

protected:
    /// Rebuilds the plottables for xAxis->range() at the axis rect's current pixel size.
    /// Called after layout, only when the range, the pixel size or the data changed.
    virtual void renderVisible() = 0;
    /// Declares new data of `seconds` length; the next replot re-renders.
    void setDuration(double seconds);
    /// Forces the next replot to re-render (a colour map or scale changed).
    void invalidateRender() { renderedWidth_ = -1; }
    /// The element in the right-hand slot; subclasses may replace it (colour bar).
    void setSideSlot(QCPLayoutElement* element);

    /// Shift + drag draws a rubber band and zooms the time axis to it; a plain drag pans.
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void renderIfNeeded();
    void clampRange(const QCPRange& range);

    double duration_ = 0.0;
    QCPRange renderedRange_;
    int renderedWidth_ = -1;
    int renderedHeight_ = -1;
    int renderCount_ = 0;
    QCPMarginGroup* marginGroup_ = nullptr;
    QCPItemText* title_ = nullptr;
    QRubberBand* band_ = nullptr;
    int bandOrigin_ = -1;
};

} // namespace featurescope
