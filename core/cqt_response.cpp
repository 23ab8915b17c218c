#include "core/cqt_response.h"

#include "core/fft.h"

#include <algorithm>
#include <vector>

namespace featurescope {

namespace {

/// Frames are handled kBlock at a time with the spectra transposed to bin-major, planar
/// storage, so that each sparse basis entry multiplies kBlock frames in one vector operation.
constexpr int kBlock = 32;
using FrameBlock = Eigen::Array<float, kBlock, 1>;
using SpectrumBlock = Eigen::Array<float, kBlock, Eigen::Dynamic>;

/// The basis's occupied columns [lo, hi): only those spectrum bins are ever read.
std::pair<int, int> columnBand(const SparseFilterBank& bank) {
    if (bank.column.empty()) return {0, 0};
    const auto [lo, hi] = std::minmax_element(bank.column.begin(), bank.column.end());
    return {*lo, *hi + 1};
}

} // namespace

void cqtResponse(const Eigen::ArrayXf& y, const SparseFilterBank& bank, int hop,
                 const CqtResponseTarget& target) {
    const int n_fft = bank.n_fft;
    const Eigen::Index pad = n_fft / 2;
    const Eigen::Index n = y.size();
    const auto [lo, hi] = columnBand(bank);
    const int width = std::max(hi - lo, 1);

    RealFft fft(n_fft);
    std::vector<std::complex<float>> spectrum(static_cast<size_t>(fft.bins()));
    std::vector<float> edge_frame(static_cast<size_t>(n_fft));
    SpectrumBlock re_in = SpectrumBlock::Zero(kBlock, width);
    SpectrumBlock im_in = SpectrumBlock::Zero(kBlock, width);
    FrameBlock re, im;

    for (Eigen::Index t0 = 0; t0 < target.n_frames; t0 += kBlock) {
        const int count = int(std::min<Eigen::Index>(kBlock, target.n_frames - t0));
        for (int b = 0; b < count; ++b) {
            const Eigen::Index start = (t0 + b) * hop - pad;
            const float* frame = y.data() + start;
            if (start < 0 || start + n_fft > n) {
                // Frames that overlap the zero padding are assembled; inner frames are read
                // straight from y.
                for (int i = 0; i < n_fft; ++i) {
                    const Eigen::Index s = start + i;
                    edge_frame[size_t(i)] = (s >= 0 && s < n) ? y[s] : 0.0f;
                }
                frame = edge_frame.data();
            }
            fft.forward(frame, spectrum.data());
            for (int j = 0; j < hi - lo; ++j) {
                re_in(b, j) = spectrum[size_t(lo + j)].real();
                im_in(b, j) = spectrum[size_t(lo + j)].imag();
            }
        }
        for (int r = 0; r < bank.rows(); ++r) {
            re.setZero();
            im.setZero();
            for (int k = bank.row_start[size_t(r)]; k < bank.row_start[size_t(r) + 1]; ++k) {
                const std::complex<float> a = bank.value[size_t(k)];
                const int c = bank.column[size_t(k)] - lo;
                re += a.real() * re_in.col(c) - a.imag() * im_in.col(c);
                im += a.real() * im_in.col(c) + a.imag() * re_in.col(c);
            }
            const Eigen::Index row = target.first_row + r;
            if (target.complex_out) {
                for (int b = 0; b < count; ++b)
                    (*target.complex_out)(row, t0 + b) = {re[b], im[b]};
            } else {
                // In double, so that the squares of very quiet responses do not underflow.
                const Eigen::Array<double, kBlock, 1> magnitude =
                    (re.cast<double>().square() + im.cast<double>().square()).sqrt();
                for (int b = 0; b < count; ++b)
                    (*target.magnitude_out)(row, t0 + b) = float(magnitude[b]);
            }
        }
    }
}

} // namespace featurescope
