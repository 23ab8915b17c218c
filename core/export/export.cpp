#include "core/export/export.h"

#include "core/export/atomic_file.h"
#include "core/export/librosa_calls.h"
#include "core/export/npy.h"
#include "core/export/number_format.h"

#include <cstdio>
#include <set>
#include <stdexcept>

#ifndef FEATURESCOPE_VERSION
#define FEATURESCOPE_VERSION "unknown"
#endif

namespace featurescope {

namespace {

constexpr const char* kLibrosaVersion = "0.10.2";

std::string number(double value) {
    return jsonNumber(value);
}

std::string optionalNumber(const std::optional<double>& value) {
    return value ? number(*value) : "null";
}

const Eigen::ArrayXXf& matrixOf(const Analysis& a, std::string_view name) {
    if (name == "mel") return a.mel();
    if (name == "mel_db") return a.melDb();
    if (name == "cqt") return a.cqt();
    if (name == "stft") return a.stftMagnitude();
    if (name == "harmonic") return a.harmonicMagnitude();
    if (name == "percussive") return a.percussiveMagnitude();
    if (name == "chroma") return a.chroma();
    if (name == "mfcc") return a.mfcc();
    throw std::invalid_argument("unknown export '" + std::string(name) + "'");
}

std::string cropJson(const Crop& crop) {
    return "{\"policy\": " + jsonString(crop.policy.toString()) +
           ", \"start_sample\": " + std::to_string(crop.start_sample) +
           ", \"n_samples\": " + std::to_string(crop.n_samples) +
           ", \"start_s\": " + number(crop.start_s) +
           ", \"duration_s\": " + number(crop.duration_s) +
           ", \"start_frame\": " + std::to_string(crop.start_frame) +
           ", \"n_frames\": " + std::to_string(crop.n_frames) + "}";
}

std::string versionsJson() {
    return std::string("{\"featurescope\": \"") + FEATURESCOPE_VERSION + "\", \"librosa\": \"" +
           kLibrosaVersion + "\"}";
}

} // namespace

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            } else if (static_cast<unsigned char>(c) < 0x80) {
                out += c;
            } else if (const auto length = utf8SequenceLength(text, i); length == 0) {
                out += "\\ufffd";
            } else {
                out.append(text.substr(i, length));
                i += length - 1;
            }
        }
    }
    return out + '"';
}

std::vector<std::filesystem::path> trackExportFiles(const std::filesystem::path& stem,
                                                    const TrackExports& exports) {
    std::vector<std::filesystem::path> files;
    if (exports.frames) files.emplace_back(stem.string() + ".frames.csv");
    for (const auto& name : exports.npy)
        files.emplace_back(stem.string() + "." + name + ".npy");
    if (!files.empty()) files.emplace_back(stem.string() + ".json");
    return files;
}

std::vector<std::string> parseNpyOutputs(std::string_view list) {
    std::vector<std::string> outputs;
    if (list == "all") return {kNpyOutputs.begin(), kNpyOutputs.end()};
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (name.empty()) continue;
        bool known = false;
        for (const auto output : kNpyOutputs)
            known = known || output == name;
        if (!known)
            throw std::invalid_argument("--npy takes a list of mel, mel_db, cqt, stft, harmonic, "
                                        "percussive, chroma, mfcc (or all); not '" +
                                        std::string(name) + "'");
        outputs.emplace_back(name);
    }
    return outputs;
}

Eigen::ArrayXXf exportMatrix(const Analysis& analysis, std::string_view name) {
    const Eigen::ArrayXXf& m = matrixOf(analysis, name);
    if (m.size() == 0)
        throw std::invalid_argument("the analysis has no '" + std::string(name) +
                                    "' (not among the selected features)");
    const Crop& crop = analysis.crop();
    const Eigen::Index begin = std::min(crop.start_frame, m.cols());
    const Eigen::Index end = std::min(crop.start_frame + crop.n_frames, m.cols());
    return m.middleCols(begin, end - begin);
}

std::string settingsJson(const AnalysisSettings& s) {
    return "{\"sr\": " + number(s.sr) + ", \"n_fft\": " + std::to_string(s.n_fft) +
           ", \"hop_length\": " + std::to_string(s.hop_length) +
           ", \"n_mels\": " + std::to_string(s.n_mels) + ", \"mel_fmin\": " + number(s.mel_fmin) +
           ", \"mel_fmax\": " + optionalNumber(s.mel_fmax) +
           ", \"htk\": " + (s.htk ? "true" : "false") +
           ", \"db_ref\": " + (s.db_ref == DbReference::max ? "\"np.max\"" : "1.0") +
           ", \"top_db\": " + optionalNumber(s.top_db) +
           ", \"mel_db_power\": " + std::to_string(s.mel_db_power) +
           ", \"n_mfcc\": " + std::to_string(s.n_mfcc) + ", \"fmin\": " + number(s.fmin) +
           ", \"n_bins\": " + std::to_string(s.n_bins) +
           ", \"bins_per_octave\": " + std::to_string(s.bins_per_octave) +
           ", \"n_chroma\": " + std::to_string(s.n_chroma) +
           ", \"tuning\": " + optionalNumber(s.tuning) +
           ", \"kernel_size\": " + std::to_string(s.kernel_size) +
           ", \"margin\": " + number(s.margin) +
           ", \"features\": " + jsonString(s.features.toString()) +
           ", \"routing\": " + jsonString(s.routing.toString()) +
           ", \"crop\": " + jsonString(s.crop.toString()) +
           ", \"crop_signal\": " + (s.crop_signal ? "true" : "false") + "}";
}

