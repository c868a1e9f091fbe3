#include "nac/space/genotype.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

TEST(Genotype, Fnv1aMatchesPublishedTestVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(hex64(0xaf63dc4c8601ec8cULL), "af63dc4c8601ec8c");
}

TEST(Genotype, CanonicalStringIsSortedAndKeepsKinds) {
  Genotype a;
  a.set("z.width", std::int64_t{16});
  a.set("a.act", std::string("relu"));
  a.set("m.rate", 1.0);
  EXPECT_EQ(a.to_string(), R"({"a.act":"relu","m.rate":1.0,"z.width":16})");
  Genotype b;  // same choices, other insertion order
  b.set("m.rate", 1.0);
  b.set("a.act", std::string("relu"));
  b.set("z.width", std::int64_t{16});
  EXPECT_EQ(a.to_string(), b.to_string());
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.hash(), hex64(fnv1a64(a.to_string())));
  b.set("z.width", std::int64_t{32});
  EXPECT_NE(a.hash(), b.hash());
}

TEST(Genotype, RoundTripsThroughItsString) {
  Genotype a;
  a.set("x", 0.1);
  a.set("y", std::int64_t{-3});
  a.set("k", 2.0);  // integral float stays a float
  a.set("t", std::string("ConvAttn"));
  const Genotype b = Genotype::from_string(a.to_string(), "test");
  EXPECT_EQ(a, b);
  EXPECT_TRUE(std::holds_alternative<double>(b.at("k")));
  EXPECT_EQ(b.get_float("x"), 0.1);
}

TEST(Genotype, TypedAccessAndErrorsNameTheChoice) {
  Genotype g;
  g.set("w", std::int64_t{8});
  g.set("act", std::string("gelu"));
  EXPECT_EQ(g.get_int("w"), 8);
  EXPECT_EQ(g.get_float("w"), 8.0);
  EXPECT_EQ(g.get_str("act"), "gelu");
  try {
    g.get_int("act");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("act"), std::string::npos);
  }
  EXPECT_THROW(g.at("missing"), InputError);
  EXPECT_THROW(Genotype::from_string("{", "t"), InputError);
  EXPECT_THROW(Genotype::from_string(R"({"a":[1]})", "t"), InputError);
  EXPECT_THROW(Genotype::from_string("[1]", "t"), InputError);
}

}  // namespace
}  // namespace nac
