#include "core/spectral.h"

#include "core/stft.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

using Column = Eigen::ArrayXXf::ConstColXpr;

void validateSpectrogram(const Eigen::ArrayXXf& S, const char* feature) {
    if (S.size() == 0) return;
    if (!S.allFinite())
        throw std::invalid_argument(std::string(feature) + " is only defined for finite input");
    if (S.minCoeff() < 0.0f)
        throw std::invalid_argument(std::string(feature) +
                                    " is only defined with non-negative energies");
}

// Bin centre frequencies, with n_fft inferred from the bin count as librosa's _spectrogram does.
Eigen::ArrayXd binFrequencies(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + std::to_string(sr));
    const int n = n_fft / 2 + 1 == S.rows() ? n_fft : int(2 * (S.rows() - 1));
    if (n <= 0)
        throw std::invalid_argument("S must have at least 2 frequency bins, got " +
                                    std::to_string(S.rows()));
    return fftFrequencies(sr, n);
}

// librosa.util.normalize(S, norm=1) divides each frame by its L1 norm, except frames whose norm
// is below the smallest normal float32 (silence): those are left as they are.
double l1Length(const Column& s) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < s.size(); ++k)
        sum += double(s[k]);
    return sum < double(std::numeric_limits<float>::min()) ? 1.0 : sum;
}

double centroidOf(const Column& s, const Eigen::ArrayXd& freq, double length) {
    double sum = 0.0;
    for (Eigen::Index k = 0; k < s.size(); ++k)
        sum += freq[k] * double(s[k]);
    return sum / length;
}

double bandwidthOf(const Column& s, const Eigen::ArrayXd& freq, double centroid, double length,
                   double p) {
    double sum = 0.0;
    if (p == 2.0) {
        for (Eigen::Index k = 0; k < s.size(); ++k) {
            const double d = freq[k] - centroid;
            sum += double(s[k]) * d * d;
        }
        return std::sqrt(sum / length);
    }
    for (Eigen::Index k = 0; k < s.size(); ++k)
        sum += double(s[k]) * std::pow(std::abs(freq[k] - centroid), p);
    return std::pow(sum / length, 1.0 / p);
}

// librosa compares a float32 running sum (np.cumsum, sequential) with roll_percent times its
// last value, both in float32; the same order of additions picks the same bin at a tie.
double rolloffOf(const Column& s, const Eigen::ArrayXd& freq, float roll_percent) {
    float total = 0.0f;
    for (Eigen::Index k = 0; k < s.size(); ++k)
        total += s[k];
    const float threshold = roll_percent * total;
    float cumulative = 0.0f;
    for (Eigen::Index k = 0; k < s.size(); ++k) {
        cumulative += s[k];
        if (!(cumulative < threshold)) return freq[k];
    }
    return freq[freq.size() - 1];
}

// `buffer` is scratch space of the column's length (reused across frames to avoid allocations).
double flatnessOf(const Column& s, double power, float amin, Eigen::ArrayXf& buffer) {
    if (power == 2.0)
        buffer = s.square().max(amin);
    else if (power == 1.0)
        buffer = s.max(amin);
    else
        buffer = s.pow(float(power)).max(amin);
    double arithmetic = 0.0;
    for (Eigen::Index k = 0; k < buffer.size(); ++k)
        arithmetic += double(buffer[k]);
    buffer = buffer.log();
    double logs = 0.0;
    for (Eigen::Index k = 0; k < buffer.size(); ++k)
        logs += double(buffer[k]);
    const double n = double(buffer.size());
    return std::exp(logs / n) / (arithmetic / n);
}

void validateFlatness(double power, double amin) {
    if (!(amin > 0)) throw std::invalid_argument("amin must be strictly positive");
    if (!(power > 0)) throw std::invalid_argument("power must be > 0");
}

} // namespace

Eigen::ArrayXXf spectralCentroid(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral centroid");
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        out(0, t) = float(centroidOf(S.col(t), freq, l1Length(S.col(t))));
    return out;
}

Eigen::ArrayXXf spectralBandwidth(const Eigen::ArrayXXf& S, double sr,
                                  const SpectralBandwidthParams& params, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral bandwidth");
    if (!(params.p > 0)) throw std::invalid_argument("p must be > 0");
    if (params.centroid && (params.centroid->rows() != 1 || params.centroid->cols() != S.cols()))
        throw std::invalid_argument("centroid must have shape (1, t) with t the frames of S");
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        const double length = l1Length(S.col(t));
        const double centroid =
            params.centroid ? double((*params.centroid)(0, t)) : centroidOf(S.col(t), freq, length);
        out(0, t) =
            float(bandwidthOf(S.col(t), freq, centroid, params.norm ? length : 1.0, params.p));
    }
    return out;
}

Eigen::ArrayXXf spectralRolloff(const Eigen::ArrayXXf& S, double sr, double roll_percent,
                                int n_fft) {
    if (!(roll_percent > 0.0 && roll_percent < 1.0))
        throw std::invalid_argument("roll_percent must lie in the range (0, 1), got " +
                                    std::to_string(roll_percent));
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "spectral rolloff");
    Eigen::ArrayXXf out(1, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        out(0, t) = float(rolloffOf(S.col(t), freq, float(roll_percent)));
    return out;
}

Eigen::ArrayXXf spectralFlatness(const Eigen::ArrayXXf& S, double power, double amin) {
    validateFlatness(power, amin);
    validateSpectrogram(S, "spectral flatness");
    Eigen::ArrayXXf out(1, S.cols());
    Eigen::ArrayXf buffer(S.rows());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        out(0, t) = float(flatnessOf(S.col(t), power, float(amin), buffer));
    return out;
}

SpectralShape spectralShape(const Eigen::ArrayXXf& S, double sr, int n_fft) {
    const Eigen::ArrayXd freq = binFrequencies(S, sr, n_fft);
    validateSpectrogram(S, "the spectral shape");
    SpectralShape shape{Eigen::ArrayXXf(1, S.cols()), Eigen::ArrayXXf(1, S.cols()),
                        Eigen::ArrayXXf(1, S.cols()), Eigen::ArrayXXf(1, S.cols())};
    Eigen::ArrayXf buffer(S.rows());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        const Column s = S.col(t);
        const double length = l1Length(s);
        const double centroid = centroidOf(s, freq, length);
        shape.centroid(0, t) = float(centroid);
        shape.bandwidth(0, t) = float(bandwidthOf(s, freq, centroid, length, 2.0));
        shape.rolloff(0, t) = float(rolloffOf(s, freq, 0.85f));
        shape.flatness(0, t) = float(flatnessOf(s, 2.0, 1e-10f, buffer));
    }
    return shape;
}

} // namespace featurescope
