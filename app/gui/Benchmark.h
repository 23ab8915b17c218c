// Benchmark hooks the lead's featurescope-bench calls through the featurescope executable.
#pragma once

#include <QString>

namespace featurescope {

class MainWindow;

/// --benchmark-open FILE: opens FILE in `window` and prints the milliseconds from the request
/// to the first spectrogram drawn on screen ("open_to_first_spectrogram_ms <ms>"). Returns the
/// exit code.
int benchmarkOpen(MainWindow& window, const QString& file);

/// --benchmark-pan: draws one pan step (a 10 s window moved by 0.5 s) of a waveform and an STFT
/// view at the same zoom over a one-minute and a one-hour signal synthesised in memory, and
/// prints the median milliseconds per frame for each ("pan_frame_ms 1min <ms> 1h <ms>").
int benchmarkPan();

} // namespace featurescope
