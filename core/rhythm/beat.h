// Beat tracking by dynamic programming, librosa.beat.beat_track (librosa 0.10.2).
//
// Ellis, Daniel P. W. "Beat tracking by dynamic programming." Journal of New Music Research
// 36(1), 2007, pp. 51-60.
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// Beat tracking parameters with librosa's names and defaults (units='frames', sparse=True).
struct BeatTrackParams {
    /// sampling rate of the audio the onset envelope came from (sr > 0). The default is 22050.
    double sr = 22050.0;
    /// samples between onset-envelope frames (hop_length > 0). The default is 512.
    int hop_length = 512;
    /// centre of the tempo prior when the tempo is estimated (start_bpm > 0). The default is 120.
    double start_bpm = 120.0;
    /// how strictly beats keep to the tempo (tightness > 0). The default is 100.
    double tightness = 100.0;
    /// drop weak leading and trailing beats (below half the RMS of the smoothed beat strengths).
    /// The default is true.
    bool trim = true;
    /// the tempo in BPM (bpm > 0); std::nullopt estimates it with
    /// tempo(onset_envelope, {sr, hop_length, start_bpm}). The default is std::nullopt.
    std::optional<double> bpm;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
};

/// The result of beatTrack: librosa's (tempo, beats) pair.
struct BeatTrack {
    /// the tempo in BPM the tracker followed; 0 for an all-zero onset envelope.
    double tempo = 0.0;
    /// beat positions as onset-envelope frame indices, increasing; empty for an all-zero
    /// envelope. Frame t is at t * hop_length / sr seconds.
    Eigen::ArrayXi beats;
};

/// librosa.beat.beat_track(onset_envelope=..., sr, hop_length, start_bpm, tightness, trim, bpm,
/// units='frames'): the onset envelope normalised by its standard deviation (ddof=1), smoothed by
/// a Gaussian of one beat period, a dynamic program over beat predecessors between 1/2 and 2
/// periods back with penalty tightness * log(gap / period)^2, the last beat chosen as the last
/// local maximum of the cumulative score reaching half the median of those maxima, then
/// back-tracked, then (trim) frames with weak local score removed at both ends.
/// onset_envelope: [shape=(n,)].
BeatTrack beatTrack(const Eigen::ArrayXf& onset_envelope, const BeatTrackParams& params = {});

} // namespace featurescope
