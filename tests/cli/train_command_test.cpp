// Runs the built `nac train` on tiny tasks and checks its outputs.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nac/core/rng.hpp"
#include "nac/graph/model_file.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

class TrainCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nac_train_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs nac with `args`; returns the exit status, stderr in `err_`.
  int run(const std::string& args) {
    const std::string cmd =
        std::string(NAC_BINARY) + " " + args + " 2> " + (dir_ / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    err_ = read(dir_ / "stderr.txt");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  static std::string read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  fs::path dir_;
  std::string err_;
};

TEST_F(TrainCommand, TrainsATinyBraggModel) {
  write(dir_ / "task.yaml", R"(
data:
  generator: bragg
  samples: 300
  seed: 3
  patch: 11
  augment: {shift: 1}
model:
  input: [11, 11, 1]
  layers:
    - {op: flatten}
    - {op: dense, units: 16}
    - {op: activation, fn: leaky_relu}
    - {op: dense, units: 2}
train: {optimizer: rmsprop, lr: 0.0015, schedule: cosine, batch: 32, epochs: 5, patience: 5}
metric: {kind: peak_distance}
)");
  ASSERT_EQ(run("train --config " + (dir_ / "task.yaml").string() + " --out " +
                (dir_ / "out").string() + " --epochs 2 --train-samples 100"),
            0)
      << err_;
  EXPECT_NE(err_.find("epoch 2/2"), std::string::npos) << err_;
  EXPECT_NE(err_.find("ETA"), std::string::npos) << err_;

  const Model m = load_model((dir_ / "out" / "model.json").string());
  EXPECT_EQ(m.graph.parameter_count(), 121 * 16 + 16 + 16 * 2 + 2);
  EXPECT_EQ(m.metadata.at("task"), "peak_finding");
  EXPECT_EQ(m.metadata.at("patch_size"), "11");
  EXPECT_NE(m.metadata.at("recipe").find("rmsprop"), std::string::npos);

  const auto j = nlohmann::json::parse(read(dir_ / "out" / "metrics.json"));
  EXPECT_EQ(j.at("samples").at("train"), 100);
  EXPECT_EQ(j.at("samples").at("val"), 30);
  EXPECT_EQ(j.at("samples").at("test"), 30);
  EXPECT_EQ(j.at("history").size(), 2u);
  EXPECT_EQ(j.at("epochs_run"), 2);
  for (const char* part : {"val_", "test_"})
    for (const char* key : {"mean_px", "median_px", "p75_px", "p95_px", "loss"})
      EXPECT_TRUE(j.at(std::string(part) + key).is_number()) << part << key;
  EXPECT_GT(j.at("samples_per_second").get<double>(), 0);
  EXPECT_EQ(j.at("score"), "mean_px");
}

TEST_F(TrainCommand, DataOptionTrainsOnAGeneratedHdf5File) {
  const std::string h5 = (dir_ / "bragg.h5").string();
  ASSERT_EQ(run("data bragg --n 120 --seed 2 --out " + h5), 0) << err_;
  write(dir_ / "task.yaml", R"(
data: {generator: bragg, samples: 5}
model:
  input: [11, 11, 1]
  layers: [{op: flatten}, {op: dense, units: 2}]
train: {batch: 16, epochs: 1}
metric: {kind: peak_distance}
)");
  ASSERT_EQ(run("train --config " + (dir_ / "task.yaml").string() + " --data " + h5 + " --out " +
                (dir_ / "out").string()),
            0)
      << err_;
  const auto j = nlohmann::json::parse(read(dir_ / "out" / "metrics.json"));
  EXPECT_EQ(j.at("samples").at("train").get<int>() + j.at("samples").at("val").get<int>() +
                j.at("samples").at("test").get<int>(),
            120);
  EXPECT_NE(
      load_model((dir_ / "out" / "model.json").string()).metadata.at("dataset").find("bragg.h5"),
      std::string::npos);
}

TEST_F(TrainCommand, TrainsTheJetExampleOnAGeneratedCsv) {
  // Five classes separated along the first feature; 16 features in all.
  Rng rng(1);
  std::ostringstream csv;
  for (int f = 0; f < 16; ++f) csv << "f" << f << ",";
  csv << "label\n";
  for (int i = 0; i < 250; ++i) {
    const int c = i % 5;
    for (int f = 0; f < 16; ++f) csv << (f == 0 ? 3.0 * c : 0.0) + rng.normal() << ",";
    csv << c << "\n";
  }
  write(dir_ / "jets.csv", csv.str());
  fs::copy_file(fs::path(NAC_SOURCE_DIR) / "examples" / "jet_mlp.yaml", dir_ / "jet_mlp.yaml");
  ASSERT_EQ(run("train --config " + (dir_ / "jet_mlp.yaml").string() + " --out " +
                (dir_ / "out").string() + " --epochs 3"),
            0)
      << err_;
  const auto j = nlohmann::json::parse(read(dir_ / "out" / "metrics.json"));
  EXPECT_EQ(j.at("task"), "classification");
  EXPECT_TRUE(j.at("test_accuracy").is_number());
  EXPECT_TRUE(j.contains("test_auc_4"));
  EXPECT_TRUE(j.contains("test_rejection_0"));
  const Model m = load_model((dir_ / "out" / "model.json").string());
  EXPECT_EQ(m.normalization.mean.size(), 16u);  // standardised per feature
}

TEST_F(TrainCommand, BadConfigFailsWithFileAndLine) {
  write(dir_ / "bad.yaml",
        "data:\n  generator: bragg\n  samples: 10\nmodel:\n  input: [4]\n"
        "  layers:\n    - {op: dense, unit: 2}\n");
  EXPECT_EQ(run("train --config " + (dir_ / "bad.yaml").string()), 2);
  EXPECT_NE(err_.find("bad.yaml:7: model.layers[0].unit: unknown key"), std::string::npos) << err_;
}

}  // namespace
}  // namespace nac
