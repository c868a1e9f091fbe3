#include "nac/space/search_space.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

// block.type in {Conv, None}; Conv has a kernel; a depth 1..3 with per-layer widths.
SearchSpace small_space() {
  SearchSpace s;
  s.name = "small";
  s.add(categorical_choice("block.type", {"Conv", "None"}));
  ChoiceSpec k = int_list_choice("block.kernel", {1, 3, 5});
  k.conditions = {{"block.type", {std::string("Conv")}}};
  s.add(k);
  s.add(int_range_choice("depth", 1, 3));
  ChoiceSpec w2 = int_range_choice("layer2.width", 4, 64, 4);
  w2.conditions = {{"depth", {std::int64_t{2}, std::int64_t{3}}}};
  s.add(w2);
  ChoiceSpec w3 = int_range_choice("layer3.width", 4, 64, 4);
  w3.conditions = {{"depth", {std::int64_t{3}}}};
  s.add(w3);
  s.add(float_range_choice("lr", 1e-4, 1e-1, true));
  return s;
}

TEST(SearchSpace, SampleHoldsExactlyTheActiveChoices) {
  const SearchSpace s = small_space();
  Rng rng(1);
  std::set<std::int64_t> depths;
  for (int i = 0; i < 200; ++i) {
    const Genotype g = sample(s, rng);
    const bool conv = g.get_str("block.type") == "Conv";
    const auto depth = g.get_int("depth");
    depths.insert(depth);
    EXPECT_EQ(g.has("block.kernel"), conv);
    EXPECT_EQ(g.has("layer2.width"), depth >= 2);
    EXPECT_EQ(g.has("layer3.width"), depth >= 3);
    EXPECT_EQ(g.size(), 3u + conv + (depth >= 2) + (depth >= 3));
    EXPECT_EQ(active_choices(s, g).size(), g.size());
    EXPECT_EQ(validate(s, g, "t"), g);
    if (g.has("layer2.width")) {
      EXPECT_EQ(g.get_int("layer2.width") % 4, 0);
    }
    const double lr = g.get_float("lr");
    EXPECT_GE(lr, 1e-4);
    EXPECT_LE(lr, 1e-1);
  }
  EXPECT_EQ(depths, (std::set<std::int64_t>{1, 2, 3}));
}

TEST(SearchSpace, SamplingIsDeterministicPerSeed) {
  const SearchSpace s = small_space();
  Rng a(42), b(42), c(43);
  const Genotype ga = sample(s, a), gb = sample(s, b), gc = sample(s, c);
  EXPECT_EQ(ga.to_string(), gb.to_string());
  EXPECT_NE(ga.to_string(), gc.to_string());
}

TEST(SearchSpace, ChoiceSamplesCoverTheDomainUniformly) {
  const ChoiceSpec c = int_range_choice("w", 2, 10, 2);  // 2,4,6,8,10
  EXPECT_EQ(c.cardinality(), 5u);
  Rng rng(3);
  std::map<std::int64_t, int> counts;
  for (int i = 0; i < 5000; ++i) ++counts[std::get<std::int64_t>(c.sample(rng))];
  ASSERT_EQ(counts.size(), 5u);
  for (const auto& [v, n] : counts) {
    EXPECT_EQ(v % 2, 0);
    EXPECT_NEAR(n, 1000, 120);
  }
  // Log-uniform: half of the draws fall below the geometric mean.
  const ChoiceSpec f = float_range_choice("lr", 1e-4, 1.0, true);
  int below = 0;
  for (int i = 0; i < 4000; ++i) below += std::get<double>(f.sample(rng)) < 1e-2;
  EXPECT_NEAR(below, 2000, 150);
  EXPECT_TRUE(f.contains(std::int64_t{1}));
  EXPECT_FALSE(f.contains(2.0));
  EXPECT_FALSE(c.contains(std::int64_t{3}));
  EXPECT_FALSE(c.contains(4.0));
}

