// The `compress:` section: defaults, every key, and errors that name file:line:key.
#include "nac/compress/compress_config.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

const char* kTask = R"(
data: {generator: bragg, samples: 100, patch: 11}
train: {optimizer: adam, lr: 0.002, batch: 32}
metric: {kind: peak_distance}
)";

CompressConfig parse(const std::string& compress) {
  return parse_compress_config(std::string(kTask) + compress, "/cfg/task.yaml");
}

std::string error_of(const std::string& compress) {
  try {
    parse(compress);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError for:\n" << compress;
  return "";
}

TEST(CompressConfig, DefaultsWithoutASection) {
  const CompressConfig c = parse("");
  EXPECT_EQ(c.task.name, "task");
  EXPECT_EQ(c.compress.study, "task");
  std::vector<std::string> labels;
  for (const auto& p : c.compress.precisions) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"16b", "12b", "10b", "8b", "7b", "6b", "5b", "4b"}));
  EXPECT_EQ(c.compress.quant.rounding, Rounding::RND);
  EXPECT_EQ(c.compress.quant.overflow, Overflow::SAT);
  EXPECT_EQ(c.compress.prune.kind, PruneKind::Unstructured);
  EXPECT_EQ(c.compress.prune.scope, PruneScope::Global);
  EXPECT_DOUBLE_EQ(c.compress.prune.fraction, 0.2);
  EXPECT_EQ(c.compress.rewind_epoch, -1);
  EXPECT_EQ(c.compress.layer_search.trials, 0);
  EXPECT_EQ(c.compress.recipe_search.trials, 0);
  EXPECT_DOUBLE_EQ(c.task.train.metric.patch_size, 11);
}

TEST(CompressConfig, EveryKey) {
  const CompressConfig c = parse(R"(
compress:
  precisions:
    - 8
    - {bits: 8, integer: 3}
    - {name: mixed, bits: 8, layers: {conv1: 6, dense2: {weight: "fixed<4,1,RND,SAT>", bits: 5}}}
  rounding: RND_CONV
  overflow: WRAP
  input_bits: 10
  table_bits: 12
  calibration_samples: 500
  integer_bits: max
  margin: 0.25
  output: 12
  epochs: 3
  rounds: 7
  fraction: 0.3
  structured: true
  norm: l2
  scope: layer
  rewind_epoch: 1
  study: mystudy
  layer_search: {trials: 5, widths: [3, 5], sampler: random, population: 4, epochs: 1, keep: 3, seed: 2}
  recipe_search: {trials: 4, sampler: nsga2, population: 2, epochs: 1, bits: 6, seed: 9,
                  lr: [1e-4, 1e-2], weight_decay: [0, 1e-4], schedule: [cosine, step], batch: [16]}
)");
  const CompressOptions& o = c.compress;
  ASSERT_EQ(o.precisions.size(), 3u);
  EXPECT_EQ(o.precisions[0].label, "8b");
  EXPECT_EQ(o.precisions[1].label, "8b3i");
  EXPECT_EQ(o.precisions[1].integer, 3);
  EXPECT_EQ(o.precisions[2].label, "mixed");
  EXPECT_EQ(o.precisions[2].layers.at("conv1").bits, 6);
  EXPECT_EQ(o.precisions[2].layers.at("dense2").bits, 5);
  EXPECT_EQ(*o.precisions[2].layers.at("dense2").formats.weight,
            FixedFormat::parse("fixed<4,1,RND,SAT>"));
  EXPECT_NE(o.precisions[2].where.find("task.yaml:"), std::string::npos);
  EXPECT_EQ(o.quant.rounding, Rounding::RND_CONV);
  EXPECT_EQ(o.quant.overflow, Overflow::WRAP);
  EXPECT_EQ(o.quant.input_bits, 10);
  EXPECT_EQ(o.quant.table_bits, 12);
  EXPECT_EQ(o.calibration_samples, 500);
  EXPECT_EQ(o.quant.integer_rule, IntegerRule::Max);
  EXPECT_DOUBLE_EQ(o.quant.margin, 0.25);
  EXPECT_EQ(o.quant.output_bits, 12);
  EXPECT_EQ(o.epochs, 3);
  EXPECT_EQ(o.rounds, 7);
  EXPECT_DOUBLE_EQ(o.prune.fraction, 0.3);
  EXPECT_EQ(o.prune.kind, PruneKind::Structured);
  EXPECT_EQ(o.prune.norm, PruneNorm::L2);
  EXPECT_EQ(o.prune.scope, PruneScope::Layer);
  EXPECT_EQ(o.rewind_epoch, 1);
  EXPECT_EQ(o.study, "mystudy");
  EXPECT_EQ(o.layer_search.trials, 5);
  EXPECT_EQ(o.layer_search.widths, (std::vector<int>{3, 5}));
  EXPECT_EQ(o.layer_search.sampler, "random");
  EXPECT_EQ(o.layer_search.keep, 3);
  EXPECT_EQ(o.recipe_search.trials, 4);
  EXPECT_EQ(o.recipe_search.bits, 6);
  EXPECT_DOUBLE_EQ(o.recipe_search.lr_high, 1e-2);
  EXPECT_EQ(o.recipe_search.schedule, (std::vector<std::string>{"cosine", "step"}));
  EXPECT_EQ(o.recipe_search.batch, (std::vector<std::int64_t>{16}));
  // The settings that shape the points are fingerprinted; the searches are not.
  CompressConfig d = c;
  d.compress.layer_search.trials = 50;
  EXPECT_EQ(d.compress.fingerprint(), o.fingerprint());
  d.compress.prune.fraction = 0.25;
  EXPECT_NE(d.compress.fingerprint(), o.fingerprint());
  d = c;
  d.compress.quant.output_bits = kOutputGroup;
  EXPECT_NE(d.compress.fingerprint(), o.fingerprint());
  d = c;
  d.compress.quant.integer_rule = IntegerRule::Mse;
  EXPECT_NE(d.compress.fingerprint(), o.fingerprint());
  // Defaults: the least-squared-error rule and the exact output; `group` keeps the old rule.
  const CompressOptions def = parse("compress: {}").compress;
  EXPECT_EQ(def.quant.integer_rule, IntegerRule::Mse);
  EXPECT_EQ(def.quant.output_bits, kOutputExact);
  EXPECT_EQ(parse("compress: {output: group, integer_bits: mse}").compress.quant.output_bits,
            kOutputGroup);
}

