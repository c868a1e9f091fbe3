#pragma once
// A node of the graph IR (DESIGN.md §2).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/core/tensor.hpp"
#include "nac/graph/attrs.hpp"
#include "nac/graph/op_list.hpp"

namespace nac {

enum class OpKind {
#define NAC_OP_ENUM(kind, spelling, type) kind,
  NAC_FOR_EACH_OP(NAC_OP_ENUM)
#undef NAC_OP_ENUM
};

const char* op_name(OpKind k);
// Throws InputError naming `where` for an unknown spelling.
OpKind op_from_name(const std::string& name, const std::string& where);

// A named parameter of a node. Running statistics are parameters that are not trained.
struct Param {
  std::string name;
  Tensor<float> value;
  bool trainable = true;
  // Pruning mask (1 = kept, 0 = pruned), same size as value; empty means dense.
  std::vector<std::uint8_t> mask;
};

// The geometry of a lookup table (core/table.hpp's index rule): `size` entries over [lo, hi).
struct TableGeometry {
  int size = 1024;
  double lo = -8.0;
  double hi = 8.0;
  bool operator==(const TableGeometry&) const = default;
};

// Fixed-point annotations written by the compressor and read by the emulator and code generators.
// Their meaning, op by op, is docs/QUANTIZATION.md.
struct QuantAnnotation {
  std::optional<FixedFormat> input;   // every input of the node is converted into it first
  std::optional<FixedFormat> weight;  // weights (and attention projections)
  std::optional<FixedFormat> bias;
  std::optional<FixedFormat> accum;   // accumulator
  std::optional<FixedFormat> result;  // layer output
  // Named intermediate formats (alpha, exp, exp_sum, inv, q, k, v, score_accum, ...).
  std::map<std::string, FixedFormat> extra;
  // Table geometries overriding the defaults ("act", "exp", "inv").
  std::map<std::string, TableGeometry> tables;
  bool empty() const {
    return !input && !weight && !bias && !accum && !result && extra.empty() && tables.empty();
  }
  // Every format and table `o` sets replaces this one's (explicit per-layer choices over derived
  // ones); what `o` leaves unset stays.
  void overlay(const QuantAnnotation& o);
  bool operator==(const QuantAnnotation&) const = default;
};

struct Node {
  std::string name;
  OpKind op = OpKind::Input;
  std::vector<int> inputs;  // ids of earlier nodes
  Attrs attrs;
  Shape shape;  // per-sample output shape (batch implicit), set by shape inference
  std::vector<Param> params;
  QuantAnnotation quant;
  int reuse_factor = 1;

  // Attribute access; throws GraphError naming the node and key when missing or mistyped.
  std::int64_t attr_int(const std::string& key) const;
  std::int64_t attr_int(const std::string& key, std::int64_t fallback) const;
  double attr_float(const std::string& key, double fallback) const;
  std::string attr_str(const std::string& key) const;
  std::string attr_str(const std::string& key, const std::string& fallback) const;

  Param& param(const std::string& name);
  const Param& param(const std::string& name) const;
  const Param* find_param(const std::string& name) const;
};

}  // namespace nac
