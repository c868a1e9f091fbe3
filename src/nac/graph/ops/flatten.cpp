#include "nac/graph/ops/flatten.hpp"

namespace nac {

Shape FlattenOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  return {static_cast<int>(shape_size(in[0]))};
}

template <typename T>
void FlattenOp::forward(OpForward<T>& f) {
  std::copy(f.in[0]->data.begin(), f.in[0]->data.end(), f.out.data.begin());
}

template <typename T>
void FlattenOp::backward(OpBackward<T>& b) {
  if (!b.din[0]) return;
  for (std::size_t i = 0; i < b.dout.size(); ++i) (*b.din[0])[i] += b.dout[i];
}

NAC_INSTANTIATE_OP(FlattenOp);

}  // namespace nac
