#include "core/decompose/median_filter.h"

#include "core/util/cancellation.h"
#include "core/util/cpu_features.h"
#include "core/util/parallel.h"
#include "core/util/transpose.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(__SSE2__) || defined(__x86_64__)
#include <immintrin.h>
#endif

namespace featurescope {

namespace {

// scipy's 'reflect' boundary: the line mirrored about its edges, periodic with period 2n.
Eigen::Index reflectIndex(Eigen::Index j, Eigen::Index n) {
    if (n == 1) return 0;
    const Eigen::Index period = 2 * n;
    Eigen::Index m = j % period;
    if (m < 0) m += period;
    return m < n ? m : period - 1 - m;
}

// Eight lines are filtered at once, one per vector lane, so that the sorted-window update is
// free of data-dependent branches: where a new value lands is a coin toss on spectrograms, and
// the mispredictions dominated a scalar insertion sort. Only min, max, compare and select are
// used, so every lane yields exactly the input value scipy would pick. (Sixteen lanes spill
// registers on SSE2 and run three times slower.)
constexpr int kLanes = 8;

// The register types the kernel runs on, each with the operations it needs; a register holds
// kWidth lanes.
struct ScalarOps {
    using Reg = float;
    static constexpr int kWidth = 1;
    static Reg load(const float* p) { return *p; }
    static void store(float* p, Reg a) { *p = a; }
    static Reg broadcast(float x) { return x; }
    static Reg min(Reg a, Reg b) { return b < a ? b : a; }
    static Reg max(Reg a, Reg b) { return a < b ? b : a; }
    // a < b ? x : y, lane by lane.
    static Reg selectLess(Reg a, Reg b, Reg x, Reg y) { return a < b ? x : y; }
};

#if defined(__SSE2__)
struct SseOps {
    using Reg = __m128;
    static constexpr int kWidth = 4;
    static Reg load(const float* p) { return _mm_loadu_ps(p); }
    static void store(float* p, Reg a) { _mm_storeu_ps(p, a); }
    static Reg broadcast(float x) { return _mm_set1_ps(x); }
    static Reg min(Reg a, Reg b) { return _mm_min_ps(a, b); }
    static Reg max(Reg a, Reg b) { return _mm_max_ps(a, b); }
    static Reg selectLess(Reg a, Reg b, Reg x, Reg y) {
        const Reg less = _mm_cmplt_ps(a, b);
        return _mm_or_ps(_mm_and_ps(less, x), _mm_andnot_ps(less, y));
    }
};
using DefaultOps = SseOps;
#else
using DefaultOps = ScalarOps;
#endif

// With GCC on x86-64 an AVX2 kernel (eight lanes in one register, three-operand code) is
// compiled too and chosen at run time when the processor has AVX2: about twice as fast.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define FEATURESCOPE_MEDIAN_AVX2 1
#pragma GCC push_options
#pragma GCC target("avx2")
struct Avx2Ops {
    using Reg = __m256;
    static constexpr int kWidth = 8;
    static Reg load(const float* p) { return _mm256_loadu_ps(p); }
    static void store(float* p, Reg a) { _mm256_storeu_ps(p, a); }
    static Reg broadcast(float x) { return _mm256_set1_ps(x); }
    static Reg min(Reg a, Reg b) { return _mm256_min_ps(a, b); }
    static Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
    static Reg selectLess(Reg a, Reg b, Reg x, Reg y) {
        return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LT_OQ));
    }
};
#pragma GCC pop_options
#endif

// The AVX2 instantiations below are only ever inlined into an AVX2 function, so the ABI note
// about passing AVX vectors from default-target code does not apply. It stays off to the end
// of the file: templates are instantiated there, after any pop.
#pragma GCC diagnostic ignored "-Wpsabi"

