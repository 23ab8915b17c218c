#include "core/export/npy.h"

#include "core/export/atomic_file.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace featurescope {

namespace {

struct Header {
    std::string descr;
    bool fortran_order = false;
    std::vector<Eigen::Index> shape;
};

Header parseHeader(const std::string& text, const std::filesystem::path& path) {
    Header h;
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(R"('descr'\s*:\s*'([^']*)')")))
        throw NpyError(path.string() + ": .npy header has no 'descr'");
    h.descr = m[1];
    h.fortran_order = std::regex_search(text, std::regex(R"('fortran_order'\s*:\s*True)"));
    if (!std::regex_search(text, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw NpyError(path.string() + ": .npy header has no 'shape'");
    const std::string dims = m[1];
    const std::regex number(R"(\d+)");
    for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number);
         it != std::sregex_iterator(); ++it)
        h.shape.push_back(std::stoll(it->str()));
    return h;
}

} // namespace

Eigen::ArrayXXf readNpy(const std::filesystem::path& path) {
    static_assert(std::endian::native == std::endian::little);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NpyError(path.string() + ": cannot open");
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
        throw NpyError(path.string() + ": not a .npy file");
    uint32_t header_length = 0;
    if (magic[6] == 1) {
        uint16_t len16 = 0;
        in.read(reinterpret_cast<char*>(&len16), 2);
        header_length = len16;
    } else {
        in.read(reinterpret_cast<char*>(&header_length), 4);
    }
    std::string text(header_length, '\0');
    if (!in.read(text.data(), header_length)) throw NpyError(path.string() + ": truncated header");
    const Header h = parseHeader(text, path);
    if (h.shape.size() > 2)
        throw NpyError(path.string() + ": arrays of more than two dimensions are not supported");
    const Eigen::Index rows = h.shape.size() == 2 ? h.shape[0] : 1;
    const Eigen::Index cols = h.shape.empty() ? 1 : h.shape.back();
    const size_t count = size_t(rows * cols);

    std::vector<float> values(count);
    if (h.descr == "<f4") {
        in.read(reinterpret_cast<char*>(values.data()), std::streamsize(count * 4));
    } else if (h.descr == "<f8") {
        std::vector<double> wide(count);
        in.read(reinterpret_cast<char*>(wide.data()), std::streamsize(count * 8));
        for (size_t i = 0; i < count; ++i)
            values[i] = float(wide[i]);
    } else {
        throw NpyError(path.string() + ": unsupported dtype " + h.descr);
    }
    if (!in) throw NpyError(path.string() + ": truncated data");
    Eigen::ArrayXXf out(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c)
            out(r, c) =
                h.fortran_order ? values[size_t(c * rows + r)] : values[size_t(r * cols + c)];
    return out;
}

std::string npyBytes(const Eigen::ArrayXXf& matrix) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                         std::to_string(matrix.rows()) + ", " + std::to_string(matrix.cols()) +
                         "), }";
    // magic(6) + version(2) + length(2) + header + '\n' is a multiple of 64.
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    std::string bytes = "\x93NUMPY";
    bytes.push_back('\x01');
    bytes.push_back('\x00');
    const auto len = uint16_t(header.size());
    bytes.push_back(char(len & 0xff));
    bytes.push_back(char(len >> 8));
    bytes += header;
    const size_t data_at = bytes.size();
    bytes.resize(data_at + size_t(matrix.size()) * 4);
    // C order: row after row.
    const Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = matrix;
    std::memcpy(bytes.data() + data_at, row_major.data(), size_t(matrix.size()) * 4);
    return bytes;
}

void writeNpy(const std::filesystem::path& path, const Eigen::ArrayXXf& matrix) {
    writeFileAtomically(path, npyBytes(matrix));
}

} // namespace featurescope
