#pragma once
// The worker processes of a search, as the parent sees them: each is the nac binary re-executed
// as `nac search-worker ...` (a fresh process: no SQLite connection or thread crosses a fork),
// with its stderr appended to a log file, killed by the kernel if the parent dies (so a killed
// `nac search` leaves no orphan training on), and reaped without blocking.
#include <sys/types.h>

#include <string>
#include <vector>

namespace nac {

struct WorkerExit {
  int index = 0;
  pid_t pid = 0;
  std::string name;  // "<host>:<pid>", as recorded on its trials
  bool signaled = false;
  int code = 0;  // exit status, or the signal number when signaled
  bool clean() const { return !signaled && code == 0; }
  std::string describe() const;  // "exited with status 2", "killed by signal 9"
};

class WorkerPool {
 public:
  // `exe`: the nac binary; `args`: the arguments after it, to which "--worker-index i" is added.
  WorkerPool(std::string exe, std::vector<std::string> args, std::string log_dir);
  ~WorkerPool();  // kills and reaps any worker still running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts worker `index`; throws std::runtime_error when fork fails.
  void spawn(int index);
  // The workers that ended since the last call.
  std::vector<WorkerExit> reap();
  void signal_all(int sig);
  int live() const { return static_cast<int>(live_.size()); }
  std::string log_path(int index) const;

 private:
  struct Live {
    int index;
    pid_t pid;
  };
  std::string exe_;
  std::vector<std::string> args_;
  std::string log_dir_;
  std::vector<Live> live_;
};

// "<host>" of this machine (as worker_name() uses).
std::string host_name();
// Whether a worker named "<host>:<pid>" certainly no longer runs: it ran on this host and no
// process has its pid. false when unsure (another host, a reused pid).
bool worker_is_dead(const std::string& worker);

}  // namespace nac
