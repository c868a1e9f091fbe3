// `nac compress --model M --config TASK.yaml --out DIR [--epochs E] [--train-samples S]`: the
// local search on a trained float model (docs/COMPRESSION.md): precision sweep with QAT,
// iterative pruning, every point judged by the emulator and recorded in DIR/compress.db, the
// Pareto front written to DIR/{points.csv, front.csv, pareto.json, front.svg}. Ctrl-C stops after
// the current epoch; the same command continues.
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "nac/cli/commands.hpp"
#include "nac/compress/compress_run.hpp"

namespace nac::cli {
namespace {

std::atomic<bool> g_compress_stop{false};

extern "C" void on_compress_interrupt(int) { g_compress_stop.store(true); }

void run_compress_command(const CompressArgs& a) {
  struct sigaction sa {};
  sa.sa_handler = on_compress_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  const CompressResult r = run_compress(a, g_compress_stop);
  std::fprintf(stderr,
               "nac compress: %d quantised points (%d evaluated now), Pareto front of %d\n"
               "nac compress: wrote %s/{compress.db, points.csv, front.csv, pareto.json, "
               "front.svg, points/}\n",
               r.points, r.evaluated, r.front, r.dir.c_str());
  if (r.interrupted) {
    std::fprintf(stderr, "nac compress: interrupted; run the same command again to continue\n");
    std::fflush(stderr);
    std::exit(130);
  }
}

}  // namespace

void add_compress_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "compress", "Compress a trained model: QAT precision sweep and iterative pruning");
  auto args = std::make_shared<CompressArgs>();
  cmd->add_option("--model", args->model, "the trained float model file (model.json)")->required();
  cmd->add_option("--config", args->config, "task config (YAML) with a compress: section")
      ->required();
  cmd->add_option("--out", args->out, "output directory")->required();
  cmd->add_option("--epochs", args->epochs, "override compress.epochs")->check(CLI::PositiveNumber);
  cmd->add_option("--train-samples", args->train_samples,
                  "use at most this many training samples (quick runs)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args] { run_compress_command(*args); });
}

}  // namespace nac::cli
