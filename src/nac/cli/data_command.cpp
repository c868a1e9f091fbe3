// `nac data bragg`: generates the built-in Bragg-peak dataset into an HDF5 file.
#include <chrono>
#include <cstdio>
#include <memory>

#include "nac/cli/commands.hpp"
#include "nac/data/bragg.hpp"
#include "nac/data/bragg_file.hpp"

namespace nac::cli {
namespace {

struct BraggArgs {
  long long n = 0;
  std::uint64_t seed = 0;
  std::string out;
  BraggOptions o;
};

void add_bragg(CLI::App& data) {
  auto* cmd = data.add_subcommand("bragg", "Generate Bragg-peak patches (docs/DATA.md) as HDF5");
  auto a = std::make_shared<BraggArgs>();
  BraggOptions& o = a->o;
  cmd->add_option("--n", a->n, "number of patches")->required()->check(CLI::PositiveNumber);
  cmd->add_option("--seed", a->seed, "random seed (same seed, same file)")->capture_default_str();
  cmd->add_option("--out", a->out, "output file (.h5)")->required();
  cmd->add_option("--patch", o.patch, "patch side in pixels")->capture_default_str();
  cmd->add_option("--x-nodes", o.x_nodes, "Gauss-Legendre nodes per pixel in x")
      ->capture_default_str();
  cmd->add_option("--sigma-min", o.sigma_min, "min Gaussian sigma (px)")->capture_default_str();
  cmd->add_option("--sigma-max", o.sigma_max, "max Gaussian sigma (px)")->capture_default_str();
  cmd->add_option("--eta-min", o.eta_min, "min Lorentzian fraction")->capture_default_str();
  cmd->add_option("--eta-max", o.eta_max, "max Lorentzian fraction")->capture_default_str();
  cmd->add_option("--center-jitter", o.center_jitter, "max centre offset from the middle (px)")
      ->capture_default_str();
  cmd->add_option("--intensity-min", o.intensity_min, "min integrated intensity (counts)")
      ->capture_default_str();
  cmd->add_option("--intensity-max", o.intensity_max, "max integrated intensity (counts)")
      ->capture_default_str();
  cmd->add_option("--background-min", o.background_min, "min background (counts/px)")
      ->capture_default_str();
  cmd->add_option("--background-max", o.background_max, "max background (counts/px)")
      ->capture_default_str();
  cmd->add_option("--background-gradient", o.background_gradient,
                  "max background slope (counts/px per px)")
      ->capture_default_str();
  cmd->add_option("--threshold", o.threshold, "detector threshold (counts)")->capture_default_str();
  cmd->add_option("--neighbor-probability", o.neighbor_probability,
                  "chance of a neighbouring peak at the edge")
      ->capture_default_str();
  cmd->add_option("--neighbor-edge-offset", o.neighbor_edge_offset,
                  "neighbour centre within +- this of the edge (px)")
      ->capture_default_str();
  cmd->add_option("--reject-merged", o.reject_merged,
                  "redraw patches whose neighbour touches the peak (true/false)")
      ->capture_default_str();
  cmd->add_option("--poisson-noise", o.poisson_noise, "Poisson counting noise (true/false)")
      ->capture_default_str();
  cmd->add_option("--connectivity", o.connectivity, "cleaning neighbourhood: 4 or 8")
      ->capture_default_str();
  cmd->callback([a] {
    const auto t0 = std::chrono::steady_clock::now();
    BraggStats stats;
    const Dataset d = generate_bragg(a->n, a->seed, a->o, &stats);
    write_bragg_hdf5(a->out, d, a->seed, a->o, stats);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "wrote %lld Bragg patches %dx%d to %s (seed %llu): %lld with a neighbour peak, %lld "
        "cleaned, %lld redraws, %.2f s\n",
        a->n, a->o.patch, a->o.patch, a->out.c_str(), static_cast<unsigned long long>(a->seed),
        stats.neighbors, stats.cleaned, stats.redraws, s);
  });
}

}  // namespace

void add_data_command(CLI::App& app) {
  auto* data = app.add_subcommand("data", "Generate built-in datasets");
  data->require_subcommand(1);
  add_bragg(*data);
}

}  // namespace nac::cli
