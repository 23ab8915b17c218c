#include "core/spectrum/cqt_response.h"

#include "core/util/cancellation.h"
#include "core/util/cpu_features.h"
#include "core/spectrum/fft.h"
#include "core/util/transpose.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace featurescope {

namespace {

/// Frames are handled kBlock at a time with the spectra transposed to bin-major, planar
/// storage, so that each sparse basis entry multiplies kBlock frames in one vector operation.
constexpr int kBlock = 32;
using SpectrumBlock = Eigen::Array<float, kBlock, Eigen::Dynamic>;

/// The basis's occupied columns [lo, hi): only those spectrum bins are ever read.
std::pair<int, int> columnBand(const SparseFilterBank& bank) {
    if (bank.column.empty()) return {0, 0};
    const auto [lo, hi] = std::minmax_element(bank.column.begin(), bank.column.end());
    return {*lo, *hi + 1};
}

/// out[i] = sqrt(re[i]^2 + im[i]^2) computed in double and rounded to float, so that the
/// squares of very quiet responses do not underflow. Also compiled for AVX2 (four lanes); the
/// same IEEE operations either way.
[[gnu::target_clones("avx2", "default")]] void magnitudeInDouble(const float* __restrict re,
                                                                 const float* __restrict im,
                                                                 float* __restrict out, int count) {
    for (int i = 0; i < count; ++i) {
        const double a = re[i], b = im[i];
        out[i] = float(std::sqrt(a * a + b * b));
    }
}

/// Two frames of n samples into the real and imaginary lanes of one complex input, the pair
/// that one transform serves. Also compiled for AVX2.
[[gnu::target_clones("avx2", "default")]] void interleavePair(const float* __restrict xa,
                                                              const float* __restrict xb,
                                                              float* __restrict lanes, int n) {
    for (int i = 0; i < n; ++i) {
        lanes[2 * i] = xa[i];
        lanes[2 * i + 1] = xb[i];
    }
}

/// Every filter's response for one block of kBlock frames: spectra planar and bin-major
/// (re_in, im_in: kBlock floats per bin of the band, from bin `lo`), responses filter-major
/// (re_out, im_out: kBlock floats per filter). For each entry a of a row, over the block's
/// frames: re += a.re * x.re - a.im * x.im, im += a.re * x.im + a.im * x.re, in that order of
/// float32 operations.
void multiplyBlockGeneric(const SparseFilterBank& bank, int lo, const float* __restrict re_in,
                          const float* __restrict im_in, float* __restrict re_out,
                          float* __restrict im_out) {
    const int rows = bank.rows();
    for (int r = 0; r < rows; ++r) {
        float re[kBlock] = {}, im[kBlock] = {};
        for (int k = bank.row_start[size_t(r)]; k < bank.row_start[size_t(r) + 1]; ++k) {
            const float ar = bank.value[size_t(k)].real(), ai = bank.value[size_t(k)].imag();
            const float* x_re = re_in + size_t(bank.column[size_t(k)] - lo) * kBlock;
            const float* x_im = im_in + size_t(bank.column[size_t(k)] - lo) * kBlock;
            for (int f = 0; f < kBlock; ++f) {
                re[f] += ar * x_re[f] - ai * x_im[f];
                im[f] += ar * x_im[f] + ai * x_re[f];
            }
        }
        std::copy_n(re, kBlock, re_out + size_t(r) * kBlock);
        std::copy_n(im, kBlock, im_out + size_t(r) * kBlock);
    }
}

#if defined(__x86_64__) || defined(__i386__)
// The same operations on eight frames per register, the block's accumulators held in registers
// (the generic loop's arrays live in memory: a store and a load per entry).
__attribute__((target("avx2"))) void multiplyBlockAvx2(const SparseFilterBank& bank, int lo,
                                                       const float* re_in, const float* im_in,
                                                       float* re_out, float* im_out) {
    constexpr int kRegs = kBlock / 8;
    const int rows = bank.rows();
    for (int r = 0; r < rows; ++r) {
        __m256 re[kRegs], im[kRegs];
#pragma GCC unroll 8
        for (int q = 0; q < kRegs; ++q)
            re[q] = im[q] = _mm256_setzero_ps();
        for (int k = bank.row_start[size_t(r)]; k < bank.row_start[size_t(r) + 1]; ++k) {
            const __m256 ar = _mm256_set1_ps(bank.value[size_t(k)].real());
            const __m256 ai = _mm256_set1_ps(bank.value[size_t(k)].imag());
            const float* x_re = re_in + size_t(bank.column[size_t(k)] - lo) * kBlock;
            const float* x_im = im_in + size_t(bank.column[size_t(k)] - lo) * kBlock;
#pragma GCC unroll 8
            for (int q = 0; q < kRegs; ++q) {
                const __m256 xr = _mm256_loadu_ps(x_re + 8 * q);
                const __m256 xi = _mm256_loadu_ps(x_im + 8 * q);
                re[q] = _mm256_add_ps(re[q],
                                      _mm256_sub_ps(_mm256_mul_ps(ar, xr), _mm256_mul_ps(ai, xi)));
                im[q] = _mm256_add_ps(im[q],
                                      _mm256_add_ps(_mm256_mul_ps(ar, xi), _mm256_mul_ps(ai, xr)));
            }
        }
#pragma GCC unroll 8
        for (int q = 0; q < kRegs; ++q) {
            _mm256_storeu_ps(re_out + size_t(r) * kBlock + 8 * q, re[q]);
            _mm256_storeu_ps(im_out + size_t(r) * kBlock + 8 * q, im[q]);
        }
    }
}
#endif

using MultiplyBlock = void (*)(const SparseFilterBank&, int, const float*, const float*, float*,
                               float*);

MultiplyBlock multiplyBlockForThisCpu() {
#if defined(__x86_64__) || defined(__i386__)
    if (cpuHasAvx2()) return multiplyBlockAvx2;
#endif
    return multiplyBlockGeneric;
}

} // namespace

