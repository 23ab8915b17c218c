#include "core/spectrum/tuning.h"

#include "core/util/cancellation.h"
#include "core/spectrum/fft.h"
#include "core/spectrum/frame_kernels.h"
#include "core/spectrum/local_maxima.h"
#include "core/export/number_format.h"
#include "core/util/parallel.h"
#include "core/spectrum/stft.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <numbers>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace featurescope {

void PiptrackParams::validate() const {
    if (n_fft <= 0) throw std::invalid_argument("n_fft must be > 0, got " + std::to_string(n_fft));
    if (hop_length < 0)
        throw std::invalid_argument("hop_length must be >= 0 (0 = win_length / 4), got " +
                                    std::to_string(hop_length));
    if (win_length < 0 || win_length > n_fft)
        throw std::invalid_argument("win_length must satisfy 0 <= win_length <= n_fft, got " +
                                    std::to_string(win_length));
    if (!(fmin >= 0.0) || !(fmax > fmin) || !std::isfinite(fmin))
        throw std::invalid_argument("fmin and fmax must satisfy 0 <= fmin < fmax, got fmin=" +
                                    formatNumber(fmin) + ", fmax=" + formatNumber(fmax));
    if (!(threshold >= 0.0) || !std::isfinite(threshold))
        throw std::invalid_argument("threshold must be finite and >= 0, got " +
                                    formatNumber(threshold));
    if (ref && !std::isfinite(*ref)) throw std::invalid_argument("ref must be finite");
}

void TuningParams::validate() const {
    PiptrackParams::validate();
    if (!(resolution > 0.0 && resolution < 1.0))
        throw std::invalid_argument("resolution must satisfy 0 < resolution < 1, got " +
                                    formatNumber(resolution));
    if (bins_per_octave <= 0)
        throw std::invalid_argument("bins_per_octave must be > 0, got " +
                                    std::to_string(bins_per_octave));
}

namespace {

void checkInputs(const Eigen::ArrayXXf& S, double sr) {
    if (!(sr > 0.0) || !std::isfinite(sr))
        throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (S.rows() < 2)
        throw std::invalid_argument("S must have at least 2 frequency bins (n_fft >= 2), got " +
                                    std::to_string(S.rows()));
}

/// librosa's _spectrogram: n_fft is taken from S unless the given one already fits its rows.
int inferNfft(const Eigen::ArrayXXf& S, int n_fft) {
    return n_fft / 2 + 1 == S.rows() ? n_fft : int(2 * (S.rows() - 1));
}

Eigen::ArrayXXf magnitudeOf(const Eigen::ArrayXf& y, const PiptrackParams& p) {
    StftParams stft_params;
    stft_params.n_fft = p.n_fft;
    stft_params.hop_length = p.hop_length;
    stft_params.win_length = p.win_length;
    stft_params.center = p.center;
    return stftMagnitude(y, stft_params);
}

/// The bins [lo, hi) piptrack may report: inside [fmin, fmax), never bin 0.
struct PeakBand {
    Eigen::Index lo = 0, hi = 0;
};

PeakBand peakBand(Eigen::Index d, double sr, int n_fft, const PiptrackParams& p) {
    const double fmin = std::max(p.fmin, 0.0);
    const double fmax = std::min(p.fmax, sr / 2.0);
    // np.fft.rfftfreq's spacing, so that bins on the fmin / fmax edges fall the same way.
    const double spacing = 1.0 / (double(n_fft) * (1.0 / sr));
    Eigen::Index lo = 0;
    while (lo < d && !(fmin <= double(lo) * spacing))
        ++lo;
    Eigen::Index hi = lo;
    while (hi < d && double(hi) * spacing < fmax)
        ++hi;
    // localmax never marks bin 0 (numba's stencil border is False).
    return {std::max<Eigen::Index>(lo, 1), hi};
}

/// Calls visit(k, pitch, magnitude) for every bin k of one frame x (d bins) that piptrack
/// reports. The arithmetic follows librosa's dtypes (float32 S, gradient and skew; float64
/// parabola and pitch) so that the peaks and their histogram bins come out the same.
template <typename Visit>
void forEachPeakOfFrame(const float* x, Eigen::Index d, PeakBand band, double sr, int n_fft,
                        const PiptrackParams& p, Visit&& visit) {
    const float level =
        p.ref ? float(std::abs(*p.ref))
              : float(p.threshold) * Eigen::Map<const Eigen::ArrayXf>(x, d).maxCoeff();
    // Local maxima of S * (S > level): bins at or below the level count as 0.
    thread_local std::vector<Eigen::Index> peaks;
    peaks.clear();
    localMaxima(x, d, band.lo, band.hi, level, peaks);
    for (const Eigen::Index k : peaks) {
        const bool last = k == d - 1;

        // Parabolic vertex offset (numba promotes the "2 *" to float64); zero at the edges
        // and wherever the vertex would lie more than one bin away.
        double shift = 0.0;
        float avg = x[k] - x[k - 1]; // np.gradient's one-sided edge
        if (!last) {
            const double a = double(x[k + 1] + x[k - 1]) - 2.0 * double(x[k]);
            const double b = double(x[k + 1] - x[k - 1]) / 2.0;
            if (std::abs(b) < std::abs(a)) shift = double(float(-b / a));
            avg = (x[k + 1] - x[k - 1]) / 2.0f;
        }
        const float dskew = 0.5f * avg * float(shift);
        const float pitch = float((double(k) + shift) * sr / double(n_fft));
        visit(k, pitch, x[k] + dskew);
    }
}

/// Calls visit(t, k, pitch, magnitude) for every peak of every frame t of S: nothing of the
/// size of S allocated.
template <typename Visit>
void forEachPeak(const Eigen::ArrayXXf& S, double sr, int n_fft, const PiptrackParams& p,
                 Visit&& visit) {
    const PeakBand band = peakBand(S.rows(), sr, n_fft, p);
    for (Eigen::Index t = 0; t < S.cols(); ++t)
        forEachPeakOfFrame(
            S.col(t).data(), S.rows(), band, sr, n_fft, p,
            [&](Eigen::Index k, float pitch, float mag) { visit(t, k, pitch, mag); });
}

/// estimate_tuning's candidates: every piptrack peak with a positive pitch, and its magnitude.
struct Candidates {
    std::vector<float> pitches;
    std::vector<float> mags;

