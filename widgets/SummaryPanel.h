// The summary panel: every feature's statistics over the crop, one row per feature.
#pragma once

#include <Eigen/Core>
#include <QStringList>
#include <QTableWidget>

namespace featurescope {

/// A table of statistics: values(i, j) is statistic `stats[j]` of feature `features[i]`.
struct SummaryTable {
    QStringList features;
    QStringList stats;
    Eigen::ArrayXXd values;
    double cropStart = 0.0;    ///< seconds
    double cropDuration = 0.0; ///< seconds
    double tempo = 0.0;        ///< BPM, 0 when unknown
};

class SummaryPanel : public QTableWidget {
    Q_OBJECT
public:
    explicit SummaryPanel(QWidget* parent = nullptr);

    /// Shows `table`, keeping the scroll position (it is refreshed while the crop moves).
    void setSummary(const SummaryTable& table);
    const SummaryTable& summary() const { return table_; }
    /// The shown value of (feature, stat), NaN when absent.
    double value(const QString& feature, const QString& stat) const;

private:
    SummaryTable table_;
};

} // namespace featurescope
