// Decibel conversions: librosa.power_to_db and librosa.amplitude_to_db.
#pragma once

#include <Eigen/Core>

#include <optional>

namespace featurescope {

/// The reference of a dB conversion, librosa's `ref`: either a fixed value (the default,
/// `ref=1.0`; its absolute value is used) or the maximum of the input (`ref=np.max`), so that the
/// loudest cell becomes 0 dB.
struct DbRef {
    /// the fixed reference (used when `use_max` is false). The default is 1.0.
    double value = 1.0;
    /// use the maximum of the input instead of `value` (librosa's `ref=np.max`).
    bool use_max = false;

    static DbRef max() { return DbRef{1.0, true}; }
    static DbRef fixed(double value) { return DbRef{value, false}; }
};

/// Parameters of `powerToDb`, named as in librosa.power_to_db.
struct PowerToDbParams {
    /// reference power: 10 * log10(S / ref). The default is 1.0.
    DbRef ref{};
    /// amin : float > 0. Floor applied to S and to ref before the logarithm. The default is 1e-10
    /// (-100 dB).
    double amin = 1e-10;
    /// top_db : float >= 0 or none. The output is clipped to `max(output) - top_db`.
    /// The default is 80.
    std::optional<double> top_db = 80.0;
};

/// Parameters of `amplitudeToDb`, named as in librosa.amplitude_to_db.
struct AmplitudeToDbParams {
    /// reference amplitude: 20 * log10(S / ref). The default is 1.0.
    DbRef ref{};
    /// amin : float > 0. Floor applied to |S| and to ref. The default is 1e-5 (-100 dB).
    double amin = 1e-5;
    /// top_db : float >= 0 or none. As in PowerToDbParams. The default is 80.
    std::optional<double> top_db = 80.0;
};

/// librosa.power_to_db(S, ref, amin, top_db): 10 * log10(max(amin, S)) - 10 * log10(max(amin,
/// ref)), then floored at `max - top_db`. S is a power (squared magnitude) spectrogram
/// [shape=(d, t)]; returns [shape=(d, t)] in dB. Throws std::invalid_argument when amin <= 0 or
/// top_db < 0.
Eigen::ArrayXXf powerToDb(const Eigen::ArrayXXf& S, const PowerToDbParams& params = {});

/// In-place form of `powerToDb`, for callers that own a spectrogram they no longer need.
void powerToDbInPlace(Eigen::ArrayXXf& S, const PowerToDbParams& params = {});

/// librosa.amplitude_to_db(S, ref, amin, top_db): power_to_db(|S|^2, ref^2, amin^2, top_db), i.e.
/// 20 * log10(S / ref). S is a magnitude spectrogram [shape=(d, t)]; returns [shape=(d, t)].
/// Throws std::invalid_argument when amin <= 0 or top_db < 0.
Eigen::ArrayXXf amplitudeToDb(const Eigen::ArrayXXf& S, const AmplitudeToDbParams& params = {});

} // namespace featurescope
