#include "app/extract/options.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

namespace featurescope::extract {

namespace {

int integer(const std::string& option, const std::string& text) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size())
        throw UsageError(option + " needs an integer, not '" + text + "'");
    return value;
}

double real(const std::string& option, const std::string& text) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    throw UsageError(option + " needs a number, not '" + text + "'");
}

const std::vector<std::string> kValued{
    "--preset", "--sr",       "--n-fft",           "--hop-length", "--n-mels",
    "--fmin",   "--n-bins",   "--bins-per-octave", "--n-mfcc",     "--kernel-size",
    "--margin", "--mel-fmin", "--mel-fmax",        "--top-db",     "--tuning",
    "--crop",   "--features", "--routing",         "--npy",        "--jobs",
    "--shard",  "-o",         "--output"};

} // namespace

std::string usage() {
    return R"(usage: featurescope-extract [options] INPUT... -o OUTDIR
       featurescope-extract merge SHARD_DIR... -o OUTDIR

INPUT is an audio file, a folder (searched recursively for wav, flac, ogg, opus, mp3, aif, aiff)
or a list file (.txt/.lst: one path per line). The label column is the parent folder's name
(genres/jazz/x.mp3 -> jazz). Writes OUTDIR/summary.csv (one row per track) with its sidecar
summary.json, summary_z.csv (z-scored by OUTDIR/scaler.csv), OUTDIR/skipped.csv, and with
--frames / --npy per-track files under OUTDIR/tracks/.

  --preset NAME          librosa (the default) or keras-melgram (sr 12000, n_fft 512,
                         hop_length 256, n_mels 96, dB re 1.0, crop center:29.12)
  --sr HZ                sampling rate (22050)
  --n-fft N              FFT length (2048)
  --hop-length N         samples between frames (512)
  --n-mels N             mel bands (128)
  --mel-fmin HZ          lowest mel frequency (0); --mel-fmax HZ highest (sr / 2)
  --top-db DB            dB floor below the peak (80; 'none' for no floor)
  --n-mfcc N             MFCCs (20)
  --fmin HZ              lowest CQT frequency (32.703 = C1)
  --n-bins N             CQT bins (84)
  --bins-per-octave N    CQT bins per octave (12)
  --tuning X             tuning in bins for chroma ('estimate', the default)
  --kernel-size N        HPSS median filter length (31)
  --margin X             HPSS margin (1.0)
  --crop POLICY          none | center:D | start:T:D | highlight:D | highlight:D@A-B (seconds);
                         the features are then computed on the crop (zero-padded)
  --features LIST        mel,mfcc,mfcc_delta,spectral,spectral_contrast,rms,zcr,chroma_stft,
                         cqt,chroma_cqt,tonnetz,hpss,onset_strength,tempo,beats,tempogram,
                         views | all (cqt, views, beats and tempogram have no column in the
                         tables: only --npy cqt / harmonic / percussive computes them)
  --routing LIST         feature=signal pairs, signal original|harmonic|percussive
                         (default chroma/tonnetz harmonic, rhythm percussive, others original)
  --frames               write each track's frame table (CSV)
  --npy LIST             write matrices as .npy: mel,mel_db,cqt,stft,harmonic,percussive,
                         chroma,mfcc | all
  --jobs N               tracks analysed in parallel (every core)
  --shard I/N            only the I-th of N stable shares of the inputs (0 <= I < N)
  --force                recompute tracks a previous run already wrote
  --scaler FILE          z-score summary_z.csv with this scaler.csv (from an earlier data set)
                         instead of fitting one; by default OUTDIR/scaler.csv is fitted
  -o, --output OUTDIR    where to write
  -h, --help             this text

Exit status: 0 all tracks written, 1 some skipped (each reported with its reason), 2 usage error.
)";
}