TEST(CompressConfig, ErrorsNameTheLineAndKey) {
  const struct {
    const char* yaml;
    const char* want;
  } cases[] = {
      {"compress: {precisons: [8]}", "unknown key 'precisons'"},
      {"compress: {precisions: [0]}", "compress.precisions[0]"},
      {"compress: {precisions: [8, 8]}", "listed twice"},
      {"compress: {precisions: [{bits: 4, integer: 6}]}", "cannot exceed"},
      {"compress: {precisions: [{bits: 8, layers: {fc: 4}}]}", "needs a name"},
      {"compress: {precisions: [{name: float, bits: 8}]}", "uncompressed"},
      {"compress: {precisions: [{name: a/b, bits: 8}]}", "names output folders"},
      {"compress: {precisions: [{name: m, bits: 8, layers: {fc: {weight: fixed<4>}}}]}",
       "compress.precisions[0].layers.fc.weight"},
      {"compress: {rounding: ROUND}", "unknown rounding 'ROUND'"},
      {"compress: {overflow: CLAMP}", "unknown overflow"},
      {"compress: {output: wide}", "unknown output 'wide'"},
      {"compress: {output: 0}", "compress.output"},
      {"compress: {integer_bits: p99}", "unknown integer_bits rule 'p99'"},
      {"compress: {margin: -1}", "compress.margin"},
      {"compress: {fraction: 1.5}", "compress.fraction"},
      {"compress: {norm: l2}", "structured pruning only"},
      {"compress: {scope: everywhere}", "global or layer"},
      {"compress: {epochs: 2, rewind_epoch: 3}", "compress.rewind_epoch"},
      {"compress: {layer_search: {widths: [4]}}",
       "compress.layer_search: missing required key 'trials'"},
      {"compress: {layer_search: {trials: 2, sampler: tpe}}", "unknown sampler 'tpe'"},
      {"compress: {recipe_search: {trials: 2, lr: [0.1]}}", "[low, high]"},
      {"compress: {recipe_search: {trials: 2, schedule: [plateau]}}", "plateau"},
      {"compress: {recipe_search: on}", "off or a mapping"},
  };
  for (const auto& c : cases) {
    const std::string e = error_of(c.yaml);
    EXPECT_NE(e.find("task.yaml:"), std::string::npos) << e;
    EXPECT_NE(e.find(c.want), std::string::npos) << c.yaml << "\n  -> " << e;
  }
}

TEST(CompressConfig, TheExampleLoads) {
  const CompressConfig c =
      load_compress_config(std::string(NAC_SOURCE_DIR) + "/examples/bragg_compress.yaml");
  EXPECT_EQ(c.compress.precisions.size(), 8u);
  EXPECT_EQ(c.compress.rounds, 20);
  EXPECT_DOUBLE_EQ(c.compress.prune.fraction, 0.2);
}

}  // namespace
}  // namespace nac
