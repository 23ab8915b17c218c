// What the unit tests share: the path to librosa's reference data, reading a reference array,
// test signals (click track, sine tone, white noise) and the error measures the reference
// README's bounds are stated in. Header-only; every tests/test_*.cpp is compiled with
// FEATURESCOPE_TEST_DATA defined to the tests/data folder.
#pragma once

#include "core/export/npy.h"

#include <QtTest>

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace testsupport {

/// FEATURESCOPE_TEST_DATA/reference/<name>: a reference .npy, .wav or the manifest.
inline std::filesystem::path referencePath(const std::string& name) {
    return std::filesystem::path(FEATURESCOPE_TEST_DATA "/reference") / name;
}

/// librosa's output stored as reference/<name> (float32 .npy), in librosa's orientation.
inline Eigen::ArrayXXf readReference(const std::string& name) {
    return featurescope::readNpy(referencePath(name));
}

/// The first row of `m` as a column: a 1-D reference array (signal, envelope) is read 1 x n.
inline Eigen::ArrayXf firstRow(const Eigen::ArrayXXf& m) {
    return m.row(0).transpose();
}

/// A 1-D reference array (reference/<name>) as a signal.
inline Eigen::ArrayXf readReferenceRow(const std::string& name) {
    return firstRow(readReference(name));
}

/// ||ours - ref|| / ||ref|| (Frobenius, in double): the README's `rel` metric. A shape
/// mismatch is infinitely wrong.
inline double relativeError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return (ours.cast<double>() - ref.cast<double>()).matrix().norm() /
           ref.cast<double>().matrix().norm();
}

/// max |ours - ref|: the README's `max_abs` metric. A shape mismatch is infinitely wrong.
inline float maxAbsError(const Eigen::ArrayXXf& ours, const Eigen::ArrayXXf& ref) {
    if (ours.rows() != ref.rows() || ours.cols() != ref.cols()) return INFINITY;
    return (ours - ref).abs().maxCoeff();
}

/// Sample positions of a click every beat of `bpm` from 0.25 s on, before `length` samples.
inline std::vector<Eigen::Index> clickStarts(double bpm, Eigen::Index length, double sr) {
    std::vector<Eigen::Index> starts;
    for (double s = 0.25 * sr; s < double(length); s += 60.0 / bpm * sr)
        starts.push_back(Eigen::Index(s));
    return starts;
}

/// `length` samples of silence with a click at each of `starts`: a 10 ms decaying 1 kHz burst,
/// a sharp onset with a spectral flux no tonal background hides.
inline Eigen::ArrayXf clickTrackAt(const std::vector<Eigen::Index>& starts, Eigen::Index length,
                                   double sr) {
    Eigen::ArrayXf y = Eigen::ArrayXf::Zero(length);
    for (Eigen::Index start : starts)
        for (int i = 0; i < int(0.01 * sr) && start + i < length; ++i)
            y[start + i] = float(std::exp(-i / (0.002 * sr)) *
                                 std::sin(2.0 * std::numbers::pi * 1000.0 * i / sr));
    return y;
}

/// A click track at `bpm`, `seconds` long at `sr` (clicks from 0.25 s on, see clickTrackAt).
inline Eigen::ArrayXf clickTrack(double bpm, double seconds = 20.0, double sr = 22050.0) {
    const Eigen::Index length = Eigen::Index(seconds * sr);
    return clickTrackAt(clickStarts(bpm, length, sr), length, sr);
}

/// n samples of a sine at `hz`, amplitude 0.5, phase 0 at sample 0.
inline Eigen::ArrayXf sineTone(double hz, Eigen::Index n, double sr = 22050.0) {
    Eigen::ArrayXf y(n);
    for (Eigen::Index i = 0; i < n; ++i)
        y[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * hz * double(i) / sr));
    return y;
}

/// The next value of a linear congruential generator (Numerical Recipes' constants) as a float
/// in [0, 1): reproducible test data on every platform, unlike std::uniform_real_distribution.
inline float nextUniform(uint32_t& state) {
    state = state * 1664525u + 1013904223u;
    return float(state >> 8) / float(1 << 24);
}

/// n samples of white noise, uniform in [-0.5, 0.5), the same for the same `seed`.
inline Eigen::ArrayXf whiteNoise(Eigen::Index n, uint32_t seed) {
    Eigen::ArrayXf y(n);
    for (Eigen::Index i = 0; i < n; ++i)
        y[i] = nextUniform(seed) - 0.5f;
    return y;
}

/// A rows x cols matrix uniform in [low, low + span), filled in storage order from `seed`.
inline Eigen::ArrayXXf uniformMatrix(Eigen::Index rows, Eigen::Index cols, uint32_t seed, float low,
                                     float span) {
    Eigen::ArrayXXf x(rows, cols);
    for (Eigen::Index i = 0; i < x.size(); ++i)
        x.data()[i] = nextUniform(seed) * span + low;
    return x;
}

/// A file's bytes, written or read whole (for tests that cut or edit files).
inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Checks that call() throws std::invalid_argument whose message contains `rule`.
template <typename F> void expectRefusal(F&& call, const char* rule) {
    try {
        call();
        QFAIL(qPrintable(QString("accepted, expected a refusal naming '%1'").arg(rule)));
    } catch (const std::invalid_argument& e) {
        QVERIFY2(std::string(e.what()).find(rule) != std::string::npos, e.what());
    }
}

/// A checker for one parameter rule at a time: the returned refused(change) starts from
/// default-constructed Params, applies change(p) and expects call(p) to throw
/// std::invalid_argument.
template <typename Params, typename Call> auto paramRefusal(Call call) {
    return [call](auto change) {
        Params p;
        change(p);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, call(p));
    };
}

/// The data rows "chords" and "drums" in a QString column "name": the two inputs every
/// family has reference outputs for.
inline void addReferenceInputRows() {
    QTest::addColumn<QString>("name");
    QTest::newRow("chords") << "chords";
    QTest::newRow("drums") << "drums";
}

/// addReferenceInputRows, plus the inputs that end in digital silence (drums_pad, mix_pad: a
/// short clip zero-padded, as a centre crop pads it), which carry the small outputs only
/// (onset strength, tempogram, tempo, beats, chroma, tonnetz, the spectral family).
inline void addReferenceInputRowsWithSilence() {
    addReferenceInputRows();
    QTest::newRow("drums_pad") << "drums_pad";
    QTest::newRow("mix_pad") << "mix_pad";
}

} // namespace testsupport
