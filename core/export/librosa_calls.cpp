#include "core/export/librosa_calls.h"

#include "core/export/csv.h"
#include "core/export/number_format.h"

#include <optional>

namespace featurescope {

namespace {

std::string g(double value) {
    return pythonFloat(value);
}

std::string n(long long value) {
    return std::to_string(value);
}

/// The Python name of the signal variable.
std::string var(Signal signal) {
    switch (signal) {
    case Signal::harmonic:
        return "y_h";
    case Signal::percussive:
        return "y_p";
    case Signal::original:
        break;
    }
    return "y";
}

std::string magnitude(Signal signal, const AnalysisSettings& s) {
    return "np.abs(librosa.stft(" + var(signal) + ", n_fft=" + n(s.n_fft) +
           ", hop_length=" + n(s.hop_length) + "))";
}

std::string mel(Signal signal, const AnalysisSettings& s) {
    return "librosa.feature.melspectrogram(S=" + magnitude(signal, s) +
           "**2, sr=sr, n_mels=" + n(s.n_mels) + ", fmin=" + g(s.mel_fmin) +
           ", fmax=" + (s.mel_fmax ? g(*s.mel_fmax) : "None") +
           ", htk=" + (s.htk ? "True" : "False") + ")";
}

std::string db(const AnalysisSettings& s) {
    return std::string(s.db_ref == DbReference::max ? "ref=np.max" : "ref=1.0") +
           ", top_db=" + (s.top_db ? g(*s.top_db) : "None");
}

std::string tuning(const AnalysisSettings& s) {
    return s.tuning ? g(*s.tuning) : "None";
}

std::string chromaCqt(Signal signal, const AnalysisSettings& s) {
    return "librosa.feature.chroma_cqt(y=" + var(signal) +
           ", sr=sr, hop_length=" + n(s.hop_length) + ", n_chroma=" + n(s.n_chroma) +
           ", n_octaves=" + n(s.chromaCqtParams().n_octaves) + ", tuning=" + tuning(s) + ")";
}

std::string onset(const AnalysisSettings& s) {
    return "librosa.onset.onset_strength(y=" + var(s.routing.rhythm) +
           ", sr=sr, n_fft=" + n(s.n_fft) + ", hop_length=" + n(s.hop_length) + ")";
}

/// Whether `text` is well-formed UTF-8, which a Python str literal needs (core/export/csv.h's rule).
bool validUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8SequenceLength(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

/// A Python literal of the path: a str when it is UTF-8 (control characters escaped), else the
/// bytes through os.fsdecode, which gives back exactly these bytes as a path on POSIX.
std::string pythonPath(std::string_view path) {
    const bool is_utf8 = validUtf8(path);
    std::string quoted = is_utf8 ? "'" : "os.fsdecode(b'";
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\\' || c == '\'') {
            quoted += '\\';
            quoted += c;
        } else if (u < 0x20 || u == 0x7F || (!is_utf8 && u >= 0x80)) {
            const char* digits = "0123456789abcdef";
            quoted += "\\x";
            quoted += digits[u >> 4];
            quoted += digits[u & 0xF];
        } else {
            quoted += c;
        }
    }
    return quoted + (is_utf8 ? "'" : "')");
}

/// The Python lines that crop y as `policy` does (core/crop/crop.cpp): for one track whose crop is
/// known, its first sample; for a table of many, the rule, so that any row's path reproduces
/// that row.
std::string cropLines(const CropPolicy& policy, const std::optional<Crop>& crop) {
    std::string text =
        "n = int(" + g(policy.duration) + " * sr)  # crop " + policy.toString() + "\n";
    const std::string keep =
        "y = librosa.util.fix_length(y[start:][:n], size=n)  # zeros appended past the end\n";
    if (crop) return text + "start = " + n(crop->start_sample) + "\n" + keep;
    switch (policy.kind) {
    case CropPolicy::Kind::center: // Keras' audio_conv_utils: the middle n samples
        text += "start = max(len(y) - n, 0) // 2\n";
        break;
    case CropPolicy::Kind::start: // round half to even, as the crop rounds T * sr
        text += "start = round(" + g(policy.start) + " * sr)\n";
        break;
    case CropPolicy::Kind::highlight:
        text += "# the loudest window (mean rms**2 over round(D * sr / hop_length) frames, ties to "
                "the\n"
                "# earliest start): this track's first sample is its row's crop_start_sample\n"
                "import pandas as pd\n"
                "start = int(pd.read_csv('summary.csv').set_index('path').loc[row_path, "
                "'crop_start_sample'])\n";
        break;
    case CropPolicy::Kind::none:
        return {};
    }
    return text + keep;
}

} // namespace

