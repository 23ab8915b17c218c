#include "core/util/transpose.h"

#include "core/util/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEATURESCOPE_X86 1
#endif

namespace featurescope {

namespace {

void transposeScalar(const float* src, Eigen::Index src_stride, float* dst, Eigen::Index dst_stride,
                     Eigen::Index rows, Eigen::Index cols) {
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c)
            dst[c * dst_stride + r] = src[r * src_stride + c];
}

#if FEATURESCOPE_X86
// One 8 x 8 tile: row k of `src` (8 floats at src + k * src_stride) becomes column k of `dst`.
__attribute__((target("avx2"))) inline void tile8x8(const float* src, Eigen::Index src_stride,
                                                    float* dst, Eigen::Index dst_stride) {
    __m256 r[8], t[8];
    for (int k = 0; k < 8; ++k)
        r[k] = _mm256_loadu_ps(src + k * src_stride);
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);
    }
    for (int k = 0; k < 8; k += 4) {
        r[k] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int k = 0; k < 4; ++k) {
        _mm256_storeu_ps(dst + k * dst_stride, _mm256_permute2f128_ps(r[k], r[k + 4], 0x20));
        _mm256_storeu_ps(dst + (k + 4) * dst_stride, _mm256_permute2f128_ps(r[k], r[k + 4], 0x31));
    }
}

__attribute__((target("avx2"))) void transposeAvx2(const float* src, Eigen::Index src_stride,
                                                   float* dst, Eigen::Index dst_stride,
                                                   Eigen::Index rows, Eigen::Index cols) {
    const Eigen::Index whole_rows = rows - rows % 8, whole_cols = cols - cols % 8;
    for (Eigen::Index r = 0; r < whole_rows; r += 8)
        for (Eigen::Index c = 0; c < whole_cols; c += 8)
            tile8x8(src + r * src_stride + c, src_stride, dst + c * dst_stride + r, dst_stride);
    // The edges: the last columns of the whole rows, then the last rows.
    transposeScalar(src + whole_cols, src_stride, dst + whole_cols * dst_stride, dst_stride,
                    whole_rows, cols - whole_cols);
    transposeScalar(src + whole_rows * src_stride, src_stride, dst + whole_rows, dst_stride,
                    rows - whole_rows, cols);
}
#endif

} // namespace

void transposeBlock(const float* src, Eigen::Index src_stride, float* dst, Eigen::Index dst_stride,
                    Eigen::Index rows, Eigen::Index cols) {
#if FEATURESCOPE_X86
    if (cpuHasAvx2()) return transposeAvx2(src, src_stride, dst, dst_stride, rows, cols);
#endif
    transposeScalar(src, src_stride, dst, dst_stride, rows, cols);
}

} // namespace featurescope
