#include "core/export/number_format.h"

#include <charconv>
#include <cmath>

namespace featurescope {

namespace {

std::string nonFinite(double value) {
    if (std::isnan(value)) return "nan";
    return value > 0 ? "inf" : "-inf";
}

template <typename... Format> std::string chars(double value, Format... format) {
    if (!std::isfinite(value)) return nonFinite(value);
    // The longest %.17g or shortest form is 24 characters ("-2.2250738585072014e-308"); %.Nf of
    // a large value can reach 309 digits plus the decimals.
    char buffer[400];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, format...);
    if (error != std::errc{}) return formatNumber(value, 17); // only %.Nf of a huge N
    return std::string(buffer, end);
}

} // namespace

std::string formatNumber(double value, int significant) {
    return chars(value, std::chars_format::general, significant);
}

std::string formatShortest(double value) {
    return chars(value);
}

std::string formatFixed(double value, int decimals) {
    return chars(value, std::chars_format::fixed, decimals);
}

std::string jsonNumber(double value) {
    return std::isfinite(value) ? formatShortest(value) : "null";
}

std::string pythonFloat(double value) {
    if (std::isnan(value)) return "float('nan')";
    if (std::isinf(value)) return value > 0 ? "float('inf')" : "-float('inf')";
    std::string text = formatShortest(value);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

std::optional<double> parseNumber(std::string_view text) {
    double value = 0.0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end) return std::nullopt;
    return value;
}

} // namespace featurescope
