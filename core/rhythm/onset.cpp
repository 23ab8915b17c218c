#include "core/rhythm/onset.h"

#include "core/util/cancellation.h"
#include "core/spectrum/decibel.h"
#include "core/spectrum/fft.h"
#include "core/export/number_format.h"
#include "core/util/parallel.h"
#include "core/spectrum/stft.h"

#include <algorithm>
#include <atomic>
#include <complex>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace featurescope {

void OnsetStrengthParams::validate() const {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (n_fft <= 0) throw std::invalid_argument("n_fft must be > 0, got " + std::to_string(n_fft));
    if (hop_length <= 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
    if (lag <= 0)
        throw std::invalid_argument("lag=" + std::to_string(lag) + " must be a positive integer");
    if (max_size <= 0)
        throw std::invalid_argument("max_size=" + std::to_string(max_size) +
                                    " must be a positive integer");
}

namespace {

// scipy.ndimage.maximum_filter1d(S, max_size, axis=0): the window of bin f spans
// f - max_size // 2 .. f - max_size // 2 + max_size - 1. Its 'reflect' border only repeats values
// already inside the clipped window, so the clipped window's maximum is the same.
Eigen::ArrayXXf maxFilterBins(const Eigen::ArrayXXf& S, int max_size) {
    const Eigen::Index d = S.rows();
    const Eigen::Index before = max_size / 2, after = max_size - 1 - before;
    Eigen::ArrayXXf ref(d, S.cols());
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        for (Eigen::Index f = 0; f < d; ++f) {
            const Eigen::Index lo = std::max<Eigen::Index>(0, f - before);
            const Eigen::Index hi = std::min<Eigen::Index>(d - 1, f + after);
            ref(f, t) = S.col(t).segment(lo, hi - lo + 1).maxCoeff();
        }
    return ref;
}

float aggregateFlux(std::vector<float>& flux, OnsetAggregate aggregate) {
    const size_t n = flux.size();
    if (aggregate == OnsetAggregate::Mean) {
        double sum = 0.0;
        for (float v : flux)
            sum += v;
        return float(sum / double(n));
    }
    // np.median: the middle value, or the mean of the two middle ones.
    const size_t h = n / 2;
    std::nth_element(flux.begin(), flux.begin() + long(h), flux.end());
    if (n % 2) return flux[h];
    const float upper = flux[h];
    const float lower = *std::max_element(flux.begin(), flux.begin() + long(h));
    return float((double(lower) + double(upper)) / 2.0);
}

} // namespace

Eigen::ArrayXf onsetStrength(const Eigen::ArrayXXf& S, const OnsetStrengthParams& params) {
    params.validate();
    const Eigen::Index d = S.rows(), t = S.cols();
    const Eigen::Index lag = params.lag;
    const Eigen::Index shift = lag + (params.center ? params.n_fft / (2 * params.hop_length) : 0);
    const Eigen::Index n_flux = std::max<Eigen::Index>(0, t - lag);
    // Centred output is trimmed to the input's frame count; otherwise it is flux + lag long.
    const Eigen::Index n_out = params.center ? std::min(t, n_flux + shift) : n_flux + shift;

    Eigen::ArrayXXf filtered;
    if (params.max_size > 1) filtered = maxFilterBins(S, params.max_size);
    const Eigen::ArrayXXf& ref = params.max_size > 1 ? filtered : S;

    Eigen::ArrayXf env = Eigen::ArrayXf::Zero(n_out);
    std::vector<float> flux(static_cast<size_t>(d));
    for (Eigen::Index i = 0; i < n_flux && i + shift < n_out; ++i) {
        const float* now = S.col(i + lag).data();
        const float* before = ref.col(i).data();
        for (Eigen::Index f = 0; f < d; ++f)
            flux[size_t(f)] = std::max(0.0f, now[f] - before[f]);
        env[i + shift] = d > 0 ? aggregateFlux(flux, params.aggregate) : 0.0f;
    }
    if (params.detrend) {
        // scipy.signal.lfilter([1, -1], [1, -0.99], env), zero initial state, in float64.
        double previous_x = 0.0, previous_y = 0.0;
        for (Eigen::Index i = 0; i < n_out; ++i) {
            const double x = env[i];
            previous_y = x - previous_x + 0.99 * previous_y;
            previous_x = x;
            env[i] = float(previous_y);
        }
    }
    return env;
}

namespace {

// melspectrogram(y, sr, n_fft, hop_length, power=2, center=True), framed here rather than through
// stft() so that no complex spectrogram is ever stored: each frame of the zero-padded signal is
// windowed (periodic Hann), transformed, squared into a cache-sized block of power spectra, and
// each block goes through the mel filter bank. Same window, same FFT, same frames as stft(); on a
// 3-minute track this is about twice as fast as melSpectrogram(y).
Eigen::ArrayXXf melPower(const Eigen::ArrayXf& y, const OnsetStrengthParams& params) {
    StftParams centred;
    centred.n_fft = params.n_fft;
    centred.hop_length = params.hop_length;
    centred.validate();
    const Eigen::Index n_frames = frameCount(y.size(), centred);
    if (n_frames < 1)
        throw std::invalid_argument("onset_strength: the signal (" + std::to_string(y.size()) +
                                    " samples) is shorter than n_fft=" +
                                    std::to_string(params.n_fft) + " even after padding");
    const int n_fft = params.n_fft;
    const Eigen::Index pad = n_fft / 2, hop = params.hop_length, n = y.size();
    const MelFilterBank bank = melFilterBank(params.sr, n_fft, params.mel);
    const Eigen::ArrayXf window = hannWindow(n_fft, n_fft);
    constexpr Eigen::Index kBlockFrames = 128;
    const Eigen::Index n_blocks = (n_frames + kBlockFrames - 1) / kBlockFrames;
    Eigen::ArrayXXf mel(bank.nMels(), n_frames);

    // Blocks are independent (each writes only its own columns of mel), so two threads share
    // them through a counter; each has its own transform and buffers.
    std::atomic<Eigen::Index> next{0};
    auto work = [&] {
        // Only the few frames overhanging either end need the zero padding; they are copied
        // into an edge buffer, the others read y in place.
        Eigen::ArrayXf edges[2] = {Eigen::ArrayXf(n_fft), Eigen::ArrayXf(n_fft)};
        auto frameAt = [&](Eigen::Index t, int lane) -> Eigen::Ref<const Eigen::ArrayXf> {
            const Eigen::Index start = t * hop - pad;
            if (start >= 0 && start + n_fft <= n) return y.segment(start, n_fft);
            Eigen::ArrayXf& edge = edges[lane];
            for (Eigen::Index i = 0; i < n_fft; ++i)
                edge[i] = start + i >= 0 && start + i < n ? y[start + i] : 0.0f;
            return edge;
        };
        // Two windowed frames per complex transform, a in the real and b in the imaginary
        // part: Z = FFT(a + i b), A[k] = (Z[k] + conj(Z[-k])) / 2, B[k] = (Z[k] - conj(Z[-k]))
        // / 2i. FFTW's complex transforms are vectorised where its real ones are not, so this
        // is about half the cost of two real transforms, for the same spectra to float rounding.
        ComplexFft fft(n_fft);
        const Eigen::Index n_bins = n_fft / 2 + 1;
        float* lanes = reinterpret_cast<float*>(fft.input());
        const float* z = reinterpret_cast<const float*>(fft.output());
        Eigen::ArrayXXf power(n_bins, std::min(kBlockFrames, n_frames));
        for (Eigen::Index b = next++; b < n_blocks; b = next++) {
            throwIfCancelled();
            const Eigen::Index t0 = b * kBlockFrames;
            const Eigen::Index frames = std::min(kBlockFrames, n_frames - t0);
            if (frames < power.cols()) power.conservativeResize(Eigen::NoChange, frames);
            for (Eigen::Index j = 0; j < frames; j += 2) {
                const bool pair = j + 1 < frames;
                const auto fa = frameAt(t0 + j, 0);
                if (pair) {
                    const auto fb = frameAt(t0 + j + 1, 1);
                    for (int i = 0; i < n_fft; ++i) {
                        lanes[2 * i] = fa[i] * window[i];
                        lanes[2 * i + 1] = fb[i] * window[i];
                    }
                } else {
                    for (int i = 0; i < n_fft; ++i) {
                        lanes[2 * i] = fa[i] * window[i];
                        lanes[2 * i + 1] = 0.0f;
                    }
                }
                fft.forward();
                // re^2 + im^2: within an ulp or two of librosa's np.abs(X)**2, without the sqrt.
                float* pa = power.col(j).data();
                float* pb = pair ? power.col(j + 1).data() : nullptr;
                for (Eigen::Index k = 0; k < n_bins; ++k) {
                    const Eigen::Index m = k == 0 ? 0 : n_fft - k; // the bin of conj(Z[-k])
                    const float zr = z[2 * k], zi = z[2 * k + 1];
                    const float wr = z[2 * m], wi = z[2 * m + 1];
                    const float ar = 0.5f * (zr + wr), ai = 0.5f * (zi - wi);
                    pa[k] = ar * ar + ai * ai;
                    if (pb) {
                        const float br = 0.5f * (zi + wi), bi = 0.5f * (wr - zr);
                        pb[k] = br * br + bi * bi;
                    }
                }
            }
            mel.middleCols(t0, frames) = applyMelFilterBank(bank, power);
        }
    };
    if (n_blocks > 1 && availableThreads() > 1) {
        auto helper = std::async(std::launch::async, [&, token = currentStopToken()] {
            CancellationScope scope(token);
            work();
        });
        try {
            work();
        } catch (...) {
            next = n_blocks; // the helper stops after its current block
            helper.wait();
            throw;
        }
        helper.get();
    } else {
        work();
    }
    return mel;
}

} // namespace

Eigen::ArrayXf onsetStrength(const Eigen::ArrayXf& y, const OnsetStrengthParams& params) {
    params.validate();
    Eigen::ArrayXXf S = melPower(y, params);
    powerToDbInPlace(S);
    return onsetStrength(S, params);
}

} // namespace featurescope
