// How glibc's malloc serves the large arrays of an analysis: from one heap, reused, not returned.
#pragma once

namespace featurescope {

/// Tunes glibc's malloc for programs that analyse track after track (featurescope-extract, the
/// benchmarks, the parity runner):
///
/// - `glibc.malloc.mmap_max=0`, `glibc.malloc.arena_max=1`: every block comes from the one brk
///   heap, never from a fresh mmap;
/// - `glibc.malloc.trim_threshold=...`: freed memory stays in that heap for the next array.
///
/// An analysis allocates arrays of tens of megabytes (a 3-minute STFT is 63 MB) and writes every
/// page of them. Served by mmap, each array is new memory which the kernel must fault in and zero
/// and, once freed, unmap on every core: measured on a 3-minute analysis, 390 000 page faults
/// and 45 % of the CPU time in the kernel, where reused memory takes about 1 000 faults.
/// Transparent huge pages (`glibc.malloc.hugetlb=1`) cut the faults of fresh memory too, and
/// were used before, but on the brk heap they made a one-hour analysis 60 % slower (18.6 s
/// against 12.2 s) for no gain at three minutes, where the memory is reused anyway. The price is
/// that a process keeps its peak heap until it exits, which suits a batch run; the GUI does not
/// call this.
///
/// Tunables are read only at process start, so when they are not yet set this re-executes the
/// program (/proc/self/exe, same arguments) with them added to GLIBC_TUNABLES. Call it first
/// thing in main(), before any thread starts. It does nothing when GLIBC_TUNABLES already names
/// `glibc.malloc.mmap_max`, when FEATURESCOPE_DEFAULT_MALLOC is set, or where it cannot work (not
/// glibc, exec failed): the program then runs with malloc's defaults.
void tuneMallocForLargeArrays(char** argv);

} // namespace featurescope
