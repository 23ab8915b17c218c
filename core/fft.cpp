#include "core/fft.h"

#include <fftw3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

namespace featurescope {

namespace {

enum class PlanKind { RealForward, RealInverse, ComplexForward, RealForward64 };

// FFTW_ESTIMATE keeps plans deterministic (the same algorithm every run, so results are
// reproducible bit for bit) and planning cheap for the many sizes CQT uses. Plans are made on
// aligned scratch arrays and executed with the new-array interface on each object's own aligned
// buffers, which FFTW documents as thread-safe.
fftwf_plan cachedPlan(PlanKind kind, int n) {
    static std::mutex mutex;
    static std::map<std::pair<PlanKind, int>, fftwf_plan> plans;
    std::lock_guard lock(mutex);
    auto [it, inserted] = plans.try_emplace({kind, n}, nullptr);
    if (!inserted) return it->second;
    fftwf_complex* a = fftwf_alloc_complex(size_t(n));
    fftwf_complex* b = fftwf_alloc_complex(size_t(n));
    switch (kind) {
    case PlanKind::RealForward:
        it->second = fftwf_plan_dft_r2c_1d(n, reinterpret_cast<float*>(a), b, FFTW_ESTIMATE);
        break;
    case PlanKind::RealInverse:
        it->second = fftwf_plan_dft_c2r_1d(n, a, reinterpret_cast<float*>(b), FFTW_ESTIMATE);
        break;
    case PlanKind::ComplexForward:
        it->second = fftwf_plan_dft_1d(n, a, b, FFTW_FORWARD, FFTW_ESTIMATE);
        break;
    case PlanKind::RealForward64:
        break; // see cachedPlan64
    }
    fftwf_free(a);
    fftwf_free(b);
    return it->second;
}

fftw_plan cachedPlan64(int n) {
    static std::mutex mutex;
    static std::map<int, fftw_plan> plans;
    std::lock_guard lock(mutex);
    auto [it, inserted] = plans.try_emplace(n, nullptr);
    if (!inserted) return it->second;
    double* a = fftw_alloc_real(size_t(n));
    fftw_complex* b = fftw_alloc_complex(size_t(n / 2 + 1));
    it->second = fftw_plan_dft_r2c_1d(n, a, b, FFTW_ESTIMATE);
    fftw_free(a);
    fftw_free(b);
    return it->second;
}

} // namespace

RealFft::RealFft(int n)
    : n_(n) {
    if (n < 1) throw std::invalid_argument("RealFft: n must be >= 1");
    real_ = fftwf_alloc_real(size_t(n));
    spectrum_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(size_t(bins())));
    forward_plan_ = cachedPlan(PlanKind::RealForward, n);
    inverse_plan_ = cachedPlan(PlanKind::RealInverse, n);
}

RealFft::~RealFft() {
    fftwf_free(real_);
    fftwf_free(spectrum_);
}

void RealFft::forward(const float* in, std::complex<float>* out) {
    std::copy_n(in, n_, real_);
    fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), real_,
                          reinterpret_cast<fftwf_complex*>(spectrum_));
    std::copy_n(spectrum_, bins(), out);
}

void RealFft::forward() {
    fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), real_,
                          reinterpret_cast<fftwf_complex*>(spectrum_));
}

void RealFft::inverse(const std::complex<float>* in, float* out) {
    std::copy_n(inverse(in), n_, out);
}

const float* RealFft::inverse(const std::complex<float>* in) {
    std::copy_n(in, bins(), spectrum_); // c2r destroys its input
    fftwf_execute_dft_c2r(static_cast<fftwf_plan>(inverse_plan_),
                          reinterpret_cast<fftwf_complex*>(spectrum_), real_);
    return real_;
}

RealFft64::RealFft64(int n)
    : n_(n) {
    if (n < 1) throw std::invalid_argument("RealFft64: n must be >= 1");
    real_ = fftw_alloc_real(size_t(n));
    spectrum_ = reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(size_t(bins())));
    plan_ = cachedPlan64(n);
}

RealFft64::~RealFft64() {
    fftw_free(real_);
    fftw_free(spectrum_);
}

void RealFft64::forward() {
    fftw_execute_dft_r2c(static_cast<fftw_plan>(plan_), real_,
                         reinterpret_cast<fftw_complex*>(spectrum_));
}

ComplexFft::ComplexFft(int n)
    : n_(n) {
    if (n < 1) throw std::invalid_argument("ComplexFft: n must be >= 1");
    in_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(size_t(n)));
    out_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(size_t(n)));
    plan_ = cachedPlan(PlanKind::ComplexForward, n);
}

ComplexFft::~ComplexFft() {
    fftwf_free(in_);
    fftwf_free(out_);
}

void ComplexFft::forward() {
    fftwf_execute_dft(static_cast<fftwf_plan>(plan_), reinterpret_cast<fftwf_complex*>(in_),
                      reinterpret_cast<fftwf_complex*>(out_));
}

} // namespace featurescope
