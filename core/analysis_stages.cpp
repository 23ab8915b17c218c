#include "core/analysis_stages.h"

#include "core/analysis.h"
#include "core/beat.h"
#include "core/chroma.h"
#include "core/chroma_cqt.h"
#include "core/cqt.h"
#include "core/crop.h"
#include "core/decibel.h"
#include "core/delta.h"
#include "core/energy.h"
#include "core/hpss.h"
#include "core/mel.h"
#include "core/mfcc.h"
#include "core/onset.h"
#include "core/spectral.h"
#include "core/spectral_contrast.h"
#include "core/stft.h"
#include "core/tempo.h"
#include "core/tempogram.h"
#include "core/tonnetz.h"

#include <cstdio>
#include <deque>
#include <functional>
#include <set>
#include <string_view>

namespace featurescope {

namespace {

using Inputs = std::vector<StageValue>;
using Matrix = Eigen::ArrayXXf;

template <typename T> StageValue share(T&& value) {
    return std::make_shared<const std::decay_t<T>>(std::forward<T>(value));
}
template <typename T> const T& as(const StageValue& value) {
    return *static_cast<const T*>(value.get());
}

std::string g17(double value) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

std::string suffix(Signal signal) {
    return signal == Signal::original ? std::string{} : "@" + std::string(signalName(signal));
}

/// Names the rows of a curve stage's matrix for the frame table.
using RowNames = std::function<std::vector<std::string>(Eigen::Index rows)>;

std::vector<std::string> numbered(const std::string& prefix, Eigen::Index rows) {
    std::vector<std::string> names;
    for (Eigen::Index i = 0; i < rows; ++i)
        names.push_back(prefix + std::to_string(i));
    return names;
}

std::vector<std::string> pitchClasses(const std::string& prefix, Eigen::Index rows) {
    static const char* const kNames[12] = {"C",  "C#", "D",  "D#", "E",  "F",
                                           "F#", "G",  "G#", "A",  "A#", "B"};
    if (rows != 12) return numbered(prefix, rows);
    std::vector<std::string> names;
    for (const char* name : kNames)
        names.push_back(prefix + name);
    return names;
}

/// Builds the stage list; each `need*` adds a stage (and what it reads) once.
class Graph {
public:
    Graph(const SourceStage& source, const AnalysisSettings& settings)
        : source_(source)
        , s_(settings) {}

    std::vector<Stage> build();

private:
    bool has(const std::string& name) const { return names_.count(name) > 0; }
    void add(std::string name, std::vector<std::string> inputs, std::string settings,
             std::function<StageValue(const Inputs&)> compute) {
        names_.insert(name);
        stages_.push_back(Stage{std::move(name), std::move(inputs), std::move(settings),
                                [compute = std::move(compute)](const Inputs& in, std::stop_token) {
                                    return compute(in);
                                }});
    }
    StftParams stftParams() const {
        StftParams p;
        p.n_fft = s_.n_fft;
        p.hop_length = s_.hop_length;
        return p;
    }
    std::string stftKey() const {
        return "n_fft=" + std::to_string(s_.n_fft) + " hop=" + std::to_string(s_.hop_length);
    }

    std::string needSignal(Signal signal);
    std::string needHpss();
    std::string needMagnitude(Signal signal);
    std::string needMel(Signal signal);
    std::string needOnset(Signal signal);
    std::string needChromaCqt(Signal signal);
    /// How a curve stage stores its rows.
    enum class Kind { matrix, shape, vector };
    void curve(const std::string& stage, RowNames names, Kind kind = Kind::matrix) {
        curves_.push_back({stage, std::move(names), kind});
    }

