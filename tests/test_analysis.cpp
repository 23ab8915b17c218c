// The analysis pipeline: stage reuse, cancellation, progress, routing, and its outputs against
// librosa's reference numbers.
#include "core/analysis.h"
#include "core/npy.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

using namespace featurescope;

namespace {

const std::string kRef = FEATURESCOPE_TEST_DATA "/reference/";

double relativeError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return std::sqrt((ours.cast<double>() - ref.cast<double>()).square().sum() /
                     ref.cast<double>().square().sum());
}

double maxAbsError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return (ours - ref).abs().maxCoeff();
}

Eigen::ArrayXXf row(const FeatureCurves& curves, const std::string& name) {
    const Eigen::Index i = curves.find(name);
    if (i < 0) return {};
    return curves.values.row(i);
}

AnalysisSettings fromOriginal() {
    AnalysisSettings settings;
    settings.routing = Routing::all(Signal::original);
    return settings;
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT

private slots:
    void regressionAgainstLibrosa() {
        const auto a = runAnalysis(kRef + "chords.wav", fromOriginal());
        QVERIFY(relativeError(a->stftMagnitude(), readNpy(kRef + "chords.stft_mag.npy")) <= 1e-4);
        QVERIFY(maxAbsError(a->stftDb(), readNpy(kRef + "chords.stft_db.npy")) <= 0.01);
        QVERIFY(relativeError(a->mel(), readNpy(kRef + "chords.mel.npy")) <= 1e-4);
        QVERIFY(maxAbsError(a->melDb(), readNpy(kRef + "chords.mel_db.npy")) <= 0.01);
        QVERIFY(maxAbsError(a->mfcc(), readNpy(kRef + "chords.mfcc.npy")) <= 0.01);
        QVERIFY(maxAbsError(a->chroma(), readNpy(kRef + "chords.chroma_stft.npy")) <= 1e-3);
        QVERIFY(relativeError(a->harmonicMagnitude(), readNpy(kRef + "chords.hpss_h.npy")) <= 1e-4);
        QVERIFY(relativeError(a->percussiveMagnitude(), readNpy(kRef + "chords.hpss_p.npy")) <=
                1e-4);
        QVERIFY(relativeError(a->harmonic().transpose(), readNpy(kRef + "chords.y_harmonic.npy")) <=
                1e-4);
        const auto& curves = a->curves();
        QVERIFY(relativeError(row(curves, "spectral_centroid"),
                              readNpy(kRef + "chords.spectral_centroid.npy")) <= 1e-4);
        QVERIFY(relativeError(row(curves, "spectral_rolloff"),
                              readNpy(kRef + "chords.spectral_rolloff.npy")) <= 1e-4);
        QVERIFY(maxAbsError(row(curves, "mfcc_3"), readNpy(kRef + "chords.mfcc.npy").row(3)) <=
                0.01);
        QVERIFY(maxAbsError(row(curves, "chroma_A"),
                            readNpy(kRef + "chords.chroma_stft.npy").row(9)) <= 1e-3);
        QCOMPARE(a->frameCount(), Eigen::Index(259));
        QCOMPARE(curves.values.cols(), Eigen::Index(259));
    }

    void defaultRoutingMatchesTheRecipe() {
        // chroma_cqt / tonnetz of the harmonic layer, rhythm of the percussive one.
        const auto a = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        QVERIFY(maxAbsError(a->chromaCqt(), readNpy(kRef + "drums.chroma_cqt_h.npy")) <= 1e-3);
        QVERIFY(maxAbsError(a->tonnetz(), readNpy(kRef + "drums.tonnetz_h.npy")) <= 1e-3);
        QVERIFY(relativeError(a->onsetEnvelope().transpose(),
                              readNpy(kRef + "drums.onset_strength_p.npy")) <= 1e-4);
        QVERIFY(relativeError(a->tempogram(), readNpy(kRef + "drums.tempogram_p.npy")) <= 1e-4);
        const double tempo = readNpy(kRef + "drums.tempo_p.npy")(0, 0);
        QVERIFY(std::abs(a->tempo() - tempo) <= 0.005 * tempo);
        const Eigen::ArrayXXf beats = readNpy(kRef + "drums.beats_p.npy");
        QCOMPARE(a->beats().size(), beats.cols());
        for (Eigen::Index i = 0; i < beats.cols(); ++i)
            QVERIFY(std::abs(a->beats()[i] - beats(0, i)) <= 1);
        const auto& curves = a->curves();
        QVERIFY(relativeError(row(curves, "rms"), readNpy(kRef + "drums.rms.npy")) <= 1e-4);
        QVERIFY(maxAbsError(row(curves, "zero_crossing_rate"), readNpy(kRef + "drums.zcr.npy")) <=
                1e-6);
        QVERIFY(maxAbsError(row(curves, "tonnetz_2"),
                            readNpy(kRef + "drums.tonnetz_h.npy").row(2)) <= 1e-3);
        QVERIFY(relativeError(row(curves, "onset_strength"),
                              readNpy(kRef + "drums.onset_strength_p.npy")) <= 1e-4);
        QVERIFY(relativeError(row(curves, "spectral_contrast_3"),
                              readNpy(kRef + "drums.spectral_contrast.npy").row(3)) <= 1e-4);
        QVERIFY(relativeError(a->cqt(), readNpy(kRef + "drums.cqt_mag.npy")) <= 1e-2);
    }

    void realRecordingMp3() {
        const auto a = runAnalysis(kRef + "drums.mp3", AnalysisSettings{});
        QCOMPARE(a->stftMagnitude().rows(), Eigen::Index(1025));
        QVERIFY(a->frameCount() > 300);
        QVERIFY(a->curves().values.allFinite());
        QVERIFY(a->harmonic().size() == a->y().size());
        QVERIFY(std::abs(a->trackDuration() - 8.0) < 0.1);
    }

    void fileAndSamplesAgree() {
        const auto fromFile = runAnalysis(kRef + "drums.wav", AnalysisSettings{});
        Audio audio;
        audio.samples = fromFile->y().transpose();
        audio.sr = 22050.0;
        const auto fromSamples = runAnalysis(audio, AnalysisSettings{});
        QCOMPARE(maxAbsError(fromFile->curves().values, fromSamples->curves().values), 0.0);
    }

    void changingNMelsReusesStftHpssCqt() {
        AnalysisSettings settings;
        const auto first = runAnalysis(kRef + "drums.wav", settings);
        settings.n_mels = 64;
        const auto second = runAnalysis(kRef + "drums.wav", settings, {}, {}, first);
        for (const char* stage : {"audio", "stft", "hpss", "harmonic", "cqt", "stft_db"}) {
            QVERIFY2(first->stageRunId(stage).has_value(), stage);
            QVERIFY2(first->stageRunId(stage) == second->stageRunId(stage), stage);
        }
        for (const char* stage : {"mel", "mel_db", "mfcc", "curves"})
            QVERIFY2(first->stageRunId(stage) != second->stageRunId(stage), stage);
        QCOMPARE(second->mel().rows(), Eigen::Index(64));
        // Reused results are shared, not copied.
        QCOMPARE(&first->stft(), &second->stft());
        // Unchanged settings recompute nothing.
        const auto third = runAnalysis(kRef + "drums.wav", settings, {}, {}, second);
        for (const auto& stage : third->stages())
            QVERIFY2(stage.reused, stage.name.c_str());
    }

    void changingMarginRerunsHpssNotStft() {
        AnalysisSettings settings;
        const auto first = runAnalysis(kRef + "chords.wav", settings);
        settings.margin = 3.0;
        const auto second = runAnalysis(kRef + "chords.wav", settings, {}, {}, first);
        QVERIFY(first->stageRunId("stft") == second->stageRunId("stft"));
        QVERIFY(first->stageRunId("mel") == second->stageRunId("mel"));
        QVERIFY(first->stageRunId("hpss") != second->stageRunId("hpss"));
        QVERIFY(relativeError(second->harmonicMagnitude(),
                              readNpy(kRef + "chords.hpss_h_m3.npy")) <= 1e-4);
    }

    void progressIsMonotonicAndEndsAtOne() {
        std::vector<double> fractions;
        std::vector<std::string> names;
        runAnalysis(kRef + "chords.wav", AnalysisSettings{}, [&](double f, std::string_view n) {
            fractions.push_back(f);
            names.emplace_back(n);
        });
        QVERIFY(!fractions.empty());
        for (std::size_t i = 1; i < fractions.size(); ++i)
            QVERIFY(fractions[i] >= fractions[i - 1]);
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(std::find(names.begin(), names.end(), "stft") != names.end());
    }

    void cancellationStopsTheRun() {
        // 3 minutes of noise: long enough that the run is still going when stopped.
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 180) * 0.1f;
        for (int delay_ms : {0, 20, 80}) {
            std::stop_source source;
            std::atomic<bool> cancelled{false};
            std::chrono::steady_clock::time_point stopped_at;
            std::thread runner([&] {
                try {
                    runAnalysis(audio, AnalysisSettings{}, {}, source.get_token());
                } catch (const AnalysisCancelled&) {
                    cancelled = true;
                }
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
            stopped_at = std::chrono::steady_clock::now();
            source.request_stop();
            runner.join();
            const std::chrono::duration<double, std::milli> latency =
                std::chrono::steady_clock::now() - stopped_at;
            qInfo("stop after %d ms returned in %.1f ms", delay_ms, latency.count());
            QVERIFY(cancelled);
        }
    }

    void cancellationWorksAtEveryStage() {
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Random(1, 22050 * 60) * 0.1f;
        for (const char* at : {"audio", "stft", "hpss", "mel", "cqt", "harmonic", "last"}) {
            std::stop_source source;
            bool cancelled = false;
            try {
                runAnalysis(
                    audio, AnalysisSettings{},
                    [&](double fraction, std::string_view stage) {
                        if (stage == at || (std::string_view(at) == "last" && fraction == 1.0))
                            source.request_stop();
                    },
                    source.get_token());
            } catch (const AnalysisCancelled&) {
                cancelled = true;
            }
            // After the last stage there is nothing left to cancel: the result is returned.
            QVERIFY2(cancelled == (std::string_view(at) != "last"), at);
        }
    }

    void aStageErrorReachesTheCaller() {
        AnalysisSettings settings;
        settings.crop = CropPolicy::parse("highlight:2@100-120"); // past the end of an 8 s track
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "drums.wav", settings));
    }

    void routingChoosesTheSignal() {
        AnalysisSettings settings; // chroma from the harmonic layer by default
        const auto harmonic = runAnalysis(kRef + "drums.wav", settings);
        QVERIFY(harmonic->stageRunId("chroma_stft@harmonic").has_value());
        QVERIFY(harmonic->stageRunId("stft_mag@harmonic").has_value());
        QVERIFY(!harmonic->stageRunId("chroma_stft").has_value());
        settings.routing.chroma_stft = Signal::percussive;
        const auto percussive = runAnalysis(kRef + "drums.wav", settings, {}, {}, harmonic);
        QVERIFY(percussive->stageRunId("chroma_stft@percussive").has_value());
        QVERIFY(percussive->stageRunId("hpss") == harmonic->stageRunId("hpss"));
        QVERIFY(maxAbsError(harmonic->chroma(), percussive->chroma()) > 1e-3);
    }

    void silenceGivesFiniteOutput() {
        Audio audio;
        audio.samples = Eigen::ArrayXXf::Zero(1, 22050 * 3);
        const auto a = runAnalysis(audio, AnalysisSettings{});
        QVERIFY(a->curves().values.allFinite());
        QVERIFY(a->melDb().allFinite());
        QVERIFY(a->stftDb().allFinite());
        QVERIFY(a->cqt().allFinite());
    }

    void invalidSettingsAreRefused() {
        AnalysisSettings settings;
        settings.n_fft = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "tiny.wav", settings));
        settings = {};
        settings.margin = 0.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runAnalysis(kRef + "tiny.wav", settings));
        QVERIFY_THROWS_EXCEPTION(AudioError, runAnalysis(kRef + "missing.wav", AnalysisSettings{}));
    }

    void kerasMelgramPresetMatchesReference() {
        auto settings = AnalysisSettings::preset("keras-melgram");
        settings.crop = CropPolicy{}; // uncropped, as the reference was made
        settings.features = FeatureSelection::parse("mel");
        const auto a = runAnalysis(kRef + "drums.wav", settings);
        QVERIFY(maxAbsError(a->melDb(), readNpy(kRef + "drums.keras_mel_db.npy")) <= 0.01);
    }

    void cropSignalGivesTheCropsFrames() {
        auto settings = AnalysisSettings::preset("keras-melgram");
        settings.features = FeatureSelection::parse("mel");
        const auto a = runAnalysis(kRef + "drums.wav", settings);
        // 29.12 s at 12 kHz, hop 256: the 1366 frames of Keras's melgram input.
        QCOMPARE(a->melDb().cols(), Eigen::Index(1366));
        QCOMPARE(a->crop().n_frames, Eigen::Index(1366));
        QVERIFY(std::abs(a->trackDuration() - 8.0) < 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
