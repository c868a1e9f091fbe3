#include "nac/config/train_config.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

std::string example(const std::string& name) {
  return std::string(NAC_SOURCE_DIR) + "/examples/" + name;
}

std::string error_of(const std::string& yaml) {
  try {
    parse_train_config(yaml, "/cfg/task.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError for:\n" << yaml;
  return "";
}

const char* kModel = R"(
model:
  input: [11, 11, 1]
  layers:
    - {op: flatten}
    - {op: dense, units: 2}
)";

TEST(TrainConfig, ExamplesHaveThePublishedParameterCounts) {
  const struct {
    const char* file;
    long long params;
  } cases[] = {{"braggnn.yaml", 45274}, {"openhls.yaml", 3016}, {"jet_mlp.yaml", 4389}};
  for (const auto& c : cases) {
    const TrainConfig cfg = load_train_config(example(c.file));
    EXPECT_EQ(build_graph(cfg.model, nullptr).parameter_count(), c.params) << c.file;
  }
}

TEST(TrainConfig, BraggExampleCarriesThePaperRecipe) {
  const TrainConfig c = load_train_config(example("braggnn.yaml"));
  EXPECT_EQ(c.name, "braggnn");
  EXPECT_EQ(c.data.source.generator, "bragg");
  EXPECT_EQ(c.data.source.bragg.patch, 11);
  EXPECT_EQ(c.data.augment_shift, 1);
  EXPECT_DOUBLE_EQ(c.data.val_fraction, 0.1);
  EXPECT_DOUBLE_EQ(c.data.test_fraction, 0.1);
  EXPECT_FALSE(c.data.standardize);
  EXPECT_EQ(c.train.optimizer.kind, OptimizerKind::RMSprop);
  EXPECT_DOUBLE_EQ(c.train.optimizer.lr, 0.0015);
  EXPECT_DOUBLE_EQ(c.train.optimizer.weight_decay, 2.2e-9);
  EXPECT_EQ(c.train.schedule.kind, ScheduleKind::Cosine);
  EXPECT_EQ(c.train.batch_size, 256);
  EXPECT_EQ(c.train.patience, 5);
  EXPECT_EQ(c.train.metric.kind, MetricKind::PeakDistance);
  EXPECT_DOUBLE_EQ(c.train.metric.patch_size, 11);  // from the generator's patch
}

TEST(TrainConfig, FileSourcesResolveRelativeToTheConfig) {
  const TrainConfig c = parse_train_config(std::string(R"(
data:
  path: data/jets.csv
  label_column: label
  task: classification
  standardize: per_element
model:
  input: [16]
  layers: [{op: dense, units: 5}]
metric: {kind: classification}
search: {trials: 3}
)"),
                                           "/cfg/task.yaml", {"search"});
  EXPECT_EQ(c.data.source.path, "/cfg/data/jets.csv");
  EXPECT_EQ(c.data.source.task, TaskKind::Classification);
  EXPECT_TRUE(c.data.standardize);
  EXPECT_FALSE(c.data.standardize_per_feature);
  EXPECT_EQ(c.train.loss, LossKind::CrossEntropy);
  EXPECT_EQ(c.name, "task");
}

TEST(TrainConfig, BadConfigsNameLineAndKey) {
  const std::string gen = "data:\n  generator: bragg\n  samples: 100\n";
  std::string m = error_of(gen + kModel + "trian: {}\n");
  EXPECT_NE(m.find("/cfg/task.yaml:10: trian: unknown key 'trian'"), std::string::npos) << m;
  m = error_of("data:\n  generator: bragg\n  path: x.csv\n  samples: 5\n" + std::string(kModel));
  EXPECT_NE(m.find("/cfg/task.yaml:2: data: expected exactly one of 'generator' or 'path'"),
            std::string::npos)
      << m;
  m = error_of("data:\n  generator: jets\n  samples: 5\n" + std::string(kModel));
  EXPECT_NE(m.find("data.generator: unknown generator 'jets'"), std::string::npos) << m;
  m = error_of(gen + "  split: {val: 0.5, test: 0.5}\n" + kModel);
  EXPECT_NE(m.find("data.split: val + test must leave samples"), std::string::npos) << m;
  m = error_of(gen + "  standardize: maybe\n" + kModel);
  EXPECT_NE(m.find("/cfg/task.yaml:4: data.standardize: expected true, false"), std::string::npos)
      << m;
  m = error_of(gen + "  bragg: {sigma_mn: 1}\n" + kModel);
  EXPECT_NE(m.find("data.bragg.sigma_mn: unknown key"), std::string::npos) << m;
  m = error_of(gen + "  label_column: y\n" + kModel);
  EXPECT_NE(m.find("'label_column' applies to files"), std::string::npos) << m;
  m = error_of(gen +
               "  augment: {shift: 1}\nmodel:\n  input: [16]\n  layers: [{op: dense, units: 2}]\n");
  EXPECT_NE(m.find("data.augment: the shift augmentation needs image inputs"), std::string::npos)
      << m;
  m = error_of(gen);
  EXPECT_NE(m.find("missing required key 'model'"), std::string::npos) << m;
  m = error_of("");
  EXPECT_NE(m.find("the config is empty"), std::string::npos) << m;
  EXPECT_THROW(load_train_config("/nonexistent/task.yaml"), InputError);
}

}  // namespace
}  // namespace nac
