#include "nac/core/text_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "nac/core/error.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(TextFile, WritesReplacesAndCreatesFolders) {
  const fs::path dir = fs::path(::testing::TempDir()) / "nac_text_file_test";
  fs::remove_all(dir);
  const fs::path p = dir / "a" / "b" / "out.txt";
  write_text_file(p, "first\n");
  EXPECT_EQ(read(p), "first\n");
  write_text_file(p, std::string("x\0y", 3));
  EXPECT_EQ(read(p), std::string("x\0y", 3));
  EXPECT_FALSE(fs::exists(p.string() + ".tmp"));
  fs::remove_all(dir);
}

TEST(TextFile, UnwritablePathIsAnErrorNamingIt) {
  const fs::path dir = fs::path(::testing::TempDir()) / "nac_text_file_test2";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "plain") << "a file, not a folder";
  const fs::path bad = dir / "plain" / "out.txt";
  try {
    write_text_file(bad, "text");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
  }
  // A folder where the file should go: the old content (the folder) is kept.
  fs::create_directories(dir / "taken");
  EXPECT_THROW(write_text_file(dir / "taken", "text"), InputError);
  EXPECT_TRUE(fs::is_directory(dir / "taken"));
  EXPECT_FALSE(fs::exists(dir / "taken.tmp"));
  fs::remove_all(dir);
}

TEST(TextFile, DurationsReadAsSecondsMinutesHours) {
  EXPECT_EQ(format_duration(0), "0.0s");
  EXPECT_EQ(format_duration(12.34), "12.3s");
  EXPECT_EQ(format_duration(245), "4m05s");
  EXPECT_EQ(format_duration(7620), "2h07m");
  EXPECT_EQ(format_duration(-1), "?");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "?");
}

}  // namespace
}  // namespace nac
