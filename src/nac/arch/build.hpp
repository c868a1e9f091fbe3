#pragma once
// Genotype + search space -> graph IR (DESIGN.md §4): the space's kind says which builder reads
// the choices (names as in examples/spaces/*.yaml).
//   bragg:    input [H, W, C] -> stem conv (valid) -> block slots (Conv: conv -> norm -> act per
//             layer; ConvAttn; None) -> flatten -> dense head (dense -> norm -> act per layer).
//   deepsets: input [n, F] -> phi (dense per element) -> aggregate (mean|max|sum) -> rho.
//   mlp:      input (flattened if not a vector) -> dense stack.
// Rules:
//   - Convolutions use no padding. A kernel that would shrink the map below 1x1 becomes 1x1
//     (the NAC paper's rule): within a Conv block, while the block's kernels together would
//     leave no pixel, the first kernel larger than 1 becomes 1; the stem likewise.
//   - Layer norm after a convolution normalises the whole map (nn.LayerNorm([C, H, W])); after a
//     dense layer, each vector (per set element in phi).
//   - An identity activation adds no node; leaky_relu has slope 0.01.
// Same genotype and same init seed -> byte-identical model file.
#include "nac/graph/graph.hpp"
#include "nac/space/search_space.hpp"

namespace nac {

// Validates `g` against the space (InputError naming the choice), builds and finalises the
// graph; parameters are initialised from init_rng when given.
Graph build_graph(const SearchSpace& space, const Genotype& g, Rng* init_rng = nullptr);

// The kernels a Conv block really uses on a map whose smaller side is `size` (the rule above).
std::vector<int> effective_kernels(std::vector<int> kernels, int size);

}  // namespace nac