    const SourceStage& source_;
    const AnalysisSettings& s_;
    std::vector<Stage> stages_;
    std::set<std::string> names_;
    struct Curve {
        std::string stage;
        RowNames names;
        Kind kind;
    };
    std::vector<Curve> curves_;
};

std::string Graph::needSignal(Signal signal) {
    if (signal == Signal::original) return "y";
    needHpss();
    return signal == Signal::harmonic ? "harmonic" : "percussive";
}

std::string Graph::needHpss() {
    if (has("hpss")) return "hpss";
    HpssParams params;
    params.kernel_size = KernelSize(s_.kernel_size);
    params.margin = Margin(s_.margin);
    add("hpss", {"stft"},
        "kernel_size=" + std::to_string(s_.kernel_size) + " margin=" + g17(s_.margin),
        [params](const Inputs& in) { return share(hpss(as<ComplexSpectrogram>(in[0]), params)); });
    using Layers = HarmonicPercussive<ComplexSpectrogram>;
    add("hpss_h_mag", {"hpss"}, "",
        [](const Inputs& in) { return share(Matrix(as<Layers>(in[0]).harmonic.abs())); });
    add("hpss_p_mag", {"hpss"}, "",
        [](const Inputs& in) { return share(Matrix(as<Layers>(in[0]).percussive.abs())); });
    const StftParams stft = stftParams();
    add("harmonic", {"hpss", "y"}, "", [stft](const Inputs& in) {
        return share(istft(as<Layers>(in[0]).harmonic, stft, as<Eigen::ArrayXf>(in[1]).size()));
    });
    add("percussive", {"hpss", "y"}, "", [stft](const Inputs& in) {
        return share(istft(as<Layers>(in[0]).percussive, stft, as<Eigen::ArrayXf>(in[1]).size()));
    });
    return "hpss";
}

std::string Graph::needMagnitude(Signal signal) {
    if (signal == Signal::original) return "stft_mag";
    const std::string name = "stft_mag" + suffix(signal);
    if (has(name)) return name;
    const std::string input = needSignal(signal);
    const StftParams stft = stftParams();
    add(name, {input}, stftKey(),
        [stft](const Inputs& in) { return share(stftMagnitude(as<Eigen::ArrayXf>(in[0]), stft)); });
    return name;
}

std::string Graph::needMel(Signal signal) {
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
            return share(melSpectrogram(as<Matrix>(in[0]).square().eval(), sr, params));
        });
    return name;
}

std::string Graph::needOnset(Signal signal) {
    const std::string name = "onset_strength" + suffix(signal);
    if (has(name)) return name;
    OnsetStrengthParams params;
    params.sr = s_.sr;
    params.n_fft = s_.n_fft;
    params.hop_length = s_.hop_length;
    const double sr = s_.sr;
    // onset_strength(y=y): its own 128-band mel spectrogram in dB (ref=1.0), whatever n_mels is.
    add(name, {needMagnitude(signal)}, "sr=" + g17(sr), [params, sr](const Inputs& in) {
        const Matrix mel = melSpectrogram(as<Matrix>(in[0]).square().eval(), sr, params.mel);
        return share(onsetStrength(powerToDb(mel), params));
    });
    return name;
}

std::string Graph::needChromaCqt(Signal signal) {
    const std::string name = "chroma_cqt" + suffix(signal);
    if (has(name)) return name;
    ChromaCqtParams params;
    params.hop_length = s_.hop_length;
    params.tuning = s_.tuning;
    params.n_chroma = s_.n_chroma;
    const double sr = s_.sr;
    add(name, {needSignal(signal)},
        "sr=" + g17(sr) + " hop=" + std::to_string(s_.hop_length) + " n_chroma=" +
            std::to_string(s_.n_chroma) + " tuning=" + (s_.tuning ? g17(*s_.tuning) : "estimated"),
        [params, sr](const Inputs& in) {
            return share(chromaCqt(as<Eigen::ArrayXf>(in[0]), sr, params));
        });
    return name;
}

