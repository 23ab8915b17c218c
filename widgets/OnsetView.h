// The onset strength envelope with the tracked beats as markers and the tempo in the caption.
#pragma once

#include "widgets/TimeView.h"

#include <Eigen/Core>
#include <memory>

namespace featurescope {

class OnsetView : public TimeView {
    Q_OBJECT
public:
    explicit OnsetView(QWidget* parent = nullptr);

    /// `envelope` [shape=(t,)] (frame t at t * hop_length / sr s), `beats` frame indices,
    /// `tempo` in BPM (0: unknown). Shared, never copied.
    void setOnsets(std::shared_ptr<const Eigen::ArrayXf> envelope,
                   std::shared_ptr<const Eigen::ArrayXi> beats, double tempo, double sr,
                   int hop_length);
    const std::shared_ptr<const Eigen::ArrayXf>& envelope() const { return envelope_; }
    const std::shared_ptr<const Eigen::ArrayXi>& beats() const { return beats_; }
    double tempo() const { return tempo_; }

    QString readoutAt(double time, double value) const override;

protected:
    void renderVisible() override;

private:
    std::shared_ptr<const Eigen::ArrayXf> envelope_;
    std::shared_ptr<const Eigen::ArrayXi> beats_;
    double tempo_ = 0, sr_ = 22050, peak_ = 1;
    int hop_ = 512;
    QCPGraph* curve_ = nullptr;
    QCPGraph* beatMarks_ = nullptr;
};

} // namespace featurescope
