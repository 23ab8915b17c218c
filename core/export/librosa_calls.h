// The librosa calls that reproduce each output, written into every export's JSON sidecar so a
// student can redo any number in Python.
#pragma once

#include "core/pipeline/analysis.h"

#include <string>
#include <string_view>

namespace featurescope {

/// Python lines that set up `path`, `y`, `sr` and, as the routing needs them, `y_h` / `y_p`
/// (the harmonic and percussive signals) for the track at `path`, including the crop when
/// settings.crop_signal: `crop` is this track's (its first sample is written out), or
/// std::nullopt for a table of many tracks, which gets the crop's rule (center: the middle
/// int(D * sr) samples; start: from round(T * sr); highlight: from the row's
/// crop_start_sample), then librosa.util.fix_length to int(D * sr). Starts with
/// "import librosa\nimport numpy as np\n".
std::string librosaSetup(const AnalysisSettings& settings, const std::optional<Crop>& crop,
                         std::string_view path);

/// The Python expression (using the names librosaSetup defines) that gives output `name`:
/// an export ("mel", "mel_db", "cqt", "stft", "harmonic", "percussive", "chroma", "mfcc", ...)
/// or a feature curve family ("spectral_centroid", "mfcc", "chroma", "chroma_cqt", "tonnetz",
/// "onset_strength", "tempo", ...). Empty for an unknown name.
std::string librosaCall(std::string_view name, const AnalysisSettings& settings);

/// The curve family of a curve row name: "mfcc_3" -> "mfcc", "chroma_C#" -> "chroma",
/// "spectral_contrast_2" -> "spectral_contrast", "zero_crossing_rate" -> itself.
std::string curveFamily(std::string_view row_name);

} // namespace featurescope
