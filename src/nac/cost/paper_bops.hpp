#pragma once
// The BOP count of the NAC paper's code (utils/bops.py of its repository), reproduced with its
// quirks so that nac can print the paper's figures beside its own (docs/COST.md):
//   - conv2d: out_numel * in_numel * k^2 * ((1-s) b^2 + 2b + log2(in_numel k^2)) where in_numel and
//     out_numel are whole activation maps (C_in H W and C_out (H-2)(W-2)): every conv is taken to
//     shrink the map by 2, also a 1x1 one, and inside a Conv block each later conv sees the map
//     shrunk by 2 per earlier conv (convs named "<block>_convJ" by the architecture builder form
//     a block; any other conv starts from its real input size);
//   - conv_attn: q, k, v and the projection as such convs (the projection with C_in = the block's
//     channels), a softmax term B E^2 1.5 (b-1) + B E (E-1) + B E^2 with E = H W and B the
//     training batch size, and the two attention products at 32 bits whatever b;
//   - dense: out * in * ((1-s) b^2 + 2b + log2(in)), once per layer even when applied to every
//     element of a set (DeepSets' phi);
//   - aggregate over [n, d]: mean (d-1) n b + n log2(n) b + n d log2(n d), max (n-1) d b +
//     n d log2(n d); sum (not in the paper) as mean without the division term;
//   - norms, activations, adds, flatten: nothing.
// s is the fraction of exact zeros in the weight tensor, as the paper's get_sparsity.
#include "nac/graph/graph.hpp"

namespace nac {

struct PaperBopsOptions {
  int bits = 32;         // b: weights and activations (the paper's bit_width)
  int batch_size = 256;  // B of the softmax term (the Bragg search's batch size)
};

double paper_bops(const Graph& g, const PaperBopsOptions& opt = {});

}  // namespace nac
