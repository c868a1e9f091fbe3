// Runs the built `nac data bragg` and reads its output back through the loaders.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

#include "../data/temp_dir.hpp"
#include "nac/data/bragg.hpp"
#include "nac/data/source.hpp"

namespace nac {
namespace {

using test::TempDir;

// Runs `nac args`, returns its exit status and puts stdout + stderr in `output`.
int run_nac(const std::string& args, std::string& output) {
  const std::string cmd = std::string(NAC_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return -1;
  char buf[512];
  output.clear();
  while (std::fgets(buf, sizeof buf, pipe)) output += buf;
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DataCommand, BraggWritesAFileTheLoaderReads) {
  TempDir dir;
  const std::string out = dir.file("bragg.h5");
  std::string log;
  ASSERT_EQ(run_nac("data bragg --n 40 --seed 17 --patch 9 --threshold 20 --out " + out, log), 0)
      << log;
  EXPECT_NE(log.find("wrote 40 Bragg patches 9x9"), std::string::npos) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  DataSource src;
  src.path = out;
  const Dataset d = load_dataset(src);
  BraggOptions o;
  o.patch = 9;
  o.threshold = 20;
  const Dataset want = generate_bragg(40, 17, o);
  EXPECT_EQ(d.x.shape, Shape({40, 9, 9, 1}));
  EXPECT_EQ(d.x.data, want.x.data);
  EXPECT_EQ(d.y.data, want.y.data);

  // The same command again gives the same bytes.
  const std::string again = dir.file("again.h5");
  ASSERT_EQ(run_nac("data bragg --n 40 --seed 17 --patch 9 --threshold 20 --out " + again, log), 0);
  EXPECT_EQ(TempDir::read(out), TempDir::read(again));
}

TEST(DataCommand, BadArgumentsFailWithAMessage) {
  TempDir dir;
  std::string log;
  EXPECT_EQ(run_nac("data bragg --n 5 --patch 1 --out " + dir.file("x.h5"), log), 2);
  EXPECT_NE(log.find("patch"), std::string::npos) << log;
  EXPECT_EQ(run_nac("data bragg --n 5 --out " + dir.file("missing/x.h5"), log), 2);
  EXPECT_NE(log.find("x.h5"), std::string::npos) << log;
  EXPECT_NE(run_nac("data bragg --n 0 --out " + dir.file("x.h5"), log), 0);
  EXPECT_NE(run_nac("data bragg --out " + dir.file("x.h5"), log), 0);  // --n is required
}

}  // namespace
}  // namespace nac
