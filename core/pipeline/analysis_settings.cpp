#include "core/pipeline/analysis_settings.h"

#include "core/feature/chroma_cqt.h"
#include "core/spectrum/cqt_filters.h"
#include "core/feature/spectral_contrast.h"
#include "core/rhythm/tempo.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace featurescope {

namespace {

using Flag = bool FeatureSelection::*;
constexpr std::array<std::pair<std::string_view, Flag>, 17> kFlags{{
    {"mel", &FeatureSelection::mel},
    {"mfcc", &FeatureSelection::mfcc},
    {"mfcc_delta", &FeatureSelection::mfcc_delta},
    {"spectral", &FeatureSelection::spectral},
    {"spectral_contrast", &FeatureSelection::spectral_contrast},
    {"rms", &FeatureSelection::rms},
    {"zcr", &FeatureSelection::zcr},
    {"chroma_stft", &FeatureSelection::chroma_stft},
    {"cqt", &FeatureSelection::cqt},
    {"chroma_cqt", &FeatureSelection::chroma_cqt},
    {"tonnetz", &FeatureSelection::tonnetz},
    {"hpss", &FeatureSelection::hpss},
    {"onset_strength", &FeatureSelection::onset_strength},
    {"tempo", &FeatureSelection::tempo},
    {"beats", &FeatureSelection::beats},
    {"tempogram", &FeatureSelection::tempogram},
    {"views", &FeatureSelection::views},
}};

void require(bool rule, const std::string& message) {
    if (!rule) throw std::invalid_argument(message);
}

/// A number in a message, the same in every locale: a given value exactly, a derived one (a
/// frequency, a duration) to `digits` significant digits.
std::string num(double value, int digits = 0) {
    char buffer[32];
    const auto end = digits ? std::to_chars(buffer, buffer + sizeof buffer, value,
                                            std::chars_format::general, digits)
                                  .ptr
                            : std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);
}

std::string num(int value) {
    return std::to_string(value);
}

/// sr's range: below 1 kHz no band of music is left (tuning estimation searches 150 Hz up);
/// above 768 kHz, the highest rate audio hardware records, a track would be resampled into
/// more samples than any feature resolves, at a cost that grows with sr.
constexpr double kMinSr = 1000.0;
constexpr double kMaxSr = 768000.0;
/// 3 s at 22050 Hz: longer frames blur every feature over seconds.
constexpr int kMaxNfft = 65536;
constexpr int kMaxOverlap = 64;
constexpr int kMaxKernel = 1025;

/// The rules of the features `s` computes that depend on the settings alone.
void validateFeatures(const AnalysisSettings& s) {
    const FeatureSelection& f = s.features;
    const double nyquist = s.sr / 2.0;
    if (f.spectral_contrast) {
        // librosa's spectral_contrast (fmin 200, n_bands 6, fitted below Nyquist by
        // spectralContrastParams): at least its first band edge below Nyquist; and a bin in its
        // first band, 0..200 Hz.
        const SpectralContrastParams contrast = s.spectralContrastParams();
        require(contrast.fmin < nyquist, "spectral_contrast needs sr > " + num(2 * contrast.fmin) +
                                             " Hz (its first band edge below sr / 2), got " +
                                             num(s.sr) + "; leave it out of the features or raise sr");
        require(s.sr / s.n_fft <= contrast.fmin,
                "spectral_contrast needs n_fft >= sr / " + num(contrast.fmin) + " (" +
                    num(std::ceil(s.sr / contrast.fmin), 6) + ": a bin in its first band, 0.." +
                    num(contrast.fmin) + " Hz), got " + num(s.n_fft));
    }
    if (f.tempo || f.beats) {
        // The tempo's 8-second autocorrelation window must span a frame.
        const TempoParams tempo;
        require(s.hop_length <= std::trunc(tempo.ac_size * s.sr),
                "tempo needs hop_length <= " + num(tempo.ac_size) + " s * sr (" +
                    num(std::trunc(tempo.ac_size * s.sr), 9) + "), got " + num(s.hop_length));
    }
    if (f.chroma_cqt || f.tonnetz) {
        const ChromaCqtParams chroma;
        require(chroma.bins_per_octave % s.n_chroma == 0,
                "chroma_cqt needs n_chroma to divide its " + num(chroma.bins_per_octave) +
                    " bins per octave, got " + num(s.n_chroma));
    }
    // The CQT of the settings (the cqt feature: the window's view, --npy cqt): librosa refuses a
    // wavelet that reaches past Nyquist. chroma_cqt and tonnetz run librosa's own CQT (C1, 36
    // bins per octave), which fmin, n_bins and bins_per_octave do not change, and which fits its
    // octaves below Nyquist itself.
    if (f.cqt) {
        // The top bin alone first: a huge n_bins must not be allocated to be refused.
        const double top = s.fmin * std::exp2(double(s.n_bins - 1) / s.bins_per_octave);
        require(top < nyquist, "the CQT's filters must stay below sr / 2 = " + num(nyquist) +
                                   " Hz: its top bin, fmin * 2^((n_bins - 1) / "
                                   "bins_per_octave), is " +
                                   num(top, 6) + " Hz; lower n_bins or fmin, or raise sr");
        const Eigen::ArrayXd freqs = cqtFrequencies(s.n_bins, s.fmin, s.bins_per_octave);
        const Eigen::ArrayXd alpha =
            s.n_bins == 1 ? Eigen::ArrayXd::Constant(1, equalTemperedBandwidth(s.bins_per_octave))
                          : relativeBandwidth(freqs);
        const double cutoff = waveletLengths(freqs, s.sr, alpha).f_cutoff;
        require(cutoff <= nyquist,
                "the CQT's filters must stay below sr / 2 = " + num(nyquist) +
                    " Hz: its top bin, fmin * 2^((n_bins - 1) / bins_per_octave) = " +
                    num(freqs[freqs.size() - 1], 6) + " Hz, reaches " + num(cutoff, 6) +
                    " Hz; lower n_bins or fmin, or raise sr");
    }
}

} // namespace

