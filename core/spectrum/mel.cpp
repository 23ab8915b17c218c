#include "core/spectrum/mel.h"

#include "core/util/cancellation.h"
#include "core/export/number_format.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace featurescope {

namespace {

// Slaney's scale: linear (200/3 Hz per mel) up to 1 kHz, then logarithmic with 27 steps per
// factor 6.4. The expressions follow librosa's so that the double results agree to the last bit.
constexpr double kFSp = 200.0 / 3;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;
const double kLogStep = std::log(6.4) / 27.0;

// numpy.linspace(start, stop, num), including its exact endpoint.
Eigen::ArrayXd linspace(double start, double stop, int num) {
    Eigen::ArrayXd out(num);
    if (num == 0) return out;
    if (num == 1) {
        out[0] = start;
        return out;
    }
    const double div = double(num - 1);
    const double delta = stop - start;
    const double step = delta / div;
    for (int i = 0; i < num; ++i)
        out[i] = (step == 0.0 ? double(i) / div * delta : double(i) * step) + start;
    out[num - 1] = stop;
    return out;
}

// librosa's _spectrogram rule: keep n_fft when it fits the bin count, else 2 * (bins - 1).
int inferNfft(Eigen::Index bins, int n_fft) {
    return n_fft / 2 + 1 == bins ? n_fft : int(2 * (bins - 1));
}

} // namespace

double hzToMel(double frequency, bool htk) {
    if (htk) return 2595.0 * std::log10(1.0 + frequency / 700.0);
    if (frequency >= kMinLogHz) return kMinLogMel + std::log(frequency / kMinLogHz) / kLogStep;
    return frequency / kFSp;
}

double melToHz(double mel, bool htk) {
    if (htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= kMinLogMel) return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
    return kFSp * mel;
}

Eigen::ArrayXd melFrequencies(int n_mels, double fmin, double fmax, bool htk) {
    if (n_mels < 0) throw std::invalid_argument("n_mels must be >= 0");
    Eigen::ArrayXd mels = linspace(hzToMel(fmin, htk), hzToMel(fmax, htk), n_mels);
    for (Eigen::Index i = 0; i < mels.size(); ++i)
        mels[i] = melToHz(mels[i], htk);
    return mels;
}

MelFilterBank melFilterBank(double sr, int n_fft, const MelParams& params) {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (n_fft <= 0) throw std::invalid_argument("n_fft must be > 0, got " + std::to_string(n_fft));
    if (params.n_mels <= 0)
        throw std::invalid_argument("n_mels must be > 0, got " + std::to_string(params.n_mels));
    const double fmax = params.fmax.value_or(sr / 2.0);
    if (!(params.fmin >= 0.0) || !(fmax >= 0.0))
        throw std::invalid_argument("fmin and fmax must be >= 0");
    if (!(params.fmin < fmax)) throw std::invalid_argument("fmin must be < fmax");

    const int n_mels = params.n_mels;
    const Eigen::ArrayXd fft_freqs = fftFrequencies(sr, n_fft);
    const Eigen::ArrayXd mel_f = melFrequencies(n_mels + 2, params.fmin, fmax, params.htk);
    const Eigen::Index n_bins = fft_freqs.size();

    MelFilterBank bank;
    bank.weights = Eigen::ArrayXXf::Zero(n_mels, n_bins);
    bank.first.assign(size_t(n_mels), 0);
    bank.last.assign(size_t(n_mels), 0);
    for (int m = 0; m < n_mels; ++m) {
        const double lower_width = mel_f[m + 1] - mel_f[m];
        const double upper_width = mel_f[m + 2] - mel_f[m + 1];
        // librosa stores the triangle in float32 first, then scales it (float64 product, cast
        // again); two roundings, reproduced here.
        const double enorm = params.norm == MelNorm::Slaney ? 2.0 / (mel_f[m + 2] - mel_f[m]) : 1.0;
        Eigen::Index first = -1, last = -1;
        for (Eigen::Index k = 0; k < n_bins; ++k) {
            const double lower = (fft_freqs[k] - mel_f[m]) / lower_width;
            const double upper = (mel_f[m + 2] - fft_freqs[k]) / upper_width;
            float w = float(std::max(0.0, std::min(lower, upper)));
            if (params.norm == MelNorm::Slaney) w = float(double(w) * enorm);
            if (w != 0.0f) {
                bank.weights(m, k) = w;
                if (first < 0) first = k;
                last = k + 1;
            }
        }
        if (first >= 0) {
            bank.first[size_t(m)] = first;
            bank.last[size_t(m)] = last;
        }
    }
    return bank;
}

Eigen::ArrayXXf applyMelFilterBank(const MelFilterBank& bank, const Eigen::ArrayXXf& S) {
    if (S.rows() != bank.nBins())
        throw std::invalid_argument("the spectrogram has " + std::to_string(S.rows()) +
                                    " bins; the mel filter bank expects " +
                                    std::to_string(bank.nBins()));
    const Eigen::Index n_mels = bank.nMels();
    // Each row's non-zero run, copied once into one contiguous buffer, so that every mel band of
    // every frame is one short contiguous dot product.
    std::vector<Eigen::Index> offset(size_t(n_mels) + 1, 0);
    for (Eigen::Index m = 0; m < n_mels; ++m)
        offset[size_t(m) + 1] = offset[size_t(m)] + bank.last[size_t(m)] - bank.first[size_t(m)];
    Eigen::VectorXf packed(offset.back());
    for (Eigen::Index m = 0; m < n_mels; ++m)
        for (Eigen::Index k = bank.first[size_t(m)]; k < bank.last[size_t(m)]; ++k)
            packed[offset[size_t(m)] + k - bank.first[size_t(m)]] = bank.weights(m, k);

    Eigen::ArrayXXf out(n_mels, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t) {
        if (t % 256 == 0) throwIfCancelled();
        const auto frame = S.col(t).matrix();
        for (Eigen::Index m = 0; m < n_mels; ++m) {
            const Eigen::Index len = bank.last[size_t(m)] - bank.first[size_t(m)];
            out(m, t) = len == 0 ? 0.0f
                                 : packed.segment(offset[size_t(m)], len)
                                       .dot(frame.segment(bank.first[size_t(m)], len));
        }
    }
    return out;
}

Eigen::ArrayXXf melSpectrogram(const Eigen::ArrayXXf& S, double sr, const MelParams& params) {
    return applyMelFilterBank(melFilterBank(sr, inferNfft(S.rows(), 2048), params), S);
}

Eigen::ArrayXXf melSpectrogram(const Eigen::ArrayXf& y, double sr, const StftParams& stft_params,
                               const MelParams& params, double power) {
    if (!(power > 0)) throw std::invalid_argument("power must be > 0, got " + formatNumber(power));
    Eigen::ArrayXXf S = stftMagnitude(y, stft_params);
    if (power == 2.0)
        S = S.square();
    else if (power != 1.0)
        S = S.pow(float(power));
    return applyMelFilterBank(melFilterBank(sr, stft_params.n_fft, params), S);
}

} // namespace featurescope
