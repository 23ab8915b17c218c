#include "app/gui/Player.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QBuffer>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>

namespace featurescope {

Player::Player(QObject* parent)
    : QObject(parent) {
    timer_.setInterval(30);
    connect(&timer_, &QTimer::timeout, this, &Player::tick);
}

Player::~Player() {
    stop();
}

bool Player::hasDevice() const {
    return !QMediaDevices::defaultAudioOutput().isNull();
}

void Player::complain(const QString& reason) {
    if (reason == lastComplaint_) return;
    lastComplaint_ = reason;
    emit unavailable(reason);
}

void Player::play(std::shared_ptr<const Eigen::ArrayXf> signal, double sr, double from, double to) {
    stop();
    if (!signal || signal->size() == 0) return;
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        complain(tr("No audio output device: playback is off; everything else works."));
        return;
    }
    QAudioFormat format;
    format.setSampleRate(int(std::lround(sr)));
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (!device.isFormatSupported(format)) {
        complain(tr("The audio device cannot play %1 Hz mono float audio.").arg(sr));
        return;
    }
    const Eigen::Index n = signal->size();
    const auto a = std::clamp<Eigen::Index>(Eigen::Index(std::floor(from * sr)), 0, n);
    const auto b = std::clamp<Eigen::Index>(Eigen::Index(std::ceil(to * sr)), a, n);
    signal_ = std::move(signal);
    from_ = double(a) / sr;
    to_ = double(b) / sr;
    // The bytes stay in the shared signal: QBuffer reads them where they are.
    buffer_ = new QBuffer(this);
    buffer_->setData(QByteArray::fromRawData(reinterpret_cast<const char*>(signal_->data() + a),
                                             qsizetype((b - a) * sizeof(float))));
    buffer_->open(QIODevice::ReadOnly);
    sink_ = new QAudioSink(device, format, this);
    sink_->start(buffer_);
    playing_ = true;
    timer_.start();
}

bool Player::togglePause() {
    if (!sink_) return false;
    if (playing_) {
        sink_->suspend();
        playing_ = false;
        timer_.stop();
    } else {
        sink_->resume();
        playing_ = true;
        timer_.start();
    }
    return true;
}

void Player::stop() {
    timer_.stop();
    if (sink_) {
        sink_->stop();
        sink_->deleteLater();
        sink_ = nullptr;
    }
    if (buffer_) {
        buffer_->deleteLater();
        buffer_ = nullptr;
    }
    if (playing_) emit positionChanged(-1);
    playing_ = false;
}

void Player::tick() {
    if (!sink_) return;
    const double t = from_ + double(sink_->processedUSecs()) / 1e6;
    if (t >= to_ || sink_->state() == QAudio::IdleState) {
        stop();
        return;
    }
    emit positionChanged(t);
}

} // namespace featurescope
