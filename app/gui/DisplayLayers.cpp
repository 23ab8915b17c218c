#include "app/gui/DisplayLayers.h"

#include "core/spectrum/decibel.h"

#include <algorithm>

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
    const Eigen::ArrayXf& y = analysis.y();
    const int block = DisplayLayers::kEnvelopeBlock;
    const Eigen::Index blocks = (y.size() + block - 1) / block;
    layers->waveformEnvelope.resize(2, blocks);
    for (Eigen::Index i = 0; i < blocks; ++i) {
        const Eigen::Index n = std::min<Eigen::Index>(block, y.size() - i * block);
        const auto segment = y.segment(i * block, n);
        layers->waveformEnvelope(0, i) = segment.minCoeff();
        layers->waveformEnvelope(1, i) = segment.maxCoeff();
    }
    return layers;
}

} // namespace featurescope
