#include "known_deviations.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace parity {

std::map<std::string, KnownDeviation> readKnownDeviations(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + ": cannot read the known deviations");
    std::map<std::string, KnownDeviation> entries;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, frames;
        fields >> name >> frames;
        KnownDeviation entry;
        std::getline(fields >> std::ws, entry.reason);
        const auto bad = [&](const std::string& why) {
            return std::runtime_error(file.string() + ":" + std::to_string(number) + ": " + why);
        };
        if (name.empty() || frames.empty() || entry.reason.empty())
            throw bad("an entry is OUTPUT FRAME[,FRAME...] REASON");
        std::size_t begin = 0;
        while (begin <= frames.size()) {
            const std::size_t end = std::min(frames.find(',', begin), frames.size());
            long frame = -1;
            const auto [ptr, ec] =
                std::from_chars(frames.data() + begin, frames.data() + end, frame);
            if (ec != std::errc{} || ptr != frames.data() + end || frame < 0)
                throw bad("'" + frames + "' is not a list of frame numbers");
            entry.frames.insert(frame);
            begin = end + 1;
        }
        if (!entries.emplace(name, std::move(entry)).second) throw bad(name + " is listed twice");
    }
    return entries;
}

} // namespace parity
