// featurescope-parity DIR [FILTER]: computes every output that DIR/manifest.json names, for every
// input in DIR, and compares it with librosa's .npy under the reference README's bounds. One
// line per output: name, metric, value, bound, PASS / FAIL / ERROR / not yet / unknown.
// Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage error.
#include "known_deviations.h"
#include "metrics.h"
#include "registry.h"

#include "core/io/audio.h"
#include "core/crop/highlight.h"
#include "core/util/malloc_tuning.h"
#include "core/export/npy.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Tally {
    int passed = 0, failed = 0, not_yet = 0, unknown = 0, known = 0;
};

void printLine(const std::string& name, const std::string& metric, const std::string& value,
               const std::string& bound, const std::string& status, const std::string& detail) {
    std::printf("%-30s %-12s %-12s %-14s %-8s %s\n", name.c_str(), metric.c_str(), value.c_str(),
                bound.c_str(), status.c_str(), detail.c_str());
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// Finds the input an output prefix names: "chords" -> chords.wav (a .wav is preferred when
/// several files share the stem), "chords_flac" -> chords.flac, "drums_mp3" -> drums.mp3.
std::optional<std::string> inputFor(const std::string& prefix, const QJsonObject& inputs) {
    std::optional<std::string> by_stem;
    for (auto it = inputs.begin(); it != inputs.end(); ++it) {
        const std::string file = it.key().toStdString();
        const fs::path p(file);
        const std::string stem = p.stem().string();
        const std::string ext = lower(p.extension().string());
        if (!ext.empty() && prefix == stem + "_" + ext.substr(1)) return file;
        if (stem == prefix && (!by_stem || ext == ".wav")) by_stem = file;
    }
    return by_stem;
}

std::string formatValue(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3e", v);
    return buffer;
}

/// The verdict of an output that has a known-deviation entry (see known_deviations.h).
void judgeKnown(const std::string& name, const parity::Verdict& v,
                const parity::KnownDeviation& known, parity::Comparison comparison,
                const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& reference, Tally& tally) {
    if (v.pass) {
        printLine(name, v.metric, formatValue(v.value), v.bound, "FAIL",
                  "stale known deviation: this output passes; remove its entry");
        ++tally.failed;
        return;
    }
    if (comparison.frames.empty()) comparison.frames.assign(size_t(ours.cols()), true);
    for (const long frame : known.frames)
        if (frame < long(comparison.frames.size())) comparison.frames[size_t(frame)] = false;
    const parity::Verdict rest = parity::compare(comparison, ours, reference);
    if (!rest.pass) {
        printLine(name, v.metric, formatValue(v.value), v.bound, "FAIL", v.detail);
        ++tally.failed;
        return;
    }
    printLine(name, v.metric, formatValue(v.value), v.bound, "KNOWN",
              v.detail + "; every other frame within the bound (" + formatValue(rest.value) +
                  "): " + known.reason);
    ++tally.known;
}

void checkOutput(const std::string& name, parity::Input* input, const fs::path& reference_path,
                 const parity::Registry& registry,
                 const std::map<std::string, parity::KnownDeviation>& known, Tally& tally) {
    const auto dot = name.find('.');
    const std::string suffix = name.substr(dot + 1);
    const parity::OutputKind* kind = registry.find(suffix);
    if (!kind) {
        printLine(name, "-", "-", "-", "unknown", "no output kind '" + suffix + "'");
        ++tally.unknown;
        return;
    }
    if (!kind->compute) {
        printLine(name, "-", "-", "-", "not yet", "");
        ++tally.not_yet;
        return;
    }
    if (!input) {
        printLine(name, "-", "-", "-", "ERROR", "its input file is not in the folder");
        ++tally.failed;
        return;
    }
    try {
        const Eigen::ArrayXXf reference = featurescope::readNpy(reference_path);
        const Eigen::ArrayXXf ours = kind->compute(*input);
        const parity::Comparison comparison = kind->comparison(*input);
        const parity::Verdict v = parity::compare(comparison, ours, reference);
        if (const auto entry = known.find(name); entry != known.end()) {
            judgeKnown(name, v, entry->second, comparison, ours, reference, tally);
            return;
        }
        printLine(name, v.metric, formatValue(v.value), v.bound, v.pass ? "PASS" : "FAIL",
                  v.detail);
        v.pass ? ++tally.passed : ++tally.failed;
    } catch (const std::exception& e) {
        printLine(name, "-", "-", "-", "ERROR", e.what());
        ++tally.failed;
    }
}

/// The manifest's `highlight` section: {input: {seconds: {start_frame, start_s}}}.
void checkHighlights(const QJsonObject& highlights, const fs::path& dir, Tally& tally) {
    for (auto file = highlights.begin(); file != highlights.end(); ++file) {
        if (!file.value().isObject()) continue; // the "definition" text
        const std::string input = file.key().toStdString();
        const QJsonObject cases = file.value().toObject();
        for (auto c = cases.begin(); c != cases.end(); ++c) {
            const std::string name = "highlight " + input + " " + c.key().toStdString() + "s";
            try {
                const auto audio = featurescope::load(dir / input);
                featurescope::HighlightParams params;
                params.seconds = std::stod(c.key().toStdString());
                const Eigen::ArrayXd scores =
                    featurescope::highlightScores(audio.mono(), audio.sr, params);
                const auto found = featurescope::findHighlight(audio.mono(), audio.sr, params);
                const auto expected = Eigen::Index(c.value().toObject()["start_frame"].toInt());
                bool pass = found.start_frame == expected;
                std::string detail = "start frame " + std::to_string(found.start_frame) +
                                     ", reference " + std::to_string(expected);
                if (!pass && expected >= 0 && expected < scores.size()) {
                    // A float tie: the reference's start scores within 1e-6 of ours.
                    const double best = scores[found.start_frame];
                    const double theirs = scores[expected];
                    pass = std::abs(best - theirs) <= 1e-6 * std::abs(best);
                    if (pass) detail += " (a float tie)";
                }
                printLine(name, "frame", std::to_string(found.start_frame),
                          std::to_string(expected), pass ? "PASS" : "FAIL", detail);
                pass ? ++tally.passed : ++tally.failed;
            } catch (const std::exception& e) {
                printLine(name, "-", "-", "-", "ERROR", e.what());
                ++tally.failed;
            }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    featurescope::tuneMallocForLargeArrays(argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    std::map<std::string, parity::KnownDeviation> known;
    try {
        for (auto it = args.begin(); it != args.end();) {
            if (*it != "--known-deviations") {
                ++it;
                continue;
            }
            if (it + 1 == args.end()) throw std::runtime_error("--known-deviations needs a FILE");
            known = parity::readKnownDeviations(*(it + 1));
            it = args.erase(it, it + 2);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "featurescope-parity: %s\n", e.what());
        return 2;
    }
    if (args.empty() || args.size() > 2) {
        std::fprintf(stderr, "usage: featurescope-parity [--known-deviations FILE] DIR [FILTER]\n"
                             "  DIR holds manifest.json, the inputs and librosa's .npy outputs;\n"
                             "  FILTER keeps only outputs whose name contains it; FILE lists\n"
                             "  outputs off at named frames, with the evidence\n"
                             "  (tests/parity/known_deviations.txt).\n");
        return 2;
    }
    const fs::path dir = args[0];
    const std::string filter = args.size() == 2 ? args[1] : "";
    QFile file(QString::fromStdString((dir / "manifest.json").string()));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "%s: cannot read manifest.json\n", dir.c_str());
        return 2;
    }
    QJsonParseError error{};
    const QJsonObject manifest = QJsonDocument::fromJson(file.readAll(), &error).object();
    if (error.error != QJsonParseError::NoError) {
        std::fprintf(stderr, "%s/manifest.json: %s\n", dir.c_str(),
                     error.errorString().toStdString().c_str());
        return 2;
    }
    parity::Registry registry;
    parity::registerAllOutputs(registry);

    const QJsonObject inputs = manifest["inputs"].toObject();
    const QJsonObject outputs = manifest["outputs"].toObject();
    // Group outputs by input so each input's intermediates are computed once, then freed.
    std::map<std::string, std::vector<std::string>> by_prefix;
    for (auto it = outputs.begin(); it != outputs.end(); ++it) {
        const std::string name = it.key().toStdString();
        if (name.find(filter) == std::string::npos) continue;
        const auto dot = name.find('.');
        if (dot == std::string::npos) continue;
        by_prefix[name.substr(0, dot)].push_back(name);
    }
    std::printf("%-30s %-12s %-12s %-14s %-8s %s\n", "output", "metric", "value", "bound", "result",
                "detail");
    Tally tally;
    for (const auto& [prefix, names] : by_prefix) {
        std::unique_ptr<parity::Input> input;
        if (const auto file_name = inputFor(prefix, inputs);
            file_name && fs::exists(dir / *file_name)) {
            const auto declared = inputs[QString::fromStdString(*file_name)].toObject()["sr"];
            input = std::make_unique<parity::Input>(
                dir / *file_name,
                declared.isDouble() ? std::optional<double>(declared.toDouble()) : std::nullopt);
        }
        for (const auto& name : names)
            checkOutput(name, input.get(), dir / (name + ".npy"), registry, known, tally);
    }
    if (std::string("highlight").find(filter) != std::string::npos || filter.empty())
        checkHighlights(manifest["highlight"].toObject(), dir, tally);

    std::printf("\n%d not yet, %d unknown, %d known deviations\n", tally.not_yet, tally.unknown,
                tally.known);
    std::printf("%d passed, %d failed\n", tally.passed, tally.failed);
    return tally.failed == 0 ? 0 : 1;
}
