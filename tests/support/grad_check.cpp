#include "grad_check.hpp"

#include <cmath>

#include "nac/core/rng.hpp"
#include "nac/train/executor.hpp"

namespace nac::testing {
namespace {

double loss_of(Executor<double>& ex, const Tensor<double>& x, const Tensor<double>& r, bool train) {
  const auto& y = ex.forward(x, train);
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i) s += y[i] * r[i];
  return s;
}

void compare(double analytic, double numeric, const std::string& where, GradCheckResult& res) {
  const double err =
      std::abs(analytic - numeric) / std::max(1e-3, std::abs(analytic) + std::abs(numeric));
  ++res.checked;
  if (err > res.max_rel_error) {
    res.max_rel_error = err;
    res.worst =
        where + " analytic=" + std::to_string(analytic) + " numeric=" + std::to_string(numeric);
  }
}

std::vector<std::size_t> pick(std::size_t n, int max_n, Rng& rng) {
  std::vector<std::size_t> idx;
  if (n <= static_cast<std::size_t>(max_n)) {
    for (std::size_t i = 0; i < n; ++i) idx.push_back(i);
  } else {
    for (int k = 0; k < max_n; ++k) idx.push_back(rng.below(n));
  }
  return idx;
}

}  // namespace

GradCheckResult grad_check(Graph g, const GradCheckOptions& opt) {
  Rng rng(opt.seed);
  g.finalize(&rng);
  Executor<double> ex(g);
  Shape xs{opt.batch};
  for (int d : g.input_shape()) xs.push_back(d);
  Tensor<double> x(xs);
  for (auto& v : x.data) v = rng.uniform(-1, 1) * opt.input_scale;
  const auto& y0 = ex.forward(x, opt.training);
  Tensor<double> r(y0.shape);
  for (auto& v : r.data) v = rng.uniform(-1, 1);

  ex.zero_grads();
  ex.forward(x, opt.training);
  ex.backward(r);
  const auto grads = ex.grads();
  const Tensor<double> dx = ex.input_grad();

  GradCheckResult res;
  for (std::size_t n = 0; n < grads.size(); ++n) {
    for (std::size_t k = 0; k < grads[n].size(); ++k) {
      const Param& p = g.node(static_cast<int>(n)).params[k];
      if (!p.trainable) continue;
      auto& v = ex.params()[n][k];
      for (std::size_t i : pick(v.size(), opt.max_entries_per_tensor, rng)) {
        const double keep = v[i];
        v[i] = keep + opt.eps;
        const double lp = loss_of(ex, x, r, opt.training);
        v[i] = keep - opt.eps;
        const double lm = loss_of(ex, x, r, opt.training);
        v[i] = keep;
        compare(grads[n][k][i], (lp - lm) / (2 * opt.eps),
                g.node(static_cast<int>(n)).name + "." + p.name + "[" + std::to_string(i) + "]",
                res);
      }
    }
  }
  for (std::size_t i : pick(x.size(), opt.max_entries_per_tensor, rng)) {
    const double keep = x[i];
    x[i] = keep + opt.eps;
    const double lp = loss_of(ex, x, r, opt.training);
    x[i] = keep - opt.eps;
    const double lm = loss_of(ex, x, r, opt.training);
    x[i] = keep;
    compare(dx[i], (lp - lm) / (2 * opt.eps), "input[" + std::to_string(i) + "]", res);
  }
  return res;
}

}  // namespace nac::testing
