#include "core/rhythm/tempogram.h"

#include "core/util/cancellation.h"
#include "core/spectrum/fft.h"
#include "core/export/number_format.h"
#include "core/util/parallel.h"
#include "core/spectrum/stft.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace featurescope {

void TempogramParams::validate() const {
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0, got " + formatNumber(sr));
    if (hop_length <= 0)
        throw std::invalid_argument("hop_length must be > 0, got " + std::to_string(hop_length));
    if (win_length < 1)
        throw std::invalid_argument("win_length must be a positive integer, got " +
                                    std::to_string(win_length));
    if (!std::isnan(norm) && !std::isinf(norm) && norm < 0)
        throw std::invalid_argument("norm must be +-inf, 0, > 0 or NaN (none), got " +
                                    formatNumber(norm));
}

namespace {

// np.pad(x, win // 2, mode='linear_ramp', end_values=0): each side ramps linearly from 0 at the
// outer edge up to (not including) the edge sample.
Eigen::ArrayXf rampPadded(const Eigen::ArrayXf& x, Eigen::Index pad) {
    const Eigen::Index n = x.size();
    Eigen::ArrayXf out(n + 2 * pad);
    out.segment(pad, n) = x;
    const double first = x[0], last = x[n - 1];
    for (Eigen::Index i = 0; i < pad; ++i) {
        out[i] = float(first * double(i) / double(pad));
        out[pad + n + i] = float(last * double(pad - 1 - i) / double(pad));
    }
    return out;
}

// A transform length >= 2 * win - 1 (so the circular autocorrelation equals the linear one) of the
// form 2^a or 3 * 2^a, sizes FFTW handles fastest.
int autocorrelationFftSize(int win) {
    const int need = 2 * win - 1;
    int size = 1;
    while (size < need)
        size *= 2;
    if (size % 4 == 0 && 3 * (size / 4) >= need) size = 3 * (size / 4);
    return size;
}

// The norm of one column, as librosa.util.normalize measures it.
float columnNorm(const float* r, int size, double norm) {
    const Eigen::Map<const Eigen::ArrayXf> mag(r, size);
    if (std::isinf(norm)) return norm > 0 ? mag.abs().maxCoeff() : mag.abs().minCoeff();
    if (norm == 0) return float((mag != 0).count());
    return float(std::pow(mag.abs().cast<double>().pow(norm).sum(), 1.0 / norm));
}

// The energy of one windowed frame of the padded envelope.
double windowedEnergy(const float* frame, const Eigen::ArrayXf& window) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < window.size(); ++i) {
        const double x = double(frame[i] * window[i]);
        sum += x * x;
    }
    return sum;
}

// Whether two frames may share one complex transform: both non-zero and within a factor of 4,
// so that the pair's cross-talk stays below 4 float epsilons of either frame's own energy.
bool comparableEnergies(double a, double b) {
    return a > 0.0 && b > 0.0 && a <= 4.0 * b && b <= 4.0 * a;
}

/// Below this many frames a second thread costs more than it saves.
constexpr Eigen::Index kParallelMinFrames = 2048;

