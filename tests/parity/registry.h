// The parity runner's table: which outputs it knows (by suffix), how to compute each from its
// input, and how each is compared with librosa's reference (bounds from the reference README).
#pragma once

#include "core/io/audio.h"

#include <Eigen/Core>

#include <any>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parity {

/// One input file of a reference folder, with a memo so that an intermediate (the STFT, the
/// harmonic layer, ...) is computed once and shared by every output that needs it.
class Input {
public:
    Input(std::filesystem::path path, std::optional<double> manifest_sr)
        : path_(std::move(path))
        , manifest_sr_(manifest_sr) {}

    const std::filesystem::path& path() const { return path_; }

    /// librosa.load(path, sr=22050, mono=True), memoised.
    const Eigen::ArrayXf& y();
    /// The native sample rate (from the manifest, else from the file).
    double nativeSr();

    /// Computes `make()` once per key and returns the stored value on later calls.
    template <typename T> const T& memo(const std::string& key, const std::function<T()>& make) {
        auto it = memo_.find(key);
        if (it == memo_.end()) it = memo_.emplace(key, std::any(make())).first;
        return std::any_cast<const T&>(it->second);
    }

private:
    std::filesystem::path path_;
    std::optional<double> manifest_sr_;
    std::map<std::string, std::any> memo_;
};

/// How an output is compared with its reference.
enum class Metric {
    MaxAbs,    ///< max |ours - ref| <= bound
    Relative,  ///< ||ours - ref||_F / ||ref||_F <= bound
    CqtDb,     ///< Relative <= bound and median |dB(ours) - dB(ref)| <= 0.1 (re ref max, -80 floor)
    TempoPct,  ///< |ours - ref| / ref <= bound (a fraction: 0.005 is 0.5 %)
    BeatFrames ///< same count, and every beat within `bound` frames
};

struct Comparison {
    Metric metric;
    double bound;
    /// The frames (columns) compared; empty compares every frame. The chroma family compares
    /// only the frames whose un-normalised input peaks at >= 1e-6 of its whole matrix's peak
    /// (see loudEnoughFrames).
    std::vector<bool> frames = {};
};

/// The reference README's chroma mask: true for each column of `input` (the CQT magnitude or the
/// power spectrogram a chroma is folded from, before the per-frame normalisation) whose peak is
/// >= 1e-6 of the whole matrix's peak. Below that a frame is float rounding residue next to
/// digital silence, which the normalisation makes full-scale (librosa's own float32 and float64
/// runs differ by 0.85 there).
std::vector<bool> loudEnoughFrames(const Eigen::ArrayXXf& input);

/// An output kind, known by the suffix after the input prefix ("chords.stft_mag" -> "stft_mag").
struct OutputKind {
    std::string suffix;
    /// Chooses the bound; it may depend on the input (a resampled load vs a native one).
    std::function<Comparison(Input&)> comparison;
    /// Computes the output in librosa's orientation; an empty function means "not yet".
    std::function<Eigen::ArrayXXf(Input&)> compute;
};

/// Every known output kind, filled by the register* functions of the outputs_*.cpp files.
class Registry {
public:
    void add(OutputKind kind) { kinds_[kind.suffix] = std::move(kind); }
    const OutputKind* find(const std::string& suffix) const {
        auto it = kinds_.find(suffix);
        return it == kinds_.end() ? nullptr : &it->second;
    }

private:
    std::map<std::string, OutputKind> kinds_;
};

/// A comparison with a fixed bound, for kinds whose bound never depends on the input.
inline std::function<Comparison(Input&)> fixed(Metric metric, double bound) {
    return [=](Input&) { return Comparison{metric, bound}; };
}

// Intermediates shared between families, memoised per input; each is defined by the family that
// owns it (outputs_<family>.cpp).
const Eigen::ArrayXXcf& stftOf(Input&); ///< stft(y) with librosa defaults (outputs_stft.cpp)
const Eigen::ArrayXXf& stftMagnitudeOf(Input&); ///< |stft(y)| (outputs_stft.cpp)
const Eigen::ArrayXf& harmonicOf(Input&);       ///< librosa.effects.harmonic(y) (outputs_hpss.cpp)
const Eigen::ArrayXf& percussiveOf(Input&); ///< librosa.effects.percussive(y) (outputs_hpss.cpp)

// One function per family; each lives in its own outputs_*.cpp and is called by registry.cpp.
void registerAudioOutputs(Registry&);
void registerStftOutputs(Registry&);
void registerChromaOutputs(Registry&);
void registerCqtOutputs(Registry&);
void registerHpssOutputs(Registry&);
void registerMelOutputs(Registry&);
void registerSpectralOutputs(Registry&);
void registerRhythmOutputs(Registry&);
void registerAllOutputs(Registry&);

} // namespace parity
