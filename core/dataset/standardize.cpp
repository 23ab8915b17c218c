#include "core/dataset/standardize.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace featurescope {

Scaler fitScaler(const Eigen::ArrayXXd& table, std::vector<std::string> columns) {
    if (table.rows() < 1) throw std::invalid_argument("fitScaler needs at least one row");
    if (static_cast<Eigen::Index>(columns.size()) != table.cols())
        throw std::invalid_argument("fitScaler needs one name per column");
    Scaler scaler;
    scaler.columns = std::move(columns);
    scaler.mean.resize(table.cols());
    scaler.std.resize(table.cols());
    constexpr double eps = std::numeric_limits<double>::epsilon();
    for (Eigen::Index c = 0; c < table.cols(); ++c) {
        // StandardScaler ignores NaN (a value a track could not give): the column's other values
        // make its mean and std; a column of NaN only has NaN for both.
        std::vector<double> values;
        for (const double value : table.col(c))
            if (!std::isnan(value)) values.push_back(value);
        const Eigen::Map<const Eigen::ArrayXd> x(values.data(),
                                                 static_cast<Eigen::Index>(values.size()));
        const auto n = static_cast<double>(values.size());
        const double mean = x.sum() / n;
        // Its corrected two-pass variance (Chan, Golub and LeVeque), and its test for a column
        // constant up to rounding: the mean of three equal values is not always that value,
        // and dividing by the std of that rounding (1e-14) would blow the z-scores up to 1e14
        // where StandardScaler scales by 1.
        const Eigen::ArrayXd centred = x - mean;
        const double correction = centred.sum();
        const double var = (centred.square().sum() - correction * correction / n) / n;
        const double bound = n * eps * var + std::pow(n * mean * eps, 2);
        scaler.mean[c] = mean;
        scaler.std[c] = var <= bound ? 1.0 : std::sqrt(var);
    }
    return scaler;
}

Eigen::ArrayXXd standardize(const Eigen::ArrayXXd& table, const Scaler& scaler) {
    if (table.cols() != scaler.mean.size())
        throw std::invalid_argument("standardize: the table has " + std::to_string(table.cols()) +
                                    " columns, the scaler " + std::to_string(scaler.mean.size()));
    return (table.rowwise() - scaler.mean.transpose()).rowwise() / scaler.std.transpose();
}

std::string scalerCsv(const Scaler& scaler) {
    std::string text = "column,mean,std\n";
    char buffer[32];
    const auto number = [&](double value) {
        // %.17g, the same in every locale: reading it back gives the same double.
        if (std::isnan(value)) return std::string("nan"); // not "-nan" for 0/0
        const auto end =
            std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 17)
                .ptr;
        return std::string(buffer, end);
    };
    for (std::size_t i = 0; i < scaler.columns.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        text +=
            scaler.columns[i] + "," + number(scaler.mean[k]) + "," + number(scaler.std[k]) + "\n";
    }
    return text;
}

Scaler readScaler(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path.string() + ": cannot open the scaler");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line != "column,mean,std")
        throw std::runtime_error(path.string() + ": line 1 must be column,mean,std");
    std::vector<std::string> names;
    std::vector<double> means, stds;
    for (int number = 2; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const auto broken = [&] {
            return std::runtime_error(path.string() + ": line " + std::to_string(number) +
                                      " must be column,mean,std with numbers, std > 0 (or nan)");
        };
        const auto last = line.rfind(',');
        const auto middle = last == std::string::npos ? last : line.rfind(',', last - 1);
        if (middle == std::string::npos || middle == 0) throw broken();
        const auto read = [&](std::size_t from, std::size_t to) {
            double value = 0.0;
            const auto [ptr, ec] = std::from_chars(line.data() + from, line.data() + to, value);
            if (ec != std::errc{} || ptr != line.data() + to || from == to) throw broken();
            return value;
        };
        names.push_back(line.substr(0, middle));
        means.push_back(read(middle + 1, last));
        stds.push_back(read(last + 1, line.size()));
        if (stds.back() <= 0.0) throw broken(); // NaN: a column without values
    }
    Scaler scaler;
    scaler.columns = std::move(names);
    scaler.mean = Eigen::Map<Eigen::ArrayXd>(means.data(), static_cast<Eigen::Index>(means.size()));
    scaler.std = Eigen::Map<Eigen::ArrayXd>(stds.data(), static_cast<Eigen::Index>(stds.size()));
    return scaler;
}

} // namespace featurescope