TEST(SearchSpace, ValidateNamesTheOffendingChoice) {
  const SearchSpace s = small_space();
  Genotype g;
  g.set("block.type", std::string("None"));
  g.set("depth", std::int64_t{1});
  g.set("lr", std::int64_t{0});  // out of range
  auto message = [&](const Genotype& x) {
    try {
      validate(s, x, "trial 7");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(g).find("lr"), std::string::npos);
  EXPECT_NE(message(g).find("trial 7"), std::string::npos);
  g.set("lr", 0.01);
  EXPECT_EQ(message(g), "");
  g.set("block.kernel", std::int64_t{3});  // inactive under None
  EXPECT_NE(message(g).find("not active"), std::string::npos);
  g.erase("block.kernel");
  g.set("bogus", std::int64_t{1});
  EXPECT_NE(message(g).find("not in search space"), std::string::npos);
  g.erase("bogus");
  g.erase("depth");
  EXPECT_NE(message(g).find("lacks choice 'depth'"), std::string::npos);
}

TEST(SearchSpace, ValidateTurnsIntegersOfFloatChoicesIntoFloats) {
  SearchSpace s;
  s.add(float_range_choice("x", 0, 2));
  Genotype g;
  g.set("x", std::int64_t{1});
  const Genotype v = validate(s, g, "t");
  EXPECT_TRUE(std::holds_alternative<double>(v.at("x")));
  EXPECT_EQ(v.to_string(), R"({"x":1.0})");
}

TEST(SearchSpace, RepairKeepsValidValuesAndFillsTheRest) {
  const SearchSpace s = small_space();
  Genotype partial;
  partial.set("block.type", std::string("Conv"));  // kernel missing -> drawn
  partial.set("depth", std::int64_t{2});
  partial.set("layer2.width", std::int64_t{5});  // off the step grid -> redrawn
  partial.set("layer3.width", std::int64_t{8});  // inactive at depth 2 -> dropped
  partial.set("lr", 0.5);                        // out of range -> redrawn
  Rng rng(9);
  const Genotype g = repair(s, partial, rng);
  EXPECT_EQ(validate(s, g, "t"), g);
  EXPECT_EQ(g.get_str("block.type"), "Conv");
  EXPECT_EQ(g.get_int("depth"), 2);
  EXPECT_TRUE(g.has("block.kernel"));
  EXPECT_EQ(g.get_int("layer2.width") % 4, 0);
  EXPECT_FALSE(g.has("layer3.width"));
  EXPECT_LE(g.get_float("lr"), 0.1);
}

TEST(SearchSpace, AddRejectsBrokenChoices) {
  SearchSpace s;
  s.add(categorical_choice("a", {"x", "y"}));
  EXPECT_THROW(s.add(categorical_choice("a", {"z"})), InputError);  // duplicate
  ChoiceSpec orphan = int_range_choice("b", 1, 2);
  orphan.conditions = {{"later", {std::int64_t{1}}}};
  EXPECT_THROW(s.add(orphan), InputError);  // parent must come first
  ChoiceSpec bad_value = int_range_choice("c", 1, 2);
  bad_value.conditions = {{"a", {std::string("w")}}};
  EXPECT_THROW(s.add(bad_value), InputError);  // 'w' is not a value of a
  EXPECT_THROW(s.add(int_range_choice("d", 3, 1)), InputError);
  EXPECT_THROW(s.add(float_range_choice("e", 0, 1, true)), InputError);  // log needs low > 0
  EXPECT_THROW(s.add(int_list_choice("f", {2, 2})), InputError);
  EXPECT_THROW(s.add(categorical_choice("g", {})), InputError);
}

TEST(SearchSpace, ValueFallsBackToFixedValues) {
  SearchSpace s = small_space();
  s.fixed["stem.kernel"] = std::int64_t{3};
  Rng rng(1);
  const Genotype g = sample(s, rng);
  EXPECT_EQ(s.get_int(g, "stem.kernel"), 3);
  EXPECT_EQ(s.get_int(g, "depth"), g.get_int("depth"));
  EXPECT_THROW(s.get_int(g, "nothing"), InputError);
  EXPECT_THROW(s.get_str(g, "stem.kernel"), InputError);
}

TEST(SearchSpace, FingerprintChangesWithTheSpace) {
  SearchSpace a = small_space(), b = small_space();
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  b.fixed["x"] = std::int64_t{1};
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  SearchSpace c = small_space();
  c.choices[0].values.push_back(std::string("ConvAttn"));
  EXPECT_NE(a.fingerprint(), c.fingerprint());
}

}  // namespace
}  // namespace nac
