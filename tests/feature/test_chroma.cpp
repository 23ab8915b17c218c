// core/chroma: librosa.filters.chroma and librosa.feature.chroma_stft.
#include "core/io/audio.h"
#include "core/feature/chroma.h"
#include "core/export/npy.h"
#include "core/spectrum/stft.h"
#include "core/spectrum/tuning.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <cmath>

using namespace featurescope;
using namespace testsupport;

namespace {
constexpr double kSr = 22050.0;

Eigen::ArrayXf tone(double hz, double seconds = 1.0) {
    return sineTone(hz, Eigen::Index(seconds * kSr), kSr);
}

void verifyMaxAbs(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref, const QString& what) {
    QCOMPARE(ours.rows(), ref.rows());
    QCOMPARE(ours.cols(), ref.cols());
    const float err = (ours - ref).abs().maxCoeff();
    QVERIFY2(err <= 1e-3f, qPrintable(what + QStringLiteral(": max abs ") + QString::number(err)));
}
} // namespace

class TestChroma : public QObject {
    Q_OBJECT
private slots:
    void silenceGivesFiniteZeros() {
        // librosa's normalize leaves an all-zero frame as it is (threshold tiny, fill None)
        const Eigen::ArrayXXf chroma = chromaStft(Eigen::ArrayXf::Zero(Eigen::Index(kSr)), kSr);
        QCOMPARE(chroma.rows(), Eigen::Index(12));
        QVERIFY(chroma.allFinite());
        QCOMPARE(chroma.abs().maxCoeff(), 0.0f);
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXXf S = Eigen::ArrayXXf::Ones(1025, 4);
        const auto refused = paramRefusal<ChromaStftParams>(
            [&](const ChromaStftParams& p) { chromaStftFromSpectrogram(S, kSr, p); });
        refused([](ChromaStftParams& p) { p.n_chroma = 0; });
        refused([](ChromaStftParams& p) { p.norm = -1.0; });
        refused([](ChromaStftParams& p) { p.octwidth = 0.0; });
        refused([](ChromaStftParams& p) { p.tuning = std::nan(""); });
        refused([](ChromaStftParams& p) { p.n_fft = 0; });
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, chromaStftFromSpectrogram(S, 0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, chromaFilterBank(kSr, 0));
    }

    void regressionAgainstLibrosa() {
        for (const char* name : {"chords", "drums"}) {
            const std::string prefix = std::string(name) + ".";
            const Eigen::ArrayXXf S = readReference(prefix + "stft_mag.npy").square();
            ChromaStftParams in_tune;
            in_tune.tuning = 0.0;
            verifyMaxAbs(chromaStftFromSpectrogram(S, kSr, in_tune),
                         readReference(prefix + "chroma_stft_t0.npy"),
                         QString::fromStdString(prefix + "chroma_stft_t0"));
            verifyMaxAbs(chromaStftFromSpectrogram(S, kSr),
                         readReference(prefix + "chroma_stft.npy"),
                         QString::fromStdString(prefix + "chroma_stft"));
        }
    }

    void realRecordingMatchesLibrosa() {
        // the y form: decode, |stft|^2, estimate the tuning, project, normalise
        const Eigen::ArrayXf y = load(referencePath("drums.wav")).mono();
        const Eigen::ArrayXXf chroma = chromaStft(y, kSr);
        verifyMaxAbs(chroma, readReference("drums.chroma_stft.npy"), "drums.wav");
        // norm = inf: every sounding frame peaks at exactly 1
        for (Eigen::Index t = 0; t < chroma.cols(); ++t)
            if (chroma.col(t).maxCoeff() > 0) QCOMPARE(chroma.col(t).maxCoeff(), 1.0f);
    }

    void anAIsAnA() {
        ChromaStftParams p;
        p.tuning = 0.0;
        const Eigen::ArrayXXf chroma = chromaStft(tone(440.0), kSr, p);
        Eigen::Index pitch_class = -1;
        chroma.col(chroma.cols() / 2).maxCoeff(&pitch_class);
        QCOMPARE(pitch_class, Eigen::Index(9)); // C C# D D# E F F# G G# A A# B
        p.base_c = false;
        chromaStft(tone(440.0), kSr, p).col(chroma.cols() / 2).maxCoeff(&pitch_class);
        QCOMPARE(pitch_class, Eigen::Index(0)); // rows start at A
    }

    void filterBankShapeNormAndRotation() {
        ChromaFilterParams flat;
        flat.octwidth = std::nullopt;
        const Eigen::ArrayXXf bank = chromaFilterBank(kSr, 2048, flat);
        QCOMPARE(bank.rows(), Eigen::Index(12));
        QCOMPARE(bank.cols(), Eigen::Index(1025));
        QVERIFY(bank.allFinite() && (bank >= 0).all());
        // without the octave weighting every column keeps its unit L2 norm
        const Eigen::ArrayXf norms = bank.square().colwise().sum().sqrt().transpose();
        QVERIFY2((norms - 1.0f).abs().maxCoeff() < 1e-5f, "column norms");
        flat.base_c = false;
        const Eigen::ArrayXXf from_a = chromaFilterBank(kSr, 2048, flat);
        for (int c = 0; c < 12; ++c)
            QVERIFY((bank.row(c) == from_a.row((c + 3) % 12)).all());
        // 24 quarter-tone bins rotate by 6
        ChromaFilterParams quarter;
        quarter.n_chroma = 24;
        const Eigen::ArrayXXf quarter_c = chromaFilterBank(kSr, 4096, quarter);
        quarter.base_c = false;
        const Eigen::ArrayXXf quarter_a = chromaFilterBank(kSr, 4096, quarter);
        QCOMPARE(quarter_c.rows(), Eigen::Index(24));
        QCOMPARE(quarter_c.cols(), Eigen::Index(2049));
        for (int c = 0; c < 24; ++c)
            QVERIFY((quarter_c.row(c) == quarter_a.row((c + 6) % 24)).all());
    }

    void tuningIsEstimatedFromThePowerSpectrogram() {
        const Eigen::ArrayXXf S = readReference("chords.stft_mag.npy").square();
        const Eigen::ArrayXXf estimated = chromaStftFromSpectrogram(S, kSr);
        TuningParams tuning_params;
        tuning_params.bins_per_octave = 12;
        ChromaStftParams given;
        given.tuning = estimateTuningFromSpectrogram(S, kSr, tuning_params);
        QVERIFY((chromaStftFromSpectrogram(S, kSr, given) == estimated).all());
        // the chords' estimated tuning is not 0, so tuning 0 must differ beyond the bound
        given.tuning = 0.0;
        QVERIFY((estimated - chromaStftFromSpectrogram(S, kSr, given)).abs().maxCoeff() > 1e-3f);
    }
};

QTEST_GUILESS_MAIN(TestChroma)
#include "test_chroma.moc"
