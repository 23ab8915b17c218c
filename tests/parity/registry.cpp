#include "registry.h"

namespace parity {

void registerAllOutputs(Registry& registry) {
    registerAudioOutputs(registry);
    registerStftOutputs(registry);
}

} // namespace parity