    void add(float pitch, float mag) {
        if (!(pitch > 0.0f)) return;
        pitches.push_back(pitch);
        mags.push_back(mag);
    }
};

/// The candidates of |stft(y)|, computed frame by frame on up to two threads, so that neither
/// the spectrogram nor piptrack's matrices are ever stored. Each frame goes through the same
/// steps as stft() then magnitude(): the float64 window times the float32 samples, a float64
/// transform, the bins rounded to complex64, sqrt(re^2 + im^2) in float32. Candidates come out
/// grouped by block of frames; their order matters to neither the median nor the histogram.
Candidates candidatesOfSignal(const Eigen::ArrayXf& y, double sr, const PiptrackParams& p) {
    StftParams whole;
    whole.n_fft = p.n_fft;
    whole.hop_length = p.hop_length;
    whole.win_length = p.win_length;
    whole.center = p.center;
    whole.validate();
    const Eigen::Index n_frames = frameCount(y.size(), whole);
    if (n_frames < 1) stftMagnitude(y, whole); // throws stft's own error for too short a signal
    const int n_fft = p.n_fft;
    const Eigen::Index hop = whole.hopLength();
    const Eigen::Index pad = p.center ? n_fft / 2 : 0;
    const Eigen::ArrayXd window = hannWindow64(whole.windowLength(), n_fft);
    const PeakBand band = peakBand(n_fft / 2 + 1, sr, n_fft, p);

    constexpr Eigen::Index kBlockFrames = 128;
    const Eigen::Index n_blocks = (n_frames + kBlockFrames - 1) / kBlockFrames;
    std::atomic<Eigen::Index> next{0};
    auto work = [&](Candidates& found) {
        RealFft64 fft(n_fft);
        double* frame = fft.realBuffer();
        const Eigen::Index bins = fft.bins();
        Eigen::ArrayXf mag(bins);
        for (Eigen::Index b = next++; b < n_blocks; b = next++) {
            throwIfCancelled();
            const Eigen::Index t1 = std::min(n_frames, (b + 1) * kBlockFrames);
            for (Eigen::Index t = b * kBlockFrames; t < t1; ++t) {
                windowedFrame(y, t * hop - pad, window, frame);
                fft.forward();
                roundSpectrum(fft.spectrumBuffer(), bins, nullptr, mag.data());
                forEachPeakOfFrame(
                    mag.data(), bins, band, sr, n_fft, p,
                    [&](Eigen::Index, float pitch, float m) { found.add(pitch, m); });
            }
        }
    };

    Candidates found, helped;
    if (n_blocks > 1 && availableThreads() > 1) {
        auto helper = std::async(std::launch::async, [&, token = currentStopToken()] {
            CancellationScope scope(token);
            work(helped);
        });
        try {
            work(found);
        } catch (...) {
            next = n_blocks; // the helper stops after its current block
            helper.wait();
            throw;
        }
        helper.get();
        found.pitches.insert(found.pitches.end(), helped.pitches.begin(), helped.pitches.end());
        found.mags.insert(found.mags.end(), helped.mags.begin(), helped.mags.end());
    } else {
        work(found);
    }
    return found;
}

/// estimate_tuning on the candidates: keep those at or above the median candidate magnitude,
/// return their pitch_tuning.
double tuningOfCandidates(Candidates c, const TuningParams& params) {
    std::vector<float>& pitches = c.pitches;
    std::vector<float>& mags = c.mags;
    if (pitches.empty()) return 0.0; // as pitch_tuning of an empty set: librosa warns, gives 0

    // np.median in float32: the middle value, or the float32 mean of the two middle values.
    std::vector<float> sorted = mags;
    const std::size_t n = sorted.size();
    std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.end());
    float median = sorted[n / 2];
    if (n % 2 == 0) {
        const float below = *std::max_element(sorted.begin(), sorted.begin() + n / 2);
        median = (below + median) / 2.0f;
    }

