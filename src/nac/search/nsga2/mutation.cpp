#include "nac/search/nsga2/mutation.hpp"

#include <algorithm>
#include <cmath>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac::nsga2 {

double polynomial_mutation(double x, double lo, double hi, double eta, Rng& rng) {
  if (!(hi > lo)) return lo;
  const double span = hi - lo;
  const double d1 = (x - lo) / span, d2 = (hi - x) / span;
  const double u = rng.uniform();
  const double power = 1.0 / (eta + 1.0);
  double dq;
  if (u < 0.5) {
    const double val = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - d1, eta + 1.0);
    dq = std::pow(val, power) - 1.0;
  } else {
    const double val = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(1.0 - d2, eta + 1.0);
    dq = 1.0 - std::pow(val, power);
  }
  return std::clamp(x + dq * span, lo, hi);
}

ChoiceValue mutate_value(const ChoiceSpec& c, const ChoiceValue& v, double eta, Rng& rng) {
  if (c.is_list()) {
    const auto n = c.values.size();
    if (n < 2) return c.values[0];
    std::size_t cur = n;
    for (std::size_t i = 0; i < n; ++i)
      if (c.values[i] == v) cur = i;
    if (cur == n) return c.values[rng.below(n)];
    const auto pick = rng.below(n - 1);  // uniform over the other values
    return c.values[pick >= cur ? pick + 1 : pick];
  }
  if (c.kind == ChoiceKind::Int) {
    const auto n = static_cast<std::int64_t>(c.cardinality());
    if (n < 2) return c.int_low;
    const auto* iv = std::get_if<std::int64_t>(&v);
    if (!iv || !c.contains(v)) return c.sample(rng);
    const std::int64_t idx = (*iv - c.int_low) / c.int_step;
    const double moved =
        polynomial_mutation(static_cast<double>(idx), 0.0, static_cast<double>(n - 1), eta, rng);
    auto next = static_cast<std::int64_t>(std::llround(moved));
    if (next == idx) {  // too small a move to change the index: step to a neighbour
      const bool up = moved > static_cast<double>(idx) ||
                      (moved == static_cast<double>(idx) && rng.below(2) == 0);
      next = up ? idx + 1 : idx - 1;
      if (next < 0) next = 1;
      if (next >= n) next = n - 2;
    }
    return c.int_low + next * c.int_step;
  }
  NAC_ASSERT(c.kind == ChoiceKind::Float);
  if (!value_is_number(v) || !c.contains(v)) return c.sample(rng);
  const double x = value_as_double(v);
  if (c.log)
    return std::clamp(
        std::exp(polynomial_mutation(std::log(x), std::log(c.low), std::log(c.high), eta, rng)),
        c.low, c.high);
  return polynomial_mutation(x, c.low, c.high, eta, rng);
}

Genotype mutate(const SearchSpace& space, const Genotype& g, double rate, double eta, Rng& rng) {
  if (rate < 0) rate = 1.0 / static_cast<double>(std::max<std::size_t>(1, g.size()));
  Genotype out;
  for (const auto& c : space.choices) {
    if (!space.is_active(c, out)) continue;
    const bool flip = rng.uniform() < rate;
    if (!g.has(c.name))
      out.set(c.name, c.sample(rng));
    else if (flip)
      out.set(c.name, mutate_value(c, g.at(c.name), eta, rng));
    else
      out.set(c.name, g.at(c.name));
  }
  return repair(space, out, rng);
}

}  // namespace nac::nsga2
