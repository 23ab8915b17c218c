#include "core/crop/crop.h"

#include "core/crop/highlight.h"
#include "core/export/number_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

const char* const kForms =
    "crop must be none, center:D, start:T:D, highlight:D or highlight:D@A-B (seconds)";

double number(std::string_view text) {
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || text.empty() || !std::isfinite(value))
        throw std::invalid_argument(std::string(kForms) + "; '" + std::string(text) +
                                    "' is not a finite number");
    return value;
}

/// %.9g, the same in every locale.
std::string g9(double value) {
    return formatNumber(value, 9);
}

Eigen::Index floorDiv(Eigen::Index a, Eigen::Index b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

} // namespace

CropPolicy CropPolicy::parse(std::string_view text) {
    CropPolicy policy;
    const auto colon = text.find(':');
    const auto kind = text.substr(0, colon);
    const auto rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    if (kind == "none" && colon == std::string_view::npos) {
        policy.kind = Kind::none;
    } else if (kind == "center" || kind == "centre") {
        policy.kind = Kind::center;
        policy.duration = number(rest);
    } else if (kind == "start") {
        policy.kind = Kind::start;
        const auto second = rest.find(':');
        if (second == std::string_view::npos) throw std::invalid_argument(kForms);
        policy.start = number(rest.substr(0, second));
        policy.duration = number(rest.substr(second + 1));
    } else if (kind == "highlight") {
        policy.kind = Kind::highlight;
        const auto at = rest.find('@');
        policy.duration = number(rest.substr(0, at));
        if (at != std::string_view::npos) {
            const auto range = rest.substr(at + 1);
            const auto dash = range.find('-', 1);
            if (dash == std::string_view::npos) throw std::invalid_argument(kForms);
            policy.search_from = number(range.substr(0, dash));
            policy.search_to = number(range.substr(dash + 1));
        }
    } else {
        throw std::invalid_argument(std::string(kForms) + ", not '" + std::string(text) + "'");
    }
    policy.validate();
    return policy;
}

std::string CropPolicy::toString() const {
    switch (kind) {
    case Kind::center:
        return std::string("center:") + g9(duration);
    case Kind::start:
        return std::string("start:") + g9(start) + ":" + g9(duration);
    case Kind::highlight: {
        std::string text = std::string("highlight:") + g9(duration);
        if (search_from || search_to)
            text += std::string("@") + g9(search_from.value_or(0.0)) + "-" +
                    g9(search_to.value_or(kMaxSeconds));
        return text;
    }
    case Kind::none:
        break;
    }
    return "none";
}

void CropPolicy::validate() const {
    if (kind == Kind::none) return;
    // Every time is finite and at most kMaxSeconds, so that sample counts (seconds * sr, sr <=
    // 768 kHz) stay far inside 64 bits: 1e15 s would overflow them.
    const auto within = [](double seconds) { return seconds <= kMaxSeconds; };
    if (!(duration > 0.0 && within(duration)))
        throw std::invalid_argument("crop duration must be > 0 and <= " + g9(kMaxSeconds) +
                                    " seconds (24 h), got " + g9(duration));
    if (kind == Kind::start && !(start >= 0.0 && within(start)))
        throw std::invalid_argument("crop start must be >= 0 and <= " + g9(kMaxSeconds) +
                                    " seconds (24 h), got " + g9(start));
    const char* const range = "highlight search range A-B needs 0 <= A <= B <= 86400 seconds";
    if (search_from && !(*search_from >= 0.0 && within(*search_from)))
        throw std::invalid_argument(range);
    if (search_to && !(*search_to >= 0.0 && within(*search_to))) throw std::invalid_argument(range);
    if (search_from && search_to && !(*search_from <= *search_to))
        throw std::invalid_argument(range);
}

Crop chooseCrop(const CropPolicy& policy, const Eigen::ArrayXf& y, double sr, int hop_length,
                int frame_length, Eigen::Index n_frames) {
    policy.validate();
    if (!(sr > 0.0)) throw std::invalid_argument("sr must be > 0");
    if (hop_length <= 0) throw std::invalid_argument("hop_length must be > 0");
    // Sample counts as doubles stay exact below 2^53; validate() keeps them far below for any
    // audio rate, this guards a caller's other sr.
    constexpr double kMaxSamples = 9007199254740992.0;
    if (!(policy.duration * sr < kMaxSamples && policy.start * sr < kMaxSamples))
        throw std::invalid_argument("the crop does not fit in a sample count at sr " + g9(sr));
    Crop crop;
    crop.policy = policy;
    const Eigen::Index length = y.size();
    // int(D * sr), as Keras's audio_conv_utils computes its crop length.
    const auto wanted = static_cast<Eigen::Index>(policy.duration * sr);
    switch (policy.kind) {
    case CropPolicy::Kind::none:
        crop.n_samples = length;
        break;
    case CropPolicy::Kind::center:
        // Keras: the centre when longer; when shorter, the track then zeros at the end.
        crop.n_samples = wanted;
        crop.start_sample = length > wanted ? (length - wanted) / 2 : 0;
        break;
    case CropPolicy::Kind::start:
        crop.n_samples = wanted;
        // Half to even (the default rounding mode), as Python's round(T * sr) in the sidecar.
        crop.start_sample = static_cast<Eigen::Index>(std::nearbyint(policy.start * sr));
        break;
    case CropPolicy::Kind::highlight: {
        HighlightParams params;
        params.seconds = policy.duration;
        params.hop_length = hop_length;
        params.frame_length = frame_length;
        params.search_from = policy.search_from;
        params.search_to = policy.search_to;
        const Highlight highlight = findHighlight(y, sr, params);
        crop.n_samples = wanted;
        crop.start_sample = highlight.start_frame * hop_length;
        break;
    }
    }
    crop.start_s = static_cast<double>(crop.start_sample) / sr;
    crop.duration_s = static_cast<double>(crop.n_samples) / sr;
    // Frames whose centre t * hop lies in [start, start + n]: the frames librosa would return
    // for the cropped signal itself.
    const Eigen::Index first = -floorDiv(-crop.start_sample, hop_length);
    const Eigen::Index last = floorDiv(crop.start_sample + crop.n_samples, hop_length);
    const Eigen::Index begin = std::clamp<Eigen::Index>(first, 0, n_frames);
    const Eigen::Index end = std::clamp<Eigen::Index>(last + 1, begin, n_frames);
    crop.start_frame = begin;
    crop.n_frames = end - begin;
    return crop;
}

Eigen::ArrayXf cropSignal(const Eigen::ArrayXf& y, const Crop& crop) {
    Eigen::ArrayXf out = Eigen::ArrayXf::Zero(crop.n_samples);
    const Eigen::Index begin = std::max<Eigen::Index>(crop.start_sample, 0);
    const Eigen::Index end = std::min<Eigen::Index>(crop.start_sample + crop.n_samples, y.size());
    if (end > begin)
        out.segment(begin - crop.start_sample, end - begin) = y.segment(begin, end - begin);
    return out;
}

} // namespace featurescope
