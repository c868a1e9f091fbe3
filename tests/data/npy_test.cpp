#include "nac/data/npy.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "nac/core/error.hpp"
#include "temp_dir.hpp"

namespace nac {
namespace {

using test::TempDir;

template <typename T>
std::string bytes_of(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// A .npy file with a hand-written header dict, for versions and dicts the writer never makes.
std::string npy_file(int major, const std::string& dict, const std::string& data) {
  std::string h = "\x93NUMPY";
  h += static_cast<char>(major);
  h += '\0';
  const std::size_t len = dict.size();
  const int len_bytes = major == 1 ? 2 : 4;
  for (int b = 0; b < len_bytes; ++b) h += static_cast<char>((len >> (8 * b)) & 0xFF);
  return h + dict + data;
}

TEST(Npy, FloatRoundTripIsExact) {
  TempDir dir;
  Tensor<float> t({2, 3, 4});
  for (std::size_t i = 0; i < t.size(); ++i) t.data[i] = static_cast<float>(i) * 0.37f - 3.1f;
  write_npy(dir.file("a.npy"), t);
  const Tensor<float> back = read_npy(dir.file("a.npy"));
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.data, t.data);
  // The header is padded so the data starts on a 64-byte boundary, as NumPy does.
  EXPECT_EQ(read_npy_header(dir.file("a.npy")).data_offset % 64, 0u);
}

TEST(Npy, ReadsVersions2And3AndOneDimShapes) {
  TempDir dir;
  const std::vector<float> v{1.5f, -2.25f, 8.0f};
  for (int major : {1, 2, 3}) {
    std::string name = std::to_string(major);  // ("v" + string) trips GCC 12's -Wrestrict
    name += ".npy";
    const std::string p = dir.write(
        name, npy_file(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n",
                       bytes_of(v)));
    const Tensor<float> t = read_npy(p);
    EXPECT_EQ(t.shape, Shape({3}));
    EXPECT_EQ(t.data, v);
    EXPECT_EQ(read_npy_header(p).major, major);
  }
}

TEST(Npy, ConvertsEveryIntegerAndFloatDtype) {
  TempDir dir;
  const std::string dict_tail = "', 'fortran_order': False, 'shape': (4,), }\n";
  const auto check = [&](const std::string& descr, const std::string& data,
                         const std::vector<float>& want) {
    const std::string p = dir.write("t.npy", npy_file(1, "{'descr': '" + descr + dict_tail, data));
    EXPECT_EQ(read_npy(p).data, want) << descr;
  };
  check("<f8", bytes_of(std::vector<double>{0.5, -1e10, 3.25, 7}), {0.5f, -1e10f, 3.25f, 7});
  check("<i4", bytes_of(std::vector<std::int32_t>{-7, 0, 2147483, 5}), {-7, 0, 2147483, 5});
  check("<i8", bytes_of(std::vector<std::int64_t>{-1, 1LL << 40, 3, 9}),
        {-1, static_cast<float>(1LL << 40), 3, 9});
  check("|u1", bytes_of(std::vector<std::uint8_t>{0, 255, 7, 128}), {0, 255, 7, 128});
  check("|i1", bytes_of(std::vector<std::int8_t>{-128, 127, 0, -1}), {-128, 127, 0, -1});
  check("<i2", bytes_of(std::vector<std::int16_t>{-300, 300, 0, 1}), {-300, 300, 0, 1});
  check("<u2", bytes_of(std::vector<std::uint16_t>{65535, 1, 0, 2}), {65535, 1, 0, 2});
  check("<u4", bytes_of(std::vector<std::uint32_t>{4000000000u, 1, 0, 2}),
        {4000000000.0f, 1, 0, 2});
  check("|b1", bytes_of(std::vector<std::uint8_t>{1, 0, 0, 1}), {1, 0, 0, 1});
}

TEST(Npy, ReadsBigEndian) {
  TempDir dir;
  // 1.5f = 0x3FC00000 and int64 -2 = 0xFFFFFFFFFFFFFFFE, stored most significant byte first.
  const std::string f32 = std::string("\x3F\xC0\x00\x00", 4);
  std::string p = dir.write("be.npy", npy_file(1,
                                               "{'descr': '>f4', 'fortran_order': False, "
                                               "'shape': (1,), }\n",
                                               f32));
  EXPECT_EQ(read_npy(p).data, std::vector<float>{1.5f});
  const std::string i64 = std::string("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFE", 8);
  p = dir.write("be8.npy", npy_file(1,
                                    "{'descr': '>i8', 'fortran_order': False, "
                                    "'shape': (1,), }\n",
                                    i64));
  EXPECT_EQ(read_npy(p).data, std::vector<float>{-2.0f});
}

TEST(Npy, FortranOrderIsTransposedToCOrder) {
  TempDir dir;
  // A 2x3x2 array a[i][j][k] = 100 i + 10 j + k, written first-axis-fastest.
  std::vector<float> f_order;
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 2; ++i) f_order.push_back(static_cast<float>(100 * i + 10 * j + k));
  write_npy_raw(dir.file("f.npy"), "<f4", true, {2, 3, 2}, f_order.data(),
                f_order.size() * sizeof(float));
  const Tensor<float> t = read_npy(dir.file("f.npy"));
  ASSERT_EQ(t.shape, Shape({2, 3, 2}));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k)
        EXPECT_EQ(t.data[static_cast<std::size_t>((i * 3 + j) * 2 + k)],
                  static_cast<float>(100 * i + 10 * j + k));
}

