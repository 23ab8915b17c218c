// Playback of the crop, the whole track, or only the harmonic / percussive layer through
// QtMultimedia's QAudioSink. The samples are played in place (float32, no copy); with no audio
// device the player says so once and everything else keeps working.
#pragma once

#include <Eigen/Core>
#include <QObject>
#include <QTimer>

#include <memory>

class QAudioSink;
class QBuffer;

namespace featurescope {

class Player : public QObject {
    Q_OBJECT
public:
    explicit Player(QObject* parent = nullptr);
    ~Player() override;

    /// Whether a default audio output exists.
    bool hasDevice() const;
    /// Plays `signal` (mono, `sr` Hz) from `from` to `to` seconds. `signal` is kept alive while
    /// it plays.
    void play(std::shared_ptr<const Eigen::ArrayXf> signal, double sr, double from, double to);
    /// Pauses when playing, resumes when paused; returns false when there is nothing to resume.
    bool togglePause();
    void stop();
    bool isPlaying() const { return playing_; }

signals:
    /// The playhead is at `seconds` of the track; negative when playback ended.
    void positionChanged(double seconds);
    /// Playback cannot happen: `reason` (no device, unsupported format). Emitted once per reason.
    void unavailable(const QString& reason);

private:
    void tick();
    void complain(const QString& reason);

    std::shared_ptr<const Eigen::ArrayXf> signal_;
    QAudioSink* sink_ = nullptr;
    QBuffer* buffer_ = nullptr;
    QTimer timer_;
    double from_ = 0.0, to_ = 0.0;
    bool playing_ = false;
    QString lastComplaint_;
};

} // namespace featurescope
