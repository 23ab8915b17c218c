// The two element-wise steps around every float64 STFT frame's transform: the window
// multiplied into the float32 signal, and the float64 spectrum rounded to complex64 with its
// magnitudes. They run once per bin of every STFT (three per analysis) and take about as long
// as the FFT itself, so they have AVX2 versions, chosen at run time; every version performs
// the same IEEE operations (no fused multiply-add), so the results are identical.
#pragma once

#include <Eigen/Core>

#include <complex>

namespace featurescope {

/// frame[i] = double(x[i]) * window[i] for i in [0, n).
void multiplyWindow(const float* x, const double* window, double* frame, int n);

/// For each of `bins` float64 bins: the bin rounded to complex64, stored in `rounded` unless it
/// is null, and that complex64 value's magnitude sqrt(re^2 + im^2) in float32 (what
/// complexMagnitudes computes), stored in `magnitude` unless it is null.
void roundSpectrum(const std::complex<double>* spectrum, Eigen::Index bins,
                   std::complex<float>* rounded, float* magnitude);

} // namespace featurescope
