#pragma once
// A worker's heartbeat: while a trial trains, a background thread refreshes its heartbeat every
// interval, so fail_stale_trials() can tell a slow trial from a dead worker. If the store answers
// that the trial is no longer RUNNING (it was failed as stale), lost() turns true and the worker
// should abandon the trial. Store errors (a lock held too long) are retried at the next beat.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "nac/study/storage.hpp"

namespace nac {

class Heartbeat {
 public:
  // `storage` must outlive this object and be safe to call from another thread (SqliteStorage
  // is; or give the heartbeat its own connection).
  Heartbeat(Storage& storage, TrialId trial, double interval_s);
  ~Heartbeat();  // stops the thread
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  bool lost() const { return lost_.load(); }
  int beats() const { return beats_.load(); }  // successful heartbeats so far

 private:
  void run();

  Storage& storage_;
  TrialId trial_;
  double interval_s_;
  std::atomic<bool> lost_{false};
  std::atomic<int> beats_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace nac
