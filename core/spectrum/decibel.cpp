#include "core/spectrum/decibel.h"

#include "core/export/number_format.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

void validate(double amin, const std::optional<double>& top_db) {
    if (!(amin > 0.0))
        throw std::invalid_argument("amin must be strictly positive, got " + formatNumber(amin));
    if (top_db && !(*top_db >= 0.0))
        throw std::invalid_argument("top_db must be non-negative, got " + formatNumber(*top_db));
}

// 10 / ln(10): Eigen vectorises log but not log10, so 10 * log10(x) is computed as this times
// log(x); the two differ by an ulp or so (1e-5 dB), far inside librosa's tolerance.
constexpr float kDbPerNeper = 4.3429448190325182f;

// The dB conversion proper, on a power spectrogram, with the reference already resolved to a
// power value. librosa works in float32 here (the input's type), so do we.
void toDb(Eigen::ArrayXXf& S, double ref_power, double amin, const std::optional<double>& top_db) {
    const float floor = float(amin);
    const float offset = float(10.0 * std::log10(std::max(amin, std::abs(ref_power))));
    S = kDbPerNeper * S.max(floor).log() - offset;
    if (top_db && S.size() > 0) S = S.max(S.maxCoeff() - float(*top_db));
}

} // namespace

void powerToDbInPlace(Eigen::ArrayXXf& S, const PowerToDbParams& params) {
    validate(params.amin, params.top_db);
    const double ref =
        params.ref.use_max ? (S.size() > 0 ? double(S.maxCoeff()) : 0.0) : params.ref.value;
    toDb(S, ref, params.amin, params.top_db);
}

Eigen::ArrayXXf powerToDb(const Eigen::ArrayXXf& S, const PowerToDbParams& params) {
    Eigen::ArrayXXf out = S;
    powerToDbInPlace(out, params);
    return out;
}

Eigen::ArrayXXf amplitudeToDb(const Eigen::ArrayXXf& S, const AmplitudeToDbParams& params) {
    validate(params.amin, params.top_db);
    Eigen::ArrayXXf power = S.abs().square();
    // librosa squares the float32 maximum in float32 before using it as the power reference.
    float ref = params.ref.use_max ? (S.size() > 0 ? S.abs().maxCoeff() : 0.0f)
                                   : float(std::abs(params.ref.value));
    const double ref_power =
        params.ref.use_max ? double(ref * ref) : params.ref.value * params.ref.value;
    toDb(power, ref_power, params.amin * params.amin, params.top_db);
    return power;
}

} // namespace featurescope
