// core/tuning: librosa.piptrack, pitch_tuning and estimate_tuning.
#include "core/io/audio.h"
#include "core/feature/chroma.h"
#include "core/spectrum/local_maxima.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "core/spectrum/tuning.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {
constexpr double kSr = 22050.0;

Eigen::ArrayXf tone(double hz, double seconds = 2.0) {
    return sineTone(hz, Eigen::Index(seconds * kSr), kSr);
}

/// The tuning estimate is the left edge of a histogram bin, so a true deviation d comes back
/// within one resolution step of d.
void verifyWithinResolution(double estimated, double expected, double resolution = 0.01) {
    QVERIFY2(std::abs(estimated - expected) <= resolution + 1e-9,
             qPrintable(QStringLiteral("estimated %1, expected %2").arg(estimated).arg(expected)));
}
} // namespace

class TestTuning : public QObject {
    Q_OBJECT
private slots:
    // piptrack's local-maximum test, eight bins at a time, against the test written out: random
    // frames with ties (quantised values), NaN, bins at the level, and bands that end at the
    // last bin (which needs no right neighbour) or anywhere else.
    void localMaximaEqualTheDefinition() {
        std::mt19937 random(3);
        std::uniform_int_distribution<int> value(0, 6);
        for (int trial = 0; trial < 200; ++trial) {
            const Eigen::Index d = 2 + trial % 70;
            std::vector<float> x(static_cast<size_t>(d));
            for (float& v : x)
                v = float(value(random)) * 0.5f;
            if (trial % 7 == 0) x[size_t(trial % d)] = std::nanf("");
            const float level = float(trial % 4) * 0.5f;
            const Eigen::Index lo = 1 + trial % 3 < d ? 1 + trial % 3 : 1;
            const Eigen::Index hi = trial % 2 ? d : std::max<Eigen::Index>(lo, d - trial % 5);
            const auto gated = [&](Eigen::Index k) { return x[k] > level ? x[k] : 0.0f; };
            std::vector<Eigen::Index> expected, found;
            for (Eigen::Index k = lo; k < hi; ++k)
                if (gated(k) > gated(k - 1) && (k == d - 1 || gated(k) >= gated(k + 1)))
                    expected.push_back(k);
            localMaxima(x.data(), d, lo, hi, level, found);
            QVERIFY2(found == expected, qPrintable(QString("trial %1, d=%2").arg(trial).arg(d)));
        }
    }

