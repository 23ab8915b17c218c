#include "widgets/ColorMap.h"

#include "widgets/ColorMapTables.h"

#include <algorithm>
#include <cmath>

namespace featurescope {

namespace {

constexpr int kLevels = 256;

QColor entry(ColorMapName name, int i) {
    switch (name) {
    case ColorMapName::Magma: {
        const auto& c = colormap_tables::magma[i];
        return QColor::fromRgbF(c[0], c[1], c[2]);
    }
    case ColorMapName::Viridis: {
        const auto& c = colormap_tables::viridis[i];
        return QColor::fromRgbF(c[0], c[1], c[2]);
    }
    case ColorMapName::Gray:
        break;
    }
    return QColor(i, i, i);
}

} // namespace

QColor colorAt(ColorMapName name, double t) {
    if (!std::isfinite(t)) t = 0.0;
    const int i = std::clamp(static_cast<int>(std::floor(t * kLevels)), 0, kLevels - 1);
    return entry(name, i);
}

QCPColorGradient colorGradient(ColorMapName name) {
    QCPColorGradient gradient;
    gradient.clearColorStops();
    // A stop at the centre of each entry's interval makes the 256-level lookup hit the table
    // entries themselves instead of blends of neighbours.
    QMap<double, QColor> stops;
    for (int i = 0; i < kLevels; ++i)
        stops.insert(static_cast<double>(i) / (kLevels - 1), entry(name, i));
    gradient.setColorStops(stops);
    gradient.setLevelCount(kLevels);
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    return gradient;
}

QString colorMapKey(ColorMapName name) {
    switch (name) {
    case ColorMapName::Magma:
        return QStringLiteral("magma");
    case ColorMapName::Viridis:
        return QStringLiteral("viridis");
    case ColorMapName::Gray:
        return QStringLiteral("gray");
    }
    return QStringLiteral("magma");
}

ColorMapName colorMapFromKey(const QString& key) {
    if (key == QLatin1String("viridis")) return ColorMapName::Viridis;
    if (key == QLatin1String("gray")) return ColorMapName::Gray;
    return ColorMapName::Magma;
}

} // namespace featurescope
