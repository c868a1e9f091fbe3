// Runs the built `nac search` on tiny studies (built-in Bragg data, a synthetic DeepSets set) and
// checks the study mechanics: every trial finished exactly once, seeds first, outputs written and
// parseable, and the fault cases (a worker killed mid-trial and mid-write, the whole search
// killed or interrupted and re-run, diverging trials, bad configs and stores, two studies in one
// file). NAC_TEST_SCALE=small (the sanitizer run) uses fewer trials.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "nac/core/rng.hpp"
#include "nac/data/npy.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/study/sqlite/sqlite_storage.hpp"

extern char** environ;

namespace nac {
namespace {

namespace fs = std::filesystem;

bool small() { return std::getenv("NAC_TEST_SCALE") != nullptr; }

class SearchCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nac_search_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::create_directories(dir_ / "spaces");
    fs::copy_file(fs::path(NAC_SOURCE_DIR) / "examples/spaces/bragg.yaml",
                  dir_ / "spaces/bragg.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs nac with `args` (and `env` prefixed, e.g. "NAC_TEST_FAULT=x "); exit status, stderr in
  // err_.
  int run(const std::string& args, const std::string& env = "") {
    const std::string cmd =
        env + std::string(NAC_BINARY) + " " + args + " 2> " + (dir_ / "stderr.txt").string();
    const int status = std::system(cmd.c_str());
    err_ = read(dir_ / "stderr.txt");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Starts nac in the background; its pid.
  pid_t start(const std::vector<std::string>& args) {
    std::vector<std::string> all = {NAC_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, (dir_ / "bg_stderr.txt").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, NAC_BINARY, &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
  }
  static std::string read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  // A tiny Bragg search config: the paper's space, 1 epoch on 200 samples per trial.
  std::string bragg_config(const std::string& extra_search = "", const std::string& lr = "0.0015",
                           const std::string& name = "tiny") {
    const fs::path p = dir_ / (name + ".yaml");
    write(p, "name: " + name + R"(
data: {generator: bragg, samples: 400, seed: 2, patch: 11, augment: {shift: 1}}
train: {optimizer: rmsprop, lr: )" +
                 lr +
                 R"(, schedule: cosine, batch: 64, epochs: 1, patience: 0}
metric: {kind: peak_distance}
search:
  space: spaces/bragg.yaml
  objectives: [val_mean_px, bops]
  population: 4
  trials: 6
  workers: 2
  heartbeat_interval: 0.5
  stale_timeout: 20
)" + extra_search);
    return p.string();
  }

  std::vector<Trial> trials(const std::string& study = "tiny") {
    SqliteStorage s((dir_ / "study.db").string());
    const auto st = s.find_study(study);
    if (!st) return {};
    return s.list_trials(st->id);
  }

  // Every counted trial (not a re-queued copy's original) finished once; returns the count.
  static int check_finished_once(const std::vector<Trial>& ts) {
    std::set<int> numbers;
    int counted = 0;
    std::set<std::string> requeued_from;
    for (const auto& t : ts) {
      EXPECT_TRUE(numbers.insert(t.number).second);
      EXPECT_TRUE(is_finished(t.state)) << "trial " << t.number << " " << trial_state_name(t.state);
      if (t.attrs.count("requeued_from")) requeued_from.insert(t.attrs.at("requeued_from"));
    }
    for (const auto& t : ts) {
      const bool replaced = requeued_from.count(std::to_string(t.number)) > 0;
      if (replaced) {
        EXPECT_EQ(t.state, TrialState::Failed) << t.number;
        EXPECT_TRUE(t.values.empty()) << t.number;
      }
      if (!t.attrs.count("requeued_from")) ++counted;
    }
    return counted;
  }

  fs::path dir_;
  std::string err_;
};

TEST_F(SearchCommand, TinyBraggSearchWithTwoWorkers) {
  const int n = small() ? 4 : 8;
  const std::string cfg = bragg_config();
  const std::string db = (dir_ / "study.db").string();
  ASSERT_EQ(run("search --config " + cfg + " --study " + db + " --trials " + std::to_string(n) +
                " --workers 2 --epochs 1 --train-samples 150"),
            0)
      << err_;
  EXPECT_NE(err_.find("trial " + std::to_string(n) + "/" + std::to_string(n) + " finished"),
            std::string::npos)
      << err_;
  EXPECT_NE(err_.find("ETA"), std::string::npos);
  // No worker died or exited with an error (a sanitizer report would do that).
  EXPECT_EQ(err_.find("worker 0 "), std::string::npos) << err_;
  EXPECT_EQ(err_.find("worker 1 "), std::string::npos) << err_;
  const auto ts = trials();
  ASSERT_EQ(static_cast<int>(ts.size()), n);
  EXPECT_EQ(check_finished_once(ts), n);
  std::set<std::string> workers;
  for (const auto& t : ts) {
    EXPECT_EQ(t.state, TrialState::Complete) << t.number << ": " << t.reason;
    EXPECT_EQ(t.values.size(), 2u);
    EXPECT_EQ(t.intermediate.size(), 1u);  // one epoch reported
    workers.insert(t.worker);
  }
  EXPECT_EQ(workers.size(), 2u);  // both workers ran trials
  // The seeds are trials 0 and 1.
  EXPECT_EQ(ts[0].attrs.at("seed"), "braggnn");
  EXPECT_EQ(ts[1].attrs.at("seed"), "openhls");
  EXPECT_EQ(ts[0].attrs.at("params"), "45274");
  EXPECT_EQ(ts[1].attrs.at("params"), "3016");

  // Outputs next to the store, in a folder named after the study.
  const fs::path out = dir_ / "tiny";
  const std::string csv = read(out / "trials.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), n + 1);
  EXPECT_EQ(csv.rfind("number,state,val_mean_px,bops,", 0), 0u) << csv.substr(0, 80);
  const auto pareto = nlohmann::json::parse(read(out / "pareto.json"));
  ASSERT_FALSE(pareto["front"].empty());
  EXPECT_EQ(pareto["trials"], n);
  for (const auto& e : pareto["front"]) {
    const int num = e["number"];
    const Trial& t = ts[static_cast<std::size_t>(num)];
    EXPECT_EQ(e["values"]["val_mean_px"].get<double>(), t.values[0]);
    const Model m = load_model((out / e["model"].get<std::string>()).string());
    EXPECT_EQ(m.metadata.at("genotype"), t.genotype.to_string());
    EXPECT_EQ(static_cast<double>(m.graph.parameter_count()), std::stod(t.attrs.at("params")));
  }
  for (const auto& t : ts) {
    char d[16];
    std::snprintf(d, sizeof d, "%04d", t.number);
    const auto g = nlohmann::json::parse(read(out / "trials" / d / "genotype.json"));
    EXPECT_EQ(Genotype::from_json(g, "file").to_string(), t.genotype.to_string());
    EXPECT_TRUE(fs::exists(out / "trials" / d / "model.json"));
  }
  for (const char* svg : {"front.svg", "hypervolume.svg"}) {
    const std::string s = read(out / svg);
    EXPECT_EQ(s.rfind("<?xml", 0), 0u) << svg;
    EXPECT_NE(s.find("</svg>"), std::string::npos) << svg;
    EXPECT_NE(s.find("<circle"), std::string::npos) << svg;
  }

  // --report regenerates the same files from the store alone.
  fs::remove_all(out);
  ASSERT_EQ(run("search --study " + db + " --report"), 0) << err_;
  EXPECT_EQ(read(out / "trials.csv"), csv);
  EXPECT_TRUE(fs::exists(out / "trials/0001/model.json"));

  // Re-running the finished study does nothing more.
  ASSERT_EQ(run("search --config " + cfg + " --study " + db + " --trials " + std::to_string(n) +
                " --workers 2 --epochs 1 --train-samples 150"),
            0)
      << err_;
  EXPECT_EQ(trials().size(), ts.size());
}

TEST_F(SearchCommand, ManyWorkersShareTheStoreWithoutLockErrors) {
  // 8 workers (4 in the sanitizer run) on trials of a few milliseconds, heartbeats every 50 ms:
  // the store is written to continuously from 9 processes.
  const int workers = small() ? 4 : 8, n = small() ? 16 : 48;
  const std::string cfg = bragg_config("", "0.0015", "many");
  std::string text = read(cfg);
  text.replace(text.find("heartbeat_interval: 0.5"), 23, "heartbeat_interval: 0.05");
  write(cfg, text);
  ASSERT_EQ(run("search --config " + cfg + " --study " + (dir_ / "study.db").string() +
                " --trials " + std::to_string(n) + " --workers " + std::to_string(workers) +
                " --epochs 1 --train-samples 60"),
            0)
      << err_;
  const auto ts = trials("many");
  ASSERT_EQ(static_cast<int>(ts.size()), n);
  std::set<std::string> seen;
  for (const auto& t : ts) {
    EXPECT_EQ(t.state, TrialState::Complete) << t.reason;
    seen.insert(t.worker);
  }
  EXPECT_GE(static_cast<int>(seen.size()), 2);
  for (int i = 0; i < workers; ++i) {
    const std::string log = read(dir_ / "many/logs" / ("worker-" + std::to_string(i) + ".log"));
    EXPECT_EQ(log.find("locked"), std::string::npos) << log;
    EXPECT_NE(log.find("finished"), std::string::npos) << log;
  }
}

TEST_F(SearchCommand, KilledWorkersTrialsAreRequeuedAndNothingIsLost) {
  const std::string cfg = bragg_config();
  const std::string db = (dir_ / "study.db").string();
  const std::string args = "search --config " + cfg + " --study " + db +
                           " --trials 5 --workers 2 --epochs 2 --train-samples 150";
  // One worker dies after its first epoch (mid-trial), later one inside the commit of a result
  // (mid-write: the transaction is rolled back).
  const std::string once = (dir_ / "fired").string();
  ASSERT_EQ(run(args, "NAC_TEST_FAULT=worker:epoch NAC_TEST_FAULT_ONCE=" + once + " "), 0) << err_;
  EXPECT_NE(err_.find("killed by signal 9"), std::string::npos) << err_;
  EXPECT_NE(err_.find("re-queued"), std::string::npos) << err_;
  auto ts = trials();
  EXPECT_EQ(check_finished_once(ts), 5);
  int failed = 0;
  for (const auto& t : ts) {
    if (t.state == TrialState::Failed) {
      ++failed;
      EXPECT_NE(t.reason.find("killed by signal 9"), std::string::npos) << t.reason;
    } else {
      EXPECT_EQ(t.state, TrialState::Complete) << t.reason;
    }
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(ts.size(), 6u);  // 5 + the re-queued copy

  fs::remove(once);
  ASSERT_EQ(run("search --config " + cfg + " --study " + db +
                    " --trials 7 --workers 2 --epochs 2 --train-samples 150",
                "NAC_TEST_FAULT=finish:updated NAC_TEST_FAULT_ONCE=" + once + " "),
            0)
      << err_;
  const auto before = ts;
  ts = trials();
  EXPECT_EQ(check_finished_once(ts), 7);
  // The trials finished in the first run are untouched.
  for (const auto& b : before) {
    EXPECT_EQ(ts[static_cast<std::size_t>(b.number)].state, b.state);
    EXPECT_EQ(ts[static_cast<std::size_t>(b.number)].values, b.values);
    EXPECT_EQ(ts[static_cast<std::size_t>(b.number)].finished_at, b.finished_at);
  }
  // The trial killed while committing left no values and no model; its copy completed.
  int killed_in_commit = 0;
  SqliteStorage s(db);
  for (const auto& t : ts)
    if (t.number >= 6 && t.state == TrialState::Failed) {
      ++killed_in_commit;
      EXPECT_TRUE(t.values.empty());
      EXPECT_FALSE(s.trial_artifact(t.id, "model.json"));
    }
  EXPECT_EQ(killed_in_commit, 1);
}

TEST_F(SearchCommand, KilledAndInterruptedSearchesContinue) {
  const std::string cfg = bragg_config();
  const std::string db = (dir_ / "study.db").string();
  const int n = small() ? 6 : 8;
  const std::vector<std::string> args = {
      "search",   "--config",        cfg,         "--study", db,
      "--trials", std::to_string(n), "--workers", "2",       "--epochs",
      "2",        "--train-samples", "300"};
  auto wait_complete = [&](int k, pid_t pid) {
    for (int i = 0; i < 6000; ++i) {
      int done = 0;
      if (fs::exists(db))
        for (const auto& t : trials()) done += t.state == TrialState::Complete;
      if (done >= k) return true;
      if (waitpid(pid, nullptr, WNOHANG) == pid) return false;  // it ended already
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  // kill -9 of the whole search: its workers die with it.
  pid_t pid = start(args);
  const bool killed = wait_complete(2, pid);
  if (killed) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  EXPECT_TRUE(killed) << "the search ended before it could be killed";
  const auto before = trials();
  int finished_before = 0;
  for (const auto& t : before) finished_before += is_finished(t.state);
  EXPECT_LT(finished_before, n);
  // Ctrl-C: workers stop at their epoch boundary and give their trials back.
  pid = start(args);
  int status = 0;
  const bool interrupted = wait_complete(4, pid);
  EXPECT_TRUE(interrupted) << "the search ended before it could be interrupted";
  if (interrupted) {
    kill(pid, SIGINT);
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130) << read(dir_ / "bg_stderr.txt");
    for (const auto& t : trials()) EXPECT_NE(t.state, TrialState::Running) << t.number;
  }
  ASSERT_EQ(run("search --config " + cfg + " --study " + db + " --trials " + std::to_string(n) +
                " --workers 2 --epochs 2 --train-samples 300"),
            0)
      << err_;
  const auto after = trials();
  EXPECT_EQ(check_finished_once(after), n);
  for (const auto& b : before) {
    if (!is_finished(b.state)) continue;  // RUNNING when killed: failed and re-queued
    const Trial& a = after[static_cast<std::size_t>(b.number)];
    EXPECT_EQ(a.state, b.state) << b.number;
    EXPECT_EQ(a.values, b.values) << b.number;
    EXPECT_EQ(a.finished_at, b.finished_at) << b.number;
  }
  for (const auto& t : after) {
    if (t.state == TrialState::Failed) {
      EXPECT_NE(t.reason.find("is gone"), std::string::npos) << t.reason;
    }
  }
}

TEST_F(SearchCommand, DivergingTrialsFailAndTheStudyGoesOn) {
  const std::string cfg = bragg_config("", "1e9");
  ASSERT_EQ(run("search --config " + cfg + " --study " + (dir_ / "study.db").string() +
                " --trials 3 --workers 1 --epochs 2 --train-samples 150"),
            0)
      << err_;
  const auto ts = trials();
  ASSERT_EQ(ts.size(), 3u);
  for (const auto& t : ts) {
    EXPECT_EQ(t.state, TrialState::Failed);
    EXPECT_EQ(t.reason.rfind("diverged: ", 0), 0u) << t.reason;
  }
  EXPECT_NE(read(dir_ / "tiny/trials.csv").find("diverged"), std::string::npos);
}

TEST_F(SearchCommand, BadConfigsAndStoresAreClearErrors) {
  write(dir_ / "spaces/broken.yaml",
        "name: b\nkind: bragg\ninput: [11, 11, 1]\noutputs: 2\n"
        "stem: {channels: [8], kernel: 3}\n"
        "blocks: {slots: 1, type: [Conv], Conv: {layers: 1, "
        "channels: [4], kernel: [1], activation: [swish], "
        "norm: [none]}}\nhead: {depth: 1}\n");
  std::string cfg = bragg_config();
  std::string text = read(cfg);
  text.replace(text.find("spaces/bragg.yaml"), 17, "spaces/broken.yaml");
  write(cfg, text);
  EXPECT_EQ(run("search --config " + cfg + " --study " + (dir_ / "s.db").string()), 2);
  EXPECT_NE(err_.find("tiny.yaml:"), std::string::npos) << err_;
  EXPECT_NE(err_.find("broken.yaml:6"), std::string::npos) << err_;
  EXPECT_NE(err_.find("swish"), std::string::npos) << err_;
  EXPECT_FALSE(fs::exists(dir_ / "s.db"));  // nothing started

  cfg = bragg_config("  pruner: {kind: dominance, warmup: 0}\n");
  EXPECT_EQ(run("search --config " + cfg + " --study " + (dir_ / "s.db").string()), 2);
  EXPECT_NE(err_.find("search.pruner.warmup"), std::string::npos) << err_;

  // Data that does not fit the space: the worker says so and the search stops.
  fs::copy_file(fs::path(NAC_SOURCE_DIR) / "examples/spaces/deepsets.yaml",
                dir_ / "spaces/deepsets.yaml");
  cfg = bragg_config();
  text = read(cfg);
  text.replace(text.find("spaces/bragg.yaml"), 17, "spaces/deepsets.yaml");
  text.replace(text.find("objectives: [val_mean_px, bops]"), 31, "objectives: [val_loss, bops]");
  text.replace(text.find("metric: {kind: peak_distance}"), 29, "metric: {kind: loss}");
  write(cfg, text);
  EXPECT_EQ(run("search --config " + cfg + " --study " + (dir_ / "s2.db").string() +
                " --trials 2 --workers 1"),
            2);
  EXPECT_NE(err_.find("worker 0 stopped on bad input"), std::string::npos) << err_;
  EXPECT_NE(err_.find("take inputs of shape [8, 3]"), std::string::npos) << err_;

  write(dir_ / "garbage.db", std::string(8192, 'z'));
  cfg = bragg_config();
  EXPECT_NE(run("search --config " + cfg + " --study " + (dir_ / "garbage.db").string()), 0);
  EXPECT_NE(err_.find("not a nac study file"), std::string::npos) << err_;
}

TEST_F(SearchCommand, TwoStudiesInOneFile) {
  const std::string db = (dir_ / "study.db").string();
  const std::string a = bragg_config("", "0.0015", "first");
  const std::string b = bragg_config("", "0.0015", "second");
  std::string text = read(b);
  text.replace(text.find("[val_mean_px, bops]"), 19, "[val_median_px, params]");
  write(b, text);
  for (const auto& cfg : {a, b})
    ASSERT_EQ(run("search --config " + cfg + " --study " + db +
                  " --trials 3 --workers 1 --epochs 1 --train-samples 100"),
              0)
        << err_;
  EXPECT_EQ(trials("first").size(), 3u);
  EXPECT_EQ(trials("second").size(), 3u);
  EXPECT_NE(read(dir_ / "second/trials.csv").find("val_median_px,params"), std::string::npos);
  EXPECT_EQ(run("search --study " + db + " --report"), 2);
  EXPECT_NE(err_.find("first, second"), std::string::npos) << err_;
  EXPECT_EQ(run("search --study " + db + " --report --name second --out " + (dir_ / "r").string()),
            0)
      << err_;
  EXPECT_TRUE(fs::exists(dir_ / "r/pareto.json"));
  // The same name with other objectives is refused.
  text = read(b);
  text.replace(text.find("name: second"), 12, "name: first ");
  write(b, text);
  EXPECT_EQ(run("search --config " + b + " --study " + db + " --trials 3"), 2);
  EXPECT_NE(err_.find("exists with objectives"), std::string::npos) << err_;
}

TEST_F(SearchCommand, DeepSetsSearchOnASyntheticSet) {
  // 300 jets of 8 constituents x 3 features; the class is decided by the first feature's mean.
  Rng rng(5);
  Tensor<float> x({300, 8, 3}), y({300});
  for (int i = 0; i < 300; ++i) {
    double mean = 0;
    for (int k = 0; k < 24; ++k) {
      x.data[static_cast<std::size_t>(i * 24 + k)] = static_cast<float>(rng.uniform(-1, 1));
      if (k % 3 == 0) mean += x.data[static_cast<std::size_t>(i * 24 + k)] / 8;
    }
    y.data[static_cast<std::size_t>(i)] =
        static_cast<float>(std::min(4, static_cast<int>((mean + 0.5) * 5)));
  }
  write_npy((dir_ / "x.npy").string(), x);
  write_npy((dir_ / "y.npy").string(), y);
  fs::copy_file(fs::path(NAC_SOURCE_DIR) / "examples/spaces/deepsets.yaml",
                dir_ / "spaces/deepsets.yaml");
  write(dir_ / "ds.yaml", R"(
name: ds
data: {path: x.npy, y_path: y.npy, task: classification, sets: true}
train: {optimizer: adam, lr: 0.003, batch: 64, epochs: 2}
metric: {kind: classification}
search:
  space: spaces/deepsets.yaml
  objectives: [val_accuracy, paper_bops]
  paper_bops: {bits: 8}
  trials: 7
  workers: 1
)");
  ASSERT_EQ(run("search --config " + (dir_ / "ds.yaml").string() + " --study " +
                (dir_ / "study.db").string()),
            0)
      << err_;
  const auto ts = trials("ds");
  ASSERT_EQ(ts.size(), 7u);
  EXPECT_EQ(ts[0].attrs.at("seed"), "baseline");  // the five seeds first
  EXPECT_EQ(ts[4].attrs.at("seed"), "tiny");
  EXPECT_NEAR(ts[0].values[1], 236376, 0.5);  // the paper's BOPs at 8 bits
  for (const auto& t : ts) {
    EXPECT_EQ(t.state, TrialState::Complete) << t.reason;
    EXPECT_GE(t.values[0], 0);
    EXPECT_LE(t.values[0], 1);
  }
  const auto pareto = nlohmann::json::parse(read(dir_ / "ds/pareto.json"));
  EXPECT_EQ(pareto["objectives"][0]["direction"], "maximize");
}

}  // namespace
}  // namespace nac
