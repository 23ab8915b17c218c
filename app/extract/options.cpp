#include "app/extract/options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>

#ifndef FEATURESCOPE_VERSION
#define FEATURESCOPE_VERSION "unknown"
#endif

namespace featurescope::extract {

namespace {

using S = AnalysisSettings;

/// A number in --help or a message, the same in every locale (6 significant digits).
std::string num(double value) {
    char buffer[32];
    const auto end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6).ptr;
    return std::string(buffer, end);
}

int integer(const std::string& option, const std::string& text) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty())
        throw UsageError(option + " needs an integer, not '" + text + "'");
    return value;
}

double real(const std::string& option, const std::string& text) {
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() ||
        !std::isfinite(value))
        throw UsageError(option + " needs a finite number, not '" + text + "'");
    return value;
}

/// What an option's value does: (options, the option's name, its value).
using Apply = std::function<void(Options&, const std::string&, const std::string&)>;

Apply intSetting(int S::*field) {
    return [field](Options& o, const std::string& name, const std::string& value) {
        o.settings.*field = integer(name, value);
    };
}

Apply realSetting(double S::*field) {
    return [field](Options& o, const std::string& name, const std::string& value) {
        o.settings.*field = real(name, value);
    };
}

/// One option: its flags, the name of its value in --help (nullptr: a flag, which takes none),
/// its help and what it does. `list`: a repeat adds to the list (--npy mel --npy cqt is
/// --npy mel,cqt); any other option given twice is refused rather than the last silently
/// winning. `merge`: `merge` takes it too.
struct Declared {
    const char* flags;
    const char* value;
    std::string help;
    Apply apply;
    bool list = false;
    bool merge = false;
};

/// Every option but --help and --version, once: the parser and --help are both made from this
/// list, in this order, which is also the order they apply in (--preset first, the others
/// change it). Help lines stay within 54 columns so that --help fits 80.
const std::vector<Declared>& declaredOptions() {
    const S d;
    const auto dflt = [](double value) { return " (" + num(value) + ")"; };
    static const std::vector<Declared> options{
        {"--preset", "NAME",
         "librosa (the default) or keras-melgram (Keras'\ncompute_melgram: sr 12000, n_fft 512, "
         "hop_length 256,\nn_mels 96, power_to_db(mel**2, ref=1.0), crop\ncenter:29.12); the "
         "options below change it",
         [](Options& o, const std::string&, const std::string& v) { o.settings = S::preset(v); }},
        {"--sr", "HZ", "sr: sampling rate, 1000..768000 Hz" + dflt(d.sr), realSetting(&S::sr)},
        {"--n-fft", "N", "n_fft: FFT length, 2..65536" + dflt(d.n_fft), intSetting(&S::n_fft)},
        {"--hop-length", "N",
         "hop_length: samples between frames, >= n_fft / 64\n" + dflt(d.hop_length).substr(1),
         intSetting(&S::hop_length)},
        {"--n-mels", "N", "n_mels: mel bands" + dflt(d.n_mels), intSetting(&S::n_mels)},
        {"--mel-fmin", "HZ", "fmin of the mel bands" + dflt(d.mel_fmin), realSetting(&S::mel_fmin)},
        {"--mel-fmax", "HZ", "fmax of the mel bands, <= sr / 2 (sr / 2)",
         [](Options& o, const std::string& name, const std::string& v) {
             o.settings.mel_fmax = real(name, v);
         }},
        {"--top-db", "DB", "top_db: dB floor below the peak, or none" + dflt(*d.top_db),
         [](Options& o, const std::string& name, const std::string& v) {
             o.settings.top_db = v == "none" ? std::nullopt : std::optional(real(name, v));
         }},
        {"--n-mfcc", "N", "n_mfcc: MFCCs, <= n_mels" + dflt(d.n_mfcc), intSetting(&S::n_mfcc)},
        {"--fmin", "HZ", "fmin of the CQT that --npy cqt writes (" + num(d.fmin) + " = C1)",
         realSetting(&S::fmin)},
        {"--n-bins", "N", "n_bins of that CQT" + dflt(d.n_bins), intSetting(&S::n_bins)},
        {"--bins-per-octave", "N", "bins_per_octave of that CQT, 1..1200" + dflt(d.bins_per_octave),
         intSetting(&S::bins_per_octave)},
        {"--tuning", "X", "tuning of chroma in bins, -0.5..0.5, or estimate\n(estimate)",
         [](Options& o, const std::string& name, const std::string& v) {
             o.settings.tuning = v == "estimate" ? std::nullopt : std::optional(real(name, v));
         }},
        {"--kernel-size", "N",
         "kernel_size: HPSS median filter length, 1..1025" + dflt(d.kernel_size),
         intSetting(&S::kernel_size)},
        {"--margin", "X", "margin: HPSS mask margin, >= 1" + dflt(d.margin),
         realSetting(&S::margin)},
        {"--crop", "POLICY",
         "none | center:D | start:T:D | highlight:D |\nhighlight:D@A-B, in seconds (at most "
         "86400); the\nfeatures are computed on the crop, zero-padded\n(none)",
         [](Options& o, const std::string&, const std::string& v) {
             o.settings.crop = CropPolicy::parse(v);
         }},
        {"--features", "LIST",
         "mel,mfcc,mfcc_delta,spectral,spectral_contrast,rms,\nzcr,chroma_stft,cqt,chroma_cqt,"
         "tonnetz,hpss,\nonset_strength,tempo,beats,tempogram,views | all;\ncqt, views, beats "
         "and tempogram have no table\ncolumn: only --npy computes them",
         [](Options& o, const std::string&, const std::string& v) {
             o.settings.features = FeatureSelection::parse(v);
         },
         true},
        {"--routing", "LIST",
         "feature=signal pairs, signal original|harmonic|\npercussive (chroma and tonnetz "
         "harmonic, rhythm\npercussive, the others original)",
         [](Options& o, const std::string&, const std::string& v) {
             o.settings.routing = Routing::parse(v);
         },
         true},
        {"--npy", "LIST",
         "write matrices as .npy: mel,mel_db,cqt,stft,\nharmonic,percussive,chroma,mfcc | all",
         [](Options& o, const std::string&, const std::string& v) {
             for (auto& name : parseNpyOutputs(v))
                 if (std::find(o.exports.npy.begin(), o.exports.npy.end(), name) ==
                     o.exports.npy.end())
                     o.exports.npy.push_back(name);
         },
         true},
        {"-j,--jobs", "N", "tracks analysed in parallel (every core)",
         [](Options& o, const std::string& name, const std::string& v) {
             o.jobs = integer(name, v);
             if (o.jobs < 1) throw UsageError(name + " must be >= 1, got " + v);
         }},
        {"--shard", "I/N", "only the I-th of N stable shares of the inputs\n(0 <= I < N)",
         [](Options& o, const std::string& name, const std::string& v) {
             const auto slash = v.find('/');
             if (slash == std::string::npos) throw UsageError(name + " takes I/N, e.g. 0/8");
             o.shard_index = integer(name, v.substr(0, slash));
             o.shard_count = integer(name, v.substr(slash + 1));
             if (o.shard_count < 1 || o.shard_index < 0 || o.shard_index >= o.shard_count)
                 throw UsageError(name + " I/N needs N >= 1 and 0 <= I < N, got " + v);
         }},
        {"--scaler", "FILE",
         "z-score summary_z.csv with this scaler.csv (of a\ntraining set) instead of fitting "
         "one to OUTDIR",
         [](Options& o, const std::string&, const std::string& v) { o.scaler = v; }, false, true},
        {"-o,--output", "OUTDIR", "where to write",
         [](Options& o, const std::string&, const std::string& v) { o.output = v; }, false, true},
        {"--frames", nullptr, "write each track's frame table (CSV)",
         [](Options& o, const std::string&, const std::string&) { o.exports.frames = true; }},
        {"--force", nullptr, "recompute tracks a previous run already wrote",
         [](Options& o, const std::string&, const std::string&) { o.force = true; }},
    };
    return options;
}

