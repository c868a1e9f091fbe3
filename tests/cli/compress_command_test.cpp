// Runs the built `nac compress` end to end on a tiny Bragg model (trained by `nac train` first):
// precision sweep with QAT, pruning rounds with rewinding, the per-layer precision search and the
// recipe search; checks the study, the files, that every recorded metric is the emulator's on
// the saved model, the masks' sparsity, resuming, and refusals.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nac/compress/compress_config.hpp"
#include "nac/compress/evaluate.hpp"
#include "nac/compress/prune.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/study/storage.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

class CompressCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nac_compress_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

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

  // Trains the float model to compress; returns the task config's path.
  std::string train_model(const std::string& compress) {
    const std::string task = R"(
data: {generator: bragg, samples: 260, seed: 3, patch: 11, augment: {shift: 1}}
model:
  input: [11, 11, 1]
  layers:
    - {op: conv2d, filters: 3, kernel: 3}
    - {op: batchnorm}
    - {op: activation, fn: relu}
    - {op: flatten}
    - {op: dense, units: 8, name: fc}
    - {op: activation, fn: leaky_relu}
    - {op: dense, units: 2, name: out}
train: {optimizer: adam, lr: 0.003, batch: 32, epochs: 2}
metric: {kind: peak_distance}
)";
    write(dir_ / "task.yaml", task + compress);
    EXPECT_EQ(run("train --config " + (dir_ / "task.yaml").string() + " --out " +
                  (dir_ / "float").string()),
              0)
        << err_;
    return (dir_ / "task.yaml").string();
  }
  std::string compress_args(const std::string& out) const {
    return "compress --model " + (dir_ / "float" / "model.json").string() + " --config " +
           (dir_ / "task.yaml").string() + " --out " + (dir_ / out).string() +
           " --train-samples 120";
  }

  fs::path dir_;
  std::string err_;
};

// CSV rows as maps column -> text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& text) {
  std::vector<std::map<std::string, std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> head;
  auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::stringstream s(l);
    std::string cell;
    while (std::getline(s, cell, ',')) out.push_back(cell);
    if (!l.empty() && l.back() == ',') out.emplace_back();
    return out;
  };
  std::getline(in, line);
  head = split(line);
  while (std::getline(in, line)) {
    const auto cells = split(line);
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < head.size() && i < cells.size(); ++i) r[head[i]] = cells[i];
    rows.push_back(r);
  }
  return rows;
}

