// FFTW3 transforms. Plans are made once per size for the whole process and shared; each
// transform object owns its own aligned work buffers.
#pragma once

#include <compare>
#include <complex>
#include <string>
#include <vector>

namespace featurescope {

/// What a plan transforms: RealFft's two directions, ComplexFft, RealFft64.
enum class FftKind { RealForward, RealInverse, ComplexForward, RealForward64 };

struct FftPlanKey {
    FftKind kind;
    int n;
    auto operator<=>(const FftPlanKey&) const = default;
};

/// Every plan this process has made so far, sorted.
std::vector<FftPlanKey> plannedFfts();

/// FFTW wisdom as text, one per FFTW precision (fftwf_ and fftw_ keep theirs apart).
struct FftWisdom {
    std::string single_precision;
    std::string double_precision;
};

/// Plans each of `keys` afresh with FFTW_PATIENT (a second or so each) and returns the wisdom
/// that holds just those plans: the contents of resources/fftw/. This replaces the process's
/// wisdom; plans already made stay as they are.
FftWisdom measureFftWisdom(const std::vector<FftPlanKey>& keys);

/// Whether the built-in wisdom (resources/fftw/) has a measured plan for `key` that FFTW can use
/// on this processor; where it has none, plans are FFTW_ESTIMATE's.
bool builtInWisdomHolds(FftPlanKey key);

/// A real <-> half-complex transform of size n (any n >= 1, odd included): numpy's rfft/irfft
/// without normalisation. Construction is cheap after the first object of a size (the plan is
/// cached; FFTW's planner is not thread-safe, so that is guarded). One object must not be used by
/// two threads at once: give each worker thread its own object.
class RealFft {
public:
    explicit RealFft(int n);
    ~RealFft();
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;

    int size() const { return n_; }
    int bins() const { return n_ / 2 + 1; }

    /// in: n reals; out: n/2+1 complex values.
    void forward(const float* in, std::complex<float>* out);
    /// in: n/2+1 complex values (imaginary parts of DC and, for even n, Nyquist are ignored);
    /// out: n reals, *not* divided by n (numpy's irfft divides; callers scale).
    void inverse(const std::complex<float>* in, float* out);
    /// The inverse of the bins() values written to spectrumBuffer(), which it destroys; the n
    /// reals are left in realBuffer(). Saves the copy in as well.
    const float* inverse();

    /// The aligned work buffers, for callers that fill the input in place and save a copy:
    /// write n reals to realBuffer(), call forward(), read bins() values from spectrumBuffer().
    float* realBuffer() { return real_; }
    const std::complex<float>* spectrumBuffer() const { return spectrum_; }
    std::complex<float>* spectrumBuffer() { return spectrum_; }
    void forward();

private:
    int n_;
    float* real_;
    std::complex<float>* spectrum_;
    void* forward_plan_;
    void* inverse_plan_;
};

/// A real-to-half-complex forward transform in double precision, for the STFT: librosa multiplies
/// a float64 window into the float32 signal and transforms in float64, and only that resolves the
/// -160 dB valleys spectral_contrast looks for. Same threading rules as RealFft.
class RealFft64 {
public:
    explicit RealFft64(int n);
    ~RealFft64();
    RealFft64(const RealFft64&) = delete;
    RealFft64& operator=(const RealFft64&) = delete;

    int size() const { return n_; }
    int bins() const { return n_ / 2 + 1; }
    /// Write n values here, call forward(), read bins() values from spectrumBuffer().
    double* realBuffer() { return real_; }
    const std::complex<double>* spectrumBuffer() const { return spectrum_; }
    void forward();

private:
    int n_;
    double* real_;
    std::complex<double>* spectrum_;
    void* plan_;
};

/// A complex forward transform of size n (numpy's fft, unnormalised); same rules as RealFft.
/// Callers write the n inputs to input(), call forward() and read the n outputs from output():
/// the transforms run by the thousand per track, and copying in and out of the work buffers
/// cost a third as much as the transforms.
class ComplexFft {
public:
    explicit ComplexFft(int n);
    ~ComplexFft();
    ComplexFft(const ComplexFft&) = delete;
    ComplexFft& operator=(const ComplexFft&) = delete;

    int size() const { return n_; }
    std::complex<float>* input() { return in_; }
    const std::complex<float>* output() const { return out_; }
    /// output() = FFT(input()); input() is left as it was.
    void forward();

private:
    int n_;
    std::complex<float>* in_;
    std::complex<float>* out_;
    void* plan_;
};

} // namespace featurescope