    void silenceGivesZeroTuningAndNoPitches() {
        const Eigen::ArrayXf y = Eigen::ArrayXf::Zero(Eigen::Index(kSr));
        // librosa: no pitch survives, pitch_tuning warns about the empty set and returns 0.0
        QCOMPARE(estimateTuning(y, kSr), 0.0);
        const Pitches p = piptrack(y, kSr);
        QVERIFY(p.pitches.allFinite() && p.magnitudes.allFinite());
        QCOMPARE(p.pitches.abs().maxCoeff(), 0.0f);
        QCOMPARE(p.magnitudes.abs().maxCoeff(), 0.0f);
        QCOMPARE(pitchTuning(Eigen::ArrayXf()), 0.0);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXf y = tone(440.0, 0.5);
        const auto refused =
            paramRefusal<TuningParams>([&](const TuningParams& p) { estimateTuning(y, kSr, p); });
        refused([](TuningParams& p) { p.resolution = 0.0; });
        refused([](TuningParams& p) { p.resolution = 1.0; });
        refused([](TuningParams& p) { p.bins_per_octave = 0; });
        refused([](TuningParams& p) { p.n_fft = 0; });
        refused([](TuningParams& p) { p.hop_length = -1; });
        refused([](TuningParams& p) { p.win_length = 4096; });
        refused([](TuningParams& p) { p.fmin = 5000.0; });
        refused([](TuningParams& p) { p.fmin = -1.0; });
        refused([](TuningParams& p) { p.threshold = -0.1; });
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, estimateTuning(y, 0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pitchTuning(Eigen::ArrayXf(), 1.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 estimateTuningFromSpectrogram(Eigen::ArrayXXf::Ones(1, 4), kSr));
    }

    void pureA440IsInTune() { verifyWithinResolution(estimateTuning(tone(440.0), kSr), 0.0); }

    void quarterToneSharpIsPlusQuarter() {
        verifyWithinResolution(estimateTuning(tone(440.0 * std::pow(2.0, 0.25 / 12.0)), kSr), 0.25);
    }

    void pitchTuningEqualsTheHistogramSpelledOut() {
        // np.histogram of each frequency's deviation (fmod of bins above A0, in float32) over
        // linspace(-0.5, 0.5, 101), then the left edge of the fullest bin: on many frequencies,
        // bin edges, exact semitones and their neighbours one ulp away included.
        std::mt19937 random(11);
        std::uniform_real_distribution<float> hz(20.0f, 8000.0f);
        std::vector<float> values;
        for (int i = 0; i < 20000; ++i)
            values.push_back(hz(random));
        for (int k = -40; k < 80; ++k) // exact semitones, and edges of the deviation bins
            for (const double offset : {0.0, 0.01 * (k % 50), -0.5, 0.5})
                for (const float f : {float(27.5 * std::exp2((k + offset) / 12.0))}) {
                    values.push_back(f);
                    values.push_back(std::nextafter(f, 0.0f));
                    values.push_back(std::nextafter(f, 1e9f));
                }
        for (const int bins_per_octave : {12, 36}) {
            for (const size_t take : {values.size(), size_t(500), size_t(7)}) {
                const Eigen::ArrayXf freqs =
                    Eigen::Map<const Eigen::ArrayXf>(values.data(), Eigen::Index(take));
                std::vector<double> edges(101);
                for (int i = 0; i < 100; ++i)
                    edges[size_t(i)] = double(i) * (1.0 / 100.0) + -0.5;
                edges[100] = 0.5;
                std::vector<long> counts(100, 0);
                for (const float f : freqs) {
                    float residual = std::fmod(float(bins_per_octave) * std::log2(f / 27.5f), 1.0f);
                    if (residual < 0.0f) residual += 1.0f;
                    if (residual >= 0.5f) residual -= 1.0f;
                    const auto above =
                        std::upper_bound(edges.begin(), edges.end(), double(residual));
                    ++counts[size_t(std::min(int(above - edges.begin()) - 1, 99))];
                }
                const double expected =
                    edges[size_t(std::max_element(counts.begin(), counts.end()) - counts.begin())];
                QCOMPARE(pitchTuning(freqs, 0.01, bins_per_octave), expected);
            }
        }
    }

    void pitchTuningReadsTheHistogramPeak() {
        // Two octaves of equal-tempered notes 25.75 cents sharp of A440: the bin [0.25, 0.26).
        Eigen::ArrayXf freqs(24);
        for (int k = 0; k < 24; ++k)
            freqs[k] = float(55.0 * std::pow(2.0, (k + 0.2575) / 12.0));
        QVERIFY(std::abs(pitchTuning(freqs) - 0.25) < 1e-9);
        // A residual above half a bin belongs to the next note: 40 cents flat of A, not +60.
        Eigen::ArrayXf flat(3);
        flat << 0.0f, -1.0f, float(440.0 * std::pow(2.0, -0.405 / 12.0));
        QVERIFY(std::abs(pitchTuning(flat) - -0.41) < 1e-9);
        // Quarter-tone bins: the same frequencies are 0.515 of a 24-per-octave bin sharp, that is
        // 0.485 flat of the next one.
        QVERIFY(std::abs(pitchTuning(freqs, 0.01, 24) - -0.49) < 1e-9);
    }

    void piptrackFindsATone() {
        const Pitches p = piptrack(tone(1000.0), kSr);
        const Eigen::Index t = p.pitches.cols() / 2;
        Eigen::Index peak = 0;
        p.magnitudes.col(t).maxCoeff(&peak);
        QVERIFY2(std::abs(p.pitches(peak, t) - 1000.0f) < 5.0f,
                 qPrintable(QString::number(p.pitches(peak, t))));
        // Outside [fmin, fmax) nothing is reported, and a pitch comes with its magnitude.
        const Eigen::ArrayXd hz = fftFrequencies(kSr, 2048);
        for (Eigen::Index k = 0; k < p.pitches.rows(); ++k) {
            if (hz[k] >= 150.0 && hz[k] < 4000.0) continue;
            QCOMPARE(p.pitches.row(k).abs().maxCoeff(), 0.0f);
        }
        QVERIFY(((p.pitches > 0) == (p.magnitudes != 0)).all());
    }

    void nfftIsInferredFromTheSpectrogram() {
        StftParams wide;
        wide.n_fft = 4096;
        const Eigen::ArrayXXf S = stftMagnitude(tone(440.0 * std::pow(2.0, 0.25 / 12.0)), wide);
        // default n_fft 2048 does not fit 2049 rows, so 4096 is used, as librosa infers it
        verifyWithinResolution(estimateTuningFromSpectrogram(S, kSr), 0.25);
    }

    void regressionAgainstLibrosaChroma() {
        // The reference chroma_stft was made with the tuning librosa estimated from S = |stft|^2
        // with bins_per_octave = 12; one cent off already moves it by ~0.01 (> its 1e-3 bound).
        for (const char* name : {"chords", "drums"}) {
            const std::string prefix = std::string(name) + ".";
            const Eigen::ArrayXXf S = readReference(prefix + "stft_mag.npy").square();
            const Eigen::ArrayXXf ref = readReference(prefix + "chroma_stft.npy");
            ChromaStftParams params;
            params.tuning = estimateTuningFromSpectrogram(S, kSr);
            const float err = (chromaStftFromSpectrogram(S, kSr, params) - ref).abs().maxCoeff();
            QVERIFY2(err <= 1e-3f,
                     qPrintable(QString::fromStdString(prefix) + QString::number(err)));
        }
    }

    void realRecordingFromSignalAndSpectrogramAgree() {
        const Eigen::ArrayXf y = load(referencePath("chords.wav")).mono();
        const double from_y = estimateTuning(y, kSr);
        QVERIFY(from_y >= -0.5 && from_y < 0.5);
        // estimate_tuning(y=y) is estimate_tuning(S=|stft(y)|) with the same defaults
        QCOMPARE(from_y, estimateTuningFromSpectrogram(stftMagnitude(y), kSr));
        // a tuning is a left bin edge: a whole number of resolution steps above -0.5
        const double steps = (from_y + 0.5) / 0.01;
        QVERIFY(std::abs(steps - std::round(steps)) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestTuning)
#include "test_tuning.moc"
