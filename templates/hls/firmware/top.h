// {{banner}}
// The top function of the generated HLS design.
#ifndef {{guard}}
#define {{guard}}

#include "defines.h"
{{stream_include}}
// {{io_doc}}
{{signature}};

#endif  // {{guard}}