std::string librosaSetup(const AnalysisSettings& s, const std::optional<Crop>& crop,
                         std::string_view path) {
    std::string text = "import librosa\nimport numpy as np\n";
    if (!validUtf8(path)) text += "import os\n";
    // The tables write a byte of a name that is not UTF-8 as %XX (and a literal % before two
    // hex digits as %25: core/export/csv.h's escapeName); unquote gives back the name on disk.
    const bool escaped = !crop || path.find('%') != std::string_view::npos;
    if (escaped) text += "import urllib.parse\n";
    text += "row_path = " + pythonPath(path) + (crop ? "\n" : "  # any row's path\n");
    text += escaped ? "path = urllib.parse.unquote(row_path, errors='surrogateescape')\n"
                    : "path = row_path\n";
    text += "y, sr = librosa.load(path, sr=" + g(s.sr) + ", mono=True)\n";
    if (s.crop_signal && s.crop.kind != CropPolicy::Kind::none) text += cropLines(s.crop, crop);
    text += "y_h = librosa.effects.harmonic(y, kernel_size=" + n(s.kernel_size) +
            ", margin=" + g(s.margin) + ", n_fft=" + n(s.n_fft) +
            ", hop_length=" + n(s.hop_length) + ")\n";
    text += "y_p = librosa.effects.percussive(y, kernel_size=" + n(s.kernel_size) +
            ", margin=" + g(s.margin) + ", n_fft=" + n(s.n_fft) +
            ", hop_length=" + n(s.hop_length) + ")\n";
    return text;
}

std::string librosaCall(std::string_view name, const AnalysisSettings& s) {
    const Routing& r = s.routing;
    const std::string hpss = "librosa.decompose.hpss(librosa.stft(y, n_fft=" + n(s.n_fft) +
                             ", hop_length=" + n(s.hop_length) +
                             "), kernel_size=" + n(s.kernel_size) + ", margin=" + g(s.margin) + ")";
    const std::string mfcc = "librosa.feature.mfcc(S=librosa.power_to_db(" + mel(r.mfcc, s) +
                             "), n_mfcc=" + n(s.n_mfcc) + ")";
    if (name == "stft") return magnitude(Signal::original, s);
    if (name == "stft_db")
        return "librosa.amplitude_to_db(" + magnitude(Signal::original, s) + ", " + db(s) + ")";
    if (name == "mel") return mel(Signal::original, s);
    if (name == "mel_db")
        return "librosa.power_to_db(" + mel(Signal::original, s) +
               (s.mel_db_power == 2 ? "**2" : "") + ", " + db(s) + ")";
    if (name == "cqt")
        return "np.abs(librosa.cqt(y, sr=sr, hop_length=" + n(s.hop_length) +
               ", fmin=" + g(s.fmin) + ", n_bins=" + n(s.n_bins) +
               ", bins_per_octave=" + n(s.bins_per_octave) + "))";
    if (name == "harmonic") return "np.abs(" + hpss + "[0])";
    if (name == "percussive") return "np.abs(" + hpss + "[1])";
    if (name == "chroma")
        return "librosa.feature.chroma_stft(S=" + magnitude(r.chroma_stft, s) +
               "**2, sr=sr, n_chroma=" + n(s.n_chroma) + ", tuning=" + tuning(s) + ")";
    if (name == "mfcc") return mfcc;
    if (name == "mfcc_delta") return "librosa.feature.delta(" + mfcc + ")";
    const std::string S = magnitude(r.spectral, s);
    if (name == "spectral_centroid") return "librosa.feature.spectral_centroid(S=" + S + ", sr=sr)";
    if (name == "spectral_bandwidth")
        return "librosa.feature.spectral_bandwidth(S=" + S + ", sr=sr)";
    if (name == "spectral_rolloff") return "librosa.feature.spectral_rolloff(S=" + S + ", sr=sr)";
    if (name == "spectral_flatness") return "librosa.feature.spectral_flatness(S=" + S + ")";
    if (name == "spectral_contrast")
        return "librosa.feature.spectral_contrast(S=" + magnitude(r.spectral_contrast, s) +
               ", sr=sr, n_bands=" + n(s.spectralContrastParams().n_bands) + ")";
    if (name == "rms")
        return "librosa.feature.rms(S=" + magnitude(r.rms, s) + ", frame_length=" + n(s.n_fft) +
               ")";
    if (name == "zero_crossing_rate")
        return "librosa.feature.zero_crossing_rate(" + var(r.zcr) + ", frame_length=" + n(s.n_fft) +
               ", hop_length=" + n(s.hop_length) + ")";
    if (name == "chroma_cqt") return chromaCqt(r.chroma_cqt, s);
    if (name == "tonnetz") return "librosa.feature.tonnetz(chroma=" + chromaCqt(r.tonnetz, s) + ")";
    if (name == "onset_strength") return onset(s);
    if (name == "tempo" || name == "tempo_bpm")
        return "librosa.feature.tempo(onset_envelope=" + onset(s) +
               ", sr=sr, hop_length=" + n(s.hop_length) + ")[0]";
    if (name == "beats")
        return "librosa.beat.beat_track(onset_envelope=" + onset(s) +
               ", sr=sr, hop_length=" + n(s.hop_length) + ")[1]";
    if (name == "tempogram")
        return "librosa.feature.tempogram(onset_envelope=" + onset(s) +
               ", sr=sr, hop_length=" + n(s.hop_length) + ")";
    return {};
}

std::string curveFamily(std::string_view row) {
    for (const std::string_view family :
         {"spectral_contrast", "mfcc_delta", "mfcc", "chroma_cqt", "chroma", "tonnetz"})
        if (row.substr(0, family.size()) == family && row.size() > family.size() &&
            row[family.size()] == '_')
            return std::string(family);
    return std::string(row);
}

} // namespace featurescope