std::vector<std::filesystem::path> writeTrackExports(const Analysis& analysis,
                                                     const std::filesystem::path& stem,
                                                     std::string_view source,
                                                     const TrackExports& exports) {
    if (stem.has_parent_path()) std::filesystem::create_directories(stem.parent_path());
    std::vector<std::filesystem::path> written;
    const AnalysisSettings& s = analysis.settings();
    std::string outputs;
    const auto entry = [&](const std::filesystem::path& file, const std::string& call,
                           const std::string& extra) {
        if (!outputs.empty()) outputs += ",\n    ";
        outputs += jsonString(escapeName(file.filename().string())) +
                   ": {\"librosa\": " + jsonString(call) + extra + "}";
    };
    const Crop& crop = analysis.crop();
    const std::string frames = "[:, " + std::to_string(crop.start_frame) + ":" +
                               std::to_string(crop.start_frame + crop.n_frames) + "]";
    if (exports.frames) {
        const std::filesystem::path file = stem.string() + ".frames.csv";
        writeFileAtomically(file, frameTableCsv(analysis));
        written.push_back(file);
        std::string columns;
        std::set<std::string> families;
        for (const auto& row : analysis.curves().names)
            families.insert(curveFamily(row));
        for (const auto& family : families) {
            if (!columns.empty()) columns += ", ";
            // onset_strength is 1-D in librosa, every other curve family 2-D.
            const std::string index = family == "onset_strength" ? "[" + frames.substr(4) : frames;
            columns += jsonString(family) + ": " + jsonString(librosaCall(family, s) + index);
        }
        entry(file, "one column per row of the calls in 'columns', frames " + frames,
              ", \"columns\": {" + columns + "}");
    }
    for (const auto& name : exports.npy) {
        const std::filesystem::path file = stem.string() + "." + name + ".npy";
        const Eigen::ArrayXXf m = exportMatrix(analysis, name);
        writeNpy(file, m);
        written.push_back(file);
        entry(file, librosaCall(name, s) + frames,
              ", \"shape\": [" + std::to_string(m.rows()) + ", " + std::to_string(m.cols()) + "]");
    }
    const std::string json =
        "{\n  \"source\": " + jsonString(source) + ",\n  \"versions\": " + versionsJson() +
        ",\n  \"settings\": " + settingsJson(s) + ",\n  \"crop\": " + cropJson(crop) +
        ",\n  \"duration_s\": " + number(analysis.trackDuration()) +
        ",\n  \"python_setup\": " + jsonString(librosaSetup(s, crop, source)) +
        ",\n  \"outputs\": {\n    " + outputs + "\n  }\n}\n";
    const std::filesystem::path sidecar = stem.string() + ".json";
    writeFileAtomically(sidecar, json);
    written.push_back(sidecar);
    return written;
}

std::string summarySidecarJson(const AnalysisSettings& s, const std::vector<std::string>& columns) {
    std::string calls;
    std::set<std::string> done;
    for (const auto& column : columns) {
        const auto underscore = column.rfind('_');
        if (underscore == std::string::npos) continue;
        const std::string row = column.substr(0, underscore);
        const std::string family = column == "tempo_bpm" ? "tempo" : curveFamily(row);
        const std::string call = librosaCall(family, s);
        if (call.empty() || !done.insert(family).second) continue;
        if (!calls.empty()) calls += ",\n    ";
        calls += jsonString(family) + ": " + jsonString(call);
    }
    std::string names;
    for (const auto& column : columns)
        names += (names.empty() ? "" : ", ") + jsonString(column);
    return "{\n  \"versions\": " + versionsJson() + ",\n  \"settings\": " + settingsJson(s) +
           ",\n  \"crop\": " + jsonString(s.crop.toString()) +
           ",\n  \"rows\": \"one per track; <feature>_<stat> over the crop's frames of each row "
           "of the call named by <feature>'s family (mfcc_3 = row 3 of mfcc, chroma_C = row 0 of "
           "chroma)\",\n  \"statistics\": {\"mean\": \"np.mean(x)\", \"std\": \"np.std(x)\", "
           "\"min\": \"np.min(x)\", \"max\": \"np.max(x)\", \"median\": \"np.median(x)\", "
           "\"p10\": \"np.percentile(x, 10)\", \"p25\": \"np.percentile(x, 25)\", \"p75\": "
           "\"np.percentile(x, 75)\", \"p90\": \"np.percentile(x, 90)\"},\n  \"python_setup\": " +
           jsonString(librosaSetup(s, std::nullopt, "<path>")) + ",\n  \"columns\": [" + names +
           "],\n  \"librosa\": {\n    " + calls + "\n  }\n}\n";
}

} // namespace featurescope
