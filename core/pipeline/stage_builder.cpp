#include "core/pipeline/stage_builder.h"

#include "core/util/cancellation.h"
#include "core/spectrum/cqt.h"
#include "core/crop/crop.h"
#include "core/spectrum/decibel.h"
#include "core/decompose/hpss.h"
#include "core/spectrum/mel.h"
#include "core/util/parallel.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

namespace featurescope::stages {

namespace {

/// amplitude_to_db(S, ref, top_db) by blocks of columns, so that a cancellation is seen within
/// a block: the same float32 operations per entry as amplitudeToDb (power_to_db of |S|^2 with the
/// reference resolved first), then the top_db floor from the maximum of the whole.
Matrix amplitudeToDbByBlocks(const Matrix& S, bool ref_max, std::optional<double> top_db) {
    const AmplitudeToDbParams amplitude;
    const float ref = ref_max ? (S.size() > 0 ? S.maxCoeff() : 0.0f) : 1.0f;
    PowerToDbParams params;
    params.ref = DbRef::fixed(ref_max ? double(ref * ref) : 1.0);
    params.amin = amplitude.amin * amplitude.amin;
    params.top_db = std::nullopt;
    Matrix out(S.rows(), S.cols());
    // The largest dB value, for the top_db floor, is taken block by block while each is fresh
    // (max is exact in any order), not in another pass over the whole.
    std::mutex mutex;
    float peak = -std::numeric_limits<float>::infinity();
    parallelChunks(S.cols(), 512, [&](Eigen::Index begin, Eigen::Index end) {
        float chunk_peak = -std::numeric_limits<float>::infinity();
        for (Eigen::Index t = begin; t < end; t += 256) {
            throwIfCancelled();
            const Eigen::Index n = std::min<Eigen::Index>(256, end - t);
            Matrix block = S.middleCols(t, n).square();
            powerToDbInPlace(block, params);
            chunk_peak = std::max(chunk_peak, block.maxCoeff());
            out.middleCols(t, n) = block;
        }
        const std::lock_guard lock(mutex);
        peak = std::max(peak, chunk_peak);
    });
    if (top_db && out.size() > 0) {
        const float floor = peak - float(*top_db);
        parallelChunks(out.cols(), 512, [&](Eigen::Index begin, Eigen::Index end) {
            out.middleCols(begin, end - begin) = out.middleCols(begin, end - begin).max(floor);
        });
    }
    return out;
}

} // namespace

Matrix melOfMagnitude(const Matrix& magnitude, double sr, const MelParams& params) {
    // The bank is the same for every track of a batch: built once per set of parameters.
    // n_fft = 2 * (bins - 1), as melspectrogram infers it.
    const int n_fft = int(2 * (magnitude.rows() - 1));
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const MelFilterBank>> banks;
    const std::string key = g17(sr) + " " + std::to_string(n_fft) + " " +
                            std::to_string(params.n_mels) + " " + g17(params.fmin) + " " +
                            (params.fmax ? g17(*params.fmax) : "none") + " " +
                            std::to_string(params.htk) + " " + std::to_string(int(params.norm));
    std::shared_ptr<const MelFilterBank> bank;
    {
        const std::lock_guard lock(mutex);
        auto& slot = banks[key];
        if (!slot) slot = std::make_shared<const MelFilterBank>(melFilterBank(sr, n_fft, params));
        bank = slot;
    }
    // A frame's mel bands depend on that frame alone, so blocks give the same numbers as the
    // whole; |S|^2 never exists as a whole matrix.
    constexpr Eigen::Index kBlock = 1024;
    Matrix out(bank->nMels(), magnitude.cols());
    Matrix power;
    for (Eigen::Index t = 0; t < magnitude.cols(); t += kBlock) {
        throwIfCancelled();
        const Eigen::Index n = std::min<Eigen::Index>(kBlock, magnitude.cols() - t);
        power = magnitude.middleCols(t, n).square();
        out.middleCols(t, n) = applyMelFilterBank(*bank, power);
    }
    return out;
}

std::string StageBuilder::needSignal(Signal signal) {
    if (signal == Signal::original) return "y";
    needHpss();
    return signal == Signal::harmonic ? "harmonic" : "percussive";
}

std::string StageBuilder::needHpss() {
    if (has("hpss")) return "hpss";
    HpssParams params;
    params.kernel_size = KernelSize(s_.kernel_size);
    params.margin = Margin(s_.margin);
    // The hpss stage holds HpssLayers: |S| and the masks, not H and P, which the istft stages
    // make column by column. |H| and |P| (drawn, not read by any feature) are computed in its
    // pass only when the views are on, which its fingerprint says.
    const bool views = s_.features.views;
    add("hpss", {"stft"},
        "kernel_size=" + std::to_string(s_.kernel_size) + " margin=" + g17(s_.margin) +
            " magnitudes=" + std::to_string(views),
        [params, views](const Inputs& in) {
            // Shares the stft stage's result, which the layers read: no copy.
            std::shared_ptr<const ComplexSpectrogram> S(in[0], &as<ComplexSpectrogram>(in[0]));
            return share(HpssLayers(std::move(S), params, views));
        });
    if (views) {
        // Views into the hpss stage's result, which they keep alive: no copy.
        add("hpss_h_mag", {"hpss"}, "", [](const Inputs& in) {
            return StageValue(in[0], &as<HpssLayers>(in[0]).magnitudes().harmonic);
        });
        add("hpss_p_mag", {"hpss"}, "", [](const Inputs& in) {
            return StageValue(in[0], &as<HpssLayers>(in[0]).magnitudes().percussive);
        });
    }
    const StftParams stft = stftParams();
    add("harmonic", {"hpss", "y"}, "", [stft](const Inputs& in) {
        return share(as<HpssLayers>(in[0]).signal(HpssPart::harmonic, stft,
                                                  as<Eigen::ArrayXf>(in[1]).size()));
    });
    add("percussive", {"hpss", "y"}, "", [stft](const Inputs& in) {
        return share(as<HpssLayers>(in[0]).signal(HpssPart::percussive, stft,
                                                  as<Eigen::ArrayXf>(in[1]).size()));
    });
    return "hpss";
}

std::string StageBuilder::needMagnitude(Signal signal) {
    if (signal == Signal::original) return "stft_mag";
    const std::string name = "stft_mag" + suffix(signal);
    if (has(name)) return name;
    const std::string input = needSignal(signal);
    const StftParams stft = stftParams();
    add(name, {input}, stftKey(),
        [stft](const Inputs& in) { return share(stftMagnitude(as<Eigen::ArrayXf>(in[0]), stft)); });
    return name;
}

std::string StageBuilder::needMel(Signal signal) {
    const std::string name = "mel" + suffix(signal);
    if (has(name)) return name;
    MelParams params;
    params.n_mels = s_.n_mels;
    params.fmin = s_.mel_fmin;
    params.fmax = s_.mel_fmax;
    params.htk = s_.htk;
    const double sr = s_.sr;
    add(name, {needMagnitude(signal)},
        "sr=" + g17(sr) + " n_mels=" + std::to_string(s_.n_mels) + " fmin=" + g17(s_.mel_fmin) +
            " fmax=" + (s_.mel_fmax ? g17(*s_.mel_fmax) : "none") +
            " htk=" + std::to_string(s_.htk),
        [params, sr](const Inputs& in) {
            return share(melOfMagnitude(as<Matrix>(in[0]), sr, params));
        });
    return name;
}

std::string StageBuilder::dbKey() const {
    return std::string(s_.db_ref == DbReference::max ? "ref=max" : "ref=1") +
           " top_db=" + (s_.top_db ? g17(*s_.top_db) : "none");
}

void StageBuilder::addSignalStages() {
    const double sr = s_.sr;
    const auto decode = source_.decode;
    // The decode threads give the same samples, so they are no part of the fingerprint.
    const int threads = s_.threads;
    add("audio", {}, source_.identity + " sr=" + g17(sr),
        [decode, sr, threads](const Inputs&) { return share(decode(sr, threads)); });

    const CropPolicy policy = s_.crop;
    const StftParams stft = stftParams();
    add("crop", {"audio"}, policy.toString() + " sr=" + g17(sr) + " " + stftKey(),
        [policy, sr, stft](const Inputs& in) {
            const auto& audio = as<Eigen::ArrayXf>(in[0]);
            return share(chooseCrop(policy, audio, sr, stft.hop_length, stft.n_fft,
                                    frameCount(audio.size(), stft)));
        });
    const bool crop_signal = s_.crop_signal;
    if (crop_signal)
        add("y", {"audio", "crop"}, "cropped", [](const Inputs& in) {
            return share(cropSignal(as<Eigen::ArrayXf>(in[0]), as<Crop>(in[1])));
        });
    else // the track itself, shared, not copied: moving the crop reruns no feature
        add("y", {"audio"}, "whole", [](const Inputs& in) { return in[0]; });
    add("crop_frames", {"crop", "y"}, crop_signal ? "cropped" : "whole",
        [crop_signal, stft](const Inputs& in) {
            Crop crop = as<Crop>(in[0]);
            if (crop_signal) {
                crop.start_frame = 0;
                crop.n_frames = frameCount(as<Eigen::ArrayXf>(in[1]).size(), stft);
            }
            return share(std::move(crop));
        });
    // The STFT and its magnitude come out of one pass; "stft" and "stft_mag" are views into it.
    add("stft_with_magnitude", {"y"}, stftKey(), [stft](const Inputs& in) {
        return share(stftWithMagnitude(as<Eigen::ArrayXf>(in[0]), stft));
    });
    add("stft", {"stft_with_magnitude"}, "",
        [](const Inputs& in) { return StageValue(in[0], &as<StftWithMagnitude>(in[0]).D); });
    add("stft_mag", {"stft_with_magnitude"}, "", [](const Inputs& in) {
        return StageValue(in[0], &as<StftWithMagnitude>(in[0]).magnitude);
    });

    const bool ref_max = s_.db_ref == DbReference::max;
    const auto top_db = s_.top_db;
    const std::string db_key = dbKey();
    const FeatureSelection& f = s_.features;
    if (f.views)
        add("stft_db", {"stft_mag"}, db_key, [ref_max, top_db](const Inputs& in) {
            return share(amplitudeToDbByBlocks(as<Matrix>(in[0]), ref_max, top_db));
        });
    if (f.hpss) needHpss();
    if (f.mel) {
        needMel(Signal::original);
        const int power = s_.mel_db_power;
        add("mel_db", {"mel"}, db_key + " power=" + std::to_string(power),
            [ref_max, top_db, power](const Inputs& in) {
                PowerToDbParams params;
                params.ref = ref_max ? DbRef::max() : DbRef::fixed(1.0);
                params.top_db = top_db;
                const Matrix& mel = as<Matrix>(in[0]);
                return share(power == 2 ? powerToDb(mel.square().eval(), params)
                                        : powerToDb(mel, params));
            });
    }
    if (f.cqt) {
        CqtParams params;
        params.hop_length = s_.hop_length;
        params.fmin = s_.fmin;
        params.n_bins = s_.n_bins;
        params.bins_per_octave = s_.bins_per_octave;
        add("cqt", {"y"},
            "sr=" + g17(sr) + " hop=" + std::to_string(s_.hop_length) + " fmin=" + g17(s_.fmin) +
                " n_bins=" + std::to_string(s_.n_bins) +
                " bpo=" + std::to_string(s_.bins_per_octave),
            [params, sr](const Inputs& in) {
                return share(cqtMagnitude(as<Eigen::ArrayXf>(in[0]), sr, params));
            });
        if (f.views)
            add("cqt_db", {"cqt"}, "", [](const Inputs& in) {
                AmplitudeToDbParams params;
                params.ref = DbRef::max();
                return share(amplitudeToDb(as<Matrix>(in[0]), params));
            });
    }
}

std::vector<Stage> StageBuilder::build() {
    addSignalStages();
    addFeatureStages();
    addCurveStage();
    return std::move(stages_);
}

} // namespace featurescope::stages
