// What the processor the program runs on can do, for kernels compiled in several versions.
#pragma once

namespace featurescope {

/// Whether the processor has AVX2, asked once. The AVX2 versions of the DSP kernels (compiled
/// with target("avx2") beside their portable versions) are chosen with it; false where the
/// question has no meaning (not x86).
inline bool cpuHasAvx2() {
#if defined(__x86_64__) || defined(__i386__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    return avx2;
#else
    return false;
#endif
}

} // namespace featurescope
