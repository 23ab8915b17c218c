#include "core/analysis_settings.h"

#include <algorithm>
#include <array>
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

void require(bool rule, const char* message) {
    if (!rule) throw std::invalid_argument(message);
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
    require(sr > 0.0, "sr must be > 0");
    require(n_fft > 0, "n_fft must be > 0");
    require(hop_length > 0, "hop_length must be > 0");
    require(n_mels > 0, "n_mels must be > 0");
    require(mel_fmin >= 0.0, "mel_fmin must be >= 0");
    require(!mel_fmax || *mel_fmax > mel_fmin, "mel_fmax must be > mel_fmin");
    require(!top_db || *top_db >= 0.0, "top_db must be >= 0");
    require(mel_db_power == 1 || mel_db_power == 2,
            "mel_db_power must be 1 (librosa's power_to_db(mel)) or 2 (Keras' mel**2)");
    require(n_mfcc > 0, "n_mfcc must be > 0");
    require(fmin > 0.0, "fmin (the CQT's lowest frequency) must be > 0");
    require(n_bins > 0, "n_bins must be > 0");
    require(bins_per_octave > 0, "bins_per_octave must be > 0");
    require(n_chroma > 0, "n_chroma must be > 0");
    require(!tuning || (*tuning >= -0.5 && *tuning < 0.5), "tuning must be in [-0.5, 0.5)");
    require(kernel_size > 0, "kernel_size must be > 0");
    require(margin >= 1.0, "margin must be >= 1");
    require(threads >= 0, "threads must be >= 0 (0 = every core)");
    crop.validate();
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