// kLanes lanes as kLanes / kWidth registers.
template <class Ops> struct Lanes {
    static constexpr int kRegs = kLanes / Ops::kWidth;
    typename Ops::Reg reg[kRegs];

    [[gnu::always_inline]] static Lanes load(const float* p) {
        Lanes a;
        for (int k = 0; k < kRegs; ++k)
            a.reg[k] = Ops::load(p + k * Ops::kWidth);
        return a;
    }
    [[gnu::always_inline]] void store(float* p) const {
        for (int k = 0; k < kRegs; ++k)
            Ops::store(p + k * Ops::kWidth, reg[k]);
    }
    [[gnu::always_inline]] static Lanes broadcast(float x) {
        Lanes a;
        for (int k = 0; k < kRegs; ++k)
            a.reg[k] = Ops::broadcast(x);
        return a;
    }
    // min(a, max(b, c)), lane by lane: one insertion-sort step.
    [[gnu::always_inline]] static Lanes minMax(const Lanes& a, const Lanes& b, const Lanes& c) {
        Lanes d;
        for (int k = 0; k < kRegs; ++k)
            d.reg[k] = Ops::min(a.reg[k], Ops::max(b.reg[k], c.reg[k]));
        return d;
    }
    // a < b ? x : y, lane by lane.
    [[gnu::always_inline]] static Lanes selectLess(const Lanes& a, const Lanes& b, const Lanes& x,
                                                   const Lanes& y) {
        Lanes d;
        for (int k = 0; k < kRegs; ++k)
            d.reg[k] = Ops::selectLess(a.reg[k], b.reg[k], x.reg[k], y.reg[k]);
        return d;
    }
};

// Median-filters kLanes interleaved lines: sample t of line l is src[t * src_stride + l]. The
// window is kept as `size` sorted slots per lane (plus a +inf sentinel), slot s at
// window + s * kLanes. Inserting e into a sorted w is w'[s] = min(w[s], max(w[s-1], e));
// removing the first copy of a value v is w'[s] = w[s] < v ? w[s] : w[s+1]. Each step does both
// over all slots: O(size) vector work. `window` holds (size + 1) * kLanes floats.
template <class Ops>
[[gnu::always_inline]] inline void
filterLanesWith(const float* src, Eigen::Index n, Eigen::Index src_stride, float* dst,
                Eigen::Index dst_stride, int size, float* window) {
    using L = Lanes<Ops>;
    const Eigen::Index half = size / 2;
    const auto sample = [&](Eigen::Index j) {
        Eigen::Index i = j - half;
        if (i < 0 || i >= n) i = reflectIndex(i, n);
        return L::load(src + i * src_stride);
    };
    const float inf = std::numeric_limits<float>::infinity();
    const L minus_inf = L::broadcast(-inf);

    for (int s = 0; s <= size; ++s)
        L::broadcast(inf).store(window + s * kLanes);
    for (Eigen::Index j = 0; j < size; ++j) {
        const L entering = sample(j);
        L left = minus_inf;
        for (int s = 0; s < size; ++s) {
            const L old = L::load(window + s * kLanes);
            L::minMax(old, left, entering).store(window + s * kLanes);
            left = old;
        }
    }
    L::load(window + half * kLanes).store(dst);
    for (Eigen::Index i = 1; i < n; ++i) {
        const L leaving = sample(i - 1);
        const L entering = sample(i + size - 1);
        L removed_left = minus_inf;
        L current = L::load(window);
        for (int s = 0; s < size; ++s) {
            const L next = L::load(window + (s + 1) * kLanes);
            const L removed = L::selectLess(current, leaving, current, next);
            L::minMax(removed, removed_left, entering).store(window + s * kLanes);
            removed_left = removed;
            current = next;
        }
        L::load(window + half * kLanes).store(dst + i * dst_stride);
    }
}

// filterLanesWith for a window size known at compile time: the sorted window lives in
// registers (fully unrolled), with no loads and stores of it between steps. It stays a
// separate copy on purpose: one template serving both (slots in registers or in memory,
// carried from step to step) was tried and cost this kernel its whole 20 % gain.
template <class Ops, int Size>
[[gnu::always_inline]] inline void filterLanesFixed(const float* src, Eigen::Index n,
                                                    Eigen::Index src_stride, float* dst,
                                                    Eigen::Index dst_stride) {
    static_assert(Ops::kWidth == kLanes);
    using Reg = typename Ops::Reg;
    constexpr Eigen::Index half = Size / 2;
    const auto sample = [&](Eigen::Index j) __attribute__((always_inline)) {
        Eigen::Index i = j - half;
        if (i < 0 || i >= n) i = reflectIndex(i, n);
        return Ops::load(src + i * src_stride);
    };
    const Reg inf = Ops::broadcast(std::numeric_limits<float>::infinity());
    const Reg minus_inf = Ops::broadcast(-std::numeric_limits<float>::infinity());
    Reg w[Size + 1];
#pragma GCC unroll 64
    for (int s = 0; s <= Size; ++s)
        w[s] = inf;
    for (Eigen::Index j = 0; j < Size; ++j) {
        const Reg entering = sample(j);
        Reg left = minus_inf;
#pragma GCC unroll 64
        for (int s = 0; s < Size; ++s) {
            const Reg old = w[s];
            w[s] = Ops::min(old, Ops::max(left, entering));
            left = old;
        }
    }
    Ops::store(dst, w[half]);
    for (Eigen::Index i = 1; i < n; ++i) {
        const Reg leaving = sample(i - 1);
        const Reg entering = sample(i + Size - 1);
        Reg removed_left = minus_inf;
#pragma GCC unroll 64
        for (int s = 0; s < Size; ++s) {
            const Reg removed = Ops::selectLess(w[s], leaving, w[s], w[s + 1]);
            w[s] = Ops::min(removed, Ops::max(removed_left, entering));
            removed_left = removed;
        }
        Ops::store(dst + i * dst_stride, w[half]);
    }
}

