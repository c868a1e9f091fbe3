#pragma once
// The quantised meaning of each node, resolved once for every backend (docs/QUANTIZATION.md):
// the format each input is seen in, the result format, the weight/bias/accumulator formats, the
// named intermediate formats (defaults applied) and the built tables. The emulator, QAT and the
// code generators read this rather than the raw annotations, so no backend re-derives a format.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/core/table.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/ops/activation.hpp"

namespace nac {

struct OpQuant {
  bool quantized = false;       // false: the node runs in float (QAT of a partly annotated graph)
  std::vector<FixedFormat> in;  // the format each input is seen in (after the cast)
  std::optional<FixedFormat> cast;  // quant.input: every input is converted into it first
  FixedFormat result;
  std::optional<FixedFormat> weight, bias, accum;
  std::map<std::string, FixedFormat> extra;  // named intermediates, defaults applied
  std::map<std::string, Table> tables;       // "act", "exp", "inv" as the op needs them
  Activation act;                            // activation / conv_attn: the function

  const FixedFormat& ex(const std::string& name) const { return extra.at(name); }
  const Table& table(const std::string& name) const { return tables.at(name); }
};

struct ResolveOptions {
  // true: every node must be quantised (the emulator, the code generators); false: nodes without
  // annotations stay float (QAT), a quantised node reading a float one needs quant.input.
  bool require_all = true;
  int max_width = 63;  // widest format accepted (int64 mantissas with a spare bit)
};

// Per node id. Throws GraphError naming the node (and what is missing or refused).
std::vector<OpQuant> resolve_quant(const Graph& g, const ResolveOptions& opt = {});

// The spec of a node's table: the default geometry with the node's quant.tables override.
TableSpec node_table_spec(const Node& n, const std::string& table, TableFunction fn,
                          const FixedFormat& input, const FixedFormat& output);

// The extra format names an op accepts (docs/QUANTIZATION.md).
const std::vector<std::string>& allowed_extras(OpKind op);

// The default geometry of a node's table (docs/QUANTIZATION.md), before quant.tables overrides.
TableSpec default_table_spec(const std::string& table, TableFunction fn, const FixedFormat& input,
                             const FixedFormat& output);

// The table function of a table activation (sigmoid, tanh, gelu), or nullopt for exact ones.
std::optional<TableFunction> act_table_function(ActFn fn);

// The default format of leaky_relu's slope.
FixedFormat default_alpha_format();

}  // namespace nac
