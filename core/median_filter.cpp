#include "core/median_filter.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__SSE2__) || defined(__AVX__)
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

// Runs body(begin, end) over [0, count) split into contiguous chunks, one per thread, each of
// at least `min_chunk` items so that small inputs do not pay for idle threads.
template <typename Body>
void parallelChunks(Eigen::Index count, Eigen::Index min_chunk, const Body& body) {
    const Eigen::Index threads =
        std::clamp<Eigen::Index>(Eigen::Index(std::thread::hardware_concurrency()), 1,
                                 std::max<Eigen::Index>(count / min_chunk, 1));
    std::vector<std::thread> workers;
    for (Eigen::Index k = 1; k < threads; ++k)
        workers.emplace_back(body, count * k / threads, count * (k + 1) / threads);
    body(Eigen::Index(0), count / threads);
    for (auto& worker : workers)
        worker.join();
}

// Eight lines are filtered at once, one per vector lane, so that the sorted-window update is
// free of data-dependent branches: where a new value lands is a coin toss on spectrograms, and
// the mispredictions dominated a scalar insertion sort. Only min, max, compare and select are
// used, so every lane yields exactly the input value scipy would pick. (Sixteen lanes spill
// registers on SSE2 and run three times slower.)
constexpr int kLanes = 8;

// One SIMD register: AVX when compiled for it, SSE2 on any x86-64, a float elsewhere.
#if defined(__AVX__)
using Part = __m256;
constexpr int kPartWidth = 8;
inline Part loadPart(const float* p) {
    return _mm256_loadu_ps(p);
}
inline void storePart(float* p, Part a) {
    _mm256_storeu_ps(p, a);
}
inline Part broadcastPart(float x) {
    return _mm256_set1_ps(x);
}
inline Part minPart(Part a, Part b) {
    return _mm256_min_ps(a, b);
}
inline Part maxPart(Part a, Part b) {
    return _mm256_max_ps(a, b);
}
inline Part selectLessPart(Part a, Part b, Part x, Part y) {
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LT_OQ));
}
#elif defined(__SSE2__)
using Part = __m128;
constexpr int kPartWidth = 4;
inline Part loadPart(const float* p) {
    return _mm_loadu_ps(p);
}
inline void storePart(float* p, Part a) {
    _mm_storeu_ps(p, a);
}
inline Part broadcastPart(float x) {
    return _mm_set1_ps(x);
}
inline Part minPart(Part a, Part b) {
    return _mm_min_ps(a, b);
}
inline Part maxPart(Part a, Part b) {
    return _mm_max_ps(a, b);
}
inline Part selectLessPart(Part a, Part b, Part x, Part y) {
    const Part less = _mm_cmplt_ps(a, b);
    return _mm_or_ps(_mm_and_ps(less, x), _mm_andnot_ps(less, y));
}
#else
using Part = float;
constexpr int kPartWidth = 1;
inline Part loadPart(const float* p) {
    return *p;
}
inline void storePart(float* p, Part a) {
    *p = a;
}
inline Part broadcastPart(float x) {
    return x;
}
inline Part minPart(Part a, Part b) {
    return b < a ? b : a;
}
inline Part maxPart(Part a, Part b) {
    return a < b ? b : a;
}
inline Part selectLessPart(Part a, Part b, Part x, Part y) {
    return a < b ? x : y;
}
#endif

// On x86-64 Linux the kernel is also compiled for AVX2 and picked at load time (an ifunc): the
// three-operand encodings save the register copies SSE2 needs, about 20 % of the time.
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__)
#define FEATURESCOPE_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define FEATURESCOPE_AVX2_CLONE
#endif

constexpr int kParts = kLanes / kPartWidth;
struct Lanes {
    Part part[kParts];
};
inline Lanes load(const float* p) {
    Lanes a;
    for (int k = 0; k < kParts; ++k)
        a.part[k] = loadPart(p + k * kPartWidth);
    return a;
}
inline void store(float* p, const Lanes& a) {
    for (int k = 0; k < kParts; ++k)
        storePart(p + k * kPartWidth, a.part[k]);
}
inline Lanes broadcast(float x) {
    Lanes a;
    for (int k = 0; k < kParts; ++k)
        a.part[k] = broadcastPart(x);
    return a;
}
inline Lanes min(const Lanes& a, const Lanes& b) {
    Lanes c;
    for (int k = 0; k < kParts; ++k)
        c.part[k] = minPart(a.part[k], b.part[k]);
    return c;
}
inline Lanes max(const Lanes& a, const Lanes& b) {
    Lanes c;
    for (int k = 0; k < kParts; ++k)
        c.part[k] = maxPart(a.part[k], b.part[k]);
    return c;
}
// a < b ? x : y, lane by lane.
inline Lanes selectLess(const Lanes& a, const Lanes& b, const Lanes& x, const Lanes& y) {
    Lanes c;
    for (int k = 0; k < kParts; ++k)
        c.part[k] = selectLessPart(a.part[k], b.part[k], x.part[k], y.part[k]);
    return c;
}

