// Decoded, downmixed and resampled signals: `y`, `y_native`, `y12k`.
#include "registry.h"

namespace parity {

namespace {
Eigen::ArrayXXf asRow(const Eigen::ArrayXf& y) {
    return y.transpose();
}

bool isMp3(const Input& input) {
    auto ext = input.path().extension().string();
    for (auto& c : ext)
        c = char(std::tolower(c));
    return ext == ".mp3";
}
} // namespace

void registerAudioOutputs(Registry& registry) {
    // librosa.load(path, sr=22050): exact when no resampling happens, soxr HQ otherwise.
    registry.add({"y",
                  [](Input& in) {
                      return in.nativeSr() == 22050.0 ? Comparison{Metric::MaxAbs, 1e-6}
                                                      : Comparison{Metric::Relative, 1e-3};
                  },
                  [](Input& in) { return asRow(in.y()); }});
    // librosa.load(path, sr=None): mp3 decoders may differ in the last bits of their output.
    registry.add(
        {"y_native",
         [](Input& in) {
             return isMp3(in) ? Comparison{Metric::MaxAbs, 1e-4} : Comparison{Metric::MaxAbs, 1e-6};
         },
         [](Input& in) {
             featurescope::LoadOptions native;
             native.sr = std::nullopt;
             return Eigen::ArrayXXf(featurescope::load(in.path(), native).samples);
         }});
    registry.add({"y12k", fixed(Metric::Relative, 1e-3), [](Input& in) {
                      featurescope::LoadOptions at12k;
                      at12k.sr = 12000.0;
                      return Eigen::ArrayXXf(featurescope::load(in.path(), at12k).samples);
                  }});
}

} // namespace parity
