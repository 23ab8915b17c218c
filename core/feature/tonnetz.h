// Tonal centroid features, librosa.feature.tonnetz (librosa 0.10.2).
//
// Harte, C., Sandler, M. and Gasser, M. "Detecting Harmonic Change in Musical Audio."
// Proceedings of the 1st ACM Workshop on Audio and Music Computing Multimedia, 2006, pp. 21-26:
// each L1-normalised chroma vector is projected onto three circles — perfect fifths, minor
// thirds, major thirds — giving six coordinates.
#pragma once

#include "core/feature/chroma_cqt.h"

#include <Eigen/Core>

namespace featurescope {

/// The 6 x n_chroma projection: rows (sin, cos) of fifths (r = 1, angle 7/6 pi per class),
/// minor thirds (r = 1, 3/2 pi) and major thirds (r = 0.5, 2/3 pi), as librosa builds `phi`.
/// n_chroma > 0. Returns [shape=(6, n_chroma)].
Eigen::ArrayXXd tonnetzBasis(int n_chroma = 12);

/// librosa.feature.tonnetz(chroma=chroma): the basis applied to each chroma column after L1
/// normalisation (columns with an L1 norm below the smallest normal float are used as they
/// are). chroma [shape=(n_chroma, t)], n_chroma > 0. Returns [shape=(6, t)].
Eigen::ArrayXXf tonnetzFromChroma(const Eigen::ArrayXXf& chroma);

/// librosa.feature.tonnetz(y=y, sr=sr, **kwargs): tonnetzFromChroma(chromaCqt(y, sr, params)).
/// Returns [shape=(6, t)].
Eigen::ArrayXXf tonnetz(const Eigen::ArrayXf& y, double sr = 22050.0,
                        const ChromaCqtParams& params = {});

} // namespace featurescope
