// The mel family: `stft_db`, `mel`, `mel_htk`, `mel_db`, `mfcc`, `mfcc_delta` (all from the shared
// STFT magnitude at 22050 Hz) and `keras_mel_db` (its own load at 12 kHz).
#include "registry.h"

#include "core/pipeline/analysis.h"
#include "core/io/audio.h"
#include "core/spectrum/decibel.h"
#include "core/feature/delta.h"
#include "core/spectrum/mel.h"
#include "core/feature/mfcc.h"

namespace parity {

namespace {

constexpr double kSr = 22050.0; // Input::y() is librosa.load at 22050 Hz

// melspectrogram(S=stft_mag**2, sr, n_mels=128): Slaney scale, norm='slaney', fmax=sr/2.
const Eigen::ArrayXXf& melOf(Input& input) {
    return input.memo<Eigen::ArrayXXf>("mel", [&] {
        return featurescope::melSpectrogram(stftMagnitudeOf(input).square().eval(), kSr);
    });
}

// mfcc(S=power_to_db(mel), n_mfcc=20): ref 1.0, top_db 80, DCT-II ortho.
const Eigen::ArrayXXf& mfccOf(Input& input) {
    return input.memo<Eigen::ArrayXXf>(
        "mfcc", [&] { return featurescope::mfcc(featurescope::powerToDb(melOf(input))); });
}

Eigen::ArrayXXf melHtk(Input& input) {
    featurescope::MelParams params;
    params.n_mels = 64;
    params.htk = true;
    params.norm = featurescope::MelNorm::None;
    params.fmin = 30.0;
    params.fmax = 8000.0;
    return featurescope::melSpectrogram(stftMagnitudeOf(input).square().eval(), kSr, params);
}

// power_to_db(melspectrogram(y=load(path, sr=12000), sr=12000, n_fft=512, hop_length=256,
// n_mels=96), ref=1.0): the Keras compute_melgram input.
// Keras' audio_conv_utils.compute_melgram, through the keras-melgram preset exactly as
// `featurescope-extract --preset keras-melgram --npy mel_db` runs it: load at 12 kHz, the centre
// int(29.12 * sr) samples (zeros appended to a shorter track), power_to_db(mel**2, ref=1.0).
Eigen::ArrayXXf kerasMelDb(Input& input) {
    featurescope::AnalysisSettings keras = featurescope::AnalysisSettings::kerasMelgramPreset();
    keras.features = featurescope::FeatureSelection::none();
    keras.features.mel = true;
    return featurescope::runAnalysis(input.path(), keras)->melDb();
}

} // namespace

void registerMelOutputs(Registry& registry) {
    registry.add({"stft_db", fixed(Metric::MaxAbs, 0.01), [](Input& in) {
                      featurescope::AmplitudeToDbParams params;
                      params.ref = featurescope::DbRef::max();
                      return featurescope::amplitudeToDb(stftMagnitudeOf(in), params);
                  }});
    registry.add({"mel", fixed(Metric::Relative, 1e-4), [](Input& in) { return melOf(in); }});
    registry.add({"mel_htk", fixed(Metric::Relative, 1e-4), melHtk});
    registry.add({"mel_db", fixed(Metric::MaxAbs, 0.01), [](Input& in) {
                      featurescope::PowerToDbParams params;
                      params.ref = featurescope::DbRef::max();
                      return featurescope::powerToDb(melOf(in), params);
                  }});
    registry.add({"mfcc", fixed(Metric::MaxAbs, 0.01), [](Input& in) { return mfccOf(in); }});
    registry.add({"mfcc_delta", fixed(Metric::MaxAbs, 0.01),
                  [](Input& in) { return featurescope::delta(mfccOf(in)); }});
    registry.add({"keras_mel_db", fixed(Metric::MaxAbs, 0.01), kerasMelDb});
}

} // namespace parity
