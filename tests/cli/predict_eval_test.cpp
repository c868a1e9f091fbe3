// Runs the built `nac predict` and `nac eval` on a small saved model, in float and emulated.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/quant_graphs.hpp"
#include "nac/data/npy.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

class PredictEval : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nac_predict_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // A 10-feature, 3-class MLP with input normalisation, quantised to 8 bits.
    model_.graph = testing::quant_mlp(4);
    model_.normalization.mean.assign(10, 0.5f);
    model_.normalization.scale.assign(10, 2.0f);
    model_.metadata = {{"task", "classification"},
                       {"metric", "classification"},
                       {"classes", "a,b,c"},
                       {"recipe", R"({"loss":"cross_entropy"})"}};
    raw_ = testing::quant_inputs(model_.graph, 50, 8, 3.0);
    x_ = raw_;
    normalize_inputs(model_.normalization, {10}, x_.ptr(), x_.size());
    quantization_passes(PrecisionConfig{}, x_).run(model_.graph);
    labels_ = Tensor<float>({50});
    for (int i = 0; i < 50; ++i) labels_[static_cast<std::size_t>(i)] = static_cast<float>(i % 3);
    save_model(model_, (dir_ / "model.json").string());
    write_npy((dir_ / "x.npy").string(), raw_);
    write_npy((dir_ / "y.npy").string(), labels_);
  }
  void TearDown() override {
    if (!std::getenv("NAC_KEEP")) fs::remove_all(dir_);
  }

  int run(const std::string& args) {
    const std::string cmd = std::string(NAC_BINARY) + " " + args + " > " +
                            (dir_ / "stdout.txt").string() + " 2> " +
                            (dir_ / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    out_ = read(dir_ / "stdout.txt");
    err_ = read(dir_ / "stderr.txt");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  static std::string read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  std::string path(const char* name) const { return (dir_ / name).string(); }

  static double accuracy(const Tensor<float>& pred, const Tensor<float>& y) {
    int right = 0;
    for (int i = 0; i < y.dim(0); ++i) {
      const float* r = pred.ptr() + 3 * i;
      const int arg = static_cast<int>(std::max_element(r, r + 3) - r);
      right += arg == static_cast<int>(y[static_cast<std::size_t>(i)]);
    }
    return static_cast<double>(right) / y.dim(0);
  }

  fs::path dir_;
  Model model_;
  Tensor<float> raw_, x_, labels_;
  std::string out_, err_;
};

TEST_F(PredictEval, PredictWritesFloatAndEmulatedOutputs) {
  ASSERT_EQ(run("predict --model " + path("model.json") + " --data " + path("x.npy") + " --out " +
                path("p.npy")),
            0)
      << err_;
  const Tensor<float> p = read_npy(path("p.npy"));
  Executor<float> e(model_.graph);
  EXPECT_EQ(p.shape, (Shape{50, 3}));
  EXPECT_EQ(p.data, e.forward(x_, false).data);  // normalised like the training data

  ASSERT_EQ(run("predict --emulate --model " + path("model.json") + " --data " + path("x.npy") +
                " --out " + path("q.npy") + " --batch 16"),
            0)
      << err_;
  EXPECT_EQ(read_npy(path("q.npy")).data, emulate(model_.graph, x_).data);
  EXPECT_NE(err_.find("fixed-point emulator"), std::string::npos) << err_;
}

TEST_F(PredictEval, EvalReportsTheModelsMetrics) {
  for (const bool emulated : {false, true}) {
    ASSERT_EQ(run(std::string("eval ") + (emulated ? "--emulate " : "") + "--model " +
                  path("model.json") + " --data " + path("x.npy") + " --y " + path("y.npy") +
                  " --out " + path("m.json")),
              0)
        << err_;
    const auto j = nlohmann::json::parse(out_);
    EXPECT_EQ(j.at("samples"), 50);
    EXPECT_EQ(j.at("score"), "accuracy");
    EXPECT_EQ(j.at("loss_kind"), "cross_entropy");
    EXPECT_TRUE(j.contains("auc_b")) << out_;
    Executor<float> e(model_.graph);
    const Tensor<float> pred = emulated ? emulate(model_.graph, x_) : e.forward(x_, false);
    EXPECT_DOUBLE_EQ(j.at("accuracy").get<double>(), accuracy(pred, labels_)) << emulated;
    EXPECT_EQ(j.contains("emulator_overflows"), emulated);
    EXPECT_EQ(nlohmann::json::parse(read(dir_ / "m.json")), j);
  }
}

TEST_F(PredictEval, CsvInputsSkipTheLabelColumn) {
  std::ofstream csv(path("d.csv"));
  csv << "f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n";
  for (int i = 0; i < 4; ++i) {
    for (int k = 0; k < 10; ++k) csv << raw_[static_cast<std::size_t>(i * 10 + k)] << ",";
    csv << i % 3 << "\n";
  }
  csv.close();
  ASSERT_EQ(run("predict --model " + path("model.json") + " --data " + path("d.csv") +
                " --label-column label --out " + path("p.npy")),
            0)
      << err_;
  EXPECT_EQ(read_npy(path("p.npy")).shape, (Shape{4, 3}));
}

TEST_F(PredictEval, ErrorsNameTheProblem) {
  EXPECT_EQ(run("predict --model " + path("model.json") + " --data " + path("none.npy") +
                " --out " + path("p.npy")),
            2);
  EXPECT_NE(err_.find("none.npy"), std::string::npos) << err_;
  write_npy(path("bad.npy"), Tensor<float>({4, 7}));
  EXPECT_EQ(run("predict --model " + path("model.json") + " --data " + path("bad.npy") + " --out " +
                path("p.npy")),
            2);
  EXPECT_NE(err_.find("the model expects [10]"), std::string::npos) << err_;
  Model plain = model_;
  for (auto& n : plain.graph.nodes()) n.quant = {};
  save_model(plain, path("plain.json"));
  EXPECT_EQ(run("predict --emulate --model " + path("plain.json") + " --data " + path("x.npy") +
                " --out " + path("p.npy")),
            2);
  EXPECT_NE(err_.find("node 'x' (input)"), std::string::npos) << err_;
  EXPECT_EQ(run("eval --model " + path("model.json") + " --data " + path("x.npy")), 2);
  EXPECT_NE(err_.find("labels"), std::string::npos) << err_;
}

}  // namespace
}  // namespace nac
