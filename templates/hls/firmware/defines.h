// {{banner}}
// Types of {{top}}: one ap_fixed typedef per format of every layer (docs/QUANTIZATION.md of nac
// says where each converts), the raw integer types of the constants' mantissas, and the top
// function's input and output types and sizes.
#ifndef {{guard}}
#define {{guard}}

#include <ap_fixed.h>
#include <ap_int.h>

namespace {{ns}} {

{{typedefs}}
// The top function's input (format {{input_format}}) and output (format {{output_format}}).
typedef {{input_type}} input_t;
typedef {{input_raw}} input_raw_t;
typedef {{output_type}} result_t;
typedef {{output_raw}} result_raw_t;
const int n_input = {{n_input}};
const int n_output = {{n_output}};

}  // namespace {{ns}}

#endif  // {{guard}}
