// AnalysisSettings: every parameter of the pipeline, with librosa's names and defaults.
#pragma once

#include "core/feature/chroma_cqt.h"
#include "core/crop/crop.h"
#include "core/pipeline/routing.h"
#include "core/feature/spectral_contrast.h"

#include <optional>
#include <string>
#include <string_view>

namespace featurescope {

/// Which outputs the pipeline computes. The STFT, its magnitude and the crop are always computed;
/// a feature off here is absent from the Analysis (its accessor returns an empty matrix). The
/// defaults compute everything.
struct FeatureSelection {
    bool mel = true;               ///< melspectrogram and mel_db
    bool mfcc = true;              ///< mfcc, mfcc_0 .. mfcc_{n_mfcc-1}
    bool mfcc_delta = false;       ///< delta(mfcc), mfcc_delta_0 ..; off by default
    bool spectral = true;          ///< spectral_centroid, _bandwidth, _rolloff, _flatness
    bool spectral_contrast = true; ///< spectral_contrast_0 .. _6
    bool rms = true;               ///< rms
    bool zcr = true;               ///< zero_crossing_rate
    bool chroma_stft = true;       ///< chroma_C .. chroma_B
    bool cqt = true;               ///< |cqt| (display) and cqt_db
    bool chroma_cqt = true;        ///< chroma_cqt_C .. chroma_cqt_B
    bool tonnetz = true;           ///< tonnetz_0 .. tonnetz_5
    bool hpss = true;              ///< harmonic / percussive layers (forced on if routing needs it)
    bool onset_strength = true;    ///< onset_strength
    bool tempo = true;             ///< tempo (bpm)
    bool beats = true;             ///< beat frames (beat_track)
    bool tempogram = true;         ///< tempogram (autocorrelation)
    /// stft_db, cqt_db and |H|, |P| (with hpss): the spectrograms the GUI draws, which no
    /// feature reads; the CLI turns them off unless it exports them.
    bool views = true;

    bool operator==(const FeatureSelection&) const = default;
    /// Nothing but the STFT.
    static FeatureSelection none();
    /// This selection without what neither the summary table nor the frame table reads: the
    /// views and |cqt| (chroma_cqt has its own CQT), which only a window draws or an export
    /// writes, and the beat frames and the tempogram, which no table has a column for (tempo
    /// stays: it is a summary column). What featurescope-extract computes.
    FeatureSelection forTables() const;
    /// Comma-separated names above ("mel,mfcc,chroma_stft"), or "all". Throws
    /// std::invalid_argument naming an unknown feature.
    static FeatureSelection parse(std::string_view text);
    std::string toString() const;
};

/// How mel_db (and stft_db) are referenced: librosa's `ref=np.max` (the default view) or
/// `ref=1.0` (absolute dB, the Keras compute_melgram input).
enum class DbReference { max, one };

/// Every parameter of runAnalysis. Names and defaults are librosa 0.10.2's.
struct AnalysisSettings {
    // --- signal ---------------------------------------------------------------------------
    /// target sampling rate in Hz (1000 <= sr <= 768000); the track is resampled (soxr_hq). The
    /// default is 22050.
    double sr = 22050.0;

    // --- stft -----------------------------------------------------------------------------
    /// FFT length (2 <= n_fft <= 65536). The default is 2048.
    int n_fft = 2048;
    /// samples between frames (hop_length >= 1 and >= n_fft / 64, rounded up: a cost bound). The
    /// default is 512.
    int hop_length = 512;

    // --- mel ------------------------------------------------------------------------------
    /// mel bands (1 <= n_mels <= 2 * (1 + n_fft / 2): more leave bands with no FFT bin). The
    /// default is 128.
    int n_mels = 128;
    /// lowest mel frequency in Hz (0 <= mel_fmin < mel_fmax). librosa's `fmin` of
    /// melspectrogram; the default is 0.
    double mel_fmin = 0.0;
    /// highest mel frequency in Hz (mel_fmin < mel_fmax <= sr / 2); unset means sr / 2 (librosa's
    /// fmax=None).
    std::optional<double> mel_fmax;
    /// HTK mel scale instead of Slaney's. The default is false.
    bool htk = false;
    /// power_to_db ref for mel_db and amplitude_to_db ref for stft_db. The default is np.max.
    DbReference db_ref = DbReference::max;
    /// dB floor below the peak (top_db >= 0); unset means no floor (top_db=None). The default
    /// is 80.
    std::optional<double> top_db = 80.0;
    /// mel_db = power_to_db(mel ** mel_db_power, ref, top_db), mel_db_power 1 or 2. 1 is
    /// librosa's power_to_db(mel); 2 is Keras' audio_conv_utils.compute_melgram, which squares
    /// the mel power before its logamplitude. MFCC always reads power_to_db(mel), as
    /// librosa.feature.mfcc does. The default is 1.
    int mel_db_power = 1;

