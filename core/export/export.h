// Exports: per-track frame tables and .npy matrices, the summary table, and the JSON sidecar that
// names the settings, the crop, the versions and the librosa call behind every output.
// Every file is written atomically (core/export/atomic_file.h): a failed or killed export leaves the
// previous file or none, never half a file.
#pragma once

#include "core/pipeline/analysis.h"
#include "core/export/csv.h"

#include <Eigen/Core>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// The matrices `.npy` export offers, in librosa's orientation, float32: mel (power), mel_db,
/// cqt (|cqt|), stft (|stft|), harmonic and percussive (|H|, |P| of HPSS), chroma (chroma_stft),
/// mfcc.
inline constexpr std::array<std::string_view, 8> kNpyOutputs{
    "mel", "mel_db", "cqt", "stft", "harmonic", "percussive", "chroma", "mfcc"};

/// Parses "mel,cqt,stft" (or "all"). Throws std::invalid_argument naming an unknown output.
std::vector<std::string> parseNpyOutputs(std::string_view list);

/// Output `name` of kNpyOutputs over the analysis's crop frames, [shape=(bins, crop frames)].
/// Throws std::invalid_argument when the analysis did not compute it.
Eigen::ArrayXXf exportMatrix(const Analysis& analysis, std::string_view name);

/// What to write per track.
struct TrackExports {
    bool frames = false;          ///< <stem>.frames.csv, the frame table
    std::vector<std::string> npy; ///< <stem>.<name>.npy for each name
};

/// Writes the chosen files beside `stem` (a path without extension; folders are created) and
/// the sidecar <stem>.json. `source` is the track's path as the summary names it. Returns the
/// files written, the sidecar last.
std::vector<std::filesystem::path> writeTrackExports(const Analysis& analysis,
                                                     const std::filesystem::path& stem,
                                                     std::string_view source,
                                                     const TrackExports& exports);

/// The files writeTrackExports writes for `stem` (`stem` + ".frames.csv", + "." + name + ".npy"
/// per matrix, + ".json" the sidecar, in that order); none when `exports` asks for nothing.
std::vector<std::filesystem::path> trackExportFiles(const std::filesystem::path& stem,
                                                    const TrackExports& exports);

/// The settings as a JSON object (librosa names).
std::string settingsJson(const AnalysisSettings& settings);

/// The sidecar of a summary table with `columns`: settings, crop policy, versions, the
/// statistics' definitions and the librosa call of every feature column.
std::string summarySidecarJson(const AnalysisSettings& settings,
                               const std::vector<std::string>& columns);

/// A JSON string literal (quotes included) for UTF-8 `text`; a byte that is not valid UTF-8
/// becomes U+FFFD, so that the JSON stays valid (names go through escapeName first, which keeps
/// them whole).
std::string jsonString(std::string_view text);

} // namespace featurescope
