#include "core/spectrum/local_maxima.h"

#include "core/util/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEATURESCOPE_X86 1
#endif

namespace featurescope {

namespace {

void localMaximaScalar(const float* x, Eigen::Index d, Eigen::Index lo, Eigen::Index hi,
                       float level, std::vector<Eigen::Index>& out) {
    const auto gated = [&](Eigen::Index k) { return x[k] > level ? x[k] : 0.0f; };
    for (Eigen::Index k = lo; k < hi; ++k) {
        const float here = gated(k);
        if (!(here > gated(k - 1))) continue;
        if (k != d - 1 && !(here >= gated(k + 1))) continue;
        out.push_back(k);
    }
}

#if FEATURESCOPE_X86
// x > level ? x : 0 for eight bins (false for NaN, as the scalar test).
__attribute__((target("avx2"), always_inline)) inline __m256 gated8(const float* p, __m256 level) {
    const __m256 v = _mm256_loadu_ps(p);
    return _mm256_and_ps(_mm256_cmp_ps(v, level, _CMP_GT_OQ), v);
}

__attribute__((target("avx2"))) void localMaximaAvx2(const float* x, Eigen::Index d,
                                                     Eigen::Index lo, Eigen::Index hi, float level,
                                                     std::vector<Eigen::Index>& out) {
    const __m256 threshold = _mm256_set1_ps(level);
    Eigen::Index k = lo;
    // Whole groups of eight whose right neighbours exist and none of which is the last bin.
    for (; k + 8 < d && k + 8 <= hi; k += 8) {
        const __m256 left = gated8(x + k - 1, threshold), here = gated8(x + k, threshold),
                     right = gated8(x + k + 1, threshold);
        const __m256 peak = _mm256_and_ps(_mm256_cmp_ps(here, left, _CMP_GT_OQ),
                                          _mm256_cmp_ps(here, right, _CMP_GE_OQ));
        for (unsigned bits = unsigned(_mm256_movemask_ps(peak)); bits != 0; bits &= bits - 1)
            out.push_back(k + __builtin_ctz(bits));
    }
    localMaximaScalar(x, d, k, hi, level, out);
}
#endif

} // namespace

void localMaxima(const float* x, Eigen::Index d, Eigen::Index lo, Eigen::Index hi, float level,
                 std::vector<Eigen::Index>& out) {
#if FEATURESCOPE_X86
    if (cpuHasAvx2()) return localMaximaAvx2(x, d, lo, hi, level, out);
#endif
    localMaximaScalar(x, d, lo, hi, level, out);
}

} // namespace featurescope