    // --- mfcc -----------------------------------------------------------------------------
    /// cepstral coefficients (1 <= n_mfcc <= n_mels). The default is 20.
    int n_mfcc = 20;

    // --- cqt ------------------------------------------------------------------------------
    /// lowest CQT frequency in Hz (fmin > 0). librosa's `fmin` of cqt; the default is C1 =
    /// 32.70319566257483 Hz.
    double fmin = 32.70319566257483;
    /// CQT bins (n_bins > 0; with the cqt feature, every filter below sr / 2). The default is 84
    /// (7 octaves).
    int n_bins = 84;
    /// CQT bins per octave (1 <= bins_per_octave <= 1200). The default is 12.
    int bins_per_octave = 12;

    // --- chroma ---------------------------------------------------------------------------
    /// chroma bins (n_chroma > 0). The default is 12.
    int n_chroma = 12;
    /// tuning deviation in fractions of a bin (-0.5 <= tuning < 0.5); unset means estimated
    /// from the signal (librosa's tuning=None). The default is unset.
    std::optional<double> tuning;

    // --- hpss -----------------------------------------------------------------------------
    /// median filter length in frames / bins (1 <= kernel_size <= 1025: a cost bound). The default
    /// is 31.
    int kernel_size = 31;
    /// mask margin (finite, margin >= 1). The default is 1.
    double margin = 1.0;

    // --- what, from where, which part -----------------------------------------------------
    FeatureSelection features;
    Routing routing;
    /// The crop the summary and the exports describe. The default is none (the whole track).
    CropPolicy crop;
    /// Analyse only the cropped signal (zero-padded to the crop's length), as Keras's
    /// compute_melgram and the GTZAN tutorials do, instead of the whole track. Every output then
    /// has the crop's frame count. The default is false (the GUI analyses the whole track).
    bool crop_signal = false;

    // --- execution ------------------------------------------------------------------------
    /// worker threads for independent stages (>= 1), and the most threads a stage's own parallel
    /// loops may use; 0 means every core. The default is 0. Does not change any number.
    int threads = 0;

    bool operator==(const AnalysisSettings&) const = default;
    /// Throws std::invalid_argument stating the first broken rule: each field's range above, and
    /// the rules of the selected features that the settings alone decide (spectral_contrast's
    /// bands below Nyquist, the cqt feature's filters below Nyquist, tempo's window spanning a
    /// frame, chroma_cqt's 36 bins per octave a multiple of n_chroma, a crop of a sample or
    /// more), so that no track fails for a reason every track shares.
    void validate() const;

    /// chroma_cqt's parameters under these settings: hop_length, n_chroma, tuning, and
    /// librosa's 7 octaves from C1 fitted below Nyquist (octavesBelowNyquist: 6 at sr 8000), so
    /// that a low sampling rate never makes chroma_cqt, which the user did not configure, fail
    /// every track. The pipeline, the recorded librosa call and the window's Settings read it.
    ChromaCqtParams chromaCqtParams() const;
    /// spectral_contrast's parameters: librosa's defaults with n_bands fitted below Nyquist
    /// (bandsBelowNyquist: 5 at sr 8000 or 12000), for the same reason.
    SpectralContrastParams spectralContrastParams() const;

    /// librosa's defaults (this struct's defaults).
    static AnalysisSettings librosaPreset();
    /// Keras' audio_conv_utils.compute_melgram: sr 12000, n_fft 512, hop 256, 96 mel bands,
    /// mel_db = power_to_db(mel**2, ref=1.0), the centre 29.12 s (crop_signal on: zeros appended
    /// to a shorter track, the middle int(29.12 * sr) samples of a longer one); spectral_contrast
    /// off (its top band would lie past the 6 kHz Nyquist, which librosa refuses).
    static AnalysisSettings kerasMelgramPreset();
    /// "librosa" or "keras-melgram". Throws std::invalid_argument for another name.
    static AnalysisSettings preset(std::string_view name);
};

} // namespace featurescope
