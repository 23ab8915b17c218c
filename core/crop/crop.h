// Crop policies: which part of a track the summary and the exports describe.
#pragma once

#include <Eigen/Core>

#include <optional>
#include <string>
#include <string_view>

namespace featurescope {

/// How to choose the crop.
///   none          the whole track
///   center:D      the centre D seconds, zero-padded when the track is shorter (the Keras
///                 audio_conv_utils crop; 29.12 s at 12 kHz / hop 256 gives its 1366 frames)
///   start:T:D     D seconds from T seconds, zero-padded past the end
///   highlight:D   the D seconds with the highest mean frame energy (core/crop/highlight.h);
///   highlight:D@A-B  the same, searching only starts between A and B seconds
struct CropPolicy {
    enum class Kind { none, center, start, highlight };
    Kind kind = Kind::none;
    /// crop length in seconds (0 < duration <= kMaxSeconds) for center, start and highlight.
    double duration = 29.12;
    /// start in seconds (>= 0) for start:T:D.
    double start = 0.0;
    /// highlight search range in seconds (search_from <= search_to); unset = the whole track.
    std::optional<double> search_from;
    std::optional<double> search_to;

    bool operator==(const CropPolicy&) const = default;

    /// Parses "none", "center:29.12", "start:30:10", "highlight:29.12" or
    /// "highlight:29.12@60-120". Throws std::invalid_argument stating the accepted forms.
    static CropPolicy parse(std::string_view text);
    /// The text form parse() reads back, with numbers written as %.9g.
    std::string toString() const;
    /// The longest duration, start or search bound, in seconds: a day.
    static constexpr double kMaxSeconds = 86400.0;
    /// Throws std::invalid_argument unless 0 < duration <= kMaxSeconds, 0 <= start <=
    /// kMaxSeconds and 0 <= search_from <= search_to <= kMaxSeconds (NaN and inf refused).
    void validate() const;
};

/// A chosen crop. In samples it may reach before 0 or past the end of the signal (a crop longer
/// than the track): those samples are zeros. In frames it is clipped to the frames that exist.
struct Crop {
    CropPolicy policy;
    /// first sample of the crop (< 0 when zero padding comes first, as for center:D on a short
    /// track).
    Eigen::Index start_sample = 0;
    /// crop length in samples.
    Eigen::Index n_samples = 0;
    /// start_sample / sr and n_samples / sr.
    double start_s = 0.0;
    double duration_s = 0.0;
    /// the analysis frames inside the crop: frame t is centred at t * hop_length, so these are
    /// round(start_sample / hop) .. that + 1 + n_samples / hop, clipped to [0, n_frames).
    Eigen::Index start_frame = 0;
    Eigen::Index n_frames = 0;
};

/// Chooses the crop of `y` (at `sr`, analysed with `hop_length` / `frame_length` = n_fft) that
/// `policy` describes, for a feature matrix of `n_frames` columns.
/// Throws std::invalid_argument for an invalid policy or a highlight range outside the track.
Crop chooseCrop(const CropPolicy& policy, const Eigen::ArrayXf& y, double sr, int hop_length,
                int frame_length, Eigen::Index n_frames);

/// The samples of `y` inside `crop`, zero-padded where the crop reaches past either end,
/// [shape=(crop.n_samples,)].
Eigen::ArrayXf cropSignal(const Eigen::ArrayXf& y, const Crop& crop);

} // namespace featurescope
