// Drift check (DESIGN.md §9): the committed golden projects tests/golden/hls/<name>/ equal, byte
// for byte, what the built `nac synth hls` generates today from <name>.json and <name>.args.
// After an intended change to the generator, regenerate them with `make golden`.
#include <gtest/gtest.h>

#include <set>

#include "csim_harness.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).string());
  return out;
}

// Empty when equal, else "file:line: expected ... / got ..." for the first difference.
std::string first_difference(const std::string& file, const std::string& want,
                             const std::string& got) {
  if (want == got) return "";
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool ha = static_cast<bool>(std::getline(a, la)),
               hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return file + ": differs (line endings or a final newline)";
    if (ha != hb || la != lb)
      return file + ":" + std::to_string(line) + ":\n  committed: " + (ha ? la : "<end of file>") +
             "\n  generated: " + (hb ? lb : "<end of file>");
  }
}

TEST(HlsGolden, CommittedProjectsMatchTheGenerator) {
  const fs::path golden = fs::path(NAC_SOURCE_DIR) / "tests" / "golden" / "hls";
  testing::TempDir tmp("golden");
  int models = 0;
  for (const auto& e : fs::directory_iterator(golden)) {
    if (e.path().extension() != ".json") continue;
    ++models;
    const std::string name = e.path().stem().string();
    std::string args = testing::read_text(golden / (name + ".args"));
    args.erase(args.find_last_not_of(" \n") + 1);
    const fs::path out = tmp.path() / name;
    std::string log;
    ASSERT_EQ(testing::run_command(std::string(NAC_BINARY) + " synth hls --model " +
                                       e.path().string() + " --out " + out.string() + " " + args,
                                   tmp.path() / "log.txt", &log),
              0)
        << log;
    const auto want = files_under(golden / name), got = files_under(out);
    for (const auto& f : want)
      EXPECT_TRUE(got.count(f)) << name << "/" << f << " is committed but no longer generated; "
                                << "run `make golden`";
    for (const auto& f : got)
      EXPECT_TRUE(want.count(f)) << name << "/" << f << " is generated but not committed; "
                                 << "run `make golden`";
    for (const auto& f : want) {
      if (!got.count(f)) continue;
      const std::string diff = first_difference(
          name + "/" + f, testing::read_text(golden / name / f), testing::read_text(out / f));
      EXPECT_EQ(diff, "") << "golden drift (run `make golden` if intended):\n" << diff;
    }
  }
  EXPECT_EQ(models, 2);
}

// The golden projects are real: their own Makefile builds them and their test bench passes.
TEST(HlsGolden, CommittedProjectsPassMakeCsim) {
  const fs::path golden = fs::path(NAC_SOURCE_DIR) / "tests" / "golden" / "hls";
  testing::TempDir tmp("golden_csim");
  for (const char* name : {"tiny_mlp", "tiny_attn"}) {
    fs::copy(golden / name, tmp.path() / name, fs::copy_options::recursive);
    std::string log;
    EXPECT_EQ(testing::run_command("make -C " + (tmp.path() / name).string() + " csim CXXFLAGS=-O0",
                                   tmp.path() / "log.txt", &log),
              0)
        << log;
    EXPECT_NE(log.find("tb: 16 samples, 0 mismatches"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace nac
