// Copying a block of floats transposed: the step between frame-major and bin-major layouts that
// several kernels need (the median filter's lanes, the CQT's response blocks).
#pragma once

#include <Eigen/Core>

namespace featurescope {

/// dst[c * dst_stride + r] = src[r * src_stride + c] for r < rows, c < cols. Whole 8 x 8 tiles go
/// through AVX2 registers where the processor has AVX2, the edges one float at a time; a copy
/// either way. The two blocks must not overlap.
void transposeBlock(const float* src, Eigen::Index src_stride, float* dst, Eigen::Index dst_stride,
                    Eigen::Index rows, Eigen::Index cols);

} // namespace featurescope
