// Runs the built `nac synth hls` and checks its outputs and its refusals.
#include <gtest/gtest.h>

#include <filesystem>

#include "../hls/csim_harness.hpp"
#include "../support/graphs.hpp"
#include "nac/graph/model_file.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

class SynthCommand : public ::testing::Test {
 protected:
  SynthCommand() : dir_("synth_cli") {}
  int run(const std::string& args) {
    return testing::run_command(std::string(NAC_BINARY) + " " + args, dir_.path() / "log.txt",
                                &log_);
  }
  std::string golden(const char* name) {
    return (fs::path(NAC_SOURCE_DIR) / "tests" / "golden" / "hls" / name).string();
  }
  testing::TempDir dir_;
  std::string log_;
};

TEST_F(SynthCommand, WritesAProjectThatPassesItsCsim) {
  const fs::path out = dir_.path() / "prj";
  ASSERT_EQ(run("synth hls --model " + golden("tiny_mlp.json") + " --out " + out.string() +
                " --vectors 300 --seed 5 --top mlp --reuse 2"),
            0)
      << log_;
  EXPECT_NE(log_.find("wrote"), std::string::npos) << log_;
  for (const char* f : {"firmware/mlp.cpp", "firmware/defines.h", "tb/mlp_test.cpp",
                        "tb/tb_data/inputs.dat", "build_prj.tcl", "Makefile", "README.md"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  // Regenerating replaces firmware/ and tb/ (a stale file disappears), keeps other files.
  std::ofstream(out / "firmware" / "stale.h") << "x";
  std::ofstream(out / "notes.txt") << "mine";
  ASSERT_EQ(run("synth hls --model " + golden("tiny_mlp.json") + " --out " + out.string() +
                " --vectors 300 --seed 5 --top mlp --reuse 2"),
            0)
      << log_;
  EXPECT_FALSE(fs::exists(out / "firmware" / "stale.h"));
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
  std::string make_log;
  EXPECT_EQ(testing::run_command("make -C " + out.string() + " csim CXXFLAGS=-O0",
                                 dir_.path() / "make.txt", &make_log),
            0)
      << make_log;
  EXPECT_NE(make_log.find("mlp tb: 300 samples, 0 mismatches"), std::string::npos) << make_log;
}

TEST_F(SynthCommand, TheTestBenchReportsMismatches) {
  const fs::path out = dir_.path() / "prj";
  ASSERT_EQ(run("synth hls --model " + golden("tiny_mlp.json") + " --out " + out.string() +
                " --vectors 50"),
            0)
      << log_;
  // Corrupt two expected outputs: the test bench must say where and fail.
  const fs::path data = out / "tb" / "tb_data" / "outputs.dat";
  std::string text = testing::read_text(data);
  const auto first = text.find('\n', text.find("per line")) + 1;  // first sample's line
  const auto space = text.find(' ', first);
  text.replace(first, space - first, "12345");
  const auto line7 = [&] {
    std::size_t at = first;
    for (int i = 0; i < 7; ++i) at = text.find('\n', at) + 1;
    return at;
  }();
  text.replace(line7, text.find(' ', line7) - line7, "-999");
  std::ofstream(data, std::ios::binary) << text;
  std::string make_log;
  EXPECT_NE(testing::run_command("make -C " + out.string() + " csim CXXFLAGS=-O0",
                                 dir_.path() / "make.txt", &make_log),
            0);
  EXPECT_NE(make_log.find("mismatch at sample 0, output 0: expected 12345"), std::string::npos)
      << make_log;
  EXPECT_NE(make_log.find("mismatch at sample 7, output 0: expected -999"), std::string::npos)
      << make_log;
  EXPECT_NE(make_log.find("50 samples, 2 mismatches"), std::string::npos) << make_log;
}

TEST_F(SynthCommand, RefusesUnquantisedModelsAndBadOptions) {
  Graph g;
  const int x = testing::add_input(g, {3});
  g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{2}}});
  Rng rng(1);
  g.finalize(&rng);
  Model m;
  m.graph = g;
  save_model(m, (dir_.path() / "float.json").string());
  EXPECT_EQ(run("synth hls --model " + (dir_.path() / "float.json").string() + " --out " +
                (dir_.path() / "x").string()),
            2);
  EXPECT_NE(log_.find("node 'x' (input): no fixed-point annotation"), std::string::npos) << log_;
  EXPECT_EQ(run("synth hls --model " + golden("tiny_mlp.json") + " --out " +
                (dir_.path() / "x").string() + " --io serial"),
            2);
  EXPECT_NE(log_.find("--io"), std::string::npos) << log_;
  EXPECT_NE(run("synth hls --out " + (dir_.path() / "x").string()), 0);  // --model is required
  EXPECT_NE(log_.find("--model"), std::string::npos) << log_;
}

}  // namespace
}  // namespace nac
