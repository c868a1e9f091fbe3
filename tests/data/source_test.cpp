#include "nac/data/source.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nac/core/error.hpp"
#include "nac/data/hdf5_writer.hpp"
#include "nac/data/npy.hpp"
#include "temp_dir.hpp"

namespace nac {
namespace {

using test::TempDir;

Tensor<float> iota(Shape s, float scale = 1) {
  Tensor<float> t(std::move(s));
  for (std::size_t i = 0; i < t.size(); ++i) t.data[i] = static_cast<float>(i) * scale;
  return t;
}

TEST(Source, Hdf5ImagesGainAChannelAxisAndTargetsBecomeColumns) {
  TempDir dir;
  const std::string p = dir.file("img.h5");
  const Tensor<float> x = iota({5, 4, 3}, 0.5f);
  const Tensor<float> y = iota({5}, 2.0f);
  {
    Hdf5Writer w(p);
    w.write("images", x);
    w.write("targets", y);
    w.close();
  }
  DataSource src;
  src.path = p;
  src.x_key = "images";
  src.y_key = "targets";
  const Dataset d = load_dataset(src);
  EXPECT_EQ(d.x.shape, Shape({5, 4, 3, 1}));
  EXPECT_EQ(d.x.data, x.data);
  EXPECT_EQ(d.y.shape, Shape({5, 1}));
  EXPECT_EQ(d.y.data, y.data);
  EXPECT_EQ(d.task, TaskKind::Regression);
  EXPECT_EQ(d.source, p);
  src.rank3_is_image = false;  // sets [N, n, F] stay rank 3
  EXPECT_EQ(load_dataset(src).x.shape, Shape({5, 4, 3}));
}

TEST(Source, NpyClassificationLabelsFromIntegersAndOneHot) {
  TempDir dir;
  write_npy(dir.file("x.npy"), iota({4, 2, 2, 3}));
  const std::vector<std::int64_t> labels{2, 0, 1, 2};
  write_npy_raw(dir.file("y.npy"), "<i8", false, {4}, labels.data(), 32);
  DataSource src;
  src.path = dir.file("x.npy");
  src.y_path = dir.file("y.npy");
  src.task = TaskKind::Classification;
  Dataset d = load_dataset(src);
  EXPECT_EQ(d.x.shape, Shape({4, 2, 2, 3}));
  EXPECT_EQ(d.y.shape, Shape({4}));
  EXPECT_EQ(d.y.data, std::vector<float>({2, 0, 1, 2}));
  EXPECT_EQ(d.num_classes, 3);

  // One-hot rows [N, k]: the class count is k even when the last class never occurs.
  const std::vector<float> onehot{0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0};
  write_npy_raw(dir.file("oh.npy"), "<f4", false, {4, 4}, onehot.data(), 64);
  src.y_path = dir.file("oh.npy");
  d = load_dataset(src);
  EXPECT_EQ(d.y.data, std::vector<float>({1, 0, 2, 0}));
  EXPECT_EQ(d.num_classes, 4);
}

TEST(Source, CsvColumnsLabelsAndClassNames) {
  TempDir dir;
  const std::string p =
      dir.write("jets.csv", "pt,eta,id,label,w\n1,2,9,top,0.5\n3,4,8,gluon,1.5\n5,6,7,top,2.5\n");
  DataSource src;
  src.path = p;
  src.label_column = "label";
  src.columns = {"eta", "pt"};
  src.task = TaskKind::Classification;
  Dataset d = load_dataset(src);
  EXPECT_EQ(d.x.shape, Shape({3, 2}));
  EXPECT_EQ(d.x.data, std::vector<float>({2, 1, 4, 3, 6, 5}));
  EXPECT_EQ(d.classes, std::vector<std::string>({"gluon", "top"}));
  EXPECT_EQ(d.y.data, std::vector<float>({1, 0, 1}));
  EXPECT_EQ(d.num_classes, 2);

  // Several regression targets; features default to every other column.
  src = DataSource{};
  const std::string q = dir.write("num.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n");
  src.path = q;
  src.label_column = "d,b";
  d = load_dataset(src);
  EXPECT_EQ(d.x.data, std::vector<float>({1, 3, 5, 7}));
  EXPECT_EQ(d.y.shape, Shape({2, 2}));
  EXPECT_EQ(d.y.data, std::vector<float>({4, 2, 8, 6}));

  // One-hot label columns (as in the hls4ml jet CSVs) give indices and the column names.
  const std::string oh = dir.write("oh.csv", "f,j_g,j_q,j_t\n0.1,0,0,1\n0.2,1,0,0\n");
  src.path = oh;
  src.label_column = "j_g,j_q,j_t";
  src.task = TaskKind::Classification;
  d = load_dataset(src);
  EXPECT_EQ(d.y.data, std::vector<float>({2, 0}));
  EXPECT_EQ(d.num_classes, 3);
  EXPECT_EQ(d.classes, std::vector<std::string>({"j_g", "j_q", "j_t"}));
}

TEST(Source, BadDatasetsThrowDataErrorNamingTheSource) {
  TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  write_npy(dir.file("x.npy"), iota({4, 3}));
  write_npy(dir.file("y3.npy"), iota({3}));
  Tensor<float> bad = iota({4, 3});
  bad.data[7] = nan;
  write_npy(dir.file("xnan.npy"), bad);
  bad.data[7] = -inf;
  write_npy(dir.file("xinf.npy"), bad);
  write_npy(dir.file("y.npy"), iota({4}, 0.5f));
  write_npy(dir.file("yneg.npy"), iota({4}, -1.0f));
  write_npy(dir.file("empty.npy"), Tensor<float>({0, 3}));
  write_npy(dir.file("yoh.npy"), Tensor<float>({4, 3}, 1.0f));

  DataSource s;
  s.path = dir.file("x.npy");
  s.y_path = dir.file("y3.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "x.npy has 4 samples", "y3.npy has 3", "same first dim");
  s.path = dir.file("xnan.npy");
  s.y_path = dir.file("y.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "xnan.npy", "non-finite", "nan", "[2, 1]");
  s.path = dir.file("xinf.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "xinf.npy", "non-finite", "inf");
  s.path = dir.file("empty.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "empty.npy", "is empty", "[0, 3]");
  s.path = dir.file("x.npy");
  s.y_path.clear();
  EXPECT_DATA_ERROR(load_dataset(s), "x.npy", "labels file");
  s.task = TaskKind::Classification;
  s.y_path = dir.file("y.npy");  // 0, 0.5, 1, 1.5
  EXPECT_DATA_ERROR(load_dataset(s), "y.npy", "0.5", "not an integer class index");
  s.y_path = dir.file("yneg.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "yneg.npy", "-1", "not an integer class index");
  s.y_path = dir.file("yoh.npy");
  EXPECT_DATA_ERROR(load_dataset(s), "yoh.npy", "not one-hot");

  s = DataSource{};
  s.path = dir.write("data.txt", "1,2\n");
  EXPECT_DATA_ERROR(load_dataset(s), "data.txt", "unknown data file type '.txt'");
  s.path = dir.file("absent.h5");
  EXPECT_DATA_ERROR(load_dataset(s), "absent.h5", "does not exist");
  s.path = dir.write("noise.H5", "\x89HDF\r\n but not really");
  EXPECT_DATA_ERROR(load_dataset(s), "noise.H5", "not an HDF5 file");
  {
    Hdf5Writer w(dir.file("onlyx.h5"));
    w.write("x", iota({2, 2}));
    w.close();
  }
  s.path = dir.file("onlyx.h5");
  EXPECT_DATA_ERROR(load_dataset(s), "onlyx.h5", "dataset 'y' not found", "x");
  s.path = dir.write("c.csv", "a,b\n1,2\n");
  s.label_column = "c";
  EXPECT_DATA_ERROR(load_dataset(s), "c.csv", "no column 'c'");
  s.label_column = "";
  EXPECT_DATA_ERROR(load_dataset(s), "c.csv", "no label column");
  s.label_column = "b";
  s.columns = {"b"};
  EXPECT_DATA_ERROR(load_dataset(s), "c.csv", "both a feature and the label");
  s.columns.clear();
  s.path = dir.write("h.csv", "a,b\n");
  EXPECT_DATA_ERROR(load_dataset(s), "h.csv", "no data rows");
}

TEST(Source, GeneratorDispatchAndItsErrors) {
  DataSource s;
  s.generator = "bragg";
  s.samples = 3;
  s.seed = 5;
  const Dataset d = load_dataset(s);
  EXPECT_EQ(d.x.shape, Shape({3, 11, 11, 1}));
  EXPECT_EQ(d.y.shape, Shape({3, 2}));
  EXPECT_EQ(d.x.data, generate_bragg(3, 5, BraggOptions{}).x.data);
  s.samples = 0;
  EXPECT_THROW(load_dataset(s), InputError);
  s.samples = 3;
  s.generator = "jets2";
  EXPECT_THROW(load_dataset(s), InputError);
  s.generator = "bragg";
  s.path = "x.h5";
  EXPECT_THROW(load_dataset(s), InputError);
}

}  // namespace
}  // namespace nac
