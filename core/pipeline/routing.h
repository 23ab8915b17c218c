// Routing: which signal (the original, or HPSS's harmonic or percussive layer) feeds which feature.
#pragma once

#include <string>
#include <string_view>

namespace featurescope {

/// The three signals a feature can be computed from. `harmonic` and `percussive` are
/// librosa.effects.harmonic / percussive of the original: istft of the HPSS masks' output
/// (Fitzgerald 2010, "Harmonic/percussive separation using median filtering"), length len(y).
enum class Signal { original, harmonic, percussive };

/// "original", "harmonic" or "percussive".
std::string_view signalName(Signal signal);
/// The inverse of signalName; also accepts "y", "h" and "p". Throws std::invalid_argument.
Signal parseSignal(std::string_view name);

/// Which signal feeds each feature. The defaults are the MIR recipe (DESIGN.md): chroma and
/// tonnetz from the harmonic layer; onset strength, tempo, beats and tempogram from the
/// percussive layer; the spectral family, MFCC, RMS and ZCR from the original. Any feature can
/// be asked of any of the three signals. The displayed spectrograms (stft, mel, cqt) are always
/// those of the original.
struct Routing {
    /// spectral_centroid, spectral_bandwidth, spectral_rolloff, spectral_flatness.
    /// The default is original.
    Signal spectral = Signal::original;
    /// spectral_contrast. The default is original.
    Signal spectral_contrast = Signal::original;
    /// mfcc (and its delta). The default is original.
    Signal mfcc = Signal::original;
    /// rms. The default is original.
    Signal rms = Signal::original;
    /// zero_crossing_rate. The default is original.
    Signal zcr = Signal::original;
    /// chroma_stft. The default is harmonic.
    Signal chroma_stft = Signal::harmonic;
    /// chroma_cqt. The default is harmonic.
    Signal chroma_cqt = Signal::harmonic;
    /// tonnetz (computed from chroma_cqt of this signal). The default is harmonic.
    Signal tonnetz = Signal::harmonic;
    /// onset_strength, and tempo, beats and tempogram computed from that envelope.
    /// The default is percussive.
    Signal rhythm = Signal::percussive;

    bool operator==(const Routing&) const = default;

    /// Every feature from one signal (e.g. all from the original, as plain librosa calls do).
    static Routing all(Signal signal);
    /// "spectral=original,chroma_stft=harmonic,..." in a fixed order, for sidecars and caches.
    std::string toString() const;
    /// Parses "feature=signal" pairs separated by commas onto the defaults; the feature names are
    /// the field names above, or "all". Throws std::invalid_argument naming a bad pair.
    static Routing parse(std::string_view text);
};

} // namespace featurescope
