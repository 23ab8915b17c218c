// Crop policies: parsing, the centre / start / highlight choices, zero padding, and the
// highlight against every entry of the reference manifest.
#include "core/io/audio.h"
#include "core/crop/crop.h"
#include "core/crop/highlight.h"
#include "core/spectrum/stft.h"

#include <QtTest>

#include <fstream>
#include <regex>
#include <sstream>

using namespace featurescope;

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

Eigen::ArrayXf loadMono(const std::string& name) {
    return load(kRef + name).mono();
}

Crop cropOf(const std::string& policy, const Eigen::ArrayXf& y) {
    StftParams stft;
    return chooseCrop(CropPolicy::parse(policy), y, 22050.0, 512, 2048, frameCount(y.size(), stft));
}

/// The manifest's highlight entries: (file, seconds, start_frame).
std::vector<std::tuple<std::string, double, Eigen::Index>> highlightEntries() {
    std::ifstream in(kRef + "manifest.json");
    std::stringstream text;
    text << in.rdbuf();
    const std::string json = text.str();
    const auto begin = json.find("\"highlight\"");
    const auto end = json.find("\"inputs\"");
    const std::string section = json.substr(begin, end - begin);
    std::vector<std::tuple<std::string, double, Eigen::Index>> entries;
    // "file.wav": { "3.0": { "start_frame": 171, ... }, "5.0": {...} }
    const std::regex file_re("\"([^\"]+\\.(?:wav|mp3|flac))\"\\s*:\\s*\\{");
    const std::regex entry_re("\"([0-9.]+)\"\\s*:\\s*\\{\\s*\"start_frame\"\\s*:\\s*([0-9]+)");
    std::vector<std::pair<std::size_t, std::string>> files;
    for (std::sregex_iterator it(section.begin(), section.end(), file_re), e; it != e; ++it)
        files.push_back({static_cast<std::size_t>(it->position()), (*it)[1]});
    for (std::size_t f = 0; f < files.size(); ++f) {
        const auto from = files[f].first;
        const auto to = f + 1 < files.size() ? files[f + 1].first : section.size();
        const std::string part = section.substr(from, to - from);
        for (std::sregex_iterator it(part.begin(), part.end(), entry_re), e; it != e; ++it)
            entries.emplace_back(files[f].second, std::stod((*it)[1]), std::stol((*it)[2]));
    }
    return entries;
}

} // namespace

class TestCrop : public QObject {
    Q_OBJECT

private slots:
    void parsesEveryForm() {
        QVERIFY(CropPolicy::parse("none").kind == CropPolicy::Kind::none);
        const auto center = CropPolicy::parse("center:29.12");
        QVERIFY(center.kind == CropPolicy::Kind::center);
        QCOMPARE(center.duration, 29.12);
        const auto start = CropPolicy::parse("start:30:10");
        QCOMPARE(start.start, 30.0);
        QCOMPARE(start.duration, 10.0);
        const auto pop = CropPolicy::parse("highlight:29.12@60-120");
        QVERIFY(pop.kind == CropPolicy::Kind::highlight);
        QCOMPARE(*pop.search_from, 60.0);
        QCOMPARE(*pop.search_to, 120.0);
        for (const char* text :
             {"none", "center:29.12", "start:30:10", "highlight:5", "highlight:29.12@60-120"})
            QCOMPARE(CropPolicy::parse(CropPolicy::parse(text).toString()),
                     CropPolicy::parse(text));
    }

