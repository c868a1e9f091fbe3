#include "nac/data/bragg_file.hpp"

#include "nac/data/hdf5_writer.hpp"

namespace nac {

void write_bragg_hdf5(const std::string& path, const Dataset& d, std::uint64_t seed,
                      const BraggOptions& o, const BraggStats& stats) {
  Hdf5Writer w(path);
  // Images without the channel axis, the layout of the BraggNN frames' patches.
  w.write("x", {d.x.dim(0), d.x.dim(1), d.x.dim(2)}, d.x.ptr());
  w.write("y", d.y);
  w.attribute("generator", std::string("bragg"));
  w.attribute("generator_version", std::int64_t{1});
  w.attribute("seed", seed);
  w.attribute("samples", static_cast<std::int64_t>(d.size()));
  w.attribute("label",
              std::string("y[:, 0] = x centre (column) / patch, y[:, 1] = y centre (row) / "
                          "patch; pixel (r, c) covers [c, c+1) x [r, r+1)"));
  for (const auto& [name, value] : bragg_parameters(o)) w.attribute(name, value);
  w.attribute("count_neighbors", static_cast<std::int64_t>(stats.neighbors));
  w.attribute("count_cleaned", static_cast<std::int64_t>(stats.cleaned));
  w.attribute("count_redraws", static_cast<std::int64_t>(stats.redraws));
  w.close();
}

}  // namespace nac
