// core/transpose: the tiled copy against its definition, edges and strides included.
#include "core/util/transpose.h"

#include <QtTest>

#include <array>
#include <vector>

using namespace featurescope;

class TestTranspose : public QObject {
    Q_OBJECT
private slots:
    void equalsTheDefinition() {
        // Whole tiles, edges only, both, and strides wider than the block on each side.
        const std::vector<std::array<Eigen::Index, 4>> shapes = {
            {8, 8, 8, 8},   {16, 24, 30, 20},   {3, 5, 7, 9},      {13, 29, 40, 33},
            {1, 17, 17, 1}, {32, 12, 12, 1025}, {12, 32, 32, 1025}};
        for (const auto& [rows, cols, src_stride, dst_stride] : shapes) {
            std::vector<float> src(size_t(rows * src_stride));
            for (size_t i = 0; i < src.size(); ++i)
                src[i] = float(i) * 0.5f - 7.0f;
            // Every destination float not written keeps its marker.
            const float marker = -1e30f;
            std::vector<float> dst(size_t(cols * dst_stride + rows), marker);
            transposeBlock(src.data(), src_stride, dst.data(), dst_stride, rows, cols);
            std::vector<float> expected(dst.size(), marker);
            for (Eigen::Index r = 0; r < rows; ++r)
                for (Eigen::Index c = 0; c < cols; ++c)
                    expected[size_t(c * dst_stride + r)] = src[size_t(r * src_stride + c)];
            QVERIFY2(dst == expected, qPrintable(QString("%1 x %2, strides %3 and %4")
                                                     .arg(rows)
                                                     .arg(cols)
                                                     .arg(src_stride)
                                                     .arg(dst_stride)));
        }
    }
};

QTEST_APPLESS_MAIN(TestTranspose)
#include "test_transpose.moc"
