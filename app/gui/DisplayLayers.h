// What the views need beyond the Analysis itself: dB images of the HPSS layers. They are made on
// the worker thread right after the analysis, so the GUI thread never transforms a matrix.
#pragma once

#include "core/pipeline/analysis.h"

#include <Eigen/Core>
#include <memory>

namespace featurescope {

struct DisplayLayers {
    /// amplitude_to_db(|H|, ref=np.max, top_db) of the harmonic layer, [shape=(1 + n_fft/2, t)];
    /// empty when HPSS was not computed.
    Eigen::ArrayXXf harmonicDb;
    /// The same for the percussive layer, each layer referenced to its own peak.
    Eigen::ArrayXXf percussiveDb;
    /// Samples per block of `waveformEnvelope`.
    static constexpr int kEnvelopeBlock = 256;
    /// Min (row 0) and max (row 1) of each kEnvelopeBlock samples of y,
    /// [shape=(2, ceil(len(y) / kEnvelopeBlock))], for drawing a zoomed-out waveform.
    Eigen::ArrayXXf waveformEnvelope;
};

/// Builds the display layers of `analysis` (worker thread).
std::shared_ptr<const DisplayLayers> makeDisplayLayers(const Analysis& analysis);

} // namespace featurescope
