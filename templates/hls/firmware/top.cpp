// {{banner}}
// The top function: the model's layers in order, each an nnet kernel configured by its struct in
// parameters.h.
// {{pragma_doc}}
#include "{{top}}.h"

#include "parameters.h"

{{signature}} {
{{interface}}
  using namespace {{ns}};

{{body}}}
