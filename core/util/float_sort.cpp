#include "core/util/float_sort.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace featurescope {

void radixSortFloats(std::vector<float>& values) {
    const std::size_t n = values.size();
    std::vector<std::uint32_t> keys(n), scratch(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &values[i], sizeof bits);
        keys[i] = bits & 0x80000000u ? ~bits : bits | 0x80000000u;
    }
    for (int shift = 0; shift < 33; shift += 11) {
        std::array<std::size_t, 2049> count{};
        for (const std::uint32_t key : keys)
            ++count[((key >> shift) & 0x7ffu) + 1];
        for (std::size_t d = 1; d < count.size(); ++d)
            count[d] += count[d - 1];
        for (const std::uint32_t key : keys)
            scratch[count[(key >> shift) & 0x7ffu]++] = key;
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t key = keys[i];
        const std::uint32_t bits = key & 0x80000000u ? key & 0x7fffffffu : ~key;
        std::memcpy(&values[i], &bits, sizeof bits);
    }
}

} // namespace featurescope