void cqtResponse(const Eigen::Map<const Eigen::ArrayXf>& y, const SparseFilterBank& bank, int hop,
                 const CqtResponseTarget& target) {
    const int n_fft = bank.n_fft;
    const Eigen::Index pad = n_fft / 2;
    const Eigen::Index n = y.size();
    const auto [lo, hi] = columnBand(bank);
    const int width = std::max(hi - lo, 1);

    // Two real frames per complex transform: frame a in the real part, frame b in the imaginary
    // part, Z = FFT(a + i b); then A[k] = (Z[k] + conj(Z[-k])) / 2 and
    // B[k] = (Z[k] - conj(Z[-k])) / 2i. FFTW's complex transforms are vectorised where its
    // real ones are not, so this costs about half of two real transforms; the result is the
    // same spectrum to float rounding, and only the band's bins are unpacked.
    ComplexFft fft(n_fft);
    std::complex<float>* packed = fft.input();
    SpectrumBlock re_in = SpectrumBlock::Zero(kBlock, width);
    SpectrumBlock im_in = SpectrumBlock::Zero(kBlock, width);
    static const MultiplyBlock multiply = multiplyBlockForThisCpu();
    // One block's responses, filter-major, so that each frame is then written as one run.
    const int rows = bank.rows();
    Eigen::Array<float, kBlock, Eigen::Dynamic> re_out(kBlock, rows), im_out(kBlock, rows);
    Eigen::Array<float, kBlock, Eigen::Dynamic> magnitude(kBlock, rows);
    // Frame t's samples, zero outside the signal, into the real (part 0) or imaginary (part 1)
    // lane of `packed`.
    auto fill = [&](Eigen::Index t, int part) {
        float* lanes = reinterpret_cast<float*>(packed) + part;
        const Eigen::Index start = t * hop - pad;
        if (start >= 0 && start + n_fft <= n) {
            const float* x = y.data() + start;
            for (int i = 0; i < n_fft; ++i)
                lanes[2 * i] = x[i];
        } else {
            // Frames that overlap the zero padding.
            for (int i = 0; i < n_fft; ++i) {
                const Eigen::Index s = start + i;
                lanes[2 * i] = (s >= 0 && s < n) ? y[s] : 0.0f;
            }
        }
    };

    for (Eigen::Index t0 = target.first_frame; t0 < target.n_frames; t0 += kBlock) {
        throwIfCancelled();
        const int count = int(std::min<Eigen::Index>(kBlock, target.n_frames - t0));
        for (int b = 0; b < count; b += 2) {
            const bool pair = b + 1 < count;
            const Eigen::Index start = (t0 + b) * hop - pad;
            if (pair && start >= 0 && start + hop + n_fft <= n) {
                // Both frames inside the signal: one interleaving pass the compiler vectorises.
                const float* xa = y.data() + start;
                interleavePair(xa, xa + hop, reinterpret_cast<float*>(packed), n_fft);
            } else {
                fill(t0 + b, 0);
                if (pair)
                    fill(t0 + b + 1, 1);
                else
                    for (int i = 0; i < n_fft; ++i)
                        packed[size_t(i)].imag(0.0f);
            }
            fft.forward();
            // Plain float reads: std::complex temporaries here went through the stack.
            const float* z = reinterpret_cast<const float*>(fft.output());
            float* re_a = &re_in(b, 0);
            float* im_a = &im_in(b, 0);
            for (int j = 0; j < hi - lo; ++j) {
                const int k = lo + j;
                const int m = k == 0 ? 0 : n_fft - k; // the bin of conj(Z[-k])
                const float zr = z[2 * k], zi = z[2 * k + 1];
                const float wr = z[2 * m], wi = z[2 * m + 1];
                re_a[j * kBlock] = 0.5f * (zr + wr);
                im_a[j * kBlock] = 0.5f * (zi - wi);
                if (pair) {
                    re_a[j * kBlock + 1] = 0.5f * (zi + wi);
                    im_a[j * kBlock + 1] = 0.5f * (wr - zr);
                }
            }
        }
        multiply(bank, lo, re_in.data(), im_in.data(), re_out.data(), im_out.data());
        if (target.complex_out) {
            for (int b = 0; b < count; ++b) {
                std::complex<float>* column =
                    target.complex_out->col(t0 + b).data() + target.first_row;
                for (int r = 0; r < rows; ++r)
                    column[r] = {re_out(b, r), im_out(b, r)};
            }
        } else {
            // In double, so that the squares of very quiet responses do not underflow.
            magnitudeInDouble(re_out.data(), im_out.data(), magnitude.data(), kBlock * rows);
            // Filter-major (kBlock frames a filter) to the output's frame columns.
            transposeBlock(magnitude.data(), kBlock,
                           target.magnitude_out->col(t0).data() + target.first_row,
                           target.magnitude_out->rows(), rows, count);
        }
    }
}

} // namespace featurescope
