// The waveform: a min/max envelope per pixel column of the visible range.
#pragma once

#include "widgets/TimeView.h"

#include <Eigen/Core>
#include <memory>

namespace featurescope {

class WaveformView : public TimeView {
    Q_OBJECT
public:
    explicit WaveformView(QWidget* parent = nullptr);

    /// Shows `y` [shape=(n,)], sampled at `sr` Hz (> 0). Shares, never copies, the samples.
    /// `envelope` (optional) is [shape=(2, ceil(n / block))]: row 0 the minimum, row 1 the
    /// maximum of each `block` samples, made off the GUI thread; a zoomed-out view then reads
    /// blocks instead of samples, so a one-hour track draws as fast as a short one.
    void setSignal(std::shared_ptr<const Eigen::ArrayXf> y, double sr,
                   std::shared_ptr<const Eigen::ArrayXXf> envelope = nullptr, int block = 0);
    const std::shared_ptr<const Eigen::ArrayXf>& signal() const { return y_; }
    double sampleRate() const { return sr_; }

    QString readoutAt(double time, double value) const override;

protected:
    void renderVisible() override;

private:
    std::shared_ptr<const Eigen::ArrayXf> y_;
    std::shared_ptr<const Eigen::ArrayXXf> envelope_;
    int block_ = 0;
    double sr_ = 22050.0;
    QCPGraph* upper_ = nullptr;
    QCPGraph* lower_ = nullptr;
};

} // namespace featurescope
