#include "nac/data/csv.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"
#include "temp_dir.hpp"

namespace nac {
namespace {

using test::TempDir;

TEST(Csv, ParsesQuotesCrlfBlankLinesAndSpaces) {
  TempDir dir;
  const std::string p = dir.write(
      "a.csv", "a, \"b,c\" ,d\r\n1, 2.5 ,\"x \"\"y\"\"\"\r\n\r\n  -3,+4e1,\"multi\nline\"\n");
  const CsvTable t = read_csv(p);
  EXPECT_EQ(t.header, std::vector<std::string>({"a", "b,c", "d"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], std::vector<std::string>({"1", "2.5", "x \"y\""}));
  EXPECT_EQ(t.rows[1], std::vector<std::string>({"-3", "+4e1", "multi\nline"}));
  EXPECT_EQ(t.lines, std::vector<int>({2, 4}));
  const Tensor<float> x = csv_numbers(t, {csv_column(t, "a"), csv_column(t, "b,c")});
  EXPECT_EQ(x.shape, Shape({2, 2}));
  EXPECT_EQ(x.data, std::vector<float>({1, 2.5f, -3, 40}));
}

TEST(Csv, MalformedFilesThrowDataErrorWithLineAndColumn) {
  TempDir dir;
  EXPECT_DATA_ERROR(read_csv(dir.file("none.csv")), "none.csv", "cannot open");
  EXPECT_DATA_ERROR(read_csv(dir.write("empty.csv", "\n\n")), "empty.csv", "empty CSV");
  EXPECT_DATA_ERROR(read_csv(dir.write("ragged.csv", "a,b\n1,2\n3\n")), "ragged.csv:3",
                    "1 fields, expected 2");
  EXPECT_DATA_ERROR(read_csv(dir.write("quote.csv", "a,b\n1,\"2\n")), "quote.csv:2",
                    "unterminated quote");
  EXPECT_DATA_ERROR(read_csv(dir.write("dup.csv", "a,b,a\n1,2,3\n")), "dup.csv", "repeats", "'a'");
  EXPECT_DATA_ERROR(read_csv(dir.write("noname.csv", "a,,c\n1,2,3\n")), "noname.csv",
                    "empty column name");
  const CsvTable t = read_csv(dir.write("bad.csv", "a,b\n1,2\n3,abc\n4,nan\n5,inf\n6,\n7,1e39\n"));
  EXPECT_DATA_ERROR(csv_column(t, "z"), "bad.csv", "no column 'z'", "a, b");
  EXPECT_DATA_ERROR(csv_numbers(t, {1}), "bad.csv:3", "column 'b'", "'abc'", "finite number");
  for (int row = 2; row <= 5; ++row) {
    CsvTable one = t;
    one.rows = {t.rows[static_cast<std::size_t>(row)]};
    one.lines = {t.lines[static_cast<std::size_t>(row)]};
    EXPECT_DATA_ERROR(csv_numbers(one, {1}), "bad.csv:" + std::to_string(row + 2), "finite number");
  }
}

}  // namespace
}  // namespace nac
