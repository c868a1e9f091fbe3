#pragma once
// A small pass manager (DESIGN.md §9): named passes run in order, each switchable, timed and
// followed by verification of the graph (structure, shapes, parameters and the formats present),
// so a pass that breaks the graph is named at once.
#include <functional>
#include <string>
#include <vector>

#include "nac/graph/graph.hpp"

namespace nac {

struct PassRun {
  std::string name;
  double seconds = 0;
};

class PassManager {
 public:
  using Pass = std::function<void(Graph&)>;

  PassManager& add(std::string name, Pass pass);
  // Throws InputError naming the known passes for an unknown name.
  void set_enabled(const std::string& name, bool enabled);
  std::vector<std::string> names() const;

  // Runs the enabled passes in order, verifying after each; throws GraphError "after pass
  // 'name': ..." when the graph no longer verifies.
  std::vector<PassRun> run(Graph& g) const;

 private:
  struct Entry {
    std::string name;
    Pass pass;
    bool enabled = true;
  };
  std::vector<Entry> passes_;
};

// The checks run after every pass: finalize (structure, shapes, parameter shapes and masks) and,
// for annotated nodes, the formats present: widths nac supports (<= 63 bits), extra formats the
// op knows, no layernorm annotated.
void verify_graph(Graph& g);

}  // namespace nac