// Computes every column of the tempogram into a scratch buffer and hands it to
// sink(part, t, column): the matrix and its time average share one implementation. The frames
// are split into up to two contiguous parts (part 0 first), each computed on its own thread.
template <typename Sink>
Eigen::Index forEachColumn(const Eigen::ArrayXf& onset_envelope, const TempogramParams& params,
                           Sink&& sink) {
    params.validate();
    const int win = params.win_length;
    const Eigen::Index n = onset_envelope.size();
    if (params.center ? n < 1 : n < win)
        throw std::invalid_argument("tempogram: the onset envelope (" + std::to_string(n) +
                                    " frames) is too short for win_length=" + std::to_string(win));
    // librosa.util.normalize refuses non-finite input ("Input must be finite").
    if (!onset_envelope.allFinite())
        throw std::invalid_argument("tempogram: the onset envelope must be finite");
    const Eigen::Index pad = params.center ? win / 2 : 0;
    const Eigen::ArrayXf padded = pad > 0 ? rampPadded(onset_envelope, pad) : onset_envelope;
    const Eigen::Index n_frames = params.center ? n : n - win + 1;
    const Eigen::ArrayXf window = hannWindow(win, win);
    const float tiny = std::numeric_limits<float>::min();
    const int size = autocorrelationFftSize(win);

    // Wiener-Khinchin, as librosa.autocorrelate does it: |rfft|^2 then irfft. For win 384 one
    // FFT round trip per frame is about 4x faster than the direct O(win^2) lag loop.
    // Two frames per pair of complex transforms: Z = FFT(a + i b) gives |A|^2 and |B|^2
    // (A[k] = (Z[k] + conj(Z[-k])) / 2, B[k] = (Z[k] - conj(Z[-k])) / 2i); both are real and
    // even, so FFT(|A|^2 + i |B|^2) = size * IFFT(...) holds both autocorrelations, a's in the
    // real part and b's in the imaginary part, unnormalised as an inverse real transform leaves
    // them. FFTW's complex transforms are vectorised where its real ones are not.
    auto part = [&](int which, Eigen::Index begin, Eigen::Index end) {
        ComplexFft fft(size);
        std::complex<float>* packed = fft.input();
        std::fill_n(packed, size, std::complex<float>(0.0f, 0.0f));
        std::vector<float> acf(static_cast<size_t>(2 * win));
        const float scale = 1.0f / float(size);
        float* lanes = reinterpret_cast<float*>(packed);
        const float* z = reinterpret_cast<const float*>(fft.output());
        // Normalises one autocorrelation (the 1 / size of the inverse FFT cancels in every norm
        // but the count of non-zeros; for the others it only matters in the "too small to
        // normalise" test) and hands it on.
        auto finish = [&](Eigen::Index t, float* r) {
            Eigen::Map<Eigen::ArrayXf> column(r, win);
            if (std::isnan(params.norm) || params.norm == 0) {
                column *= scale;
                if (params.norm == 0) {
                    const float length = columnNorm(r, win, 0.0);
                    if (length >= tiny) column /= length;
                }
            } else {
                const float length = columnNorm(r, win, params.norm);
                if (length * scale >= tiny)
                    column /= length;
                else
                    column *= scale;
            }
            sink(which, t, column);
        };
        Eigen::Index next_check = begin;
        for (Eigen::Index t = begin; t < end;) {
            if (t >= next_check) {
                throwIfCancelled();
                next_check = t + 512;
            }
            const float* fa = padded.data() + t;
            // Two frames share a transform only when their energies are comparable: the
            // cross-talk of the pair is about float epsilon times the larger frame's energy,
            // which would swamp the quieter frame's autocorrelation (a frame of rounding residue
            // next to digital silence, which the normalisation then makes full-scale). A frame
            // that is all zeros goes alone and comes out exactly 0, as librosa's does.
            const double energy_a = windowedEnergy(fa, window);
            const bool pair =
                t + 1 < end && comparableEnergies(energy_a, windowedEnergy(fa + 1, window));
            for (int i = 0; i < win; ++i) {
                lanes[2 * i] = fa[i] * window[i];
                lanes[2 * i + 1] = pair ? fa[i + 1] * window[i] : 0.0f;
            }
            fft.forward();
            // |A|^2 and |B|^2 as sums of squares (libstdc++'s std::norm squares a hypot).
            for (int k = 0; k < size; ++k) {
                const int m = k == 0 ? 0 : size - k; // the bin of conj(Z[-k])
                const float zr = z[2 * k], zi = z[2 * k + 1];
                const float wr = z[2 * m], wi = z[2 * m + 1];
                const float ar = 0.5f * (zr + wr), ai = 0.5f * (zi - wi);
                const float br = 0.5f * (zi + wi), bi = 0.5f * (zr - wr);
                packed[k] = {ar * ar + ai * ai, br * br + bi * bi};
            }
            fft.forward();
            for (int j = 0; j < win; ++j) {
                acf[size_t(j)] = z[2 * j];
                acf[size_t(win + j)] = z[2 * j + 1];
            }
            finish(t, acf.data());
            if (pair) finish(t + 1, acf.data() + win);
            // The next frames' zero tail: the power spectra overwrote it.
            std::fill(packed + win, packed + size, std::complex<float>(0.0f, 0.0f));
            t += pair ? 2 : 1;
        }
    };

    if (n_frames < kParallelMinFrames || availableThreads() < 2) {
        part(0, 0, n_frames);
        return n_frames;
    }
    const Eigen::Index half = n_frames / 2;
    auto helper = std::async(std::launch::async, [&, token = currentStopToken()] {
        CancellationScope scope(token);
        part(1, half, n_frames);
    });
    try {
        part(0, 0, half);
    } catch (...) {
        helper.wait();
        throw;
    }
    helper.get();
    return n_frames;
}

} // namespace

Eigen::ArrayXXf tempogram(const Eigen::ArrayXf& onset_envelope, const TempogramParams& params) {
    params.validate();
    const Eigen::Index n = onset_envelope.size();
    Eigen::ArrayXXf out(params.win_length,
                        params.center ? n : std::max<Eigen::Index>(0, n - params.win_length + 1));
    forEachColumn(onset_envelope, params,
                  [&](int, Eigen::Index t, const auto& column) { out.col(t) = column; });
    return out;
}

Eigen::ArrayXd tempogramMean(const Eigen::ArrayXf& onset_envelope, const TempogramParams& params) {
    params.validate();
    // One running sum per part, added in part order: the result does not depend on timing.
    Eigen::ArrayXd sums[2] = {Eigen::ArrayXd::Zero(params.win_length),
                              Eigen::ArrayXd::Zero(params.win_length)};
    const Eigen::Index n_frames =
        forEachColumn(onset_envelope, params, [&](int part, Eigen::Index, const auto& column) {
            sums[part] += column.template cast<double>();
        });
    return (sums[0] + sums[1]) / double(n_frames);
}

Eigen::ArrayXd tempoFrequencies(int n_bins, double sr, int hop_length) {
    if (n_bins < 0) throw std::invalid_argument("n_bins must be >= 0");
    if (!(sr > 0)) throw std::invalid_argument("sr must be > 0");
    if (hop_length <= 0) throw std::invalid_argument("hop_length must be > 0");
    Eigen::ArrayXd bpm(n_bins);
    if (n_bins > 0) bpm[0] = std::numeric_limits<double>::infinity();
    for (int k = 1; k < n_bins; ++k)
        bpm[k] = 60.0 * sr / (double(hop_length) * double(k));
    return bpm;
}

} // namespace featurescope
