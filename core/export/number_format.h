// The one place numbers become text and text becomes numbers. Every number Featurescope writes —
// CSV, JSON, Python text, crop text, file names, stage keys, messages — is formatted here with
// std::to_chars, and every number it reads back is parsed with std::from_chars. Neither looks at
// the C locale. That matters because a Qt application sets the C locale from LANG / LC_ALL at
// start-up (QCoreApplication calls setlocale(LC_ALL, "")): under de_DE.UTF-8, printf's %g and
// strtod use a decimal comma, so "fmin": 32,703 is invalid JSON, "start:9,44:29,12" is a tuple in
// Python and two fields in a CSV, and strtod("0.5") reads 0.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace featurescope {

/// `value` as printf's %.<significant>g writes it in the "C" locale: "1.5", "0.100000001",
/// "1e-20"; "nan", "inf" and "-inf" for the non-finite (pandas and NumPy read them).
/// significant = 9 (the CSV default) reads every float32 back exactly, 17 every double.
std::string formatNumber(double value, int significant = 9);

/// The shortest text that reads back as exactly `value`, the digits Python's repr prints:
/// "0.1", "32.70319566257483", "22050", "1e-10"; "nan", "inf", "-inf" for the non-finite.
std::string formatShortest(double value);

/// printf's %.<decimals>f in the "C" locale: formatFixed(12.345, 1) == "12.3".
std::string formatFixed(double value, int decimals);

/// A JSON number: formatShortest(value), or null for NaN and the infinities (JSON has neither).
std::string jsonNumber(double value);

/// A Python float literal that reads back as exactly `value`: formatShortest with ".0" when it
/// would read as an int ("22050.0"); float('nan'), float('inf') and -float('inf').
std::string pythonFloat(double value);

/// The number `text` holds as these functions write it ('.' decimal, optional exponent, "nan",
/// "inf", "-inf"), whatever the C locale; the whole text must be the number, without spaces.
/// std::nullopt otherwise (empty, "1,5", "12abc").
std::optional<double> parseNumber(std::string_view text);

} // namespace featurescope
