// The chroma family: `chroma_stft` (tuning estimated from S) and `chroma_stft_t0` (tuning 0),
// both librosa.feature.chroma_stft(S=stft_mag**2, sr).
#include "registry.h"

#include "core/feature/chroma.h"

namespace parity {

namespace {

constexpr double kSr = 22050.0; // Input::y() is librosa.load at 22050 Hz

Eigen::ArrayXXf chromaOfPower(Input& input, std::optional<double> tuning) {
    featurescope::ChromaStftParams params;
    params.tuning = tuning;
    const Eigen::ArrayXXf power = stftMagnitudeOf(input).square();
    return featurescope::chromaStftFromSpectrogram(power, kSr, params);
}

// max abs 1e-3 over the frames whose power spectrum peaks at >= 1e-6 of the whole
// spectrogram's peak (the reference README's chroma bound).
Comparison overLoudFrames(Input& input) {
    return {Metric::MaxAbs, 1e-3, loudEnoughFrames(stftMagnitudeOf(input).square())};
}

} // namespace

void registerChromaOutputs(Registry& registry) {
    registry.add(
        {"chroma_stft", overLoudFrames, [](Input& in) { return chromaOfPower(in, std::nullopt); }});
    registry.add(
        {"chroma_stft_t0", overLoudFrames, [](Input& in) { return chromaOfPower(in, 0.0); }});
}

} // namespace parity
