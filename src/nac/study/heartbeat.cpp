#include "nac/study/heartbeat.hpp"

#include <chrono>

namespace nac {

Heartbeat::Heartbeat(Storage& storage, TrialId trial, double interval_s)
    : storage_(storage), trial_(trial), interval_s_(interval_s), thread_([this] { run(); }) {}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Heartbeat::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (wake_.wait_for(lock, std::chrono::duration<double>(interval_s_), [this] { return stop_; }))
      break;
    lock.unlock();
    try {
      if (storage_.heartbeat(trial_))
        ++beats_;
      else
        lost_ = true;
    } catch (const std::exception&) {
      // A busy store: the next beat tries again; a trial that stays silent too long is failed
      // by the stale-trial sweep, which this worker then learns from lost().
    }
    lock.lock();
    if (lost_) break;
  }
}

}  // namespace nac
