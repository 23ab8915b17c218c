// Standardisation: a z-score per column across a data set, with the scaler kept beside the table
// so that new tracks are scaled the same way later (sklearn.preprocessing.StandardScaler).
#pragma once

#include <Eigen/Core>

#include <filesystem>
#include <string>
#include <vector>

namespace featurescope {

/// Per-column mean and std (population, ddof=0, as StandardScaler's scale_); a column constant
/// up to rounding (StandardScaler's test on its variance) is scaled by 1, as StandardScaler
/// does, so it becomes zeros rather than rounding noise blown up. NaN values are left out of the
/// fit, as StandardScaler leaves them; a column of NaN only has mean and std NaN.
struct Scaler {
    std::vector<std::string> columns;
    Eigen::ArrayXd mean;
    Eigen::ArrayXd std;
};

/// Fits a scaler to `table` [shape=(n_tracks, n_columns)], n_tracks >= 1; `columns` names its
/// columns (size n_columns). Throws std::invalid_argument otherwise.
Scaler fitScaler(const Eigen::ArrayXXd& table, std::vector<std::string> columns);

/// (table - mean) / std, column by column. Throws std::invalid_argument when the column counts
/// differ.
Eigen::ArrayXXd standardize(const Eigen::ArrayXXd& table, const Scaler& scaler);

/// The scaler as CSV: header "column,mean,std", then one row per column (%.17g, so that reading it
/// back gives the same doubles).
std::string scalerCsv(const Scaler& scaler);
/// Reads scalerCsv's format (std > 0, or nan). Throws std::runtime_error naming the file and the
/// line.
Scaler readScaler(const std::filesystem::path& path);

} // namespace featurescope
