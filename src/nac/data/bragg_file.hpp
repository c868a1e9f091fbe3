#pragma once
// The HDF5 layout the Bragg generator writes (docs/DATA.md): datasets x [N, H, W] float32 and
// y [N, 2] float32, and root attributes recording the generator, seed, parameters and counts.
#include <cstdint>
#include <string>

#include "nac/data/bragg.hpp"

namespace nac {

void write_bragg_hdf5(const std::string& path, const Dataset& d, std::uint64_t seed,
                      const BraggOptions& o, const BraggStats& stats);

}  // namespace nac
