#pragma once
// The SQLite study store: one file (WAL journal), several studies, any number of worker threads
// and processes. Each Storage object owns one connection; its methods may be called from several
// threads (a mutex serialises them), but workers normally open their own. Default arguments
// repeat the interface's.
#include <memory>
#include <mutex>
#include <string>

#include "nac/study/storage.hpp"

namespace nac {

namespace sqlite {
class Db;
}

class SqliteStorage final : public Storage {
 public:
  // Opens (creating if needed) the file and brings its schema up to date. StorageError when the
  // file is not a study store, is corrupt, is newer, or stays locked past the busy timeout.
  explicit SqliteStorage(const std::string& path, StorageOptions options = {});
  ~SqliteStorage() override;

  Study create_study(const StudyConfig& config) override;
  std::optional<Study> find_study(const std::string& name) override;
  std::vector<Study> list_studies() override;
  void set_study_attr(StudyId study, const std::string& key, const std::string& value) override;
  TrialAttrs study_attrs(StudyId study) override;

  TrialId enqueue_trial(StudyId study, const Genotype& g, const TrialAttrs& attrs = {}) override;
  Trial start_trial(StudyId study, const Genotype& g, const std::string& worker,
                    const TrialAttrs& attrs = {}) override;
  std::optional<Trial> claim_next(StudyId study, const std::string& worker) override;
  bool heartbeat(TrialId trial) override;
  bool report_intermediate(TrialId trial, int step, double value) override;
  bool finish_trial(TrialId trial, TrialState state, const std::vector<double>& values,
                    const std::string& reason = "") override;
  std::vector<TrialId> fail_stale_trials(StudyId study, double timeout_s, bool requeue) override;

  std::vector<Trial> list_trials(StudyId study, const TrialFilter& filter = {}) override;
  Trial get_trial(TrialId trial) override;
  void set_trial_attr(TrialId trial, const std::string& key, const std::string& value) override;

  const std::string& path() const { return path_; }

 private:
  double now() const;
  void fault(const char* point) const;
  std::optional<Study> load_study(const std::string& name);
  TrialId insert_trial(StudyId study, const Genotype& g, TrialState state,
                       const std::string& worker, const TrialAttrs& attrs);
  std::vector<Trial> load_trials(const std::string& where, StudyId study, std::int64_t arg,
                                 const std::string& text_arg = "");

  std::string path_;
  StorageOptions options_;
  std::unique_ptr<sqlite::Db> db_;
  std::mutex mutex_;
};

}  // namespace nac
