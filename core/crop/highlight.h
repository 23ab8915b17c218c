// The energy highlight: where a fixed-length crop holds the most energy.
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// Parameters of `findHighlight`, with the framing librosa's rms uses.
struct HighlightParams {
    /// window length in seconds (> 0). The default is 29.12, the Keras audio_conv_utils crop.
    double seconds = 29.12;
    /// samples between frames (> 0). The default is 512.
    int hop_length = 512;
    /// samples per energy frame (> 0). The default is 2048.
    int frame_length = 2048;
    /// search only starts inside [first, last] seconds (a pop chorus usually sits between 60
    /// and 120 s); the window may extend past `last`. The default searches everywhere.
    std::optional<double> search_from;
    std::optional<double> search_to;
};

/// The chosen start, as a frame and in seconds (frame * hop_length / sr).
struct Highlight {
    Eigen::Index start_frame = 0;
    double start_s = 0.0;
};

/// Frame energy: the mean of squares over each centred, zero-padded frame (= librosa's
/// rms(y, frame_length, hop_length)**2), [shape=(t,)], accumulated in double.
Eigen::ArrayXd frameEnergy(const Eigen::ArrayXf& y, int frame_length = 2048, int hop_length = 512);

/// Mean frame energy of the window that starts at each frame, for every start at which a whole
/// window of round(seconds * sr / hop_length) frames fits ([shape=(t - w + 1,)]; a single start 0
/// when the track is shorter than the window).
Eigen::ArrayXd highlightScores(const Eigen::ArrayXf& y, double sr, const HighlightParams& params);

/// The start of the window of `seconds` whose mean frame energy is highest; ties go to the
/// earliest start. This is the definition of the reference manifest's `highlight` section.
/// Throws std::invalid_argument for sr <= 0, seconds <= 0 or a search range outside the track.
Highlight findHighlight(const Eigen::ArrayXf& y, double sr, const HighlightParams& params = {});

} // namespace featurescope