FeatureSelection FeatureSelection::none() {
    FeatureSelection selection;
    for (const auto& [name, flag] : kFlags)
        selection.*flag = false;
    return selection;
}

FeatureSelection FeatureSelection::forTables() const {
    FeatureSelection selection = *this;
    selection.views = false;
    selection.cqt = false;
    selection.beats = false;
    selection.tempogram = false;
    return selection;
}

FeatureSelection FeatureSelection::parse(std::string_view text) {
    if (text == "all") {
        FeatureSelection all;
        all.mfcc_delta = true;
        return all;
    }
    FeatureSelection selection = none();
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto name = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (name.empty()) continue;
        bool known = false;
        for (const auto& [flag_name, flag] : kFlags)
            if (flag_name == name) {
                selection.*flag = true;
                known = true;
            }
        if (!known)
            throw std::invalid_argument(
                "features are a comma-separated list of mel, mfcc, mfcc_delta, spectral, "
                "spectral_contrast, rms, zcr, chroma_stft, cqt, chroma_cqt, tonnetz, hpss, "
                "onset_strength, tempo, beats, tempogram, views (or all); not '" +
                std::string(name) + "'");
    }
    return selection;
}

std::string FeatureSelection::toString() const {
    std::string text;
    for (const auto& [name, flag] : kFlags)
        if (this->*flag) {
            if (!text.empty()) text += ',';
            text += name;
        }
    return text;
}

