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
    void setSignal(std::shared_ptr<const Eigen::ArrayXf> y, double sr);
    const std::shared_ptr<const Eigen::ArrayXf>& signal() const { return y_; }
    double sampleRate() const { return sr_; }

    QString readoutAt(double time, double value) const override;

protected:
    void renderVisible() override;

private:
    std::shared_ptr<const Eigen::ArrayXf> y_;
    double sr_ = 22050.0;
    QCPGraph* upper_ = nullptr;
    QCPGraph* lower_ = nullptr;
};

} // namespace featurescope
