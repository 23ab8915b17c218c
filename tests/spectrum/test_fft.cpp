// core/fft: the transforms against the definition of the DFT, and the built-in FFTW wisdom
// (resources/fftw/) against the plans the app's analyses make.
#include "core/pipeline/analysis.h"
#include "core/io/audio.h"
#include "core/spectrum/fft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <algorithm>
#include <complex>
#include <iterator>
#include <numbers>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {

/// sum_i x[i] e^(-2 pi j k i / n) for every k < `bins`, in long double: the DFT itself.
std::vector<std::complex<long double>> directDft(const std::vector<std::complex<double>>& x,
                                                 int bins) {
    const auto n = static_cast<long double>(x.size());
    std::vector<std::complex<long double>> out(static_cast<size_t>(bins));
    for (int k = 0; k < bins; ++k) {
        std::complex<long double> sum = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const long double angle = -2.0L * std::numbers::pi_v<long double> *
                                      static_cast<long double>((size_t(k) * i) % x.size()) / n;
            sum += std::complex<long double>(x[i]) * std::polar(1.0L, angle);
        }
        out[size_t(k)] = sum;
    }
    return out;
}

/// max |ours - exact| / max |exact| over the bins.
template <typename T>
double relativeDftError(const T* ours, const std::vector<std::complex<long double>>& exact) {
    long double error = 0, peak = 0;
    for (size_t k = 0; k < exact.size(); ++k) {
        const std::complex<long double> value(ours[k].real(), ours[k].imag());
        error = std::max(error, std::abs(value - exact[k]));
        peak = std::max(peak, std::abs(exact[k]));
    }
    return double(error / peak);
}

std::vector<std::complex<double>> noise(int n, uint32_t seed, bool complex) {
    const Eigen::ArrayXf re = whiteNoise(n, seed), im = whiteNoise(n, seed + 1);
    std::vector<std::complex<double>> x(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        x[size_t(i)] = {re[i], complex ? im[i] : 0.0f};
    return x;
}

const char* kindName(FftKind kind) {
    switch (kind) {
    case FftKind::RealForward:
        return "RealFft forward";
    case FftKind::RealInverse:
        return "RealFft inverse";
    case FftKind::ComplexForward:
        return "ComplexFft";
    case FftKind::RealForward64:
        return "RealFft64";
    }
    return "?";
}

} // namespace

class TestFft : public QObject {
    Q_OBJECT
private slots:
    // First, so that the plans it checks are the analyses' alone. resources/fftw/ must hold a
    // measured plan for every transform the window's default analysis, the extractor's tables and
    // the keras-melgram preset make; a new transform size or another FFTW version shows here
    // (scripts/make_fftw_wisdom.sh mends it).
    void builtInWisdomHoldsEveryPlanTheAnalysesMake() {
#if defined(__x86_64__) || defined(__i386__)
        // The built-in wisdom's codelets need AVX: without it FFTW estimates every plan and the
        // analyses run slower, which this machine's users and CI must see, not skip.
        QVERIFY2(__builtin_cpu_supports("avx"),
                 "this CPU has no AVX: the built-in FFTW wisdom cannot serve it");
#endif
        Audio audio;
        audio.sr = 44100.0;
        audio.samples = Eigen::ArrayXXf(2, 12 * 44100);
        audio.samples.row(0) = whiteNoise(audio.length(), 21).transpose() * 0.3f;
        audio.samples.row(1) = clickTrack(120.0, 12.0, 44100.0).transpose();
        AnalysisSettings tables;
        tables.features = tables.features.forTables();
        const std::vector<FftPlanKey> before = plannedFfts();
        for (const AnalysisSettings& settings :
             {AnalysisSettings{}, tables, AnalysisSettings::kerasMelgramPreset()})
            runAnalysis(audio, settings);
        std::vector<FftPlanKey> planned;
        std::ranges::set_difference(plannedFfts(), before, std::back_inserter(planned));
        QVERIFY(planned.size() >= 5);
        for (const FftPlanKey& key : planned)
            QVERIFY2(builtInWisdomHolds(key),
                     qPrintable(QString("%1 of size %2").arg(kindName(key.kind)).arg(key.n)));
    }

    // The plans come from measured wisdom, not FFTW's estimate: whichever algorithm they chose
    // must still compute the DFT. Sizes are the analyses' (with wisdom) and others (without).
    void realForwardIsTheDft() {
        for (int n : {2048, 512, 1000, 7}) {
            const auto x = noise(n, 11, false);
            RealFft fft(n);
            for (int i = 0; i < n; ++i)
                fft.realBuffer()[i] = float(x[size_t(i)].real());
            fft.forward();
            const double error = relativeDftError(fft.spectrumBuffer(), directDft(x, fft.bins()));
            QVERIFY2(error < 1e-6, qPrintable(QString("n=%1: %2").arg(n).arg(error)));
        }
    }

    void realInverseIsTheInverseDft() {
        for (int n : {2048, 512, 1000}) {
            // The spectrum of a real signal, so that its inverse is real: n times that signal.
            const auto x = noise(n, 12, false);
            const auto spectrum = directDft(x, n / 2 + 1);
            RealFft fft(n);
            for (size_t k = 0; k < spectrum.size(); ++k)
                fft.spectrumBuffer()[k] = {float(spectrum[k].real()), float(spectrum[k].imag())};
            const float* out = fft.inverse();
            double error = 0, peak = 0;
            for (int i = 0; i < n; ++i) {
                error = std::max(error, std::abs(double(out[i]) / n - x[size_t(i)].real()));
                peak = std::max(peak, std::abs(x[size_t(i)].real()));
            }
            QVERIFY2(error / peak < 1e-5, qPrintable(QString("n=%1: %2").arg(n).arg(error)));
        }
    }

    void complexForwardIsTheDft() {
        for (int n : {1024, 768, 512, 256, 128, 1000}) {
            const auto x = noise(n, 13, true);
            ComplexFft fft(n);
            for (int i = 0; i < n; ++i)
                fft.input()[i] = {float(x[size_t(i)].real()), float(x[size_t(i)].imag())};
            fft.forward();
            const double error = relativeDftError(fft.output(), directDft(x, n));
            QVERIFY2(error < 1e-6, qPrintable(QString("n=%1: %2").arg(n).arg(error)));
        }
    }

    void doublePrecisionForwardIsTheDft() {
        for (int n : {2048, 512, 1000}) {
            const auto x = noise(n, 14, false);
            RealFft64 fft(n);
            for (int i = 0; i < n; ++i)
                fft.realBuffer()[i] = x[size_t(i)].real();
            fft.forward();
            const double error = relativeDftError(fft.spectrumBuffer(), directDft(x, fft.bins()));
            QVERIFY2(error < 1e-14, qPrintable(QString("n=%1: %2").arg(n).arg(error)));
        }
    }

    // The check above can fail: a size no analysis uses has no wisdom.
    void sizeWithoutWisdomIsNotHeld() {
        QVERIFY(!builtInWisdomHolds({FftKind::ComplexForward, 1000}));
        QVERIFY(!builtInWisdomHolds({FftKind::RealForward64, 999}));
    }
};

QTEST_APPLESS_MAIN(TestFft)
#include "test_fft.moc"
