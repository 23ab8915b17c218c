#include "core/standardize.h"

#include "core/number_format.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace featurescope {

Scaler fitScaler(const Eigen::ArrayXXd& table, std::vector<std::string> columns) {
    if (table.rows() < 1) throw std::invalid_argument("fitScaler needs at least one row");
    if (static_cast<Eigen::Index>(columns.size()) != table.cols())
        throw std::invalid_argument("fitScaler needs one name per column");
    Scaler scaler;
    scaler.columns = std::move(columns);
    scaler.mean = table.colwise().mean().transpose();
    scaler.std =
        ((table.rowwise() - scaler.mean.transpose()).square().colwise().mean()).sqrt().transpose();
    for (Eigen::Index i = 0; i < scaler.std.size(); ++i)
        if (scaler.std[i] == 0.0) scaler.std[i] = 1.0;
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
    for (std::size_t i = 0; i < scaler.columns.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        text += scaler.columns[i] + "," + formatNumber(scaler.mean[k], 17) + "," +
                formatNumber(scaler.std[k], 17) + "\n";
    }
    return text;
}

Scaler readScaler(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path.string() + ": cannot open the scaler");
    std::string line;
    std::getline(in, line);
    if (line != "column,mean,std")
        throw std::runtime_error(path.string() + ": line 1 must be column,mean,std");
    std::vector<std::string> names;
    std::vector<double> means, stds;
    for (int number = 2; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::string name, mean, std;
        if (!std::getline(fields, name, ',') || !std::getline(fields, mean, ',') ||
            !std::getline(fields, std))
            throw std::runtime_error(path.string() + ": line " + std::to_string(number) +
                                     " must be column,mean,std");
        const auto m = parseNumber(mean), s = parseNumber(std);
        if (!m || !s)
            throw std::runtime_error(path.string() + ": line " + std::to_string(number) +
                                     ": mean and std must be numbers, got '" + mean + "' and '" +
                                     std + "'");
        names.push_back(name);
        means.push_back(*m);
        stds.push_back(*s);
    }
    Scaler scaler;
    scaler.columns = std::move(names);
    scaler.mean = Eigen::Map<Eigen::ArrayXd>(means.data(), static_cast<Eigen::Index>(means.size()));
    scaler.std = Eigen::Map<Eigen::ArrayXd>(stds.data(), static_cast<Eigen::Index>(stds.size()));
    return scaler;
}

} // namespace featurescope
