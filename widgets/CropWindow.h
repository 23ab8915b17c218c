// The crop window: one shaded time span drawn over every view. Drag inside it to move it, drag
// an edge to resize it; presets and keys set its length and nudge it.
#pragma once

#include <QObject>
#include <QPointer>
#include <QVector>

class QCPItemRect;

namespace featurescope {

class TimeView;

class CropWindow : public QObject {
    Q_OBJECT
public:
    /// The crop lengths offered as presets, in seconds: 29.12 (the Keras / GTZAN crop), 30, 10.
    static constexpr double kPresets[] = {29.12, 30.0, 10.0};

    explicit CropWindow(QObject* parent = nullptr);

    /// Draws the crop over `view` and lets the mouse move and resize it there.
    void attach(TimeView* view);

    /// The track's length in seconds (> 0); the crop is kept inside [0, trackDuration] unless it
    /// is longer than the track, then it starts at 0 (the rest is zero padding, as core's crops).
    void setTrackDuration(double seconds);
    double trackDuration() const { return track_; }

    double start() const { return start_; }
    double duration() const { return duration_; }
    double end() const { return start_ + duration_; }
    /// Moves / resizes the crop (clamped as above); emits cropChanged when it changed.
    void setCrop(double start, double duration);
    void setStart(double start) { setCrop(start, duration_); }
    void setDuration(double duration) { setCrop(start_, duration); }
    /// Moves the crop by `seconds` (negative: earlier).
    void nudge(double seconds) { setCrop(start_ + seconds, duration_); }
    void setVisible(bool visible);

signals:
    /// The crop now spans [start, start + duration] seconds.
    void cropChanged(double start, double duration);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Drag { none, move, left, right };
    void updateItems();
    Drag hitTest(TimeView* view, double x) const;

    QVector<QPointer<TimeView>> views_;
    QVector<QCPItemRect*> items_;
    double track_ = 0.0;
    double start_ = 0.0;
    double duration_ = 29.12;
    bool visible_ = true;
    Drag drag_ = Drag::none;
    double grabTime_ = 0.0, grabStart_ = 0.0, grabEnd_ = 0.0;
};

} // namespace featurescope
