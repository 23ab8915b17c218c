// Transparent huge pages for the large arrays of an analysis.
#pragma once

namespace featurescope {

/// Makes glibc's malloc back its large blocks with transparent huge pages
/// (the `glibc.malloc.hugetlb=1` tunable, glibc >= 2.35).
///
/// An analysis allocates arrays of tens of megabytes (a 3-minute STFT is 63 MB) and touches every
/// page once: with 4 KiB pages the page faults alone cost as much as the FFTs (35 ms of a 75 ms
/// STFT, measured). Tunables are read only at process start, so when the tunable is not yet set
/// this re-executes the program (/proc/self/exe, same arguments) with it added to
/// GLIBC_TUNABLES. Call it first thing in main(), before any thread starts. It does nothing when
/// the tunable is already set, when FEATURESCOPE_NO_HUGE_PAGES is set, or where it cannot work
/// (not glibc, exec failed): the program then simply runs with normal pages.
void enableHugePagesForLargeArrays(char** argv);

} // namespace featurescope
