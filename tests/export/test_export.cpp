// Exports: CSV formatting and tables read back, .npy read back (by us and by NumPy), the JSON
// sidecar, and atomic writes surviving a SIGKILL mid-write.
#include "core/pipeline/analysis.h"
#include "core/export/atomic_file.h"
#include "core/export/csv.h"
#include "core/export/export.h"
#include "core/export/npy.h"

#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace featurescope;
namespace fs = std::filesystem;

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

fs::path scratch(const std::string& name) {
    const fs::path dir =
        fs::temp_directory_path() / ("featurescope_export_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

/// Version k of the big file: its first line names k, the rest is k's byte repeated.
std::string version(int k, std::size_t size) {
    std::string text = "version " + std::to_string(k) + "\n";
    text.resize(size, static_cast<char>('a' + k % 26));
    return text;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void cleanupTestCase() { fs::remove_all(scratch("x").parent_path()); }

    void numbersAreG9WithADot() {
        QCOMPARE(formatNumber(1.5), std::string("1.5"));
        QCOMPARE(formatNumber(static_cast<double>(0.1f)), std::string("0.100000001"));
        QCOMPARE(formatNumber(1e-20), std::string("1e-20"));
        QCOMPARE(formatNumber(NAN), std::string("nan"));
        QCOMPARE(formatNumber(-INFINITY), std::string("-inf"));
        // Every float32 reads back exactly from %.9g.
        for (float v : {3.14159274f, -1234.56787f, 1.17549435e-38f, 8388609.0f})
            QCOMPARE(std::strtof(formatNumber(v).c_str(), nullptr), v);
        // Under a decimal-comma locale: tests/export/test_locale.cpp.
    }

    void fieldsAreQuotedAndParsedBack() {
        QCOMPARE(csvField("plain"), std::string("plain"));
        QCOMPARE(csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        const auto rows = parseCsv("a,\"b,c\",\"d\"\"e\"\n1,,3\n");
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0][1], std::string("b,c"));
        QCOMPARE(rows[0][2], std::string("d\"e"));
        QCOMPARE(rows[1][1], std::string(""));
    }

    void frameTableMatchesTheCurves() {
        const auto analysis = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        const std::string text = frameTableCsv(*analysis);
        QVERIFY(text.find('\r') == std::string::npos);
        const auto rows = parseCsv(text);
        const FeatureCurves& curves = analysis->curves();
        QCOMPARE(rows.size(), std::size_t(1 + analysis->frameCount()));
        QCOMPARE(rows[0][0], std::string("time_s"));
        QCOMPARE(rows[0].size(), curves.names.size() + 1);
        for (const char* name : {"spectral_centroid", "mfcc_0", "mfcc_19", "chroma_C", "chroma_B",
                                 "tonnetz_5", "rms", "zero_crossing_rate", "onset_strength"})
            QVERIFY2(std::find(rows[0].begin(), rows[0].end(), name) != rows[0].end(), name);
        for (std::size_t t : {std::size_t(1), std::size_t(100), rows.size() - 1}) {
            // %.9g: nine significant digits of the double time.
            const double time = static_cast<double>(t - 1) * 512.0 / 22050.0;
            QVERIFY(std::abs(std::stod(rows[t][0]) - time) <= 1e-8 * std::max(time, 1.0));
            for (std::size_t f = 1; f < rows[t].size(); ++f)
                QCOMPARE(std::strtof(rows[t][f].c_str(), nullptr),
                         curves.values(static_cast<Eigen::Index>(f - 1),
                                       static_cast<Eigen::Index>(t - 1)));
        }
    }

    void summaryTableHasTheDesignColumns() {
        const auto analysis = runAnalysis(kRef + "chords.wav", AnalysisSettings{});
        const std::string text =
            summaryCsv({summaryRow(*analysis, "genres/jazz/chords, live.wav", "jazz")});
        const auto rows = parseCsv(text);
        QCOMPARE(rows.size(), std::size_t(2));
        const std::vector<std::string> fixed{"path",
                                             "label",
                                             "duration_s",
                                             "crop_start_s",
                                             "crop_start_sample",
                                             "crop_duration_s",
                                             "tempo_bpm"};
        QVERIFY(std::equal(fixed.begin(), fixed.end(), rows[0].begin()));
        QCOMPARE(rows[0][7], std::string("spectral_centroid_mean"));
        QCOMPARE(rows[1][0], std::string("genres/jazz/chords, live.wav"));
        QCOMPARE(rows[1][2], std::string("6"));
        QVERIFY(std::abs(std::stod(rows[1][6]) - analysis->tempo()) <= 1e-8 * analysis->tempo());
    }

    void npyFilesReadBack() {
        const auto analysis = runAnalysis(kRef + "chords.wav", AnalysisSettings{});
        TrackExports exports;
        exports.frames = true;
        exports.npy = parseNpyOutputs("all");
        const fs::path stem = scratch("jazz/chords");
        const auto files = writeTrackExports(*analysis, stem, "jazz/chords.wav", exports);
        QCOMPARE(files.size(), std::size_t(1 + 8 + 1));
        for (const auto& name : exports.npy) {
            const Eigen::ArrayXXf back = readNpy(stem.string() + "." + name + ".npy");
            const Eigen::ArrayXXf m = exportMatrix(*analysis, name);
            QVERIFY2(back.rows() == m.rows() && back.cols() == m.cols() && (back == m).all(),
                     name.c_str());
        }
        QCOMPARE(readNpy(stem.string() + ".stft.npy").rows(), Eigen::Index(1025));
        // As a student would: numpy.load, float32, librosa's shape; json.load of the sidecar.
        const std::string script =
            "import json, numpy as np, sys\n"
            "s = sys.argv[1]\n"
            "m = np.load(s + '.mel.npy')\n"
            "assert m.dtype == np.float32 and m.shape == (128, 259), (m.dtype, m.shape)\n"
            "ref = np.load(sys.argv[2] + 'chords.mel.npy')\n"
            "assert np.linalg.norm(m - ref) / np.linalg.norm(ref) <= 1e-4\n"
            "assert np.load(s + '.cqt.npy').shape == (84, 259)\n"
            "j = json.load(open(s + '.json'))\n"
            "assert j['settings']['n_mels'] == 128 and j['versions']['librosa'] == '0.10.2'\n"
            "assert 'melspectrogram' in j['outputs']['chords.mel.npy']['librosa']\n"
            "assert 'crop' in j and 'python_setup' in j\n";
        const fs::path py = scratch("check.py");
        std::ofstream(py) << script;
        const std::string command =
            "/usr/bin/python3 " + py.string() + " " + stem.string() + " " + kRef;
        QCOMPARE(std::system(command.c_str()), 0);
    }

    void unknownExportIsRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseNpyOutputs("mel,spectrogram"));
        AnalysisSettings settings;
        settings.features = FeatureSelection::parse("mfcc");
        const auto analysis = runAnalysis(kRef + "tiny.wav", settings);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, exportMatrix(*analysis, "cqt"));
    }

    void killedWriterLeavesAWholeFileOrNone() {
        const fs::path target = scratch("big.bin");
        constexpr std::size_t kSize = 16 << 20;
        for (int delay_ms : {1, 7, 25, 60}) {
            fs::remove(target);
            const pid_t child = ::fork();
            if (child == 0) {
                for (int k = 0;; ++k)
                    writeFileAtomically(target, version(k, kSize));
            }
            QVERIFY(child > 0);
            ::usleep(static_cast<useconds_t>(delay_ms) * 1000);
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status));
            if (!fs::exists(target)) continue; // killed before the first rename: nothing
            const std::string text = testsupport::readBytes(target);
            QCOMPARE(text.size(), kSize);
            const int k = std::atoi(text.c_str() + 8);
            QVERIFY(text == version(k, kSize));
        }
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"
