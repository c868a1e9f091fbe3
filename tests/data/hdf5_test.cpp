#include "nac/data/hdf5.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "nac/core/error.hpp"
#include "nac/data/hdf5_writer.hpp"
#include "temp_dir.hpp"

namespace nac {
namespace {

using test::TempDir;

TEST(Hdf5, WritesAndReadsEveryNumericTypeAnyRank) {
  TempDir dir;
  const std::string p = dir.file("t.h5");
  const std::vector<double> f64{0.5, -2.75, 1e6, 3};
  const std::vector<std::int32_t> i32{-5, 7, 0, 2147483};
  const std::vector<std::int64_t> i64{-1, 1LL << 33, 4, 5};
  const std::vector<std::uint8_t> u8{0, 255, 1, 9};
  Tensor<float> f32({2, 1, 3, 2, 1});
  for (std::size_t i = 0; i < f32.size(); ++i) f32.data[i] = static_cast<float>(i) / 7.0f;
  {
    Hdf5Writer w(p);
    w.write("f64", {4}, f64.data());
    w.write("i32", {2, 2}, i32.data());
    w.write("i64", {4, 1}, i64.data());
    w.write("u8", {1, 2, 2}, u8.data());
    w.write("f32", f32);
    w.write("group/inner/f32", f32);
    w.attribute("seed", std::uint64_t{18446744073709551615ULL});
    w.attribute("name", std::string("bragg"));
    w.close();
  }
  EXPECT_EQ(read_hdf5_dataset(p, "f64").data, std::vector<float>({0.5f, -2.75f, 1e6f, 3}));
  const Tensor<float> a = read_hdf5_dataset(p, "i32");
  EXPECT_EQ(a.shape, Shape({2, 2}));
  EXPECT_EQ(a.data, std::vector<float>({-5, 7, 0, 2147483}));
  EXPECT_EQ(read_hdf5_dataset(p, "i64").data,
            std::vector<float>({-1, static_cast<float>(1LL << 33), 4, 5}));
  EXPECT_EQ(read_hdf5_dataset(p, "u8").data, std::vector<float>({0, 255, 1, 9}));
  const Tensor<float> b = read_hdf5_dataset(p, "f32");
  EXPECT_EQ(b.shape, f32.shape);
  EXPECT_EQ(b.data, f32.data);
  EXPECT_EQ(read_hdf5_dataset(p, "group/inner/f32").data, f32.data);
  EXPECT_EQ(hdf5_dataset_names(p), std::vector<std::string>({"f32", "f64", "i32", "i64", "u8"}));

  // Attributes read back through the C library itself.
  const hid_t f = H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t at = H5Aopen(f, "seed", H5P_DEFAULT);
  std::uint64_t seed = 0;
  H5Aread(at, H5T_NATIVE_UINT64, &seed);
  H5Aclose(at);
  H5Fclose(f);
  EXPECT_EQ(seed, 18446744073709551615ULL);
}

TEST(Hdf5, SameContentGivesByteIdenticalFiles) {
  TempDir dir;
  Tensor<float> t({3, 2}, 1.25f);
  for (const char* name : {"a.h5", "b.h5"}) {
    Hdf5Writer w(dir.file(name));
    w.write("x", t);
    w.attribute("seed", std::int64_t{7});
    w.close();
  }
  EXPECT_EQ(TempDir::read(dir.file("a.h5")), TempDir::read(dir.file("b.h5")));
}

TEST(Hdf5, MalformedInputsThrowDataErrorNamingFileAndDataset) {
  TempDir dir;
  const std::string good = dir.file("good.h5");
  Tensor<float> t({64, 64}, 2.0f);
  {
    Hdf5Writer w(good);
    w.write("x", t);
    w.write("scalar", {}, t.ptr());
    w.write("empty", {0, 3}, t.ptr());
    w.close();
  }
  EXPECT_DATA_ERROR(read_hdf5_dataset(dir.file("none.h5"), "x"), "none.h5", "does not exist");
  EXPECT_DATA_ERROR(read_hdf5_dataset(dir.write("text.h5", "hello, not hdf5"), "x"), "text.h5",
                    "not an HDF5 file");
  EXPECT_DATA_ERROR(read_hdf5_dataset(dir.file(""), "x"), "directory");
  EXPECT_DATA_ERROR(read_hdf5_dataset(good, "y"), "good.h5", "dataset 'y' not found", "x");
  EXPECT_DATA_ERROR(read_hdf5_dataset(good, "missing/deeper"), "'missing/deeper' not found");
  EXPECT_DATA_ERROR(read_hdf5_dataset(good, "scalar"), "good.h5", "'scalar' is a scalar");
  EXPECT_EQ(read_hdf5_dataset(good, "empty").shape, Shape({0, 3}));

  // A truncated copy: the superblock survives but the data and object headers are cut off.
  const std::string bytes = TempDir::read(good);
  const std::string cut = dir.write("cut.h5", bytes.substr(0, bytes.size() / 3));
  EXPECT_THROW(read_hdf5_dataset(cut, "x"), DataError);

  // A string dataset: numeric types only.
  const std::string strings = dir.file("strings.h5");
  {
    const hid_t f = H5Fcreate(strings.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 4);
    const hsize_t dims[1] = {2};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t d = H5Dcreate2(f, "names", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, "abcdefgh");
    H5Dclose(d);
    H5Sclose(space);
    H5Tclose(type);
    H5Gclose(H5Gcreate2(f, "grp", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(f);
  }
  EXPECT_DATA_ERROR(read_hdf5_dataset(strings, "names"), "strings.h5", "'names'", "non-numeric");
  EXPECT_DATA_ERROR(read_hdf5_dataset(strings, "grp"), "'grp' is not a dataset");
}

TEST(Hdf5, WriterReportsUncreatableFile) {
  TempDir dir;
  EXPECT_DATA_ERROR(Hdf5Writer(dir.file("no/such/dir/x.h5")), "x.h5", "cannot create");
}

}  // namespace
}  // namespace nac