std::vector<Stage> Graph::build() {
    const double sr = s_.sr;
    const auto decode = source_.decode;
    add("audio", {}, source_.identity + " sr=" + g17(sr),
        [decode, sr](const Inputs&) { return share(decode(sr)); });

    const CropPolicy policy = s_.crop;
    const StftParams stft = stftParams();
    add("crop", {"audio"}, policy.toString() + " sr=" + g17(sr) + " " + stftKey(),
        [policy, sr, stft](const Inputs& in) {
            const auto& audio = as<Eigen::ArrayXf>(in[0]);
            return share(chooseCrop(policy, audio, sr, stft.hop_length, stft.n_fft,
                                    frameCount(audio.size(), stft)));
        });
    const bool crop_signal = s_.crop_signal;
    add("y", {"audio", "crop"}, crop_signal ? "cropped" : "whole", [crop_signal](const Inputs& in) {
        if (!crop_signal) return in[0]; // the track itself, shared, not copied
        return share(cropSignal(as<Eigen::ArrayXf>(in[0]), as<Crop>(in[1])));
    });
    add("crop_frames", {"crop", "y"}, crop_signal ? "cropped" : "whole",
        [crop_signal, stft](const Inputs& in) {
            Crop crop = as<Crop>(in[0]);
            if (crop_signal) {
                crop.start_frame = 0;
                crop.n_frames = frameCount(as<Eigen::ArrayXf>(in[1]).size(), stft);
            }
            return share(std::move(crop));
        });
    add("stft", {"y"}, stftKey(), [stft](const Inputs& in) {
        return share(featurescope::stft(as<Eigen::ArrayXf>(in[0]), stft));
    });
    add("stft_mag", {"stft"}, "",
        [](const Inputs& in) { return share(Matrix(as<ComplexSpectrogram>(in[0]).abs())); });

    const bool ref_max = s_.db_ref == DbReference::max;
    const auto top_db = s_.top_db;
    const std::string db_key =
        std::string(ref_max ? "ref=max" : "ref=1") + " top_db=" + (top_db ? g17(*top_db) : "none");
    add("stft_db", {"stft_mag"}, db_key, [ref_max, top_db](const Inputs& in) {
        AmplitudeToDbParams params;
        params.ref = ref_max ? DbRef::max() : DbRef::fixed(1.0);
        params.top_db = top_db;
        return share(amplitudeToDb(as<Matrix>(in[0]), params));
    });

    const FeatureSelection& f = s_.features;
    const Routing& r = s_.routing;
    if (f.hpss) needHpss();
    if (f.mel) {
        needMel(Signal::original);
        add("mel_db", {"mel"}, db_key, [ref_max, top_db](const Inputs& in) {
            PowerToDbParams params;
            params.ref = ref_max ? DbRef::max() : DbRef::fixed(1.0);
            params.top_db = top_db;
            return share(powerToDb(as<Matrix>(in[0]), params));
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
        add("cqt_db", {"cqt"}, "", [](const Inputs& in) {
            AmplitudeToDbParams params;
            params.ref = DbRef::max();
            return share(amplitudeToDb(as<Matrix>(in[0]), params));
        });
    }
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
        add(name, {needMagnitude(r.spectral_contrast)}, "sr=" + g17(sr),
            [sr, n_fft](const Inputs& in) {
                return share(spectralContrast(as<Matrix>(in[0]), sr, {}, n_fft));
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
            add("beats" + suffix(r.rhythm), {onset}, key, [params](const Inputs& in) {
                const BeatTrack track = beatTrack(as<Eigen::ArrayXf>(in[0]), params);
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
    return std::move(stages_);
}

} // namespace

SourceStage SourceStage::file(const std::filesystem::path& path) {
    SourceStage source;
    source.path = path;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto time = std::filesystem::last_write_time(path, ec);
    source.identity = "file=" + path.string() + " size=" + std::to_string(ec ? 0 : size) +
                      " mtime=" + std::to_string(time.time_since_epoch().count());
    source.decode = [path](double sr) {
        LoadOptions options;
        options.sr = sr;
        return load(path, options).mono();
    };
    return source;
}

SourceStage SourceStage::samples(const Audio& audio) {
    SourceStage source;
    auto copy = std::make_shared<const Audio>(audio);
    const std::string_view bytes(reinterpret_cast<const char*>(copy->samples.data()),
                                 static_cast<std::size_t>(copy->samples.size()) * sizeof(float));
    source.identity = "samples=" + std::to_string(std::hash<std::string_view>{}(bytes)) +
                      " n=" + std::to_string(copy->samples.size()) +
                      " channels=" + std::to_string(copy->channels()) +
                      " native_sr=" + g17(copy->sr);
    source.decode = [copy](double sr) -> Eigen::ArrayXf {
        Eigen::ArrayXf mono = copy->samples.colwise().mean().transpose();
        if (copy->sr != sr) return resample(mono, copy->sr, sr);
        return mono;
    };
    return source;
}

std::vector<Stage> analysisStages(const SourceStage& source, const AnalysisSettings& settings) {
    return Graph(source, settings).build();
}

} // namespace featurescope
