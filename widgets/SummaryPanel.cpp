#include "widgets/SummaryPanel.h"

#include <QHeaderView>

#include <limits>

namespace featurescope {

SummaryPanel::SummaryPanel(QWidget* parent)
    : QTableWidget(parent) {
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setAlternatingRowColors(true);
}

void SummaryPanel::setSummary(const SummaryTable& table) {
    table_ = table;
    setUpdatesEnabled(false);
    setRowCount(int(table.features.size()));
    setColumnCount(int(table.stats.size()));
    setHorizontalHeaderLabels(table.stats);
    setVerticalHeaderLabels(table.features);
    for (int i = 0; i < table.features.size(); ++i) {
        for (int j = 0; j < table.stats.size(); ++j) {
            const QString text = QString::number(table.values(i, j), 'g', 6);
            QTableWidgetItem* cell = item(i, j);
            if (!cell) {
                cell = new QTableWidgetItem;
                cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                setItem(i, j, cell);
            }
            cell->setText(text);
        }
    }
    setUpdatesEnabled(true);
}

double SummaryPanel::value(const QString& feature, const QString& stat) const {
    const auto i = table_.features.indexOf(feature);
    const auto j = table_.stats.indexOf(stat);
    if (i < 0 || j < 0) return std::numeric_limits<double>::quiet_NaN();
    return table_.values(i, j);
}

} // namespace featurescope
