#pragma once
// Small graph-building steps shared by the architecture builders.
#include <string>

#include "nac/graph/graph.hpp"
#include "nac/space/search_space.hpp"

namespace nac::arch {

// Appends norm ("none" | "batch" | "layer", layer over `layer_axes`) and activation (identity
// adds nothing) after node x; returns the last node.
int add_norm_act(Graph& g, int x, const std::string& prefix, const std::string& norm,
                 const std::string& act, const char* layer_axes);

// A dense stack as the space describes it under `key` (key.depth layers; layer k < depth is
// key.layerK.{width,activation,norm}, the last is `last_width` wide with key.out.{activation,
// norm}). Returns the last node.
int add_dense_stack(Graph& g, int x, const SearchSpace& space, const Genotype& geno,
                    const std::string& key, int last_width);

}  // namespace nac::arch
