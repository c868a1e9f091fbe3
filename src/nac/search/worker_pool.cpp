#include "nac/search/worker_pool.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nac {

std::string WorkerExit::describe() const {
  if (signaled) return "killed by signal " + std::to_string(code);
  return "exited with status " + std::to_string(code);
}

WorkerPool::WorkerPool(std::string exe, std::vector<std::string> args, std::string log_dir)
    : exe_(std::move(exe)), args_(std::move(args)), log_dir_(std::move(log_dir)) {
  std::filesystem::create_directories(log_dir_);
}

WorkerPool::~WorkerPool() {
  for (const auto& w : live_) kill(w.pid, SIGKILL);
  for (const auto& w : live_) waitpid(w.pid, nullptr, 0);
}

std::string WorkerPool::log_path(int index) const {
  return (std::filesystem::path(log_dir_) / ("worker-" + std::to_string(index) + ".log")).string();
}

void WorkerPool::spawn(int index) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> args = args_;
  args.push_back("--worker-index");
  args.push_back(std::to_string(index));
  std::vector<char*> argv;
  argv.push_back(exe_.data());
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = log_path(index);
  const pid_t parent = getpid();
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error(log + ": cannot open the worker log");
  const pid_t pid = fork();
  if (pid < 0) {
    ::close(log_fd);
    throw std::runtime_error(std::string("cannot start a worker: ") + std::strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed parent takes its workers along
    if (getppid() != parent) _exit(126);
    dup2(log_fd, STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    execv(exe_.c_str(), argv.data());
    _exit(127);
  }
  ::close(log_fd);
  live_.push_back({index, pid});
}

std::vector<WorkerExit> WorkerPool::reap() {
  std::vector<WorkerExit> out;
  for (auto it = live_.begin(); it != live_.end();) {
    int status = 0;
    const pid_t r = waitpid(it->pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) {
      ++it;
      continue;
    }
    WorkerExit e;
    e.index = it->index;
    e.pid = it->pid;
    e.name = host_name() + ":" + std::to_string(it->pid);
    if (r > 0 && WIFSIGNALED(status)) {
      e.signaled = true;
      e.code = WTERMSIG(status);
    } else {
      e.code = r > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    out.push_back(e);
    it = live_.erase(it);
  }
  return out;
}

void WorkerPool::signal_all(int sig) {
  for (const auto& w : live_) kill(w.pid, sig);
}

std::string host_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) return "localhost";
  return host;
}

bool worker_is_dead(const std::string& worker) {
  const auto colon = worker.rfind(':');
  if (colon == std::string::npos || worker.substr(0, colon) != host_name()) return false;
  const std::string digits = worker.substr(colon + 1);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const pid_t pid = static_cast<pid_t>(std::stol(digits));
  if (pid <= 0) return false;
  if (kill(pid, 0) != 0) return errno == ESRCH;
  // A zombie (dead, not yet reaped by its new parent) still answers kill(pid, 0).
  std::ifstream stat("/proc/" + digits + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() &&
         (line[paren + 2] == 'Z' || line[paren + 2] == 'X');
}

}  // namespace nac
