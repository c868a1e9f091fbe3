// {{banner}}
// Layer configuration of {{top}}: the constants (exact mantissas, firmware/weights/) and one
// config struct per layer that sets sizes, types, reuse factor and strategy of an nnet kernel
// (firmware/nnet_utils/).
#ifndef {{guard}}
#define {{guard}}

#include "defines.h"
#include "nnet_utils/nnet_layers.h"

{{weight_includes}}
namespace {{ns}} {

{{configs}}
}  // namespace {{ns}}

#endif  // {{guard}}