void filterLanesDefault(const float* src, Eigen::Index n, Eigen::Index src_stride, float* dst,
                        Eigen::Index dst_stride, int size, float* window) {
    filterLanesWith<DefaultOps>(src, n, src_stride, dst, dst_stride, size, window);
}

#if FEATURESCOPE_MEDIAN_AVX2
// librosa's default kernel (31) gets its own instantiation: 20 % less time than the generic one.
__attribute__((target("avx2"))) void filterLanes31Avx2(const float* src, Eigen::Index n,
                                                       Eigen::Index src_stride, float* dst,
                                                       Eigen::Index dst_stride) {
    filterLanesFixed<Avx2Ops, 31>(src, n, src_stride, dst, dst_stride);
}

__attribute__((target("avx2"))) void filterLanesAvx2(const float* src, Eigen::Index n,
                                                     Eigen::Index src_stride, float* dst,
                                                     Eigen::Index dst_stride, int size,
                                                     float* window) {
    filterLanesWith<Avx2Ops>(src, n, src_stride, dst, dst_stride, size, window);
}
#endif

/// Copies `length` samples of 8 lines, line l at first + l * stride, into the interleaved lane
/// buffer (sample t of line l at lanes[t * kLanes + l]).
void interleave(const float* first, Eigen::Index stride, Eigen::Index length, float* lanes) {
    transposeBlock(first, stride, lanes, kLanes, kLanes, length);
}

/// The reverse of interleave.
void deinterleave(const float* lanes, Eigen::Index length, float* first, Eigen::Index stride) {
    transposeBlock(lanes, kLanes, first, stride, length, kLanes);
}

void filterLanes(const float* src, Eigen::Index n, Eigen::Index src_stride, float* dst,
                 Eigen::Index dst_stride, int size, float* window) {
#if FEATURESCOPE_MEDIAN_AVX2
    if (cpuHasAvx2()) {
        if (size == 31) {
            filterLanes31Avx2(src, n, src_stride, dst, dst_stride);
            return;
        }
        filterLanesAvx2(src, n, src_stride, dst, dst_stride, size, window);
        return;
    }
#endif
    filterLanesDefault(src, n, src_stride, dst, dst_stride, size, window);
}

// Lines are copied kLanes at a time into an interleaved buffer (sample t of lane l at
// [t * kLanes + l]), filtered and copied back. Filtering rows of the column-major matrix in
// place was slower with AVX2 (strided vector loads that split cache lines). Whole rows go
// sixteen at a time where they can (filterSixteenRows).
void filterBlock(const Eigen::ArrayXXf& x, Eigen::ArrayXXf& y, int axis, Eigen::Index first,
                 Eigen::Index count, int size, std::vector<float>& in, std::vector<float>& out,
                 std::vector<float>& window) {
    const Eigen::Index length = axis == 1 ? x.cols() : x.rows();
    const auto at = [](Eigen::Index l, Eigen::Index t) { return size_t(t * kLanes + l); };
    if (count == kLanes && axis == 0) {
        // Eight whole columns: tiles transposed in registers.
        interleave(x.col(first).data(), x.rows(), length, in.data());
        filterLanes(in.data(), length, kLanes, out.data(), kLanes, size, window.data());
        deinterleave(out.data(), length, y.col(first).data(), y.rows());
        return;
    }
    if (count == kLanes && axis == 1) {
        // Eight whole rows: sample t of the eight is eight consecutive floats of column t.
        for (Eigen::Index t = 0; t < length; ++t)
            std::memcpy(&in[at(0, t)], &x(first, t), kLanes * sizeof(float));
        filterLanes(in.data(), length, kLanes, out.data(), kLanes, size, window.data());
        for (Eigen::Index t = 0; t < length; ++t)
            std::memcpy(&y(first, t), &out[at(0, t)], kLanes * sizeof(float));
        return;
    }
    if (axis == 1) {
        for (Eigen::Index t = 0; t < length; ++t)
            for (Eigen::Index l = 0; l < kLanes; ++l)
                in[at(l, t)] = l < count ? x(first + l, t) : 0.0f;
    } else {
        for (Eigen::Index l = 0; l < kLanes; ++l)
            for (Eigen::Index t = 0; t < length; ++t)
                in[at(l, t)] = l < count ? x(t, first + l) : 0.0f;
    }
    filterLanes(in.data(), length, kLanes, out.data(), kLanes, size, window.data());
    if (axis == 1) {
        for (Eigen::Index t = 0; t < length; ++t)
            for (Eigen::Index l = 0; l < count; ++l)
                y(first + l, t) = out[at(l, t)];
    } else {
        for (Eigen::Index l = 0; l < count; ++l)
            for (Eigen::Index t = 0; t < length; ++t)
                y(t, first + l) = out[at(l, t)];
    }
}

