#include "nac/graph/ops/add.hpp"

namespace nac {

Shape AddOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() < 2) shape_error(n, in, "expects at least two inputs");
  for (const auto& s : in)
    if (s != in[0]) shape_error(n, in, "all inputs must have the same shape");
  return in[0];
}

template <typename T>
void AddOp::forward(OpForward<T>& f) {
  std::copy(f.in[0]->data.begin(), f.in[0]->data.end(), f.out.data.begin());
  for (std::size_t k = 1; k < f.in.size(); ++k)
    for (std::size_t i = 0; i < f.out.size(); ++i) f.out[i] += (*f.in[k])[i];
}

template <typename T>
void AddOp::backward(OpBackward<T>& b) {
  for (auto* d : b.din)
    if (d)
      for (std::size_t i = 0; i < b.dout.size(); ++i) (*d)[i] += b.dout[i];
}

OpCost AddOp::cost(const Node&, const std::vector<Shape>& in) {
  return {{}, static_cast<long long>(shape_size(in[0]) * (in.size() - 1))};
}

NAC_INSTANTIATE_OP(AddOp);

}  // namespace nac
