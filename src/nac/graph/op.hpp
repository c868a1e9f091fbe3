#pragma once
// What every op defines (in graph/ops/<name>.{hpp,cpp}), and the typed dispatch over the op table.
//
// An op struct has these static members:
//   Shape infer(const Node&, const std::vector<Shape>& in)          shape rule; throws GraphError
//   std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>& in)
//   template <class T> void forward(OpForward<T>&)                   batched forward
//   template <class T> void backward(OpBackward<T>&)                 batched backward
//   OpCost cost(const Node&, const std::vector<Shape>& in)           multiply-accumulate groups
// forward/backward are instantiated for float (training) and double (gradient checks).
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/node.hpp"

namespace nac {

class Rng;

enum class ParamInit {
  Zeros,
  Ones,
  FanInUniform,  // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for Linear/Conv
};

struct ParamSpec {
  std::string name;
  Shape shape;
  ParamInit init = ParamInit::Zeros;
  int fan_in = 1;
  bool trainable = true;
};

// One group of multiply-accumulates: `outputs` results, each a sum of `fan_in` products. The
// products are weight x activation when `weight` names a parameter, else activation x activation
// (attention). Costs (MACs, BOPs, resources) are computed from these groups by cost/.
struct MacGroup {
  std::string label;
  long long outputs = 0;
  long long fan_in = 0;
  std::string weight;  // parameter name, or empty for activation x activation products
};

struct OpCost {
  std::vector<MacGroup> macs;
  long long elementwise = 0;  // other per-sample operations (activations, norms, adds)
};

template <typename T>
struct OpForward {
  const Node& node;
  int batch;
  std::vector<const Tensor<T>*> in;  // batched inputs, [N, ...input shape]
  Tensor<T>& out;                    // already sized [N, ...node.shape]
  std::vector<Tensor<T>>& params;    // values, in node.params order
  std::vector<Tensor<T>>& saved;     // op-private state kept for backward
  bool training;
};

template <typename T>
struct OpBackward {
  const Node& node;
  int batch;
  std::vector<const Tensor<T>*> in;
  const Tensor<T>& out;
  const Tensor<T>& dout;
  std::vector<Tensor<T>*> din;  // add into these (zeroed by the executor); nullptr = not needed
  const std::vector<Tensor<T>>& params;
  std::vector<Tensor<T>>& dparams;  // add into these
  std::vector<Tensor<T>>& saved;
};

// Dispatch over the op table.
Shape op_infer(const Node& n, const std::vector<Shape>& in);
std::vector<ParamSpec> op_param_specs(const Node& n, const std::vector<Shape>& in);
OpCost op_cost(const Node& n, const std::vector<Shape>& in);
template <typename T>
void op_forward(OpForward<T>& f);
template <typename T>
void op_backward(OpBackward<T>& b);

// Shape-rule helper: throws GraphError "node 'name' (op): what; input shapes [..]".
[[noreturn]] void shape_error(const Node& n, const std::vector<Shape>& in, const std::string& what);

}  // namespace nac

// Instantiates an op's forward/backward for the engine's two scalar types.
#define NAC_INSTANTIATE_OP(OpType)                                  \
  template void OpType::forward<float>(::nac::OpForward<float>&);   \
  template void OpType::forward<double>(::nac::OpForward<double>&); \
  template void OpType::backward<float>(::nac::OpBackward<float>&); \
  template void OpType::backward<double>(::nac::OpBackward<double>&)
