#pragma once
// Link 2 of the chain (DESIGN.md §3): generated HLS projects compiled with g++ and their test
// benches run against the emulator's vectors. Several projects share one compilation: each
// project's top .cpp and test bench are included into one driver (their declarations live in
// per-top namespaces), which runs every test bench and reports per project.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "nac/graph/graph.hpp"
#include "nac/hls/project.hpp"

namespace nac::testing {

namespace fs = std::filesystem;

struct CsimCase {
  std::string name;  // also the top function's name (a C identifier)
  Graph graph;
  hls::HlsOptions opt;
  int vectors = 10000;
  bool in_small = false;  // also run when NAC_TEST_SCALE=small
};

struct CsimResult {
  std::string name;
  long long samples = -1;
  long long mismatches = -1;
  int exit_code = -1;
  long long distinct_outputs = 0;  // distinct expected output rows: the vectors are not trivial
};

inline std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The number of distinct sample lines of a vectors file.
inline long long distinct_rows(const fs::path& file) {
  std::istringstream in(read_text(file));
  std::set<std::string> rows;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') rows.insert(line);
  return static_cast<long long>(rows.size());
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = fs::temp_directory_path() / ("nac_hls_" + tag + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs `cmd` (through the shell); returns its exit status, output in `log`.
inline int run_command(const std::string& cmd, const fs::path& log_file, std::string* log) {
  const int status = std::system((cmd + " > " + log_file.string() + " 2>&1").c_str());
  *log = read_text(log_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// True when NAC_TEST_SCALE=small (the sanitizer run): fewer cases and vectors.
inline bool small_scale() {
  const char* s = std::getenv("NAC_TEST_SCALE");
  return s && std::string(s) == "small";
}

// Splits a project's tb_data into `shards` directories tb_data.<k> of consecutive samples.
inline void shard_vectors(const fs::path& tb, int shards) {
  for (const char* file : {"inputs.dat", "outputs.dat"}) {
    std::istringstream in(read_text(tb / "tb_data" / file));
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') rows.push_back(line);
    for (int k = 0; k < shards; ++k) {
      fs::create_directories(tb / ("tb_data." + std::to_string(k)));
      std::ofstream out(tb / ("tb_data." + std::to_string(k)) / file);
      const std::size_t n = rows.size();
      for (std::size_t r = n * k / shards; r < n * (k + 1) / shards; ++r) out << rows[r] << '\n';
    }
  }
}

// Generates every case under dir/<name>, compiles one driver with g++ at `opt_level` (-O0 under
// NAC_TEST_SCALE=small, where only the cases marked in_small run, on 500 vectors) and runs its
// test benches, on `shards` slices of the vectors in parallel. Fails the test (with the
// compiler's or the driver's output) when compiling fails.
inline std::vector<CsimResult> run_csim_batch(std::vector<CsimCase>& cases, const fs::path& dir,
                                              const char* opt_level = "-O1", int shards = 1) {
  if (small_scale()) {
    std::vector<CsimCase> kept;
    for (auto& c : cases)
      if (c.in_small) kept.push_back(std::move(c));
    cases = std::move(kept);
    for (auto& c : cases) c.vectors = 500;
    opt_level = "-O0";
    shards = 1;
  }
  if (cases.empty()) return {};
  std::string includes, calls;
  for (auto& c : cases) {
    c.opt.top = c.name;
    const hls::HlsProject p = hls::generate_project(c.graph, c.opt, {c.vectors, 7});
    hls::write_project(p, (dir / c.name).string());
    includes += "#include \"" + c.name + "/firmware/" + c.name + ".cpp\"\n#include \"" + c.name +
                "/tb/" + c.name + "_test.cpp\"\n";
    calls += "  std::printf(\"case " + c.name + " exit %d\\n\", " + c.name + "_tb((std::string(\"" +
             (dir / c.name / "tb" / "tb_data").string() + "\") + suffix).c_str()));\n";
    if (shards > 1) shard_vectors(dir / c.name / "tb", shards);
  }
  std::ofstream(dir / "driver.cpp") << "#define NAC_TB_NO_MAIN\n"
                                    << includes
                                    << "#include <cstdio>\n#include <string>\n"
                                       "int main(int argc, char** argv) {\n"
                                       "  const std::string suffix = argc > 1 ? argv[1] : \"\";\n"
                                    << calls << "  return 0;\n}\n";
  const std::string ap = (dir / cases.front().name / "firmware" / "ap_types").string();
  std::string log;
  const int rc = run_command("g++ -std=c++14 " + std::string(opt_level) +
                                 " -Wall -Wextra -Werror -Wno-unknown-pragmas -I" + ap + " -o " +
                                 (dir / "driver").string() + " " + (dir / "driver.cpp").string(),
                             dir / "compile.log", &log);
  EXPECT_EQ(rc, 0) << log.substr(0, 6000);
  if (rc != 0) return {};
  // Shards run concurrently, each writing its own log.
  const std::string driver = (dir / "driver").string();
  std::string cmd;
  if (shards == 1) {
    cmd = driver;
  } else {
    for (int k = 0; k < shards; ++k)
      cmd += driver + " ." + std::to_string(k) + " > " +
             (dir / ("shard" + std::to_string(k) + ".log")).string() + " & ";
    cmd += "wait";
  }
  const int run_rc = run_command(cmd, dir / "run.log", &log);
  EXPECT_EQ(run_rc, 0) << log.substr(0, 6000);
  if (shards > 1) {
    log.clear();
    for (int k = 0; k < shards; ++k) log += read_text(dir / ("shard" + std::to_string(k) + ".log"));
  }
  std::vector<CsimResult> results;
  for (const auto& c : cases) {
    CsimResult r;
    r.name = c.name;
    r.samples = r.mismatches = r.exit_code = 0;
    const std::string tb = c.name + " tb: ";
    int found = 0;
    for (std::size_t at = log.find(tb); at != std::string::npos; at = log.find(tb, at + 1)) {
      long long samples = 0, mismatches = 0;
      if (std::sscanf(log.c_str() + at + tb.size(), "%lld samples, %lld mismatches", &samples,
                      &mismatches) == 2) {
        r.samples += samples;
        r.mismatches += mismatches;
        ++found;
      }
    }
    const std::string ex = "case " + c.name + " exit ";
    for (std::size_t at = log.find(ex); at != std::string::npos; at = log.find(ex, at + 1))
      r.exit_code = std::max(r.exit_code, std::atoi(log.c_str() + at + ex.size()));
    if (found != shards) r.samples = r.mismatches = r.exit_code = -1;
    r.distinct_outputs = distinct_rows(dir / c.name / "tb" / "tb_data" / "outputs.dat");
    std::printf("%s: %lld distinct output rows\n", c.name.c_str(), r.distinct_outputs);
    results.push_back(r);
  }
  std::printf("%s", log.c_str());
  return results;
}

}  // namespace nac::testing
