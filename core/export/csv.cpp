#include "core/export/csv.h"

#include <cmath>
#include <stdexcept>

namespace featurescope {

std::string csvField(std::string_view text) {
    const bool quote = text.find_first_of(",\"\n\r") != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) return std::string(text);
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::size_t utf8SequenceLength(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) {
        return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
    };
    const unsigned lead = byte(at);
    if (lead < 0x80) return at < text.size() ? 1 : 0;
    std::size_t length = 0;
    unsigned low = 0x80, high = 0xBF; // the range of the first continuation byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;  // no overlong forms
        if (lead == 0xED) high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F; // nothing beyond U+10FFFF
    } else {
        return 0;
    }
    if (byte(at + 1) < low || byte(at + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((byte(at + k) & 0xC0) != 0x80) return 0;
    return length;
}

std::string escapeName(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const auto isHex = [&](std::size_t i) {
        if (i >= bytes.size()) return false;
        const char c = bytes[i];
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    };
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t length = utf8SequenceLength(bytes, i);
        if (length == 0) {
            const auto byte = static_cast<unsigned char>(bytes[i++]);
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else if (bytes[i] == '%' && isHex(i + 1) && isHex(i + 2)) {
            out += "%25"; // else unquote would read the literal "%41" as "A"
            ++i;
        } else {
            out.append(bytes.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::vector<std::vector<std::string>> parseCsv(std::string_view text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = any = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            field.clear();
            row.clear();
            any = false;
        } else {
            field += c;
            any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string frameTableCsv(const Analysis& analysis) {
    const FeatureCurves& curves = analysis.curves();
    std::string text = "time_s";
    for (const auto& name : curves.names)
        text += "," + csvField(name);
    text += '\n';
    const Crop& crop = analysis.crop();
    const double seconds_per_frame = analysis.settings().hop_length / analysis.sr();
    const Eigen::Index end = std::min(crop.start_frame + crop.n_frames, curves.values.cols());
    for (Eigen::Index t = crop.start_frame; t < end; ++t) {
        text += formatNumber(static_cast<double>(t) * seconds_per_frame);
        for (Eigen::Index f = 0; f < curves.values.rows(); ++f) {
            text += ',';
            text += formatNumber(curves.values(f, t));
        }
        text += '\n';
    }
    return text;
}

SummaryRow summaryRow(const Analysis& analysis, std::string path, std::string label) {
    SummaryRow row;
    row.path = std::move(path);
    row.label = std::move(label);
    row.duration_s = analysis.trackDuration();
    row.crop_start_s = analysis.crop().start_s;
    row.crop_start_sample = analysis.crop().start_sample;
    row.crop_duration_s = analysis.crop().duration_s;
    row.tempo_bpm = analysis.settings().features.tempo ? analysis.tempo() : NAN;
    row.summary = summarize(analysis);
    return row;
}

std::vector<std::string> summaryColumns(const Summary& summary) {
    std::vector<std::string> columns{"path",
                                     "label",
                                     "duration_s",
                                     "crop_start_s",
                                     "crop_start_sample",
                                     "crop_duration_s",
                                     "tempo_bpm"};
    columns.insert(columns.end(), summary.names.begin(), summary.names.end());
    return columns;
}

std::string summaryLine(const SummaryRow& row) {
    std::string line = csvField(row.path) + "," + csvField(row.label) + "," +
                       formatNumber(row.duration_s) + "," + formatNumber(row.crop_start_s) + "," +
                       std::to_string(row.crop_start_sample) + "," +
                       formatNumber(row.crop_duration_s) + "," + formatNumber(row.tempo_bpm);
    for (const double value : row.summary.values)
        line += "," + formatNumber(value);
    return line + '\n';
}

std::string summaryCsv(const std::vector<SummaryRow>& rows) {
    if (rows.empty()) return {};
    std::string text;
    for (const auto& column : summaryColumns(rows.front().summary)) {
        if (!text.empty()) text += ',';
        text += csvField(column);
    }
    text += '\n';
    for (const auto& row : rows) {
        if (row.summary.names != rows.front().summary.names)
            throw std::invalid_argument("summaryCsv: " + row.path +
                                        " has other feature columns than " + rows.front().path);
        text += summaryLine(row);
    }
    return text;
}

} // namespace featurescope
