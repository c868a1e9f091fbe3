#include "nac/graph/op.hpp"

#include "nac/core/error.hpp"
#include "nac/graph/ops/all.hpp"

namespace nac {

#define NAC_OP_CASE(kind, spelling, type, call) \
  case OpKind::kind:                            \
    return type::call;

Shape op_infer(const Node& n, const std::vector<Shape>& in) {
  switch (n.op) {
#define X(kind, spelling, type) NAC_OP_CASE(kind, spelling, type, infer(n, in))
    NAC_FOR_EACH_OP(X)
#undef X
  }
  NAC_ASSERT(false);
}

std::vector<ParamSpec> op_param_specs(const Node& n, const std::vector<Shape>& in) {
  switch (n.op) {
#define X(kind, spelling, type) NAC_OP_CASE(kind, spelling, type, param_specs(n, in))
    NAC_FOR_EACH_OP(X)
#undef X
  }
  NAC_ASSERT(false);
}

OpCost op_cost(const Node& n, const std::vector<Shape>& in) {
  switch (n.op) {
#define X(kind, spelling, type) NAC_OP_CASE(kind, spelling, type, cost(n, in))
    NAC_FOR_EACH_OP(X)
#undef X
  }
  NAC_ASSERT(false);
}

template <typename T>
void op_forward(OpForward<T>& f) {
  switch (f.node.op) {
#define X(kind, spelling, type) NAC_OP_CASE(kind, spelling, type, template forward<T>(f))
    NAC_FOR_EACH_OP(X)
#undef X
  }
  NAC_ASSERT(false);
}

template <typename T>
void op_backward(OpBackward<T>& b) {
  switch (b.node.op) {
#define X(kind, spelling, type) NAC_OP_CASE(kind, spelling, type, template backward<T>(b))
    NAC_FOR_EACH_OP(X)
#undef X
  }
  NAC_ASSERT(false);
}

template void op_forward<float>(OpForward<float>&);
template void op_forward<double>(OpForward<double>&);
template void op_backward<float>(OpBackward<float>&);
template void op_backward<double>(OpBackward<double>&);

void shape_error(const Node& n, const std::vector<Shape>& in, const std::string& what) {
  std::string shapes;
  for (const auto& s : in) shapes += (shapes.empty() ? "" : ", ") + shape_str(s);
  throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): " + what +
                   "; input shapes: " + (shapes.empty() ? "none" : shapes));
}

}  // namespace nac
