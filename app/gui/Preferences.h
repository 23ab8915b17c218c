// What Featurescope remembers between runs (QSettings): the analysis settings, the look of the
// views, the recent files and the language.
#pragma once

#include "core/pipeline/analysis_settings.h"

#include <QSettings>
#include <QStringList>

namespace featurescope {

/// The analysis settings saved last, on top of librosa's defaults.
AnalysisSettings loadAnalysisSettings(const QSettings& store);
void saveAnalysisSettings(QSettings& store, const AnalysisSettings& settings);

/// Most recent first, at most kMaxRecent, files that no longer exist dropped.
QStringList loadRecentFiles(const QSettings& store);
/// Puts `path` first in the recent list and saves it; returns the new list.
QStringList addRecentFile(QSettings& store, const QString& path);
inline constexpr int kMaxRecent = 8;

} // namespace featurescope