/// The long name of "-j,--jobs".
std::string longName(const char* flags) {
    const std::string text(flags);
    return text.substr(text.rfind(',') + 1);
}

const char* const kUsage = "usage: featurescope-extract [options] INPUT... -o OUTDIR\n"
                           "       featurescope-extract merge SHARD_DIR... -o OUTDIR\n";

const char* const kExit = R"(
Exit status: 0 all tracks written; 1 some skipped (each reported with its
reason and listed in skipped.csv); 2 usage error, found before any track is
read (nothing written); 3 the run failed (the output folder unusable, the disk
full, ...).)";

const char* const kFooter =
    R"(INPUT is an audio file, a folder (searched recursively for wav, flac, ogg,
opus, mp3, aif, aiff) or a list file (.txt/.lst: one path per line); after --
every argument is an INPUT, even one named like an option. The label column is
the parent folder's name (genres/jazz/x.mp3 -> jazz). Writes OUTDIR/summary.csv
(one row per track) with its sidecar summary.json, summary_z.csv (z-scored by
OUTDIR/scaler.csv), skipped.csv, and with --frames / --npy per-track files
under OUTDIR/tracks/. merge joins the OUTDIRs of --shard runs.)";

const char* const kMergeFooter =
    R"(merge joins the OUTDIRs of --shard runs (made with the same settings) into
what one run over all their inputs would have written.)";

/// --help: the usage lines, the options (two spaces, "-o, --output OUTDIR", the help from
/// column 25), the footer.
class Help : public CLI::Formatter {
public:
    Help() { column_width(25); }
    std::string make_usage(const CLI::App*, std::string) const override { return kUsage; }
    std::string make_option_name(const CLI::Option* opt, bool positional) const override {
        std::string name = CLI::Formatter::make_option_name(opt, positional);
        const auto comma = name.find(',');
        return comma == std::string::npos ? name : name.replace(comma, 1, ", ");
    }
};

/// Where the parser puts what it reads.
struct Parsed {
    std::vector<std::vector<std::string>> values; ///< per declaredOptions() entry
    std::vector<int> counts;                      ///< per flag: how often it was given
    std::vector<std::string> inputs;
};

