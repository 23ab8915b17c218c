// Sliding-window median filters with scipy.ndimage.median_filter(..., mode='reflect') semantics,
// the smoothing step of median-filtering HPSS (librosa.decompose.hpss).
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// scipy.ndimage.median_filter of one line of `n` samples with a window of `size` samples and
/// mode='reflect', origin=0.
///
/// - The window of output i covers inputs i - size/2 ... i - size/2 + size - 1 (integer
///   division), so an even window reaches one sample further back than forward, as in scipy.
/// - The result is the element of rank size/2 (0-based) of the sorted window: the middle one
///   for an odd `size`, the upper of the two middle ones for an even `size` (scipy never
///   averages), so every output is one of the inputs, bit for bit.
/// - Outside the line the signal is reflected about the edge, repeating the edge sample
///   (d c b a | a b c d | d c b a), periodically with period 2n when the window is longer than
///   the line; a line of one sample is constant.
///
/// `in` and `out` are read and written with the given strides (in elements) and must not
/// overlap. Each step costs O(size) branch-free vector work on a sorted window (see
/// median_filter.cpp) instead of the O(size log size) of sorting every window.
///
/// size : int > 0. n : >= 0. NaN inputs give unspecified (but memory-safe) results.
void medianFilter1d(const float* in, Eigen::Index n, Eigen::Index in_stride, float* out,
                    Eigen::Index out_stride, int size);

/// scipy.ndimage.median_filter(x, size=..., mode='reflect') with a one-dimensional kernel:
///
/// - axis = 1: size=(1, size), each row filtered across the columns (across time for a
///   spectrogram: librosa's harmonic filter);
/// - axis = 0: size=(size, 1), each column filtered across the rows (across frequency: the
///   percussive filter).
///
/// x : [shape=(d, n)]. size : int > 0. axis : 0 or 1. Returns [shape=(d, n)]. Rows or columns
/// are shared between up to availableThreads() threads (core/util/parallel.h). Throws
/// std::invalid_argument for size < 1 or another axis.
Eigen::ArrayXXf medianFilter(const Eigen::ArrayXXf& x, int size, int axis);

} // namespace featurescope
