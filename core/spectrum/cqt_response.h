// One octave's filter response: librosa's __cqt_response, i.e. stft(y, n_fft, hop_length,
// window='ones', pad_mode='constant') followed by fft_basis.dot(D), without materialising D.
#pragma once

#include "core/spectrum/cqt_filters.h"

#include <Eigen/Core>

namespace featurescope {

/// Where an octave's responses go: rows first_row .. first_row + bank.rows() - 1 of columns
/// first_frame .. n_frames - 1 of exactly one of `complex_out` or `magnitude_out` (the other is
/// null). Splitting an octave's frames over several targets lets threads share it.
struct CqtResponseTarget {
    Eigen::ArrayXXcf* complex_out = nullptr;
    Eigen::ArrayXXf* magnitude_out = nullptr;
    Eigen::Index first_row = 0;
    Eigen::Index n_frames = 0;
    /// the first frame computed (0 <= first_frame <= n_frames). The default is 0.
    Eigen::Index first_frame = 0;
};

/// Frames of y (centred, n_fft/2 zeros of padding on both sides, rectangular window, hop
/// samples apart, hop > 0) are transformed and multiplied by the sparse basis; frame t fills
/// column t. Frames past the end of the padded signal are not requested by cqt (n_frames never
/// exceeds 1 + (len(y) + 2*(n_fft/2) - n_fft) / hop).
void cqtResponse(const Eigen::Map<const Eigen::ArrayXf>& y, const SparseFilterBank& bank, int hop,
                 const CqtResponseTarget& target);

} // namespace featurescope
