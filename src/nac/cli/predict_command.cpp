// `nac predict --model M --data D [--emulate] --out P.npy`: model outputs for every sample of a
// data file (inputs normalised as the model was trained), in float or through the fixed-point
// emulator, written as a float32 .npy [N, ...output shape].
#include <cstdio>

#include "nac/cli/commands.hpp"
#include "nac/cli/model_inputs.hpp"
#include "nac/data/npy.hpp"

namespace nac::cli {

void add_predict_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("predict", "Write a model's predictions for a data file (.npy)");
  auto args = std::make_shared<ModelDataArgs>();
  auto out = std::make_shared<std::string>();
  add_model_data_options(cmd, *args);
  cmd->add_option("--out", *out, "output .npy file")->required();
  cmd->callback([args, out] {
    const Model m = load_model(args->model);
    const Tensor<float> x = load_inputs(*args, m);
    long long overflows = 0;
    const Tensor<float> y = run_model(m, x, args->emulate, args->batch, &overflows);
    write_npy(*out, y);
    std::fprintf(stderr, "nac predict: %d samples (%s) -> %s %s\n", x.dim(0),
                 args->emulate ? "fixed-point emulator" : "float", out->c_str(),
                 shape_str(y.shape).c_str());
    if (args->emulate && overflows > 0)
      std::fprintf(stderr, "nac predict: warning: %lld fixed-point conversions overflowed\n",
                   overflows);
  });
}

}  // namespace nac::cli
