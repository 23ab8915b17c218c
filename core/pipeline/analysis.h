// The analysis pipeline: AnalysisSettings in, an immutable Analysis out.
//
// The pipeline is a graph of stages (load, stft, hpss, mel, cqt, chroma, ...). Each stage names
// its inputs and the settings it depends on; stages whose inputs are ready run in parallel on
// `settings.threads` workers. Given the previous Analysis, a stage whose inputs and settings are
// unchanged is reused, not recomputed (changing n_mels reruns mel, mel_db, mfcc, ... but not the
// STFT, HPSS or CQT); reused results are shared, not copied.
#pragma once

#include "core/pipeline/analysis_settings.h"
#include "core/io/audio.h"
#include "core/crop/crop.h"
#include "core/spectrum/stft.h"

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace featurescope {

/// Thrown by runAnalysis when its stop_token was triggered; nothing is returned.
class AnalysisCancelled : public std::runtime_error {
public:
    AnalysisCancelled()
        : std::runtime_error("analysis cancelled") {}
};

/// Progress: `fraction` in [0, 1] of the stages done, and the name of the stage just finished
/// ("stft", "hpss", "mel", ...). Called on the thread that called runAnalysis, never
/// concurrently; it must be cheap (post to the GUI thread, don't draw).
using ProgressCallback = std::function<void(double fraction, std::string_view stage)>;

/// Feature curves as named rows, librosa names: spectral_centroid, spectral_bandwidth,
/// spectral_rolloff, spectral_flatness, spectral_contrast_0.._6, rms, zero_crossing_rate,
/// mfcc_0..mfcc_19, mfcc_delta_0.., chroma_C..chroma_B (chroma_stft), chroma_cqt_C..chroma_cqt_B,
/// tonnetz_0..tonnetz_5, onset_strength — in that order, those computed.
/// [shape=(n_features, t)], one column per frame.
struct FeatureCurves {
    std::vector<std::string> names;
    Eigen::ArrayXXf values;

    /// The row of `name`, or -1.
    Eigen::Index find(std::string_view name) const;
};

/// One stage's record in an Analysis. `run_id` is unique per computation: a stage reused from
/// the previous Analysis keeps the previous run_id (that is how a test counts reruns).
struct StageRun {
    std::string name;
    std::uint64_t run_id = 0;
    bool reused = false;
    double seconds = 0.0;     ///< wall time of the computation (0 when reused)
    double started = 0.0;     ///< when it began, seconds after the run started (0 when reused)
    double cpu_seconds = 0.0; ///< CPU time of the computation (0 when reused)
};

/// The result of runAnalysis: immutable, cheap to share across threads
/// (std::shared_ptr<const Analysis>). Every matrix is in librosa's orientation (rows = bins or
/// coefficients, columns = frames); an output not selected in settings().features, or not yet
/// available in this build, is an empty matrix.
class Analysis {
public:
    const AnalysisSettings& settings() const { return settings_; }
    /// The file analysed; empty when runAnalysis was given samples.
    const std::filesystem::path& path() const { return path_; }

    /// The analysed signal at settings().sr, mono (the crop when settings().crop_signal).
    const Eigen::ArrayXf& y() const;
    double sr() const { return settings_.sr; }
    /// Length of y() in seconds.
    double duration() const;
    /// Length of the whole decoded track in seconds (before any crop_signal).
    double trackDuration() const { return track_duration_; }
    /// Frames t of every frame-wise output.
    Eigen::Index frameCount() const;
    /// librosa.frames_to_time(range(t), sr, hop_length), [shape=(t,)].
    Eigen::ArrayXd frameTimes() const;

    /// librosa.stft(y, n_fft, hop_length), [shape=(1 + n_fft/2, t)].
    const ComplexSpectrogram& stft() const;
    /// |stft|, [shape=(1 + n_fft/2, t)].
    const Eigen::ArrayXXf& stftMagnitude() const;
    /// amplitude_to_db(|stft|, ref, top_db), [shape=(1 + n_fft/2, t)].
    const Eigen::ArrayXXf& stftDb() const;
    /// melspectrogram(S=|stft|**2, sr, n_mels, fmin, fmax, htk), [shape=(n_mels, t)].
    const Eigen::ArrayXXf& mel() const;
    /// power_to_db(mel, ref, top_db), [shape=(n_mels, t)].
    const Eigen::ArrayXXf& melDb() const;
    /// |cqt(y, sr, hop_length, fmin, n_bins, bins_per_octave)|, [shape=(n_bins, t)].
    const Eigen::ArrayXXf& cqt() const;
    /// amplitude_to_db(|cqt|, ref=np.max), [shape=(n_bins, t)].
    const Eigen::ArrayXXf& cqtDb() const;

    /// librosa.effects.harmonic(y) / percussive(y): istft of HPSS's layers, [shape=(len(y),)].
    const Eigen::ArrayXf& harmonic() const;
    const Eigen::ArrayXf& percussive() const;
    /// |H| and |P| of decompose.hpss(stft(y), kernel_size, margin), [shape=(1 + n_fft/2, t)].
    const Eigen::ArrayXXf& harmonicMagnitude() const;
    const Eigen::ArrayXXf& percussiveMagnitude() const;

    /// chroma_stft of the routed signal, [shape=(n_chroma, t)].
    const Eigen::ArrayXXf& chroma() const;
    /// chroma_cqt of the routed signal, [shape=(n_chroma, t)].
    const Eigen::ArrayXXf& chromaCqt() const;
    /// tonnetz of the routed signal, [shape=(6, t)].
    const Eigen::ArrayXXf& tonnetz() const;
    /// mfcc of the routed signal, [shape=(n_mfcc, t)]; mfccDelta() its delta (width 9).
    const Eigen::ArrayXXf& mfcc() const;
    const Eigen::ArrayXXf& mfccDelta() const;

    /// onset_strength of the routed signal, [shape=(t,)].
    const Eigen::ArrayXf& onsetEnvelope() const;
    /// feature.tempo(onset_envelope, sr, hop_length) in BPM; 0 when not computed.
    double tempo() const;
    /// beat_track(onset_envelope, sr, hop_length) beat frames, [shape=(n_beats,)].
    const Eigen::ArrayXi& beats() const;
    /// tempogram(onset_envelope, sr, hop_length), [shape=(384, t)].
    const Eigen::ArrayXXf& tempogram() const;

    /// Every frame-wise feature curve, named as librosa names it.
    const FeatureCurves& curves() const;
    /// The crop chosen by settings().crop, in this Analysis's samples and frames.
    const Crop& crop() const { return crop_; }

    /// Every stage of this run, in completion order.
    const std::vector<StageRun>& stages() const { return stages_; }
    /// The run id of stage `name` ("stft", "hpss", "mel", ...), or nothing if it did not run.
    std::optional<std::uint64_t> stageRunId(std::string_view name) const;

    /// Stage results by stage name, shared with later Analyses that reuse them. Internal to the
    /// pipeline (core/pipeline/analysis.cpp); use the typed accessors above.
    struct Stored {
        std::string fingerprint;
        std::shared_ptr<const void> value;
        std::uint64_t run_id = 0;
    };

private:
    friend class AnalysisBuilder;
    template <typename T> const T& get(std::string_view name) const;

    AnalysisSettings settings_;
    std::filesystem::path path_;
    double track_duration_ = 0.0;
    Crop crop_;
    std::map<std::string, Stored, std::less<>> results_;
    std::vector<StageRun> stages_;
};

/// Decodes `path` (core/io/audio.h: load at settings.sr, mono) and runs every selected stage.
/// `progress` is told after each stage. A stop request reaches the stages at once: the DSP
/// loops check it through core/util/cancellation.h, the stages in flight stop, and the call throws
/// AnalysisCancelled once they have (within ~100 ms at any stage; no stage of the run is still
/// computing when it returns). With `previous`,
/// stages whose inputs and settings are unchanged are taken from it instead of recomputed.
/// Throws AudioError for an unreadable file, std::invalid_argument for invalid settings, and
/// whatever a stage throws (std::invalid_argument for a parameter the track cannot satisfy).
std::shared_ptr<const Analysis> runAnalysis(const std::filesystem::path& path,
                                            const AnalysisSettings& settings,
                                            const ProgressCallback& progress = {},
                                            std::stop_token stop = {},
                                            std::shared_ptr<const Analysis> previous = nullptr);

/// The same for decoded samples: `audio` is downmixed to mono (mean of channels) and resampled
/// to settings.sr when its rate differs.
std::shared_ptr<const Analysis> runAnalysis(const Audio& audio, const AnalysisSettings& settings,
                                            const ProgressCallback& progress = {},
                                            std::stop_token stop = {},
                                            std::shared_ptr<const Analysis> previous = nullptr);

} // namespace featurescope
