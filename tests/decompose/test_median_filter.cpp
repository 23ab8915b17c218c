// core/median_filter: scipy.ndimage.median_filter(mode='reflect') semantics, checked against
// scipy's own answers and against a brute-force median on random data.
#include "core/io/audio.h"
#include "core/decompose/median_filter.h"
#include "core/spectrum/stft.h"
#include "tests/support/test_support.h"

#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

using namespace featurescope;
using namespace testsupport;

namespace {
Eigen::ArrayXXf randomMatrix(Eigen::Index rows, Eigen::Index cols, uint32_t seed) {
    Eigen::ArrayXXf x(rows, cols);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        seed = seed * 1664525u + 1013904223u;
        // Few distinct levels, so that windows hold ties as well as distinct values.
        x.data()[i] = (seed >> 28) % 3 == 0 ? float((seed >> 20) % 8) : float(seed >> 8) / 1e6f;
    }
    return x;
}

// The line extended by literal mirroring, "d c b a | a b c d | d c b a", one mirrored copy
// after another until it is long enough: the definition, not index arithmetic.
std::vector<float> reflectExtended(const std::vector<float>& line, size_t margin) {
    std::vector<float> left, right;
    bool reversed = true;
    while (left.size() < margin) {
        for (size_t k = 0; k < line.size(); ++k)
            left.push_back(reversed ? line[k] : line[line.size() - 1 - k]);
        reversed = !reversed;
    }
    reversed = true;
    while (right.size() < margin) {
        for (size_t k = 0; k < line.size(); ++k)
            right.push_back(reversed ? line[line.size() - 1 - k] : line[k]);
        reversed = !reversed;
    }
    left.resize(margin);
    right.resize(margin);
    // `left` was built outwards from the edge.
    std::vector<float> out(left.rbegin(), left.rend());
    out.insert(out.end(), line.begin(), line.end());
    out.insert(out.end(), right.begin(), right.end());
    return out;
}

// Sorts every window: rank size/2 of samples i - size/2 ... i - size/2 + size - 1.
std::vector<float> bruteForceMedian(const std::vector<float>& line, int size) {
    const size_t margin = size_t(size);
    const std::vector<float> ext = reflectExtended(line, margin);
    std::vector<float> out(line.size());
    for (size_t i = 0; i < line.size(); ++i) {
        const size_t first = margin + i - size_t(size / 2);
        std::vector<float> window(ext.begin() + long(first), ext.begin() + long(first) + size);
        std::sort(window.begin(), window.end());
        out[i] = window[size_t(size / 2)];
    }
    return out;
}

Eigen::ArrayXXf bruteForce(const Eigen::ArrayXXf& x, int size, int axis) {
    Eigen::ArrayXXf y(x.rows(), x.cols());
    const Eigen::Index lines = axis == 1 ? x.rows() : x.cols();
    for (Eigen::Index l = 0; l < lines; ++l) {
        std::vector<float> line;
        if (axis == 1)
            for (Eigen::Index t = 0; t < x.cols(); ++t)
                line.push_back(x(l, t));
        else
            for (Eigen::Index r = 0; r < x.rows(); ++r)
                line.push_back(x(r, l));
        const std::vector<float> med = bruteForceMedian(line, size);
        for (size_t k = 0; k < med.size(); ++k)
            (axis == 1 ? y(l, long(k)) : y(long(k), l)) = med[k];
    }
    return y;
}

// A 4 x 7 matrix and scipy 1.10's median_filter of it, mode='reflect'.
Eigen::ArrayXXf scipyInput() {
    Eigen::ArrayXXf x(4, 7);
    x << 0.5f, 3, 1, 4, 1.5f, 9, 2.5f, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8,
        3;
    return x;
}
} // namespace

class TestMedianFilter : public QObject {
    Q_OBJECT
private slots:
    void silenceStaysSilent() {
        const Eigen::ArrayXXf zeros = Eigen::ArrayXXf::Zero(40, 50);
        for (int axis : {0, 1}) {
            const Eigen::ArrayXXf y = medianFilter(zeros, 31, axis);
            QVERIFY(y.allFinite());
            QCOMPARE(y.abs().maxCoeff(), 0.0f);
        }
    }

