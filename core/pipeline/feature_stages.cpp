#include "core/pipeline/stage_builder.h"

#include "core/pipeline/analysis.h"
#include "core/rhythm/beat.h"
#include "core/feature/chroma.h"
#include "core/feature/chroma_cqt.h"
#include "core/spectrum/decibel.h"
#include "core/feature/delta.h"
#include "core/feature/energy.h"
#include "core/spectrum/mel.h"
#include "core/feature/mfcc.h"
#include "core/rhythm/onset.h"
#include "core/feature/spectral.h"
#include "core/feature/spectral_contrast.h"
#include "core/rhythm/tempo.h"
#include "core/rhythm/tempogram.h"
#include "core/feature/tonnetz.h"
#include "core/spectrum/tuning.h"

#include <deque>

namespace featurescope::stages {

std::string StageBuilder::needOnset(Signal signal) {
    const std::string name = "onset_strength" + suffix(signal);
    if (has(name)) return name;
    OnsetStrengthParams params;
    params.sr = s_.sr;
    params.n_fft = s_.n_fft;
    params.hop_length = s_.hop_length;
    const double sr = s_.sr;
    // onset_strength(y=y): its own 128-band mel spectrogram in dB (ref=1.0), whatever n_mels is.
    add(name, {needMagnitude(signal)}, "sr=" + g17(sr), [params, sr](const Inputs& in) {
        const Matrix mel = melOfMagnitude(as<Matrix>(in[0]), sr, params.mel);
        return share(onsetStrength(powerToDb(mel), params));
    });
    return name;
}

std::string StageBuilder::needChromaCqt(Signal signal) {
    const std::string name = "chroma_cqt" + suffix(signal);
    if (has(name)) return name;
    const ChromaCqtParams params = s_.chromaCqtParams();
    const double sr = s_.sr;
    const std::string key = "sr=" + g17(sr) + " hop=" + std::to_string(s_.hop_length) +
                            " n_chroma=" + std::to_string(s_.n_chroma) +
                            " n_octaves=" + std::to_string(params.n_octaves) +
                            " tuning=" + (s_.tuning ? g17(*s_.tuning) : "estimated");
    // chroma_cqt estimates the tuning by piptrack on |stft(y, n_fft=2048, hop_length=512)|:
    // with the analysis's STFT at those settings, that is the magnitude stage, not a second STFT
    // of the same signal (the same float steps, so the same peaks and the same tuning).
    std::vector<std::string> inputs{needSignal(signal)};
    if (!s_.tuning && s_.n_fft == 2048 && s_.hop_length == 512)
        inputs.push_back(needMagnitude(signal));
    add(name, inputs, key, [params, sr](const Inputs& in) {
        ChromaCqtParams given = params;
        if (in.size() > 1) {
            TuningParams tuning;
            tuning.bins_per_octave = params.bins_per_octave;
            given.tuning = estimateTuningFromSpectrogram(as<Matrix>(in[1]), sr, tuning);
        }
        return share(chromaCqt(as<Eigen::ArrayXf>(in[0]), sr, given));
    });
    return name;
}

void StageBuilder::addFeatureStages() {
    const double sr = s_.sr;
    const FeatureSelection& f = s_.features;
    const Routing& r = s_.routing;
    const int n_fft = s_.n_fft;
    if (f.spectral) {
        const std::string name = "spectral" + suffix(r.spectral);
        add(name, {needMagnitude(r.spectral)}, "sr=" + g17(sr), [sr, n_fft](const Inputs& in) {
            return share(spectralShape(as<Matrix>(in[0]), sr, n_fft));
        });
        curve(
            name,
            [](Eigen::Index) {
                return std::vector<std::string>{"spectral_centroid", "spectral_bandwidth",
                                                "spectral_rolloff", "spectral_flatness"};
            },
            Kind::shape);
    }
    if (f.spectral_contrast) {
        const std::string name = "spectral_contrast" + suffix(r.spectral_contrast);
        const SpectralContrastParams params = s_.spectralContrastParams();
        add(name, {needMagnitude(r.spectral_contrast)},
            "sr=" + g17(sr) + " n_bands=" + std::to_string(params.n_bands),
            [sr, n_fft, params](const Inputs& in) {
                return share(spectralContrast(as<Matrix>(in[0]), sr, params, n_fft));
            });
        curve(name, [](Eigen::Index rows) { return numbered("spectral_contrast_", rows); });
    }
    if (f.rms) {
        const std::string name = "rms" + suffix(r.rms);
        add(name, {needMagnitude(r.rms)}, "", [n_fft](const Inputs& in) {
            return share(featurescope::rms(as<Matrix>(in[0]), n_fft));
        });
        curve(name, [](Eigen::Index) { return std::vector<std::string>{"rms"}; });
    }
    if (f.zcr) {
        const std::string name = "zcr" + suffix(r.zcr);
        ZeroCrossingRateParams params;
        params.frame_length = s_.n_fft;
        params.hop_length = s_.hop_length;
        add(name, {needSignal(r.zcr)}, stftKey(), [params](const Inputs& in) {
            return share(zeroCrossingRate(as<Eigen::ArrayXf>(in[0]), params));
        });
        curve(name, [](Eigen::Index) { return std::vector<std::string>{"zero_crossing_rate"}; });
    }
    if (f.mfcc || f.mfcc_delta) {
        const std::string name = "mfcc" + suffix(r.mfcc);
        MfccParams params;
        params.n_mfcc = s_.n_mfcc;
        add(name, {needMel(r.mfcc)}, "n_mfcc=" + std::to_string(s_.n_mfcc),
            [params](const Inputs& in) {
                // librosa.feature.mfcc: power_to_db(mel) with ref=1.0, top_db=80.
                return share(featurescope::mfcc(powerToDb(as<Matrix>(in[0])), params));
            });
        curve(name, [](Eigen::Index rows) { return numbered("mfcc_", rows); });
        if (f.mfcc_delta) {
            add("mfcc_delta" + suffix(r.mfcc), {name}, "width=9",
                [](const Inputs& in) { return share(delta(as<Matrix>(in[0]))); });
            curve("mfcc_delta" + suffix(r.mfcc),
                  [](Eigen::Index rows) { return numbered("mfcc_delta_", rows); });
        }
    }
    if (f.chroma_stft) {
        const std::string name = "chroma_stft" + suffix(r.chroma_stft);
        ChromaStftParams params;
        params.n_fft = s_.n_fft;
        params.hop_length = s_.hop_length;
        params.tuning = s_.tuning;
        params.n_chroma = s_.n_chroma;
        add(name, {needMagnitude(r.chroma_stft)},
            "sr=" + g17(sr) + " n_chroma=" + std::to_string(s_.n_chroma) +
                " tuning=" + (s_.tuning ? g17(*s_.tuning) : "estimated"),
            [params, sr](const Inputs& in) {
                return share(
                    chromaStftFromSpectrogram(as<Matrix>(in[0]).square().eval(), sr, params));
            });
        curve(name, [](Eigen::Index rows) { return pitchClasses("chroma_", rows); });
    }
    if (f.chroma_cqt) {
        const std::string name = needChromaCqt(r.chroma_cqt);
        curve(name, [](Eigen::Index rows) { return pitchClasses("chroma_cqt_", rows); });
    }
    if (f.tonnetz) {
        const std::string name = "tonnetz" + suffix(r.tonnetz);
        add(name, {needChromaCqt(r.tonnetz)}, "",
            [](const Inputs& in) { return share(tonnetzFromChroma(as<Matrix>(in[0]))); });
        curve(name, [](Eigen::Index rows) { return numbered("tonnetz_", rows); });
    }
    if (f.onset_strength || f.tempo || f.beats || f.tempogram) {
        const std::string onset = needOnset(r.rhythm);
        const std::string key = "sr=" + g17(sr) + " hop=" + std::to_string(s_.hop_length);
        if (f.onset_strength)
            curve(
                onset, [](Eigen::Index) { return std::vector<std::string>{"onset_strength"}; },
                Kind::vector);
        if (f.tempo) {
            TempoParams params;
            params.sr = sr;
            params.hop_length = s_.hop_length;
            add("tempo" + suffix(r.rhythm), {onset}, key, [params](const Inputs& in) {
                return share(featurescope::tempo(as<Eigen::ArrayXf>(in[0]), params));
            });
        }
        if (f.beats) {
            BeatTrackParams params;
            params.sr = sr;
            params.hop_length = s_.hop_length;
            // With the tempo stage present, beat_track takes its estimate (bpm=...) instead of
            // estimating it again: the same tempo call, so the same beats.
            std::vector<std::string> inputs{onset};
            if (f.tempo) inputs.push_back("tempo" + suffix(r.rhythm));
            add("beats" + suffix(r.rhythm), inputs, key, [params](const Inputs& in) {
                BeatTrackParams given = params;
                if (in.size() > 1) given.bpm = as<double>(in[1]);
                const BeatTrack track = beatTrack(as<Eigen::ArrayXf>(in[0]), given);
                Eigen::ArrayXi beats(static_cast<Eigen::Index>(track.beats.size()));
                for (Eigen::Index i = 0; i < beats.size(); ++i)
                    beats[i] = track.beats[i];
                return share(std::move(beats));
            });
        }
        if (f.tempogram) {
            TempogramParams params;
            params.sr = sr;
            params.hop_length = s_.hop_length;
            add("tempogram" + suffix(r.rhythm), {onset}, key, [params](const Inputs& in) {
                return share(featurescope::tempogram(as<Eigen::ArrayXf>(in[0]), params));
            });
        }
    }
}

void StageBuilder::addCurveStage() {
    // The frame table's rows, in the order stages were declared.
    std::vector<std::string> inputs;
    std::vector<RowNames> namers;
    std::vector<Kind> kinds;
    for (const auto& c : curves_) {
        inputs.push_back(c.stage);
        namers.push_back(c.names);
        kinds.push_back(c.kind);
    }
    add("curves", inputs, "", [namers, kinds](const Inputs& in) {
        FeatureCurves curves;
        std::vector<const Matrix*> blocks;
        std::deque<Matrix> rows; // vector curves as 1 x t rows; a deque keeps their addresses
        for (std::size_t i = 0; i < in.size(); ++i) {
            // Multi-curve stages hold a SpectralShape; every other curve stage a matrix.
            if (kinds[i] == Kind::vector) {
                const auto& v = as<Eigen::ArrayXf>(in[i]);
                rows.push_back(v.transpose());
                blocks.push_back(&rows.back());
                for (auto& name : namers[i](1))
                    curves.names.push_back(name);
            } else if (kinds[i] == Kind::shape) {
                const auto& shape = as<SpectralShape>(in[i]);
                blocks.insert(blocks.end(),
                              {&shape.centroid, &shape.bandwidth, &shape.rolloff, &shape.flatness});
                for (auto& name : namers[i](4))
                    curves.names.push_back(name);
            } else {
                const auto& m = as<Matrix>(in[i]);
                blocks.push_back(&m);
                for (auto& name : namers[i](m.rows()))
                    curves.names.push_back(name);
            }
        }
        Eigen::Index cols = 0;
        for (const Matrix* b : blocks)
            cols = std::max(cols, b->cols());
        curves.values = Matrix::Zero(static_cast<Eigen::Index>(curves.names.size()), cols);
        Eigen::Index row = 0;
        for (const Matrix* b : blocks) {
            curves.values.block(row, 0, b->rows(), b->cols()) = *b;
            row += b->rows();
        }
        return share(std::move(curves));
    });
}

} // namespace featurescope::stages