/// Sixteen whole rows (axis 1) at once: one 64-byte read and write of each column serves two
/// lane groups. Columns lie a page apart, so each visit of one is a cache and TLB miss;
/// sixteen rows a visit halve them.
void filterSixteenRows(const Eigen::ArrayXXf& x, Eigen::ArrayXXf& y, Eigen::Index first, int size,
                       std::vector<float>& in, std::vector<float>& out,
                       std::vector<float>& window) {
    constexpr Eigen::Index kRows = 2 * kLanes;
    const Eigen::Index length = x.cols();
    for (Eigen::Index t = 0; t < length; ++t)
        std::memcpy(&in[size_t(t * kRows)], &x(first, t), kRows * sizeof(float));
    for (Eigen::Index group = 0; group < kRows; group += kLanes)
        filterLanes(in.data() + group, length, kRows, out.data() + group, kRows, size,
                    window.data());
    for (Eigen::Index t = 0; t < length; ++t)
        std::memcpy(&y(first, t), &out[size_t(t * kRows)], kRows * sizeof(float));
}

} // namespace

void medianFilter1d(const float* in, Eigen::Index n, Eigen::Index in_stride, float* out,
                    Eigen::Index out_stride, int size) {
    if (size < 1) throw std::invalid_argument("median filter size must be > 0");
    if (n <= 0) return;
    std::vector<float> lanes(size_t(n * kLanes), 0.0f), filtered(size_t(n * kLanes));
    for (Eigen::Index t = 0; t < n; ++t)
        lanes[size_t(t * kLanes)] = in[t * in_stride];
    std::vector<float> window(size_t(size + 1) * kLanes);
    filterLanes(lanes.data(), n, kLanes, filtered.data(), kLanes, size, window.data());
    for (Eigen::Index t = 0; t < n; ++t)
        out[t * out_stride] = filtered[size_t(t * kLanes)];
}

Eigen::ArrayXXf medianFilter(const Eigen::ArrayXXf& x, int size, int axis) {
    if (size < 1)
        throw std::invalid_argument("median filter size must be > 0, got " + std::to_string(size));
    if (axis != 0 && axis != 1)
        throw std::invalid_argument("median filter axis must be 0 or 1, got " +
                                    std::to_string(axis));
    Eigen::ArrayXXf y(x.rows(), x.cols());
    if (x.size() == 0) return y;
    const Eigen::Index lines = axis == 1 ? x.rows() : x.cols();
    const Eigen::Index length = axis == 1 ? x.cols() : x.rows();
    // A block costs about kLanes * length * size lane steps; give each thread 10^6 of them.
    const Eigen::Index min_blocks =
        std::max<Eigen::Index>(1, 1000000 / (kLanes * length * size + 1));
    parallelChunks(
        (lines + kLanes - 1) / kLanes, min_blocks, [&](Eigen::Index begin, Eigen::Index end) {
            std::vector<float> in(size_t(length * 2 * kLanes)), out(size_t(length * 2 * kLanes));
            std::vector<float> window(size_t(size + 1) * kLanes);
            for (Eigen::Index block = begin; block < end; ++block) {
                throwIfCancelled();
                const Eigen::Index first = block * kLanes;
                if (axis == 1 && block + 1 < end && first + 2 * kLanes <= lines) {
                    filterSixteenRows(x, y, first, size, in, out, window);
                    ++block;
                    continue;
                }
                filterBlock(x, y, axis, first, std::min<Eigen::Index>(kLanes, lines - first), size,
                            in, out, window);
            }
        });
    return y;
}

} // namespace featurescope