    void invalidParametersAreRefused() {
        const Eigen::ArrayXXf x = Eigen::ArrayXXf::Ones(3, 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, medianFilter(x, 0, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, medianFilter(x, -3, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, medianFilter(x, 3, 2));
        float out[3];
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, medianFilter1d(x.data(), 3, 1, out, 1, 0));
    }

    void evenWindowMatchesScipy() {
        // scipy.ndimage.median_filter(x, size=(1, 4), mode='reflect'): the upper median of a
        // window reaching two samples back and one forward.
        Eigen::ArrayXXf expected(4, 7);
        expected << 3, 1, 3, 3, 4, 4, 2.5f, 6, 6, 5, 5, 8, 8, 8, 9, 9, 3, 3, 4, 6, 6, 6, 4, 4, 4, 4,
            3, 3;
        QVERIFY((medianFilter(scipyInput(), 4, 1) == expected).all());
        // size=(1, 2): the larger of a sample and its predecessor.
        expected << 0.5f, 3, 3, 4, 4, 9, 9, 6, 6, 5, 5, 8, 9, 9, 9, 9, 3, 3, 8, 8, 6, 2, 6, 6, 4, 3,
            8, 8;
        QVERIFY((medianFilter(scipyInput(), 2, 1) == expected).all());
    }

    void columnsMatchScipy() {
        // size=(3, 1) and size=(6, 1), the latter longer than the 4-row columns.
        Eigen::ArrayXXf expected(4, 7);
        expected << 0.5f, 3, 1, 4, 1.5f, 9, 2.5f, 6, 3, 2, 4, 8, 9, 6, 6, 5, 3, 3, 8, 8, 6, 2, 6, 4,
            3, 3, 8, 3;
        QVERIFY((medianFilter(scipyInput(), 3, 0) == expected).all());
        expected << 6, 3, 2, 4, 8, 9, 6, 6, 5, 3, 4, 8, 9, 6, 2, 5, 3, 4, 3, 9, 3, 6, 5, 3, 3, 8, 8,
            6;
        QVERIFY((medianFilter(scipyInput(), 6, 0) == expected).all());
    }

    void windowLongerThanLineMatchesScipy() {
        // size=(1, 17) on 7 columns: the reflection repeats with period 14.
        Eigen::ArrayXXf expected(4, 7);
        expected << 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 7, 7, 6, 6, 5, 6, 6, 4, 4, 4, 4, 3, 4,
            4, 3, 3, 3, 3, 3, 3, 3;
        QVERIFY((medianFilter(scipyInput(), 17, 1) == expected).all());
    }

    void matchesBruteForceOnRandomData() {
        uint32_t seed = 1;
        for (Eigen::Index length : {1, 2, 3, 5, 16, 17, 100}) {
            for (int size : {1, 2, 3, 4, 5, 8, 9, 30, 31, 250}) {
                const Eigen::ArrayXXf x = randomMatrix(length, 37, ++seed);
                for (int axis : {0, 1}) {
                    const Eigen::ArrayXXf in = axis == 0 ? x : Eigen::ArrayXXf(x.transpose());
                    const bool same =
                        (medianFilter(in, size, axis) == bruteForce(in, size, axis)).all();
                    QVERIFY2(
                        same,
                        qPrintable(
                            QString("length %1 size %2 axis %3").arg(length).arg(size).arg(axis)));
                }
            }
        }
    }

    void stridedLineMatchesContiguous() {
        const Eigen::ArrayXXf x = randomMatrix(3, 50, 99);
        std::vector<float> strided(50), contiguous(50);
        const Eigen::ArrayXf row = x.row(1).transpose();
        medianFilter1d(x.data() + 1, 50, x.rows(), strided.data(), 1, 7);
        medianFilter1d(row.data(), 50, 1, contiguous.data(), 1, 7);
        QVERIFY(strided == contiguous);
    }

    void realRecordingMatchesBruteForce() {
        const Eigen::ArrayXXf mag = stftMagnitude(load(referencePath("drums.wav")).mono());
        for (int axis : {0, 1}) {
            const Eigen::ArrayXXf ours = medianFilter(mag, 31, axis);
            QVERIFY(ours.allFinite());
            QVERIFY((ours == bruteForce(mag, 31, axis)).all());
        }
    }
};

QTEST_GUILESS_MAIN(TestMedianFilter)
#include "test_median_filter.moc"