void AnalysisSettings::validate() const {
    // The ranges librosa's calls refuse (or answer with empty or NaN rows for every track), and
    // bounds on what one track may cost; each message states its rule and the value given.
    require(sr >= kMinSr && sr <= kMaxSr,
            "sr must be between " + num(kMinSr) + " and " + num(kMaxSr) + " Hz, got " + num(sr));
    require(n_fft >= 2 && n_fft <= kMaxNfft,
            "n_fft must be between 2 and " + num(kMaxNfft) + ", got " + num(n_fft));
    // Frames overlapping more than 64-fold make the spectrogram, and every feature read from
    // it, over 16 times the default's size per second of audio (about 27 MB and 50 ms per
    // second at n_fft 2048, hop 32); hop 1 would take gigabytes for a 30-second clip.
    const int min_hop = (n_fft + kMaxOverlap - 1) / kMaxOverlap;
    require(hop_length >= std::max(1, min_hop), "hop_length must be >= 1 and >= n_fft / " +
                                                    num(kMaxOverlap) + " (" + num(min_hop) +
                                                    "), got " + num(hop_length));
    const int n_bins_fft = 1 + n_fft / 2;
    // Every FFT bin lies in at most two mel triangles: more bands than twice the bins are
    // certain to leave some empty (librosa warns "Empty filters detected").
    require(n_mels >= 1 && n_mels <= 2 * n_bins_fft,
            "n_mels must be between 1 and 2 * (1 + n_fft / 2) = " + num(2 * n_bins_fft) + ", got " +
                num(n_mels));
    const double nyquist = sr / 2.0;
    require(!mel_fmax || (*mel_fmax > 0.0 && *mel_fmax <= nyquist),
            "mel_fmax must be > 0 and <= sr / 2 (" + num(nyquist) + " Hz), got " +
                num(mel_fmax.value_or(0.0)));
    const double fmax = mel_fmax.value_or(nyquist);
    require(mel_fmin >= 0.0 && mel_fmin < fmax, "mel_fmin must be >= 0 and < mel_fmax (" +
                                                    std::string(mel_fmax ? "" : "sr / 2 = ") +
                                                    num(fmax) + " Hz), got " + num(mel_fmin));
    require(!top_db || *top_db >= 0.0,
            "top_db must be >= 0 (or none), got " + num(top_db.value_or(0.0)));
    require(mel_db_power == 1 || mel_db_power == 2,
            "mel_db_power must be 1 (librosa's power_to_db(mel)) or 2 (Keras' mel**2), got " +
                num(mel_db_power));
    // librosa's mfcc keeps the first n_mfcc rows of the DCT of n_mels bands: asked for more, it
    // returns n_mels rows, not the columns mfcc_<n_mels>.. the table would name.
    require(n_mfcc >= 1 && n_mfcc <= n_mels,
            "n_mfcc must be between 1 and n_mels (" + num(n_mels) + "), got " + num(n_mfcc));
    require(fmin > 0.0 && std::isfinite(fmin),
            "fmin (the CQT's lowest frequency) must be > 0 Hz, got " + num(fmin));
    require(n_bins >= 1, "n_bins must be >= 1, got " + num(n_bins));
    // 1200 is one bin per cent; a CQT that fine (8400 bins over 7 octaves) already takes 100
    // times the default's time.
    require(bins_per_octave >= 1 && bins_per_octave <= 1200,
            "bins_per_octave must be between 1 and 1200 (one bin per cent), got " +
                num(bins_per_octave));
    require(n_chroma >= 1, "n_chroma must be >= 1, got " + num(n_chroma));
    require(!tuning || (*tuning >= -0.5 && *tuning < 0.5),
            "tuning must be in [-0.5, 0.5) bins, got " + num(tuning.value_or(0.0)));
    // Even sizes follow scipy's median_filter, as librosa's do. The filter's time grows with its
    // length: 1025 (the default spectrum's bins, or 24 s of frames) takes 4 times the
    // default's, 4097 25 times.
    require(kernel_size >= 1 && kernel_size <= kMaxKernel,
            "kernel_size must be between 1 and " + num(kMaxKernel) + ", got " + num(kernel_size));
    require(margin >= 1.0 && std::isfinite(margin),
            "margin must be >= 1 and finite, got " + num(margin));
    require(threads >= 0, "threads must be >= 0 (0 = every core), got " + num(threads));
    crop.validate();
    if (crop.kind != CropPolicy::Kind::none)
        require(crop.duration * sr >= 1.0,
                "the crop must last at least one sample (1 / sr = " + num(1.0 / sr, 6) +
                    " s), got " + num(crop.duration) + " s");
    validateFeatures(*this);
}

ChromaCqtParams AnalysisSettings::chromaCqtParams() const {
    ChromaCqtParams params;
    params.hop_length = hop_length;
    params.tuning = tuning;
    params.n_chroma = n_chroma;
    params.n_octaves = std::max(1, octavesBelowNyquist(sr, params));
    return params;
}

SpectralContrastParams AnalysisSettings::spectralContrastParams() const {
    SpectralContrastParams params;
    params.n_bands = std::max(1, bandsBelowNyquist(sr, params));
    return params;
}

AnalysisSettings AnalysisSettings::librosaPreset() {
    return AnalysisSettings{};
}

AnalysisSettings AnalysisSettings::kerasMelgramPreset() {
    AnalysisSettings settings;
    settings.sr = 12000.0;
    settings.n_fft = 512;
    settings.hop_length = 256;
    settings.n_mels = 96;
    settings.db_ref = DbReference::one;
    // compute_melgram: logamplitude(melspectrogram(...)**2, ref_power=1.0).
    settings.mel_db_power = 2;
    settings.crop.kind = CropPolicy::Kind::center;
    settings.crop.duration = 29.12;
    settings.crop_signal = true;
    // At 12 kHz the sixth octave band above 200 Hz lies past Nyquist: librosa's
    // spectral_contrast refuses these settings, so the preset leaves it out.
    settings.features.spectral_contrast = false;
    return settings;
}

AnalysisSettings AnalysisSettings::preset(std::string_view name) {
    if (name == "librosa") return librosaPreset();
    if (name == "keras-melgram") return kerasMelgramPreset();
    throw std::invalid_argument("preset must be librosa or keras-melgram, not '" +
                                std::string(name) + "'");
}

} // namespace featurescope