    Eigen::Index kept = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (mags[i] >= median) pitches[kept++] = pitches[i];
    return pitchTuning(Eigen::Map<const Eigen::ArrayXf>(pitches.data(), kept), params.resolution,
                       params.bins_per_octave);
}

double tuningOfPeaks(const Eigen::ArrayXXf& S, double sr, const TuningParams& params) {
    Candidates found;
    forEachPeak(S, sr, inferNfft(S, params.n_fft), params,
                [&](Eigen::Index, Eigen::Index, float pitch, float mag) { found.add(pitch, mag); });
    return tuningOfCandidates(std::move(found), params);
}

} // namespace

Pitches piptrack(const Eigen::ArrayXXf& S, double sr, const PiptrackParams& params) {
    params.validate();
    checkInputs(S, sr);
    Pitches out{Eigen::ArrayXXf::Zero(S.rows(), S.cols()),
                Eigen::ArrayXXf::Zero(S.rows(), S.cols())};
    forEachPeak(S, sr, inferNfft(S, params.n_fft), params,
                [&](Eigen::Index t, Eigen::Index k, float pitch, float mag) {
                    out.pitches(k, t) = pitch;
                    out.magnitudes(k, t) = mag;
                });
    return out;
}

Pitches piptrack(const Eigen::ArrayXf& y, double sr, const PiptrackParams& params) {
    params.validate();
    return piptrack(magnitudeOf(y, params), sr, params);
}

double pitchTuning(const Eigen::ArrayXf& frequencies, double resolution, int bins_per_octave) {
    if (!(resolution > 0.0 && resolution < 1.0))
        throw std::invalid_argument("resolution must satisfy 0 < resolution < 1, got " +
                                    formatNumber(resolution));
    if (bins_per_octave <= 0)
        throw std::invalid_argument("bins_per_octave must be > 0, got " +
                                    std::to_string(bins_per_octave));

    // np.linspace(-0.5, 0.5, n_bins + 1): start + i * step, the last edge exactly 0.5.
    const int n_bins = int(std::ceil(1.0 / resolution));
    const double step = 1.0 / double(n_bins);
    std::vector<double> edges(n_bins + 1);
    for (int i = 0; i < n_bins; ++i)
        edges[i] = double(i) * step + -0.5;
    edges[n_bins] = 0.5;

    std::vector<long> counts(n_bins, 0);
    long total = 0;
    for (float f : frequencies) {
        if (!(f > 0.0f)) continue;
        // hz_to_octs(f) relative to A440 (tuning 0), in float32 as numpy does for float32 input.
        const float octs = std::log2(f / 27.5f);
        // fmod(x, 1) is x - trunc(x) exactly for finite x (only a zero's sign can differ, which
        // no comparison below sees), without fmod's slow exact-remainder loop.
        const float x = float(bins_per_octave) * octs;
        float residual = x - std::trunc(x);
        if (residual < 0.0f) residual += 1.0f;
        // A residual of 0.95 is a deviation of -0.05 from the next bin up.
        if (residual >= 0.5f) residual -= 1.0f;
        const double r = residual;
        if (!(r >= edges.front() && r <= edges.back())) continue;
        // The bin whose edges hold r, as np.histogram finds it (the last bin closed): the
        // estimate from the bin width, corrected against the edges themselves.
        int bin = std::clamp(int((r - edges.front()) * double(n_bins)), 0, n_bins - 1);
        while (bin > 0 && edges[size_t(bin)] > r)
            --bin;
        while (bin < n_bins - 1 && edges[size_t(bin) + 1] <= r)
            ++bin;
        ++counts[size_t(bin)];
        ++total;
    }
    if (total == 0) return 0.0; // librosa warns "empty frequency set" and returns 0.0
    const auto best = std::max_element(counts.begin(), counts.end());
    return edges[best - counts.begin()];
}

double estimateTuning(const Eigen::ArrayXf& y, double sr, const TuningParams& params) {
    params.validate();
    if (!(sr > 0.0) || !std::isfinite(sr))
        throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (params.n_fft < 2)
        throw std::invalid_argument("S must have at least 2 frequency bins (n_fft >= 2), got " +
                                    std::to_string(params.n_fft / 2 + 1));
    return tuningOfCandidates(candidatesOfSignal(y, sr, params), params);
}

double estimateTuningFromSpectrogram(const Eigen::ArrayXXf& S, double sr,
                                     const TuningParams& params) {
    params.validate();
    checkInputs(S, sr);
    return tuningOfPeaks(S, sr, params);
}

} // namespace featurescope
