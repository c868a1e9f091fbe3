#include "nac/graph/ops/input.hpp"

namespace nac {

Shape InputOp::infer(const Node& n, const std::vector<Shape>& in) {
  auto it = n.attrs.find("shape");
  const auto* dims =
      it == n.attrs.end() ? nullptr : std::get_if<std::vector<std::int64_t>>(&it->second);
  if (!dims || dims->empty()) shape_error(n, in, "attribute 'shape' (a list of sizes) is required");
  Shape s;
  for (auto d : *dims) s.push_back(static_cast<int>(d));
  return s;
}

}  // namespace nac
