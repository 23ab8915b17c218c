// Colour maps for spectrograms: matplotlib's magma and viridis, and a plain gray ramp.
#pragma once

#include <QColor>
#include <QString>
#include <qcustomplot.h>

namespace featurescope {

/// The maps a student knows from matplotlib / librosa.display.specshow. The default is Magma,
/// specshow's default for dB-scaled spectrograms.
enum class ColorMapName { Magma, Viridis, Gray };

/// The colour at `t` in [0, 1] (clamped): the nearest of the map's 256 entries, as matplotlib's
/// ListedColormap picks it (index = floor(t * 256), 1.0 -> 255).
QColor colorAt(ColorMapName name, double t);

/// A 256-level QCPColorGradient holding exactly the map's table, for QCPColorMap/QCPColorScale.
/// NaN cells are drawn transparent (nothing computed there).
QCPColorGradient colorGradient(ColorMapName name);

/// The matplotlib name ("magma", "viridis", "gray"), for settings and menus.
QString colorMapKey(ColorMapName name);
/// Inverse of colorMapKey; unknown keys give Magma.
ColorMapName colorMapFromKey(const QString& key);

} // namespace featurescope