// Median-filters kLanes interleaved lines: sample t of line l is src[t * src_stride + l]. The
// window is kept as `size` sorted slots per lane (plus a +inf sentinel). Inserting e into a
// sorted w is w'[s] = min(w[s], max(w[s-1], e)); removing the first copy of a value v is
// w'[s] = w[s] < v ? w[s] : w[s+1]. Each step does both over all slots: O(size) vector work.
// `window` holds size + 1 slots.
FEATURESCOPE_AVX2_CLONE void filterLanes(const float* src, Eigen::Index n, Eigen::Index src_stride,
                                         float* dst, Eigen::Index dst_stride, int size,
                                         Lanes* window) {
    const Eigen::Index half = size / 2;
    const auto sample = [&](Eigen::Index j) {
        Eigen::Index i = j - half;
        if (i < 0 || i >= n) i = reflectIndex(i, n);
        return load(src + i * src_stride);
    };
    const float inf = std::numeric_limits<float>::infinity();
    const Lanes minus_inf = broadcast(-inf);

    for (int s = 0; s <= size; ++s)
        window[s] = broadcast(inf);
    for (Eigen::Index j = 0; j < size; ++j) {
        const Lanes entering = sample(j);
        Lanes left = minus_inf;
        for (int s = 0; s < size; ++s) {
            const Lanes old = window[s];
            window[s] = min(old, max(left, entering));
            left = old;
        }
    }
    store(dst, window[half]);
    for (Eigen::Index i = 1; i < n; ++i) {
        const Lanes leaving = sample(i - 1);
        const Lanes entering = sample(i + size - 1);
        Lanes removed_left = minus_inf;
        for (int s = 0; s < size; ++s) {
            const Lanes removed = selectLess(window[s], leaving, window[s], window[s + 1]);
            window[s] = min(removed, max(removed_left, entering));
            removed_left = removed;
        }
        store(dst + i * dst_stride, window[half]);
    }
}

// Filters `count` <= kLanes lines starting at line `first`, through interleaved buffers unless
// the lines already lie interleaved in memory (kLanes consecutive rows of a column-major
// matrix).
void filterBlock(const Eigen::ArrayXXf& x, Eigen::ArrayXXf& y, int axis, Eigen::Index first,
                 Eigen::Index count, int size, std::vector<float>& in, std::vector<float>& out,
                 std::vector<Lanes>& window) {
    const Eigen::Index length = axis == 1 ? x.cols() : x.rows();
    if (axis == 1 && count == kLanes) {
        filterLanes(x.data() + first, length, x.rows(), y.data() + first, y.rows(), size,
                    window.data());
        return;
    }
    for (Eigen::Index t = 0; t < length; ++t)
        for (Eigen::Index l = 0; l < kLanes; ++l)
            in[size_t(t * kLanes + l)] =
                l < count ? (axis == 1 ? x(first + l, t) : x(t, first + l)) : 0.0f;
    filterLanes(in.data(), length, kLanes, out.data(), kLanes, size, window.data());
    for (Eigen::Index t = 0; t < length; ++t)
        for (Eigen::Index l = 0; l < count; ++l)
            (axis == 1 ? y(first + l, t) : y(t, first + l)) = out[size_t(t * kLanes + l)];
}

} // namespace

void medianFilter1d(const float* in, Eigen::Index n, Eigen::Index in_stride, float* out,
                    Eigen::Index out_stride, int size) {
    if (size < 1) throw std::invalid_argument("median filter size must be > 0");
    if (n <= 0) return;
    std::vector<float> lanes(size_t(n * kLanes), 0.0f), filtered(size_t(n * kLanes));
    for (Eigen::Index t = 0; t < n; ++t)
        lanes[size_t(t * kLanes)] = in[t * in_stride];
    std::vector<Lanes> window(size_t(size) + 1);
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
    // A block of kLanes lines costs about length * size vector steps; give each thread some
    // 10^5 of them at least.
    const Eigen::Index min_blocks = std::max<Eigen::Index>(1, 100000 / (length * size + 1));
    parallelChunks(
        (lines + kLanes - 1) / kLanes, min_blocks, [&](Eigen::Index begin, Eigen::Index end) {
            std::vector<float> in(size_t(length * kLanes)), out(size_t(length * kLanes));
            std::vector<Lanes> window(size_t(size) + 1);
            for (Eigen::Index block = begin; block < end; ++block) {
                const Eigen::Index first = block * kLanes;
                filterBlock(x, y, axis, first, std::min<Eigen::Index>(kLanes, lines - first), size,
                            in, out, window);
            }
        });
    return y;
}

} // namespace featurescope