TEST(Npy, MalformedFilesThrowDataErrorNamingTheFile) {
  TempDir dir;
  const std::string good_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n";
  const std::string data = bytes_of(std::vector<float>{1, 2, 3, 4});
  const auto path = [&](const std::string& name, const std::string& bytes) {
    return dir.write(name, bytes);
  };
  EXPECT_DATA_ERROR(read_npy(dir.file("missing.npy")), "missing.npy", "cannot open");
  EXPECT_DATA_ERROR(read_npy(path("empty.npy", "")), "empty.npy", "preamble");
  EXPECT_DATA_ERROR(read_npy(path("magic.npy", "\x93NUMPZ\x01\x00\x10\x00" + good_dict + data)),
                    "magic.npy", "wrong magic");
  EXPECT_DATA_ERROR(read_npy(path("ver.npy", npy_file(4, good_dict, data))), "ver.npy",
                    "version 4.0");
  EXPECT_DATA_ERROR(read_npy(path("hdr.npy", npy_file(1, good_dict, data).substr(0, 30))),
                    "hdr.npy", "truncated header");
  EXPECT_DATA_ERROR(read_npy(path("trunc.npy", npy_file(1, good_dict, data.substr(0, 12)))),
                    "trunc.npy", "truncated", "16 data bytes", "has 12");
  EXPECT_DATA_ERROR(read_npy(path("extra.npy", npy_file(1, good_dict, data + "xx"))), "extra.npy",
                    "2 unexpected bytes");
  for (const std::string descr : {"<c8", "<f2", "|O", "<U4", "<M8", "f4", "<f16"})
    EXPECT_DATA_ERROR(
        read_npy(path(
            "dt.npy",
            npy_file(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 2), }\n",
                     data))),
        "dt.npy", "dtype '" + descr + "' unsupported");
  EXPECT_DATA_ERROR(
      read_npy(path("rec.npy", npy_file(1,
                                        "{'descr': [('a', '<f4')], 'fortran_order': False, "
                                        "'shape': (2,), }\n",
                                        data))),
      "rec.npy", "structured");
  EXPECT_DATA_ERROR(
      read_npy(path("nokey.npy", npy_file(1, "{'descr': '<f4', 'shape': (2, 2), }\n", data))),
      "nokey.npy", "fortran_order");
  EXPECT_DATA_ERROR(read_npy(path("shape.npy", npy_file(1,
                                                        "{'descr': '<f4', 'fortran_order': False, "
                                                        "'shape': 4, }\n",
                                                        data))),
                    "shape.npy", "'shape'");
  EXPECT_DATA_ERROR(read_npy(path("huge.npy", npy_file(1,
                                                       "{'descr': '<f4', 'fortran_order': False, "
                                                       "'shape': (2000000000, 2000000000), }\n",
                                                       data))),
                    "huge.npy", "truncated");
  EXPECT_DATA_ERROR(read_npy(path("dict.npy", npy_file(1, "{'descr' '<f4'}\n", data))), "dict.npy",
                    "expected ':'");
}

}  // namespace
}  // namespace nac
