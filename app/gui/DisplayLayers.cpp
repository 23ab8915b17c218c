#include "app/gui/DisplayLayers.h"

#include "core/decibel.h"

namespace featurescope {

std::shared_ptr<const DisplayLayers> makeDisplayLayers(const Analysis& analysis) {
    auto layers = std::make_shared<DisplayLayers>();
    AmplitudeToDbParams db;
    db.ref = DbRef::max();
    db.top_db = analysis.settings().top_db.value_or(80.0);
    if (analysis.harmonicMagnitude().size() > 0)
        layers->harmonicDb = amplitudeToDb(analysis.harmonicMagnitude(), db);
    if (analysis.percussiveMagnitude().size() > 0)
        layers->percussiveDb = amplitudeToDb(analysis.percussiveMagnitude(), db);
    return layers;
}

} // namespace featurescope
