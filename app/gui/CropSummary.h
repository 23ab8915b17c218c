// The summary panel's numbers: every feature curve's statistics over the crop, from the frames
// core's crop policy (start:T:D) selects, so the panel and featurescope-extract agree.
#pragma once

#include "core/pipeline/analysis.h"
#include "widgets/SummaryPanel.h"

namespace featurescope {

/// The frames [first, first + count) of `analysis` inside the crop [start, start + duration] s,
/// chosen by core's chooseCrop exactly as the CLI's --crop start:T:D chooses them.
Crop cropOf(const Analysis& analysis, double start, double duration);

/// core's summary statistics (kSummaryStats) of every curve over cropOf(start, duration): one
/// row per feature. Cheap enough to run
/// on every mouse move (a crop is a few thousand frames).
SummaryTable cropSummary(const Analysis& analysis, double start, double duration);

} // namespace featurescope
