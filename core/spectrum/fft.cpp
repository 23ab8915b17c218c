#include "core/spectrum/fft.h"

#include <fftw3.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

namespace featurescope {

// resources/fftw/wisdom-{float,double}.txt, built in by core/CMakeLists.txt.
extern const char* const kBuiltInFftwWisdomSingle;
extern const char* const kBuiltInFftwWisdomDouble;

namespace {

// Plans are made once per (kind, size) for the whole process: FFTW's planner is not thread-safe,
// so each precision's planner is used under its own mutex. Plans are made on aligned scratch
// arrays and executed with the new-array interface on each object's own aligned buffers, which
// FFTW documents as thread-safe.
//
// They are FFTW_ESTIMATE plans, which are deterministic (the same algorithm on every run, so
// results are reproducible bit for bit), made after importing the built-in wisdom: for every size
// the app's analyses use it holds a plan measured once with FFTW_PATIENT
// (resources/fftw/README.md), 20-50 % faster than the estimate and as fixed. A size it lacks
// gets the estimate; wisdom FFTW cannot use on this processor is dropped by FFTW, which then
// estimates every plan.
template <typename Fftw> struct Planner {
    std::mutex mutex;
    std::map<FftPlanKey, typename Fftw::plan> plans;
    bool wisdom_imported = false;

    // At exit (the planner is a function-local static), after every thread that ran transforms
    // has ended: the plans and FFTW's own tables are freed, so a LeakSanitizer run reports
    // nothing. RealFft and friends only free their buffers, which stays valid after this.
    ~Planner() {
        std::lock_guard lock(mutex);
        for (auto& entry : plans)
            if (entry.second) Fftw::destroy(entry.second);
        plans.clear();
        Fftw::cleanup();
    }

    typename Fftw::plan cached(FftPlanKey key) {
        std::lock_guard lock(mutex);
        importWisdomOnce();
        auto [it, inserted] = plans.try_emplace(key, nullptr);
        if (inserted) it->second = Fftw::make(key.kind, key.n, FFTW_ESTIMATE);
        return it->second;
    }

    // Call with `mutex` held.
    void importWisdomOnce() {
        if (wisdom_imported) return;
        Fftw::import_wisdom_from_string(Fftw::builtInWisdom());
        wisdom_imported = true;
    }
};

// Each precision's FFTW calls. make(kind, n, flags) plans on fresh aligned scratch arrays, out
// of place, as the transform objects execute the plans (and as the wisdom was measured); null
// when FFTW cannot (as with FFTW_WISDOM_ONLY and no wisdom for it).
struct SinglePrecision {
    using plan = fftwf_plan;
    static plan make(FftKind kind, int n, unsigned flags) {
        fftwf_complex* a = fftwf_alloc_complex(size_t(n));
        fftwf_complex* b = fftwf_alloc_complex(size_t(n));
        plan made = nullptr;
        switch (kind) {
        case FftKind::RealForward:
            made = fftwf_plan_dft_r2c_1d(n, reinterpret_cast<float*>(a), b, flags);
            break;
        case FftKind::RealInverse:
            made = fftwf_plan_dft_c2r_1d(n, a, reinterpret_cast<float*>(b), flags);
            break;
        case FftKind::ComplexForward:
            made = fftwf_plan_dft_1d(n, a, b, FFTW_FORWARD, flags);
            break;
        case FftKind::RealForward64: // the double planner's
            break;
        }
        fftwf_free(a);
        fftwf_free(b);
        return made;
    }
    static void destroy(plan p) { fftwf_destroy_plan(p); }
    static void cleanup() { fftwf_cleanup(); }
    static const char* builtInWisdom() { return kBuiltInFftwWisdomSingle; }
    static int import_wisdom_from_string(const char* text) {
        return fftwf_import_wisdom_from_string(text);
    }
    static void forget_wisdom() { fftwf_forget_wisdom(); }
    static char* export_wisdom_to_string() { return fftwf_export_wisdom_to_string(); }
};

struct DoublePrecision {
    using plan = fftw_plan;
    // RealForward64, the one double-precision transform.
    static plan make(FftKind, int n, unsigned flags) {
        double* a = fftw_alloc_real(size_t(n));
        fftw_complex* b = fftw_alloc_complex(size_t(n / 2 + 1));
        const plan made = fftw_plan_dft_r2c_1d(n, a, b, flags);
        fftw_free(a);
        fftw_free(b);
        return made;
    }
    static void destroy(plan p) { fftw_destroy_plan(p); }
    static void cleanup() { fftw_cleanup(); }
    static const char* builtInWisdom() { return kBuiltInFftwWisdomDouble; }
    static int import_wisdom_from_string(const char* text) {
        return fftw_import_wisdom_from_string(text);
    }
    static void forget_wisdom() { fftw_forget_wisdom(); }
    static char* export_wisdom_to_string() { return fftw_export_wisdom_to_string(); }
};

Planner<SinglePrecision>& singlePlanner() {
    static Planner<SinglePrecision> planner;
    return planner;
}

Planner<DoublePrecision>& doublePlanner() {
    static Planner<DoublePrecision> planner;
    return planner;
}

bool isDoublePrecision(FftKind kind) {
    return kind == FftKind::RealForward64;
}

fftwf_plan cachedPlan(FftKind kind, int n) {
    return singlePlanner().cached({kind, n});
}

fftw_plan cachedPlan64(int n) {
    return doublePlanner().cached({FftKind::RealForward64, n});
}

// Every plan of `keys` in `planner`'s precision measured afresh with FFTW_PATIENT; returns the
// wisdom FFTW then holds, which is just those plans.
template <typename Fftw>
std::string measureWisdom(Planner<Fftw>& planner, const std::vector<FftPlanKey>& keys,
                          bool double_precision) {
    std::lock_guard lock(planner.mutex);
    Fftw::forget_wisdom();
    for (const FftPlanKey& key : keys)
        if (isDoublePrecision(key.kind) == double_precision)
            if (auto plan = Fftw::make(key.kind, key.n, FFTW_PATIENT)) Fftw::destroy(plan);
    char* text = Fftw::export_wisdom_to_string();
    std::string wisdom = text ? text : "";
    std::free(text);
    return wisdom;
}

template <typename Fftw> void appendKeys(Planner<Fftw>& planner, std::vector<FftPlanKey>& keys) {
    std::lock_guard lock(planner.mutex);
    for (const auto& entry : planner.plans)
        keys.push_back(entry.first);
}

// Whether the built-in wisdom has a plan for `key`. PATIENT with WISDOM_ONLY: only wisdom at least
// that rigorous answers, not the estimates this process has made.
template <typename Fftw> bool holdsWisdom(Planner<Fftw>& planner, FftPlanKey key) {
    std::lock_guard lock(planner.mutex);
    planner.importWisdomOnce();
    auto plan = Fftw::make(key.kind, key.n, FFTW_PATIENT | FFTW_WISDOM_ONLY);
    if (plan) Fftw::destroy(plan);
    return plan != nullptr;
}

} // namespace

std::vector<FftPlanKey> plannedFfts() {
    std::vector<FftPlanKey> keys;
    appendKeys(singlePlanner(), keys);
    appendKeys(doublePlanner(), keys);
    std::sort(keys.begin(), keys.end());
    return keys;
}

FftWisdom measureFftWisdom(const std::vector<FftPlanKey>& keys) {
    return {measureWisdom(singlePlanner(), keys, false),
            measureWisdom(doublePlanner(), keys, true)};
}

bool builtInWisdomHolds(FftPlanKey key) {
    return isDoublePrecision(key.kind) ? holdsWisdom(doublePlanner(), key)
                                       : holdsWisdom(singlePlanner(), key);
}

RealFft::RealFft(int n)
    : n_(n) {
    if (n < 1) throw std::invalid_argument("RealFft: n must be >= 1");
    real_ = fftwf_alloc_real(size_t(n));
    spectrum_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(size_t(bins())));
    forward_plan_ = cachedPlan(FftKind::RealForward, n);
    inverse_plan_ = cachedPlan(FftKind::RealInverse, n);
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
    std::copy_n(in, bins(), spectrum_); // c2r destroys its input
    std::copy_n(inverse(), n_, out);
}

const float* RealFft::inverse() {
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
    plan_ = cachedPlan(FftKind::ComplexForward, n);
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