Options parseOptions(const std::vector<std::string>& args) {
    Options options;
    std::map<std::string, std::string> values;
    std::vector<std::string> order;
    std::size_t i = 0;
    if (!args.empty() && args[0] == "merge") {
        options.merge = true;
        i = 1;
    }
    for (; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "-h" || arg == "--help") {
            options.help = true;
            continue;
        }
        if (arg == "--version") {
            options.version = true;
            continue;
        }
        if (arg == "--frames") {
            options.exports.frames = true;
            continue;
        }
        if (arg == "--force") {
            options.force = true;
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-') {
            std::string value;
            const auto eq = arg.find('=');
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            } else {
                if (std::find(kValued.begin(), kValued.end(), arg) == kValued.end())
                    throw UsageError("unknown option " + arg);
                if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
                value = args[++i];
            }
            if (std::find(kValued.begin(), kValued.end(), arg) == kValued.end())
                throw UsageError("unknown option " + arg);
            if (arg == "--output") arg = "-o";
            values[arg] = value;
            continue;
        }
        options.inputs.push_back(arg);
    }
    if (options.help || options.version) return options;
    try {
        AnalysisSettings& s = options.settings;
        if (values.count("--preset")) s = AnalysisSettings::preset(values["--preset"]);
        const auto get = [&](const char* name) -> std::optional<std::string> {
            const auto it = values.find(name);
            return it == values.end() ? std::nullopt : std::optional(it->second);
        };
        if (auto v = get("--sr")) s.sr = real("--sr", *v);
        if (auto v = get("--n-fft")) s.n_fft = integer("--n-fft", *v);
        if (auto v = get("--hop-length")) s.hop_length = integer("--hop-length", *v);
        if (auto v = get("--n-mels")) s.n_mels = integer("--n-mels", *v);
        if (auto v = get("--mel-fmin")) s.mel_fmin = real("--mel-fmin", *v);
        if (auto v = get("--mel-fmax")) s.mel_fmax = real("--mel-fmax", *v);
        if (auto v = get("--top-db"))
            s.top_db = *v == "none" ? std::nullopt : std::optional(real("--top-db", *v));
        if (auto v = get("--n-mfcc")) s.n_mfcc = integer("--n-mfcc", *v);
        if (auto v = get("--fmin")) s.fmin = real("--fmin", *v);
        if (auto v = get("--n-bins")) s.n_bins = integer("--n-bins", *v);
        if (auto v = get("--bins-per-octave")) s.bins_per_octave = integer("--bins-per-octave", *v);
        if (auto v = get("--tuning"))
            s.tuning = *v == "estimate" ? std::nullopt : std::optional(real("--tuning", *v));
        if (auto v = get("--kernel-size")) s.kernel_size = integer("--kernel-size", *v);
        if (auto v = get("--margin")) s.margin = real("--margin", *v);
        if (auto v = get("--crop")) s.crop = CropPolicy::parse(*v);
        if (auto v = get("--features")) s.features = FeatureSelection::parse(*v);
        if (auto v = get("--routing")) s.routing = Routing::parse(*v);
        if (auto v = get("--npy")) options.exports.npy = parseNpyOutputs(*v);
        if (auto v = get("--jobs")) {
            options.jobs = integer("--jobs", *v);
            if (options.jobs < 1) throw UsageError("--jobs must be >= 1");
        }
        if (auto v = get("--shard")) {
            const auto slash = v->find('/');
            if (slash == std::string::npos) throw UsageError("--shard takes I/N, e.g. 0/8");
            options.shard_index = integer("--shard", v->substr(0, slash));
            options.shard_count = integer("--shard", v->substr(slash + 1));
            if (options.shard_count < 1 || options.shard_index < 0 ||
                options.shard_index >= options.shard_count)
                throw UsageError("--shard I/N needs N >= 1 and 0 <= I < N");
        }
        // The CLI describes the crop itself: features of the cropped (zero-padded) signal, as
        // the Keras and GTZAN recipes compute them.
        s.crop_signal = s.crop.kind != CropPolicy::Kind::none;
        s.validate();
        // No window draws here and the tables have no column for beats or the tempogram: only
        // what the tables read is computed, and what --npy exports (below).
        s.features = s.features.forTables();
        // The exported matrices must be computed.
        for (const auto& name : options.exports.npy) {
            if (name == "mel" || name == "mel_db") s.features.mel = true;
            if (name == "cqt") s.features.cqt = true;
            if (name == "harmonic" || name == "percussive")
                s.features.hpss = s.features.views = true;
            if (name == "chroma") s.features.chroma_stft = true;
            if (name == "mfcc") s.features.mfcc = true;
        }
    } catch (const std::invalid_argument& error) {
        throw UsageError(error.what());
    }
    if (values.count("-o")) options.output = values["-o"];
    if (values.count("--scaler")) options.scaler = values["--scaler"];
    if (options.output.empty()) throw UsageError("-o OUTDIR is required");
    if (options.inputs.empty())
        throw UsageError(options.merge ? "merge needs at least one SHARD_DIR"
                                       : "no INPUT given (files, folders or list files)");
    return options;
}

} // namespace featurescope::extract
