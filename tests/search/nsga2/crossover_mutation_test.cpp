#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nac/core/rng.hpp"
#include "nac/search/nsga2/crossover.hpp"
#include "nac/search/nsga2/mutation.hpp"

namespace nac::nsga2 {
namespace {

// "x3" (append: GCC 12 misreports "literal" + std::string with -Wrestrict).
std::string xname(int i) {
  std::string s = "x";
  s.append(std::to_string(i));
  return s;
}

SearchSpace block_space() {
  SearchSpace s;
  s.add(categorical_choice("type", {"Conv", "Attn", "None"}));
  ChoiceSpec k = int_list_choice("kernel", {1, 3, 5});
  k.conditions = {{"type", {std::string("Conv")}}};
  s.add(k);
  ChoiceSpec h = int_range_choice("hidden", 1, 32);
  h.conditions = {{"type", {std::string("Attn")}}};
  s.add(h);
  for (int i = 0; i < 8; ++i) s.add(float_range_choice(xname(i), 0, 1));
  s.add(float_range_choice("lr", 1e-5, 1e-1, true));
  return s;
}

TEST(Crossover, SwapProbabilityPicksTheParent) {
  const SearchSpace s = block_space();
  Rng rng(1);
  const Genotype a = sample(s, rng), b = sample(s, rng);
  EXPECT_EQ(uniform_crossover(s, a, b, 0.0, rng), a);
  // With swap 1 every shared choice comes from b.
  const Genotype c = uniform_crossover(s, a, b, 1.0, rng);
  EXPECT_EQ(c.at("type"), b.at("type"));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(c.at(xname(i)), b.at(xname(i)));
}

TEST(Crossover, ChildIsValidAndMixesGenes) {
  const SearchSpace s = block_space();
  Rng rng(2);
  int from_b = 0, total = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Genotype a = sample(s, rng), b = sample(s, rng);
    const Genotype c = uniform_crossover(s, a, b, 0.5, rng);
    EXPECT_EQ(validate(s, c, "child"), c);
    for (const auto& [name, v] : c.values()) {
      const bool in_a = a.has(name) && a.at(name) == v, in_b = b.has(name) && b.at(name) == v;
      EXPECT_TRUE(in_a || in_b || (!a.has(name) && !b.has(name))) << name;
      if (name[0] == 'x') {
        ++total;
        from_b += in_b && !in_a;
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(from_b) / total, 0.5, 0.03);
}

TEST(Crossover, SubChoicesFollowTheChosenParentChoice) {
  const SearchSpace s = block_space();
  Genotype a, b;
  a.set("type", std::string("Conv"));
  a.set("kernel", std::int64_t{5});
  b.set("type", std::string("Attn"));
  b.set("hidden", std::int64_t{7});
  for (int i = 0; i < 8; ++i) {
    a.set(xname(i), 0.0);
    b.set(xname(i), 1.0);
  }
  a.set("lr", 1e-3);
  b.set("lr", 1e-2);
  Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    const Genotype c = uniform_crossover(s, a, b, 0.5, rng);
    if (c.get_str("type") == "Conv") {
      EXPECT_EQ(c.get_int("kernel"), 5);  // only a has it: taken from a
      EXPECT_FALSE(c.has("hidden"));
    } else {
      EXPECT_EQ(c.get_int("hidden"), 7);
      EXPECT_FALSE(c.has("kernel"));
    }
  }
}

TEST(Mutation, RateZeroKeepsRateOneChangesEveryListedChoice) {
  const SearchSpace s = block_space();
  Rng rng(4);
  for (int i = 0; i < 100; ++i) {
    const Genotype g = sample(s, rng);
    EXPECT_EQ(mutate(s, g, 0.0, 20, rng), g);
    const Genotype m = mutate(s, g, 1.0, 20, rng);
    EXPECT_EQ(validate(s, m, "mutant"), m);
    EXPECT_NE(m.at("type"), g.at("type"));
  }
}

TEST(Mutation, ListedValuesResampleAnotherValueUniformly) {
  const ChoiceSpec c = int_list_choice("w", {4, 8, 16, 32});
  Rng rng(5);
  std::map<std::int64_t, int> counts;
  for (int i = 0; i < 6000; ++i)
    ++counts[std::get<std::int64_t>(mutate_value(c, std::int64_t{8}, 20, rng))];
  EXPECT_EQ(counts.count(8), 0u);
  for (std::int64_t v : {4, 16, 32}) EXPECT_NEAR(counts[v], 2000, 150);
}

TEST(Mutation, IntegerRangesMoveToANearbyDifferentValue) {
  const ChoiceSpec c = int_range_choice("d", 1, 100);
  Rng rng(6);
  double total_move = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto v = std::get<std::int64_t>(mutate_value(c, std::int64_t{50}, 20, rng));
    EXPECT_NE(v, 50);
    EXPECT_GE(v, 1);
    EXPECT_LE(v, 100);
    total_move += std::abs(static_cast<double>(v - 50));
  }
  EXPECT_LT(total_move / 2000, 10.0);  // polynomial mutation with eta 20 stays local
  const ChoiceSpec two = int_range_choice("b", 0, 1);
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(std::get<std::int64_t>(mutate_value(two, std::int64_t{0}, 20, rng)), 1);
  const ChoiceSpec stepped = int_range_choice("s", 2, 10, 4);  // 2, 6, 10
  for (int i = 0; i < 50; ++i)
    EXPECT_TRUE(stepped.contains(mutate_value(stepped, std::int64_t{6}, 20, rng)));
}

TEST(Mutation, PolynomialMutationStaysInBoundsAndIsSymmetric) {
  Rng rng(7);
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double y = polynomial_mutation(0.5, 0.0, 1.0, 20, rng);
    ASSERT_GE(y, 0.0);
    ASSERT_LE(y, 1.0);
    sum += y - 0.5;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.003);
  for (int i = 0; i < 1000; ++i) {
    const double y = polynomial_mutation(0.0, 0.0, 1.0, 5, rng);  // at the bound
    ASSERT_GE(y, 0.0);
    ASSERT_LE(y, 1.0);
  }
  const ChoiceSpec lr = float_range_choice("lr", 1e-5, 1e-1, true);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(lr.contains(mutate_value(lr, 1e-3, 20, rng)));
}

TEST(Mutation, ParentChangeRedrawsSubChoices) {
  const SearchSpace s = block_space();
  Genotype g;
  g.set("type", std::string("Conv"));
  g.set("kernel", std::int64_t{3});
  for (int i = 0; i < 8; ++i) g.set(xname(i), 0.5);
  g.set("lr", 1e-3);
  Rng rng(8);
  std::set<std::string> types;
  for (int i = 0; i < 50; ++i) {
    const Genotype m = mutate(s, g, 1.0, 20, rng);
    types.insert(m.get_str("type"));
    EXPECT_EQ(validate(s, m, "m"), m);
  }
  EXPECT_EQ(types, (std::set<std::string>{"Attn", "None"}));
}

}  // namespace
}  // namespace nac::nsga2
