#include "core/util/malloc_tuning.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace featurescope {

void tuneMallocForLargeArrays(char** argv) {
#if defined(__GLIBC__) && defined(__linux__)
    if (std::getenv("FEATURESCOPE_DEFAULT_MALLOC")) return;
    const char* current = std::getenv("GLIBC_TUNABLES");
    std::string tunables = current ? current : "";
    if (tunables.find("glibc.malloc.mmap_max") != std::string::npos) return;
    // 1 TiB: in practice never trimmed.
    tunables += std::string(tunables.empty() ? "" : ":") +
                "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1:"
                "glibc.malloc.trim_threshold=1099511627776";
    if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
    execv("/proc/self/exe", argv);
    // exec failed: carry on with malloc's defaults, and don't try again in this process tree.
    setenv("FEATURESCOPE_DEFAULT_MALLOC", "1", 1);
#else
    (void)argv;
#endif
}

} // namespace featurescope
