#include "nac/data/split.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// x = y = the sample's index, so every split can be traced back.
Dataset indexed(int n) {
  Dataset d;
  d.x = Tensor<float>({n, 2});
  d.y = Tensor<float>({n, 1});
  for (int i = 0; i < n; ++i) {
    d.x.data[static_cast<std::size_t>(2 * i)] = d.x.data[static_cast<std::size_t>(2 * i + 1)] =
        static_cast<float>(i);
    d.y.data[static_cast<std::size_t>(i)] = static_cast<float>(i);
  }
  d.source = "indexed";
  return d;
}

std::vector<int> ids(const Dataset& d) {
  std::vector<int> r;
  for (float v : d.y.data) r.push_back(static_cast<int>(v));
  return r;
}

TEST(Split, SizesAndDisjointCover) {
  const DataSplit s = split_dataset(indexed(100), 0.1, 0.15, 3);
  EXPECT_EQ(s.train.size(), 75);
  EXPECT_EQ(s.val.size(), 10);
  EXPECT_EQ(s.test.size(), 15);
  std::vector<int> all = ids(s.train);
  for (const Dataset* d : {&s.val, &s.test}) {
    const auto v = ids(*d);
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)], i);
  // Rows stay whole: x follows y.
  for (int k = 0; k < s.val.size(); ++k)
    EXPECT_EQ(s.val.x.data[static_cast<std::size_t>(2 * k + 1)],
              s.val.y.data[static_cast<std::size_t>(k)]);
}

TEST(Split, SeededShuffleAndIndexOrder) {
  const Dataset d = indexed(50);
  EXPECT_EQ(ids(split_dataset(d, 0.2, 0.2, 9).val), ids(split_dataset(d, 0.2, 0.2, 9).val));
  EXPECT_NE(ids(split_dataset(d, 0.2, 0.2, 9).train), ids(split_dataset(d, 0.2, 0.2, 10).train));
  const DataSplit ordered = split_dataset(d, 0.2, 0.1, 9, false);
  EXPECT_EQ(ids(ordered.train).front(), 0);
  EXPECT_EQ(ids(ordered.train).back(), 34);
  EXPECT_EQ(ids(ordered.val), std::vector<int>({35, 36, 37, 38, 39, 40, 41, 42, 43, 44}));
  EXPECT_EQ(ids(ordered.test), std::vector<int>({45, 46, 47, 48, 49}));
  EXPECT_EQ(split_dataset(d, 0, 0, 1).val.size(), 0);
}

TEST(Split, BadFractionsThrow) {
  const Dataset d = indexed(4);
  EXPECT_THROW(split_dataset(d, -0.1, 0.1, 1), InputError);
  EXPECT_THROW(split_dataset(d, 0.1, 1.0, 1), InputError);
  EXPECT_THROW(split_dataset(d, 0.5, 0.5, 1), InputError);  // nothing left to train on
}

}  // namespace
}  // namespace nac
