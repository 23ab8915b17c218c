#include "core/median_filter.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

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

// Runs body(begin, end) over [0, count) split into contiguous chunks, one per thread.
template <typename Body> void parallelChunks(Eigen::Index count, const Body& body) {
    const Eigen::Index threads = std::clamp<Eigen::Index>(
        Eigen::Index(std::thread::hardware_concurrency()), 1, std::max<Eigen::Index>(count, 1));
    if (threads <= 1) {
        body(Eigen::Index(0), count);
        return;
    }
    std::vector<std::thread> workers;
    for (Eigen::Index k = 1; k < threads; ++k)
        workers.emplace_back(body, count * k / threads, count * (k + 1) / threads);
    body(Eigen::Index(0), count / threads);
    for (auto& worker : workers)
        worker.join();
}

// Rows per gather block of the row filter: the block is copied to contiguous lines so that the
// column-major matrix is read a cache line (16 floats) at a time.
constexpr Eigen::Index kRowBlock = 16;

} // namespace

void medianFilter1d(const float* in, Eigen::Index n, Eigen::Index in_stride, float* out,
                    Eigen::Index out_stride, int size) {
    if (size < 1) throw std::invalid_argument("median filter size must be > 0");
    if (n <= 0) return;
    const Eigen::Index half = size / 2;
    const Eigen::Index extended_length = n + size - 1;
    std::vector<float> extended(static_cast<size_t>(extended_length));
    for (Eigen::Index j = 0; j < extended_length; ++j) {
        const Eigen::Index i = j - half;
        extended[size_t(j)] = in[(i >= 0 && i < n ? i : reflectIndex(i, n)) * in_stride];
    }

    std::vector<float> window(extended.begin(), extended.begin() + size);
    std::sort(window.begin(), window.end());
    out[0] = window[size_t(half)];
    for (Eigen::Index i = 1; i < n; ++i) {
        const float leaving = extended[size_t(i - 1)];
        const float entering = extended[size_t(i + size - 1)];
        if (entering != leaving) {
            // Replace one copy of `leaving` by `entering` and restore the order by moving the
            // hole towards where `entering` belongs: one insertion-sort step.
            size_t hole =
                size_t(std::lower_bound(window.begin(), window.end(), leaving) - window.begin());
            if (hole >= window.size()) hole = window.size() - 1;
            if (entering > leaving) {
                while (hole + 1 < window.size() && window[hole + 1] < entering) {
                    window[hole] = window[hole + 1];
                    ++hole;
                }
            } else {
                while (hole > 0 && window[hole - 1] > entering) {
                    window[hole] = window[hole - 1];
                    --hole;
                }
            }
            window[hole] = entering;
        }
        out[i * out_stride] = window[size_t(half)];
    }
}

Eigen::ArrayXXf medianFilter(const Eigen::ArrayXXf& x, int size, int axis) {
    if (size < 1)
        throw std::invalid_argument("median filter size must be > 0, got " + std::to_string(size));
    if (axis != 0 && axis != 1)
        throw std::invalid_argument("median filter axis must be 0 or 1, got " +
                                    std::to_string(axis));
    const Eigen::Index rows = x.rows();
    const Eigen::Index cols = x.cols();
    Eigen::ArrayXXf y(rows, cols);
    if (rows == 0 || cols == 0) return y;

    if (axis == 0) {
        // Columns are contiguous, so each is filtered where it lies.
        parallelChunks(cols, [&](Eigen::Index begin, Eigen::Index end) {
            for (Eigen::Index t = begin; t < end; ++t)
                medianFilter1d(x.col(t).data(), rows, 1, y.col(t).data(), 1, size);
        });
        return y;
    }

    const Eigen::Index blocks = (rows + kRowBlock - 1) / kRowBlock;
    parallelChunks(blocks, [&](Eigen::Index begin, Eigen::Index end) {
        std::vector<float> lines(size_t(kRowBlock * cols));
        std::vector<float> filtered(size_t(kRowBlock * cols));
        for (Eigen::Index block = begin; block < end; ++block) {
            const Eigen::Index r0 = block * kRowBlock;
            const Eigen::Index height = std::min(kRowBlock, rows - r0);
            for (Eigen::Index t = 0; t < cols; ++t)
                for (Eigen::Index b = 0; b < height; ++b)
                    lines[size_t(b * cols + t)] = x(r0 + b, t);
            for (Eigen::Index b = 0; b < height; ++b)
                medianFilter1d(lines.data() + b * cols, cols, 1, filtered.data() + b * cols, 1,
                               size);
            for (Eigen::Index t = 0; t < cols; ++t)
                for (Eigen::Index b = 0; b < height; ++b)
                    y(r0 + b, t) = filtered[size_t(b * cols + t)];
        }
    });
    return y;
}

} // namespace featurescope
