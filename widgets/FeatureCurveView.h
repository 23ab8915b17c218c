// Feature curves over time: any chosen rows of a feature matrix on one plot, optionally
// z-normalised so curves of different units share one axis.
#pragma once

#include "widgets/TimeView.h"

#include <Eigen/Core>
#include <QStringList>
#include <memory>

namespace featurescope {

class FeatureCurveView : public TimeView {
    Q_OBJECT
public:
    explicit FeatureCurveView(QWidget* parent = nullptr);

    /// All available curves: `values` [shape=(names.size(), t)], frame t centred at
    /// t * hop_length / sr seconds. Shared, never copied.
    void setCurves(const QStringList& names, std::shared_ptr<const Eigen::ArrayXXf> values,
                   double sr, int hop_length);
    /// Which curves to draw (names not available are ignored).
    void setShown(const QStringList& names);
    QStringList shown() const { return shown_; }
    QStringList available() const { return names_; }
    /// Draw each curve as (x - mean) / std over the whole track. The default is off.
    void setZNormalized(bool on);
    bool zNormalized() const { return zNormalized_; }

    /// The value drawn for curve `name` at frame `frame` (after z-normalisation), NaN if absent.
    double shownValue(const QString& name, Eigen::Index frame) const;

    QString readoutAt(double time, double value) const override;

protected:
    void renderVisible() override;

private:
    void rebuildGraphs();
    Eigen::Index frameAt(double time) const;

    QStringList names_;
    QStringList shown_;
    std::shared_ptr<const Eigen::ArrayXXf> values_;
    Eigen::ArrayXd mean_, std_;
    double sr_ = 22050.0;
    int hop_ = 512;
    bool zNormalized_ = false;
};

} // namespace featurescope
