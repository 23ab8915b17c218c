#include "core/pipeline/routing.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace featurescope {

namespace {

using Field = Signal Routing::*;
constexpr std::array<std::pair<std::string_view, Field>, 9> kFields{{
    {"spectral", &Routing::spectral},
    {"spectral_contrast", &Routing::spectral_contrast},
    {"mfcc", &Routing::mfcc},
    {"rms", &Routing::rms},
    {"zcr", &Routing::zcr},
    {"chroma_stft", &Routing::chroma_stft},
    {"chroma_cqt", &Routing::chroma_cqt},
    {"tonnetz", &Routing::tonnetz},
    {"rhythm", &Routing::rhythm},
}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string_view signalName(Signal signal) {
    switch (signal) {
    case Signal::harmonic:
        return "harmonic";
    case Signal::percussive:
        return "percussive";
    case Signal::original:
        break;
    }
    return "original";
}

Signal parseSignal(std::string_view name) {
    name = trim(name);
    if (name == "original" || name == "y") return Signal::original;
    if (name == "harmonic" || name == "h") return Signal::harmonic;
    if (name == "percussive" || name == "p") return Signal::percussive;
    throw std::invalid_argument("signal must be original, harmonic or percussive, not '" +
                                std::string(name) + "'");
}

Routing Routing::all(Signal signal) {
    Routing routing;
    for (const auto& [name, field] : kFields)
        routing.*field = signal;
    return routing;
}

std::string Routing::toString() const {
    std::string text;
    for (const auto& [name, field] : kFields) {
        if (!text.empty()) text += ',';
        text += name;
        text += '=';
        text += signalName(this->*field);
    }
    return text;
}

Routing Routing::parse(std::string_view text) {
    Routing routing;
    while (!trim(text).empty()) {
        const auto comma = text.find(',');
        const auto pair = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos)
            throw std::invalid_argument("routing entries are feature=signal, not '" +
                                        std::string(pair) + "'");
        const auto feature = trim(pair.substr(0, eq));
        const Signal signal = parseSignal(pair.substr(eq + 1));
        if (feature == "all") {
            routing = all(signal);
            continue;
        }
        bool known = false;
        for (const auto& [name, field] : kFields)
            if (name == feature) {
                routing.*field = signal;
                known = true;
            }
        if (!known)
            throw std::invalid_argument(
                "routing feature must be one of spectral, spectral_contrast, mfcc, rms, zcr, "
                "chroma_stft, chroma_cqt, tonnetz, rhythm, all; not '" +
                std::string(feature) + "'");
    }
    return routing;
}

} // namespace featurescope
