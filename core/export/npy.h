// NumPy .npy files (format version 1.0), the interchange format for spectrograms.
#pragma once

#include <Eigen/Core>

#include <filesystem>
#include <stdexcept>

namespace featurescope {

/// Raised when a .npy file cannot be read or written; `what()` names the file and the reason.
class NpyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads a float32 or float64 array of up to two dimensions, C or Fortran order, into librosa's
/// orientation: a 2-D array keeps its shape, a 1-D array of n becomes 1 x n, a scalar 1 x 1.
Eigen::ArrayXXf readNpy(const std::filesystem::path& path);

/// The bytes of a .npy file (version 1.0, '<f4', C order, shape (rows, cols)); the header is
/// padded with spaces so the data starts on a 64-byte boundary, as NumPy writes it.
std::string npyBytes(const Eigen::ArrayXXf& matrix);

/// Writes `matrix` as float32 .npy of shape (rows, cols), atomically (a temporary file renamed
/// into place, see writeFileAtomically).
void writeNpy(const std::filesystem::path& path, const Eigen::ArrayXXf& matrix);

} // namespace featurescope