std::unique_ptr<CLI::App> makeParser(bool merge, Parsed& parsed) {
    auto app = std::make_unique<CLI::App>("", merge ? "featurescope-extract merge"
                                                    : "featurescope-extract");
    app->formatter(std::make_shared<Help>());
    app->set_help_flag("-h,--help", "this text");
    app->set_version_flag("--version", versionLine(), "the version");
    app->footer(std::string(merge ? kMergeFooter : kFooter) + "\n" + kExit);
    app->add_option(merge ? "SHARD_DIR" : "INPUT", parsed.inputs,
                    merge ? "the OUTDIRs of --shard runs" : "files, folders, list files")
        ->option_text("...");
    const auto& options = declaredOptions();
    parsed.values.assign(options.size(), {});
    parsed.counts.assign(options.size(), 0);
    for (std::size_t i = 0; i < options.size(); ++i) {
        const Declared& option = options[i];
        if (merge && !option.merge) continue;
        if (!option.value) {
            app->add_flag(option.flags, parsed.counts[i], option.help);
            continue;
        }
        // One value per occurrence (--npy mel x.wav: x.wav is an INPUT), every occurrence kept.
        app->add_option(option.flags, parsed.values[i], option.help)
            ->option_text(option.value)
            ->allow_extra_args(false)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
    return app;
}

/// The final feature selection: only what the tables read, and what --npy exports.
void selectFeatures(Options& options) {
    AnalysisSettings& s = options.settings;
    // No window draws here and the tables have no column for beats or the tempogram.
    s.features = s.features.forTables();
    for (const auto& name : options.exports.npy) {
        if (name == "mel" || name == "mel_db") s.features.mel = true;
        if (name == "cqt") s.features.cqt = true;
        if (name == "harmonic" || name == "percussive") s.features.hpss = s.features.views = true;
        if (name == "chroma") s.features.chroma_stft = true;
        if (name == "mfcc") s.features.mfcc = true;
    }
}

} // namespace

std::string versionLine() {
    return std::string("featurescope-extract ") + FEATURESCOPE_VERSION +
           " (librosa 0.10.2 semantics)";
}

std::string usage(bool merge) {
    Parsed parsed;
    return makeParser(merge, parsed)->help();
}

Options parseOptions(const std::vector<std::string>& args) {
    Options options;
    options.merge = !args.empty() && args[0] == "merge";
    Parsed parsed;
    const auto app = makeParser(options.merge, parsed);
    std::vector<std::string> reversed(args.rbegin(), args.rend() - (options.merge ? 1 : 0));
    try {
        app->parse(reversed);
    } catch (const CLI::CallForHelp&) {
        options.help = true;
        return options;
    } catch (const CLI::CallForVersion&) {
        options.version = true;
        return options;
    } catch (const CLI::ExtrasError& error) {
        throw UsageError(std::string(error.what()) +
                         (options.merge ? " (merge takes SHARD_DIR..., -o and --scaler; a folder "
                                          "named like an option goes after --)"
                                        : " (an INPUT named like an option goes after --)"));
    } catch (const CLI::ParseError& error) {
        throw UsageError(error.what());
    }
    options.inputs = parsed.inputs;
    const auto& declared = declaredOptions();
    try {
        for (std::size_t i = 0; i < declared.size(); ++i) {
            if (parsed.counts[i] > 0) declared[i].apply(options, declared[i].flags, "");
            const auto& values = parsed.values[i];
            if (values.empty()) continue;
            const std::string name = longName(declared[i].flags);
            std::string value = values.front();
            for (std::size_t k = 1; k < values.size(); ++k) {
                if (!declared[i].list)
                    throw UsageError(name + " was given " + std::to_string(values.size()) +
                                     " times ('" + values.front() + "', '" + values[k] +
                                     "'); give it once");
                value += "," + values[k];
            }
            declared[i].apply(options, name, value);
        }
        AnalysisSettings& s = options.settings;
        // The CLI describes the crop itself: features of the cropped (zero-padded) signal, as
        // the Keras and GTZAN recipes compute them.
        s.crop_signal = s.crop.kind != CropPolicy::Kind::none;
        selectFeatures(options);
        // Once, on the settings that will run: a rule broken here would skip every track.
        s.validate();
        if (!s.features.cqt)
            for (const char* cqt : {"--fmin", "--n-bins", "--bins-per-octave"})
                for (std::size_t i = 0; i < declared.size(); ++i)
                    if (declared[i].flags == std::string(cqt) && !parsed.values[i].empty())
                        options.notes.push_back(
                            std::string(cqt) +
                            " shapes only the CQT that --npy cqt writes; no table column "
                            "reads it (chroma_cqt and tonnetz use librosa's own CQT)");
    } catch (const std::invalid_argument& error) {
        throw UsageError(error.what());
    }
    if (options.output.empty()) throw UsageError("-o OUTDIR is required");
    if (options.inputs.empty())
        throw UsageError(options.merge ? "merge needs at least one SHARD_DIR"
                                       : "no INPUT given (files, folders or list files)");
    return options;
}

} // namespace featurescope::extract
