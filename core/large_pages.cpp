#include "core/large_pages.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace featurescope {

void enableHugePagesForLargeArrays(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
    if (std::getenv("FEATURESCOPE_NO_HUGE_PAGES")) return;
    const char* current = std::getenv("GLIBC_TUNABLES");
    std::string tunables = current ? current : "";
    if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
    tunables += (tunables.empty() ? "" : ":") + std::string("glibc.malloc.hugetlb=1");
    if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
    execv("/proc/self/exe", argv);
    // exec failed: carry on with normal pages, and don't try again in this process tree.
    setenv("FEATURESCOPE_NO_HUGE_PAGES", "1", 1);
#else
    (void)argv;
#endif
}

} // namespace featurescope
