// featurescope-extract: librosa's features for a folder of tracks, one command.
#include "app/extract/extract.h"
#include "app/extract/merge.h"
#include "app/extract/options.h"
#include "app/extract/slurm_script.h"
#include "core/malloc_tuning.h"

#include <cstdio>
#include <exception>

#ifndef FEATURESCOPE_VERSION
#define FEATURESCOPE_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    featurescope::tuneMallocForLargeArrays(argv);
    using namespace featurescope::extract;
    if (argc > 1 && std::string(argv[1]) == "slurm-script")
        return runSlurmScript(std::vector<std::string>(argv + 2, argv + argc));
    try {
        const Options options = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
        if (options.help) {
            std::fputs(usage().c_str(), stdout);
            return 0;
        }
        if (options.version) {
            std::printf("featurescope-extract %s (librosa 0.10.2 semantics)\n",
                        FEATURESCOPE_VERSION);
            return 0;
        }
        return options.merge ? runMerge(options) : runExtract(options);
    } catch (const UsageError& error) {
        std::fprintf(stderr, "featurescope-extract: %s\nTry 'featurescope-extract --help'.\n",
                     error.what());
        return 2;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "featurescope-extract: %s\n", error.what());
        return 2;
    }
}
