// Puts an Analysis on screen: hands each view the matrix core computed (shared, not copied)
// with the axes that describe it.
#pragma once

#include "app/gui/DisplayLayers.h"
#include "core/pipeline/analysis.h"

#include <QStringList>
#include <memory>

namespace featurescope {

class ViewStack;

/// Sets every view of `stack` from `analysis` and `layers`; views of outputs that were not
/// computed are cleared. Cheap: no matrix is transformed or copied here (GUI thread).
void presentAnalysis(ViewStack& stack, const std::shared_ptr<const Analysis>& analysis,
                     const std::shared_ptr<const DisplayLayers>& layers);

/// The curves a new window shows first: the spectral centroid, RMS and ZCR, z-normalised.
QStringList defaultCurves();

} // namespace featurescope