TEST_F(CompressCommand, SweepPruneSearchRecordAndResume) {
  const std::string cfg_path = train_model(R"(
compress:
  precisions: [8, {bits: 6, integer: 2}]
  epochs: 1
  rounds: 2
  fraction: 0.3
  rewind_epoch: 1
  calibration_samples: 64
  layer_search: {trials: 3, widths: [4, 6], sampler: random, keep: 1}
  recipe_search: {trials: 2, batch: [16, 32]}
)");
  ASSERT_EQ(run(compress_args("out")), 0) << err_;
  for (const char* part : {"1 batchnorm(s) folded", "recipe search: best trial",
                           "per-layer precision search:", "8b round 2/2: sparsity",
                           "6b2i round 1/2", "rewound", "progress", "ETA", "Pareto front of"})
    EXPECT_NE(err_.find(part), std::string::npos) << part << "\n" << err_;

  const fs::path out = dir_ / "out";
  const auto rows = read_csv(read(out / "points.csv"));
  // float + (8b, 6b2i, one mixed_t*) x rounds 0..2
  ASSERT_EQ(rows.size(), 10u) << read(out / "points.csv");
  EXPECT_EQ(rows[0].at("precision"), "float");
  EXPECT_EQ(rows[0].at("evaluator"), "float");

  // Every quantised point: its model file is the emulator's judgement, its masks its sparsity.
  const CompressConfig cfg = load_compress_config(cfg_path);
  DataOptions d = cfg.task.data;
  const TaskData data = prepare_task_data(d, 120);
  TrainOptions t = cfg.task.train;
  t.metric.patch_size = 11;
  long long total = -1;
  int mixed = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    SCOPED_TRACE(r.at("precision") + " r" + r.at("round"));
    EXPECT_EQ(r.at("evaluator"), "emulator");
    mixed += r.at("precision").rfind("mixed_t", 0) == 0;
    const Model m = load_model((out / r.at("model")).string());
    EXPECT_EQ(r.at("model"), "points/" + r.at("precision") + "_r" + r.at("round") + "/model.json");
    EXPECT_EQ(m.graph.find("batchnorm1"), -1);  // folded
    const MetricValues v = evaluate_emulated(m.graph, data.val, t);
    EXPECT_NEAR(v.values.at("mean_px"), std::stod(r.at("val_mean_px")), 1e-9);
    const Sparsity sp = weight_sparsity(m.graph);
    if (total < 0) total = sp.total;
    // round k keeps (1 - 0.3)^k of the prunable weights, rounded per round.
    long long kept = sp.total;
    for (int k = 0; k < std::stoi(r.at("round")); ++k)
      kept -= std::llround(0.3 * static_cast<double>(kept));
    EXPECT_EQ(sp.kept, kept);
    EXPECT_NEAR(std::stod(r.at("sparsity")), sp.fraction(), 1e-9);
    if (r.at("precision") == "6b2i") {
      EXPECT_EQ(m.graph.node(m.graph.find("fc")).quant.weight->width, 6);
      EXPECT_EQ(m.graph.node(m.graph.find("fc")).quant.weight->integer, 2);
    }
  }
  EXPECT_EQ(mixed, 3);
  EXPECT_EQ(total, 3 * 3 * 1 * 3 + 9 * 9 * 3 * 8 + 8 * 2);  // conv, fc, out weights

  // The study: one trial per point with precision and round, plus the two search studies.
  auto storage = open_storage((out / "compress.db").string());
  const auto study = storage->find_study("task");
  ASSERT_TRUE(study);
  EXPECT_EQ(study->objectives[0].name, "val_mean_px");
  EXPECT_EQ(study->objectives[1].name, "bops");
  const auto trials = storage->list_trials(study->id);
  EXPECT_EQ(trials.size(), 10u);
  for (const Trial& tr : trials) {
    EXPECT_EQ(tr.state, TrialState::Complete);
    EXPECT_TRUE(tr.attrs.count("precision") && tr.attrs.count("round"));
  }
  EXPECT_TRUE(storage->find_study("task.layers"));
  EXPECT_TRUE(storage->find_study("task.recipe"));

  const auto front = read_csv(read(out / "front.csv"));
  ASSERT_FALSE(front.empty());
  for (std::size_t i = 1; i < front.size(); ++i)  // by increasing BOPs, decreasing error
    EXPECT_LT(std::stod(front[i - 1].at("bops")), std::stod(front[i].at("bops")))
        << read(out / "points.csv");
  const auto pareto = nlohmann::json::parse(read(out / "pareto.json"));
  EXPECT_EQ(pareto.at("front").size(), front.size());
  EXPECT_EQ(pareto.at("float").at("precision"), "float");
  EXPECT_NE(read(out / "front.svg").find("<svg"), std::string::npos);

  // Run again: everything is done.
  ASSERT_EQ(run(compress_args("out")), 0) << err_;
  EXPECT_NE(err_.find("(0 evaluated now)"), std::string::npos) << err_;
}

TEST_F(CompressCommand, RefusesOtherSettingsOnTheSameStoreAndBadInput) {
  train_model("compress: {precisions: [6], epochs: 1, rounds: 1, calibration_samples: 32}\n");
  ASSERT_EQ(run(compress_args("out")), 0) << err_;
  // More rounds continue the same points: only the new round runs.
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string text = read(dir_ / "task.yaml");
    text.replace(text.find(from), from.size(), to);
    write(dir_ / "task.yaml", text);
  };
  edit("rounds: 1", "rounds: 2");
  ASSERT_EQ(run(compress_args("out")), 0) << err_;
  EXPECT_NE(err_.find("6b: continuing after round 1"), std::string::npos) << err_;
  EXPECT_NE(err_.find("(1 evaluated now)"), std::string::npos) << err_;
  // Settings that shape the points may not change.
  edit("epochs: 1, rounds", "epochs: 2, rounds");
  EXPECT_EQ(run(compress_args("out")), 2);
  EXPECT_NE(err_.find("other compress settings"), std::string::npos) << err_;

  write(dir_ / "bad.yaml", "data: {generator: bragg, samples: 50}\ncompress:\n  fraction: 2\n");
  EXPECT_EQ(run("compress --model " + (dir_ / "float" / "model.json").string() + " --config " +
                (dir_ / "bad.yaml").string() + " --out " + (dir_ / "o2").string()),
            2);
  EXPECT_NE(err_.find("bad.yaml:3: compress.fraction"), std::string::npos) << err_;
}

}  // namespace
}  // namespace nac
