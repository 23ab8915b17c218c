#include "core/spectrum/frame_kernels.h"

#include "core/util/cpu_features.h"

#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEATURESCOPE_X86 1
#endif

namespace featurescope {

namespace {

void multiplyWindowPortable(const float* x, const double* window, double* frame, int n) {
    int i = 0;
#if defined(__SSE2__)
    // By hand: the compiler's own vectorisation of the widening spills to the stack.
    for (; i + 4 <= n; i += 4) {
        const __m128 four = _mm_loadu_ps(x + i);
        const __m128d low = _mm_cvtps_pd(four), high = _mm_cvtps_pd(_mm_movehl_ps(four, four));
        _mm_storeu_pd(frame + i, _mm_mul_pd(low, _mm_loadu_pd(window + i)));
        _mm_storeu_pd(frame + i + 2, _mm_mul_pd(high, _mm_loadu_pd(window + i + 2)));
    }
#endif
    for (; i < n; ++i)
        frame[i] = double(x[i]) * window[i];
}

/// One bin: the complex64 rounding, then the float32 magnitude.
inline void roundBin(const double* s, float* rounded, float* magnitude) {
    const float re = float(s[0]), im = float(s[1]);
    if (rounded) {
        rounded[0] = re;
        rounded[1] = im;
    }
    if (magnitude) *magnitude = std::sqrt(re * re + im * im);
}

void roundSpectrumPortable(const double* s, Eigen::Index bins, float* rounded, float* magnitude) {
    for (Eigen::Index k = 0; k < bins; ++k)
        roundBin(s + 2 * k, rounded ? rounded + 2 * k : nullptr,
                 magnitude ? magnitude + k : nullptr);
}

#if FEATURESCOPE_X86
__attribute__((target("avx2"))) void multiplyWindowAvx2(const float* x, const double* window,
                                                        double* frame, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 eight = _mm256_loadu_ps(x + i);
        const __m256d low = _mm256_cvtps_pd(_mm256_castps256_ps128(eight));
        const __m256d high = _mm256_cvtps_pd(_mm256_extractf128_ps(eight, 1));
        _mm256_storeu_pd(frame + i, _mm256_mul_pd(low, _mm256_loadu_pd(window + i)));
        _mm256_storeu_pd(frame + i + 4, _mm256_mul_pd(high, _mm256_loadu_pd(window + i + 4)));
    }
    for (; i < n; ++i)
        frame[i] = double(x[i]) * window[i];
}

__attribute__((target("avx2"))) void roundSpectrumAvx2(const double* s, Eigen::Index bins,
                                                       float* rounded, float* magnitude) {
    Eigen::Index k = 0;
    for (; k + 4 <= bins; k += 4) {
        // Four bins: re0 im0 re1 im1 | re2 im2 re3 im3, each rounded to float as float(double).
        const __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd(s + 2 * k));
        const __m128 b = _mm256_cvtpd_ps(_mm256_loadu_pd(s + 2 * k + 4));
        if (rounded) {
            _mm_storeu_ps(rounded + 2 * k, a);
            _mm_storeu_ps(rounded + 2 * k + 4, b);
        }
        if (magnitude) {
            const __m128 re = _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
            const __m128 im = _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
            _mm_storeu_ps(magnitude + k,
                          _mm_sqrt_ps(_mm_add_ps(_mm_mul_ps(re, re), _mm_mul_ps(im, im))));
        }
    }
    for (; k < bins; ++k)
        roundBin(s + 2 * k, rounded ? rounded + 2 * k : nullptr,
                 magnitude ? magnitude + k : nullptr);
}
#endif

} // namespace

void multiplyWindow(const float* x, const double* window, double* frame, int n) {
#if FEATURESCOPE_X86
    if (cpuHasAvx2()) return multiplyWindowAvx2(x, window, frame, n);
#endif
    multiplyWindowPortable(x, window, frame, n);
}

void roundSpectrum(const std::complex<double>* spectrum, Eigen::Index bins,
                   std::complex<float>* rounded, float* magnitude) {
    const double* s = reinterpret_cast<const double*>(spectrum);
    float* r = reinterpret_cast<float*>(rounded);
#if FEATURESCOPE_X86
    if (cpuHasAvx2()) return roundSpectrumAvx2(s, bins, r, magnitude);
#endif
    roundSpectrumPortable(s, bins, r, magnitude);
}

} // namespace featurescope
