// Delta features (local derivative estimates), librosa.feature.delta.
//
// Savitzky, A. and Golay, M. J. E. "Smoothing and differentiation of data by simplified least
// squares procedures." Analytical Chemistry 36(8), 1964. librosa calls
// scipy.signal.savgol_filter(data, width, polyorder=order, deriv=order, mode='interp').
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// Parameters of `delta`, named as in librosa.feature.delta.
struct DeltaParams {
    /// width : odd int >= 3, and <= the number of frames (mode 'interp'). The number of frames
    /// the derivative is fitted over. The default is 9.
    int width = 9;
    /// order : int > 0, and < width. The derivative order (2 gives delta-delta). The default is 1.
    int order = 1;
};

/// librosa.feature.delta(data, width, order, axis=-1, mode='interp'): the order-th derivative,
/// along time, of a least-squares polynomial of degree `order` fitted over `width` frames. In
/// 'interp' mode (the only one offered) the first and last width // 2 frames take the value of the
/// polynomial fitted to the first / last `width` frames, so no padding is invented.
/// data [shape=(d, t)]; returns [shape=(d, t)]. Throws std::invalid_argument stating the rule.
Eigen::ArrayXXf delta(const Eigen::ArrayXXf& data, const DeltaParams& params = {});

} // namespace featurescope
