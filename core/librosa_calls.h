// The librosa calls that reproduce each output, written into every export's JSON sidecar so a
// student can redo any number in Python.
#pragma once

#include "core/analysis.h"

#include <string>
#include <string_view>

namespace featurescope {

/// Python lines that set up `y`, `sr` and, as the routing needs them, `y_h` / `y_p` (the
/// harmonic and percussive signals) for the track at `path`, including the crop when
/// settings.crop_signal. Starts with "import librosa\nimport numpy as np\n".
std::string librosaSetup(const AnalysisSettings& settings, const Crop& crop, std::string_view path);

/// The Python expression (using the names librosaSetup defines) that gives output `name`:
/// an export ("mel", "mel_db", "cqt", "stft", "harmonic", "percussive", "chroma", "mfcc", ...)
/// or a feature curve family ("spectral_centroid", "mfcc", "chroma", "chroma_cqt", "tonnetz",
/// "onset_strength", "tempo", ...). Empty for an unknown name.
std::string librosaCall(std::string_view name, const AnalysisSettings& settings);

/// The curve family of a curve row name: "mfcc_3" -> "mfcc", "chroma_C#" -> "chroma",
/// "spectral_contrast_2" -> "spectral_contrast", "zero_crossing_rate" -> itself.
std::string curveFamily(std::string_view row_name);

} // namespace featurescope