    void refusesBadPolicies() {
        for (const char* text :
             {"", "middle:3", "center:", "center:-1", "center:0", "start:5", "start:-1:5",
              "highlight:x", "highlight:5@120-60", "highlight:5@60", "none:3"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CropPolicy::parse(text));
    }

    void highlightMatchesEveryManifestEntry() {
        const auto entries = highlightEntries();
        QVERIFY(entries.size() >= 4);
        for (const auto& [file, seconds, expected] : entries) {
            const Eigen::ArrayXf y = loadMono(file);
            std::ostringstream policy;
            policy.precision(17);
            policy << "highlight:" << seconds;
            const Crop crop = cropOf(policy.str(), y);
            if (crop.start_frame != expected) {
                // A float tie is accepted: the two windows' means within 1e-6 (relative).
                HighlightParams params;
                params.seconds = seconds;
                const Eigen::ArrayXd scores = highlightScores(y, 22050.0, params);
                QVERIFY2(std::abs(scores[crop.start_frame] - scores[expected]) <=
                             1e-6 * std::abs(scores[expected]),
                         (file + " " + policy.str()).c_str());
            }
            QCOMPARE(crop.start_sample, crop.start_frame * 512);
        }
    }

    void highlightSearchRangeIsHonoured() {
        const Eigen::ArrayXf y = loadMono("loud_section.wav"); // loud from 20 s to 28 s
        const Crop anywhere = cropOf("highlight:5", y);
        QVERIFY(anywhere.start_s >= 20.0 && anywhere.start_s <= 23.5);
        const Crop early = cropOf("highlight:5@2-10", y);
        QVERIFY(early.start_s >= 2.0 - 512 / 22050.0 && early.start_s <= 10.0 + 512 / 22050.0);
    }

    void centerOfALongTrackIsItsMiddle() {
        const Eigen::ArrayXf y = loadMono("loud_section.wav");
        const Crop crop = cropOf("center:10", y);
        QCOMPARE(crop.n_samples, Eigen::Index(220500));
        QCOMPARE(crop.start_sample, (y.size() - 220500) / 2);
        const Eigen::ArrayXf cut = cropSignal(y, crop);
        QCOMPARE(cut[0], y[crop.start_sample]);
        QCOMPARE(cut[cut.size() - 1], y[crop.start_sample + 220499]);
    }

    void centerOfAShortTrackIsZeroPadded() {
        const Eigen::ArrayXf y = loadMono("drums.wav"); // 8 s
        const Crop crop = cropOf("center:29.12", y);
        QCOMPARE(crop.start_sample, Eigen::Index(0));
        QCOMPARE(crop.n_samples, Eigen::Index(29.12 * 22050.0));
        QCOMPARE(crop.start_frame, Eigen::Index(0));
        QCOMPARE(crop.n_frames, Eigen::Index(345)); // every frame the track has
        const Eigen::ArrayXf cut = cropSignal(y, crop);
        QCOMPARE(cut.size(), crop.n_samples);
        QVERIFY((cut.head(y.size()) == y).all());
        QVERIFY((cut.tail(cut.size() - y.size()) == 0.0f).all());
    }

    void startCropFramesAreThoseOfTheCroppedSignal() {
        const Eigen::ArrayXf y = loadMono("drums.wav");
        const Crop crop = cropOf("start:1:2", y);
        QCOMPARE(crop.start_sample, Eigen::Index(22050));
        // Frames centred inside [22050, 22050 + 44100]: 44 .. 129.
        QCOMPARE(crop.start_frame, Eigen::Index(44));
        QCOMPARE(crop.n_frames, Eigen::Index(129 - 44 + 1));
        const Crop past_end = cropOf("start:7:5", y);
        QCOMPARE(cropSignal(y, past_end).size(), Eigen::Index(5 * 22050));
        QVERIFY(past_end.start_frame + past_end.n_frames <= 345);
    }

    void silenceAndNoneKeepTheWholeTrack() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Zero(22050 * 3);
        const Crop none = cropOf("none", y);
        QCOMPARE(none.n_samples, y.size());
        QCOMPARE(none.n_frames, Eigen::Index(1 + y.size() / 512));
        const Crop quiet = cropOf("highlight:1", y); // all ties: the earliest start
        QCOMPARE(quiet.start_frame, Eigen::Index(0));
    }
};

QTEST_GUILESS_MAIN(TestCrop)
#include "test_crop.moc"
