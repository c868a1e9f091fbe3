// `nac info --model M`: prints a model's layers, shapes, parameter counts and annotations.
#include <cstdio>

#include "nac/cli/commands.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/graph/op.hpp"

namespace nac::cli {

void add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Describe a model file: layers, shapes, parameters");
  auto model_path = std::make_shared<std::string>();
  cmd->add_option("--model", *model_path, "model file")->required();
  cmd->callback([model_path] {
    const Model m = load_model(*model_path);
    std::printf("%-24s %-12s %-16s %10s  %s\n", "node", "op", "shape", "params", "quant");
    for (const Node& n : m.graph.nodes()) {
      long long count = 0;
      for (const auto& p : n.params)
        count += p.trainable ? static_cast<long long>(p.value.size()) : 0;
      std::string q;
      if (n.quant.weight) q += " w=" + n.quant.weight->str();
      if (n.quant.result) q += " y=" + n.quant.result->str();
      std::printf("%-24s %-12s %-16s %10lld %s\n", n.name.c_str(), op_name(n.op),
                  shape_str(n.shape).c_str(), count, q.c_str());
    }
    std::printf("trainable parameters: %lld\n", m.graph.parameter_count());
  });
}

}  // namespace nac::cli
