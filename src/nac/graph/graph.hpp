#pragma once
// The graph IR: a topologically ordered list of nodes (DESIGN.md §2).
#include <string>
#include <vector>

#include "nac/graph/node.hpp"

namespace nac {

class Rng;

class Graph {
 public:
  // Appends a node; inputs name earlier nodes. Returns its id. Shapes are set by finalize().
  int add(OpKind op, const std::string& name, const std::vector<int>& inputs, Attrs attrs = {});
  // Verifies the graph and infers every node's shape; creates any missing parameters with the
  // given initialiser stream (existing parameters are checked against the expected shapes).
  void finalize(Rng* init_rng = nullptr);
  // Re-initialises every parameter from `rng` (weights fan-in uniform, biases likewise, norms 1/0).
  void init_params(Rng& rng);

  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<Node>& nodes() { return nodes_; }
  const Node& node(int id) const { return nodes_.at(static_cast<std::size_t>(id)); }
  Node& node(int id) { return nodes_.at(static_cast<std::size_t>(id)); }
  int size() const { return static_cast<int>(nodes_.size()); }
  int find(const std::string& name) const;  // -1 when absent
  std::vector<int> input_ids() const;
  int output_id() const { return size() - 1; }  // the last node is the output
  const Shape& input_shape() const;             // the (single) input's per-sample shape
  const Shape& output_shape() const { return nodes_.back().shape; }
  std::vector<Shape> input_shapes(int id) const;
  long long parameter_count(bool trainable_only = true) const;

 private:
  std::vector<Node> nodes_;
};

}  // namespace nac
