// Global and per-frame tempo estimation from an onset envelope, librosa.feature.tempo.
//
// The autocorrelation tempogram weighted by a log-normal prior over tempo, after
// Ellis, Daniel P. W. "Beat tracking by dynamic programming." Journal of New Music Research
// 36(1), 2007, pp. 51-60.
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// Tempo estimation parameters with librosa's names and defaults. The prior is librosa's default
/// pseudo-log-normal one: log weight -0.5 * ((log2(bpm) - log2(start_bpm)) / std_bpm)^2.
struct TempoParams {
    /// sampling rate of the audio the onset envelope came from (sr > 0). The default is 22050.
    double sr = 22050.0;
    /// samples between onset-envelope frames (hop_length > 0). The default is 512.
    int hop_length = 512;
    /// centre of the tempo prior in BPM (start_bpm > 0). The default is 120.
    double start_bpm = 120.0;
    /// width of the prior in octaves (std_bpm > 0). The default is 1.0.
    double std_bpm = 1.0;
    /// autocorrelation window in seconds (ac_size > 0); the tempogram's win_length is
    /// floor(int(ac_size * sr) / hop_length) frames (librosa.time_to_frames), at least 1.
    /// The default is 8.0 (344 frames at 22050 Hz, hop 512).
    double ac_size = 8.0;
    /// only tempi strictly below this are candidates (max_tempo > 0); std::nullopt disables the
    /// limit. The default is 320.
    std::optional<double> max_tempo = 320.0;

    /// Throws std::invalid_argument stating the broken rule.
    void validate() const;
    /// The tempogram window, in frames, that ac_size makes.
    int winLength() const;
};

/// librosa.feature.tempo(onset_envelope=..., sr, hop_length, start_bpm, std_bpm, ac_size,
/// max_tempo, aggregate=np.mean): the tempogram (center=True, hann, norm=inf) averaged over time,
/// then the lag maximising log1p(1e6 * acf) + log prior, returned in BPM (one of
/// tempoFrequencies' values). An all-zero envelope gives the prior's peak bin (a finite tempo).
/// onset_envelope: [shape=(n,)], n >= 1.
double tempo(const Eigen::ArrayXf& onset_envelope, const TempoParams& params = {});

/// librosa.feature.tempo(..., aggregate=None): the same estimate made independently for every
/// frame, [shape=(n,)].
Eigen::ArrayXd dynamicTempo(const Eigen::ArrayXf& onset_envelope, const TempoParams& params = {});

} // namespace featurescope
