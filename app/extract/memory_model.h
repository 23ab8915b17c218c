// How much memory featurescope-extract needs: the model behind slurm-script's --mem.
//
// Measured (peak RSS, /usr/bin/time -v, featurescope-extract 0.1.0 Release, one track at a time
// with --jobs 1; mp3s cut from the demo track, 44.1 kHz stereo, lame 128 kbit/s; MiB):
//
//   settings                         30 s          3 min          10 min
//                                    meas. model   meas. model    meas.  model
//   defaults (sr 22050, 2048/512)     71.3    80   377.8   398   1232.5   1288
//   --npy all                         94.0   106   529.4   557   1737.8   1818
//   --n-fft 4096                         -     -   665.4   731   2241.9   2398
//   --hop-length 256                     -     -   665.7   731   2243.0   2399
//   --sr 44100                           -     -   741.5   746   2444.5   2450
//   --preset keras-melgram (crop)        -     -    55.4    72    151.8    168
//   --crop highlight:29.12               -     -       -     -    222.4    231
//   two 10 min tracks, --jobs 2          -     -       -     -   2204.3   2560
//
// A track costs what is proportional to its decoded samples (the native-rate mono decode and
// the signal at sr, 4 bytes each: measured 274 KiB/s of audio at sr 22050, 360 at 44100,
// 220 at 8000) plus what is proportional to its spectrogram bins (n_fft / 2 + 1 bins by sr /
// hop_length frames per second of the analysed signal: the STFT, HPSS layers, CQT, features,
// 44 bytes a bin; 21 more when --npy exports a spectrogram-sized matrix: stft, cqt, harmonic,
// percussive), plus the file's bytes, held whole up to 64 MiB (core/io/sound_file.h). n_mels,
// n_mfcc and the feature list change little (n_mels 256: +0.3 %) and are not in the model, which
// assumes every feature (the default) and so bounds a smaller selection from above.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "core/export/export.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace featurescope::extract {

/// What the model needs to know of one track (from its header: core/io/audio_info.h).
struct TrackSize {
    double seconds = 0.0;          ///< duration (>= 0)
    double sr_native = 44100.0;    ///< the file's own rate (> 0)
    std::uintmax_t file_bytes = 0; ///< size of the file
};

/// Peak bytes one track adds while it is analysed with `settings` and exported as `exports`.
std::uint64_t trackPeakBytes(const AnalysisSettings& settings, const TrackExports& exports,
                             const TrackSize& track);

/// Peak bytes of a featurescope-extract process analysing `tracks_at_once` tracks like `largest`
/// side by side (--jobs): the process's own 16 MiB plus each track's share.
std::uint64_t taskPeakBytes(const AnalysisSettings& settings, const TrackExports& exports,
                            const TrackSize& largest, int tracks_at_once);

/// Peak bytes of `featurescope-extract merge` over `tracks` rows of `columns` columns: it holds
/// the shards' tables as text and parses them for the z-scores. Measured over 4 shards of rows of
/// the default 583 columns: 10,000 tracks 724 MiB, 20,000 1441 MiB, 100,000 7060 MiB (98 s, 56 s
/// of CPU, on a local disk): 127 bytes a cell.
std::uint64_t mergePeakBytes(std::size_t tracks, std::size_t columns);

/// The summary table's column count under `settings` (its header, from a second of silence).
std::size_t summaryColumns(const AnalysisSettings& settings);

/// sbatch's --mem for a job whose model says `bytes`: 25 % more (allocator slack, a loaded
/// node's larger stage buffers), in MiB rounded up to 64, at least 256: "384M".
std::string slurmMem(std::uint64_t bytes);

} // namespace featurescope::extract
