#include "nac/cost/paper_bops.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace nac {
namespace {

double zero_fraction(const Node& n, const std::string& weight) {
  const Param* p = n.find_param(weight);
  if (p == nullptr || p->value.size() == 0) return 0;
  const auto zeros = std::count(p->value.data.begin(), p->value.data.end(), 0.0f);
  return static_cast<double>(zeros) / static_cast<double>(p->value.size());
}

// get_conv2d_bops: whole input and output maps, the output taken as (H-2) x (W-2).
double conv_bops(double c_in, double c_out, double h, double w, double k, double s, double b) {
  const double in_numel = c_in * h * w;
  const double out_numel = c_out * (h - 2) * (w - 2);
  return out_numel * in_numel * k * k * ((1 - s) * b * b + 2 * b + std::log2(in_numel * k * k));
}

// get_matmul_bops for a (B, e, c) x (B, c, e) product: c * c * e multiplications at 32 bits.
double matmul_bops(double e, double c) { return c * c * e * 32 * 32 + c * c * (e - 1) * 32; }

// "block2_conv2" -> ("block2", 2); other names -> ("", 0).
std::pair<std::string, int> block_position(const std::string& name) {
  const auto at = name.rfind("_conv");
  if (at == std::string::npos || at + 5 >= name.size()) return {"", 0};
  const std::string digits = name.substr(at + 5);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {"", 0};
  return {name.substr(0, at), std::stoi(digits)};
}

}  // namespace

double paper_bops(const Graph& g, const PaperBopsOptions& opt) {
  const double b = opt.bits;
  const double batch = opt.batch_size;
  double total = 0;
  // Per Conv block: the map size the paper's code believes the next conv sees.
  std::map<std::string, std::pair<double, double>> block_map;
  for (int i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    const auto in = g.input_shapes(i);
    switch (n.op) {
      case OpKind::Conv2D: {
        double h = in[0][0], w = in[0][1];
        const auto [block, j] = block_position(n.name);
        if (j > 1 && block_map.count(block)) std::tie(h, w) = block_map[block];
        if (j > 0) block_map[block] = {h - 2, w - 2};
        total +=
            conv_bops(in[0][2], static_cast<double>(n.attr_int("filters")), h, w,
                      static_cast<double>(n.attr_int("kernel")), zero_fraction(n, "weight"), b);
        break;
      }
      case OpKind::ConvAttn: {
        const double h = in[0][0], w = in[0][1], c = in[0][2];
        const auto hidden = static_cast<double>(n.attr_int("hidden"));
        for (const char* p : {"k_weight", "q_weight", "v_weight"})
          total += conv_bops(c, hidden, h, w, 1, zero_fraction(n, p), b);
        total += conv_bops(c, c, h, w, 1, zero_fraction(n, "proj_weight"), b);
        const double e = h * w;
        total += batch * e * e * 1.5 * (b - 1) + batch * e * (e - 1) + batch * e * e;
        total += matmul_bops(e, c);  // Q K
        total += matmul_bops(c, c);  // S V
        break;
      }
      case OpKind::Dense: {
        const double fan_in = in[0].back();
        const auto units = static_cast<double>(n.attr_int("units"));
        total +=
            units * fan_in * ((1 - zero_fraction(n, "weight")) * b * b + 2 * b + std::log2(fan_in));
        break;
      }
      case OpKind::Aggregate: {
        const double m = in[0][0], d = in[0][1];
        const std::string fn = n.attr_str("fn");
        const double read = m * d * std::log2(m * d);
        if (fn == "max")
          total += (m - 1) * d * b + read;
        else if (fn == "mean")
          total += (d - 1) * m * b + m * std::log2(m) * b + read;
        else
          total += (d - 1) * m * b + read;
        break;
      }
      default:
        break;
    }
  }
  return total;
}

}  // namespace nac
