#include "nac/study/sqlite/sqlite_storage.hpp"

#include <chrono>
#include <cmath>

#include "nac/core/error.hpp"
#include "nac/study/sqlite/migrations.hpp"
#include "nac/study/sqlite/sqlite_db.hpp"

namespace nac {

using sqlite::Query;

SqliteStorage::SqliteStorage(const std::string& path, StorageOptions options)
    : path_(path), options_(std::move(options)) {
  db_ = std::make_unique<sqlite::Db>(path, options_.busy_timeout_s);
  // WAL lets readers proceed while one writer commits; NORMAL sync is durable across process
  // crashes (a power cut may lose the last commits, never corrupt the file).
  db_->with_retry([&] {
    auto q = db_->query("PRAGMA journal_mode = WAL");
    q.step();
  });
  db_->exec("PRAGMA synchronous = NORMAL");
  db_->exec("PRAGMA foreign_keys = ON");
  sqlite::migrate(*db_);
}

SqliteStorage::~SqliteStorage() = default;

double SqliteStorage::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void SqliteStorage::fault(const char* point) const {
  if (options_.fault_hook) options_.fault_hook(point);
}

namespace {

std::string objectives_str(const std::vector<Objective>& objs) {
  std::string s = "(";
  for (std::size_t i = 0; i < objs.size(); ++i)
    s += (i ? ", " : "") + objs[i].name + " " + direction_name(objs[i].direction);
  return s + ")";
}

}  // namespace

std::optional<Study> SqliteStorage::load_study(const std::string& name) {
  std::optional<Study> study;
  {
    auto q = db_->query(
        "SELECT study_id, name, space_fingerprint, space, created_at FROM studies WHERE name = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    study = Study{q.get_int(0), q.get_text(1), {}, q.get_text(2), q.get_text(3), q.get_double(4)};
  }
  auto q =
      db_->query("SELECT name, direction FROM study_objectives WHERE study_id = ? ORDER BY idx");
  q.bind(1, study->id);
  while (q.step())
    study->objectives.push_back(
        {q.get_text(0), direction_from_name(q.get_text(1), path_ + ": study " + name)});
  return study;
}

Study SqliteStorage::create_study(const StudyConfig& config) {
  if (config.name.empty()) throw InputError("a study needs a name");
  if (config.objectives.empty())
    throw InputError("study '" + config.name + "' needs at least one objective");
  std::lock_guard lock(mutex_);
  Study out;
  db_->write([&] {
    if (auto existing = load_study(config.name)) {
      if (existing->objectives != config.objectives)
        throw InputError(path_ + ": study '" + config.name + "' exists with objectives " +
                         objectives_str(existing->objectives) + ", not " +
                         objectives_str(config.objectives) + "; use another study name");
      if (!config.space_fingerprint.empty() && !existing->space_fingerprint.empty() &&
          existing->space_fingerprint != config.space_fingerprint)
        throw InputError(path_ + ": study '" + config.name +
                         "' was created with another search space (fingerprint " +
                         existing->space_fingerprint + ", now " + config.space_fingerprint +
                         "); use another study name");
      out = *existing;
      return;
    }
    db_->query(
           "INSERT INTO studies (name, space_fingerprint, space, created_at) VALUES (?, ?, ?, ?)")
        .bind(1, config.name)
        .bind(2, config.space_fingerprint)
        .bind(3, config.space_json)
        .bind(4, now())
        .run();
    const StudyId id = sqlite3_last_insert_rowid(db_->handle());
    for (std::size_t i = 0; i < config.objectives.size(); ++i)
      db_->query(
             "INSERT INTO study_objectives (study_id, idx, name, direction) VALUES (?, ?, ?, ?)")
          .bind(1, id)
          .bind(2, static_cast<std::int64_t>(i))
          .bind(3, config.objectives[i].name)
          .bind(4, std::string(direction_name(config.objectives[i].direction)))
          .run();
    out = *load_study(config.name);
  });
  return out;
}

std::optional<Study> SqliteStorage::find_study(const std::string& name) {
  std::lock_guard lock(mutex_);
  std::optional<Study> out;
  db_->read([&] { out = load_study(name); });
  return out;
}

std::vector<Study> SqliteStorage::list_studies() {
  std::lock_guard lock(mutex_);
  std::vector<Study> out;
  db_->read([&] {
    out.clear();
    std::vector<std::string> names;
    {
      auto q = db_->query("SELECT name FROM studies ORDER BY study_id");
      while (q.step()) names.push_back(q.get_text(0));
    }
    for (const auto& n : names) out.push_back(*load_study(n));
  });
  return out;
}

void SqliteStorage::set_study_attr(StudyId study, const std::string& key,
                                   const std::string& value) {
  std::lock_guard lock(mutex_);
  db_->write([&] {
    db_->query("INSERT OR REPLACE INTO study_attrs (study_id, key, value) VALUES (?, ?, ?)")
        .bind(1, study)
        .bind(2, key)
        .bind(3, value)
        .run();
  });
}

TrialAttrs SqliteStorage::study_attrs(StudyId study) {
  std::lock_guard lock(mutex_);
  TrialAttrs out;
  db_->read([&] {
    out.clear();
    auto q = db_->query("SELECT key, value FROM study_attrs WHERE study_id = ?");
    q.bind(1, study);
    while (q.step()) out[q.get_text(0)] = q.get_text(1);
  });
  return out;
}

TrialId SqliteStorage::insert_trial(StudyId study, const Genotype& g, TrialState state,
                                    const std::string& worker, const TrialAttrs& attrs) {
  std::int64_t number = 0;
  {
    auto q = db_->query("SELECT coalesce(max(number), -1) + 1 FROM trials WHERE study_id = ?");
    q.bind(1, study);
    q.step();
    number = q.get_int(0);
  }
  const double t = now();
  auto q = db_->query(
      "INSERT INTO trials (study_id, number, state, genotype, genotype_hash, worker, created_at, "
      "started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, study).bind(2, number).bind(3, std::string(trial_state_name(state)));
  q.bind(4, g.to_string()).bind(5, g.hash()).bind(6, worker).bind(7, t);
  if (state == TrialState::Running)
    q.bind(8, t).bind(9, t);
  else
    q.bind_null(8).bind_null(9);
  try {
    q.run();
  } catch (const StorageError& e) {
    if (std::string(e.what()).find("FOREIGN KEY") != std::string::npos)
      throw InputError(path_ + ": no study with id " + std::to_string(study));
    throw;
  }
  const TrialId id = sqlite3_last_insert_rowid(db_->handle());
  for (const auto& [k, v] : attrs)
    db_->query("INSERT INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)")
        .bind(1, id)
        .bind(2, k)
        .bind(3, v)
        .run();
  return id;
}

TrialId SqliteStorage::enqueue_trial(StudyId study, const Genotype& g, const TrialAttrs& attrs) {
  std::lock_guard lock(mutex_);
  TrialId id = 0;
  db_->write([&] {
    id = insert_trial(study, g, TrialState::Waiting, "", attrs);
    fault("enqueue:inserted");
  });
  return id;
}

Trial SqliteStorage::start_trial(StudyId study, const Genotype& g, const std::string& worker,
                                 const TrialAttrs& attrs) {
  TrialId id = 0;
  {
    std::lock_guard lock(mutex_);
    db_->write([&] {
      id = insert_trial(study, g, TrialState::Running, worker, attrs);
      fault("start:inserted");
    });
  }
  return get_trial(id);
}

std::optional<Trial> SqliteStorage::claim_next(StudyId study, const std::string& worker) {
  std::optional<TrialId> claimed;
  {
    std::lock_guard lock(mutex_);
    db_->write([&] {
      claimed.reset();
      TrialId id = 0;
      {
        auto q = db_->query(
            "SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING' "
            "ORDER BY number LIMIT 1");
        q.bind(1, study);
        if (!q.step()) return;
        id = q.get_int(0);
      }
      const double t = now();
      db_->query(
             "UPDATE trials SET state = 'RUNNING', worker = ?, started_at = ?, heartbeat_at = ? "
             "WHERE trial_id = ? AND state = 'WAITING'")
          .bind(1, worker)
          .bind(2, t)
          .bind(3, t)
          .bind(4, id)
          .run();
      fault("claim:updated");
      claimed = id;
    });
  }
  if (!claimed) return std::nullopt;
  return get_trial(*claimed);
}

bool SqliteStorage::heartbeat(TrialId trial) {
  std::lock_guard lock(mutex_);
  bool alive = false;
  db_->write([&] {
    db_->query("UPDATE trials SET heartbeat_at = ? WHERE trial_id = ? AND state = 'RUNNING'")
        .bind(1, now())
        .bind(2, trial)
        .run();
    alive = sqlite3_changes(db_->handle()) == 1;
  });
  return alive;
}

bool SqliteStorage::report_intermediate(TrialId trial, int step, double value) {
  std::lock_guard lock(mutex_);
  bool alive = false;
  db_->write([&] {
    db_->query("UPDATE trials SET heartbeat_at = ? WHERE trial_id = ? AND state = 'RUNNING'")
        .bind(1, now())
        .bind(2, trial)
        .run();
    alive = sqlite3_changes(db_->handle()) == 1;
    if (!alive) return;
    db_->query("INSERT OR REPLACE INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?)")
        .bind(1, trial)
        .bind(2, step)
        .bind(3, value)
        .run();
  });
  return alive;
}

bool SqliteStorage::finish_trial(TrialId trial, TrialState state, const std::vector<double>& values,
                                 const std::string& reason) {
  if (!is_finished(state))
    throw InputError(std::string("finish_trial: ") + trial_state_name(state) +
                     " is not a final state (COMPLETE, PRUNED or FAILED)");
  if (state == TrialState::Failed && !values.empty())
    throw InputError("finish_trial: a FAILED trial carries no values");
  std::lock_guard lock(mutex_);
  bool done = false;
  db_->write([&] {
    done = false;
    std::int64_t n_objectives = 0;
    {
      auto q = db_->query(
          "SELECT count(*) FROM study_objectives o JOIN trials t ON o.study_id = t.study_id "
          "WHERE t.trial_id = ?");
      q.bind(1, trial);
      q.step();
      n_objectives = q.get_int(0);
    }
    if (n_objectives == 0) throw InputError(path_ + ": no trial with id " + std::to_string(trial));
    const bool need_all = state == TrialState::Complete;
    if ((need_all && static_cast<std::int64_t>(values.size()) != n_objectives) ||
        static_cast<std::int64_t>(values.size()) > n_objectives)
      throw InputError("finish_trial: trial " + std::to_string(trial) + " got " +
                       std::to_string(values.size()) + " values, the study has " +
                       std::to_string(n_objectives) + " objectives");
    db_->query(
           "UPDATE trials SET state = ?, reason = ?, finished_at = ? "
           "WHERE trial_id = ? AND state = 'RUNNING'")
        .bind(1, std::string(trial_state_name(state)))
        .bind(2, reason)
        .bind(3, now())
        .bind(4, trial)
        .run();
    if (sqlite3_changes(db_->handle()) != 1) return;
    for (std::size_t i = 0; i < values.size(); ++i)
      db_->query("INSERT OR REPLACE INTO trial_values (trial_id, idx, value) VALUES (?, ?, ?)")
          .bind(1, trial)
          .bind(2, static_cast<std::int64_t>(i))
          .bind(3, values[i])
          .run();
    fault("finish:updated");
    done = true;
  });
  return done;
}

std::vector<TrialId> SqliteStorage::fail_stale_trials(StudyId study, double timeout_s,
                                                      bool requeue) {
  std::lock_guard lock(mutex_);
  std::vector<TrialId> failed;
  db_->write([&] {
    failed.clear();
    const double t = now();
    struct Stale {
      TrialId id;
      std::int64_t number;
      std::string genotype;
    };
    std::vector<Stale> stale;
    {
      auto q = db_->query(
          "SELECT trial_id, number, genotype FROM trials WHERE study_id = ? AND state = 'RUNNING' "
          "AND heartbeat_at < ? ORDER BY number");
      q.bind(1, study).bind(2, t - timeout_s);
      while (q.step()) stale.push_back({q.get_int(0), q.get_int(1), q.get_text(2)});
    }
    for (const auto& s : stale) {
      db_->query(
             "UPDATE trials SET state = 'FAILED', finished_at = ?, reason = ? WHERE trial_id = ?")
          .bind(1, t)
          .bind(2, "no heartbeat for more than " + std::to_string(timeout_s) +
                       " s (worker presumed dead)")
          .bind(3, s.id)
          .run();
      failed.push_back(s.id);
      if (!requeue) continue;
      TrialAttrs attrs;
      {
        auto q = db_->query("SELECT key, value FROM trial_attrs WHERE trial_id = ?");
        q.bind(1, s.id);
        while (q.step()) attrs[q.get_text(0)] = q.get_text(1);
      }
      attrs["requeued_from"] = std::to_string(s.number);
      insert_trial(study,
                   Genotype::from_string(s.genotype, path_ + ": trial " + std::to_string(s.id)),
                   TrialState::Waiting, "", attrs);
    }
    fault("stale:updated");
  });
  return failed;
}

std::vector<Trial> SqliteStorage::load_trials(const std::string& where, StudyId study,
                                              std::int64_t arg, const std::string& text_arg) {
  // One query per table over the same selection, merged by trial id (rows come sorted).
  const std::string sel = "SELECT trial_id FROM trials WHERE " + where;
  auto bind = [&](Query& q) {
    q.bind(1, study).bind(2, arg);
    if (!text_arg.empty()) q.bind(3, text_arg);
  };
  std::vector<Trial> trials;
  std::map<TrialId, std::size_t> index;
  {
    auto q = db_->query(
        "SELECT trial_id, number, study_id, state, genotype, worker, reason, created_at, "
        "started_at, heartbeat_at, finished_at FROM trials WHERE " +
        where + " ORDER BY number");
    bind(q);
    while (q.step()) {
      Trial t;
      t.id = q.get_int(0);
      t.number = static_cast<int>(q.get_int(1));
      t.study = q.get_int(2);
      const std::string where_t = path_ + ": trial " + std::to_string(t.id);
      t.state = trial_state_from_name(q.get_text(3), where_t);
      t.genotype = Genotype::from_string(q.get_text(4), where_t);
      t.worker = q.get_text(5);
      t.reason = q.get_text(6);
      auto time = [&](int c) { return q.is_null(c) ? 0.0 : q.get_double(c); };
      t.created_at = time(7);
      t.started_at = time(8);
      t.heartbeat_at = time(9);
      t.finished_at = time(10);
      index[t.id] = trials.size();
      trials.push_back(std::move(t));
    }
  }
  if (trials.empty()) return trials;
  {
    auto q = db_->query("SELECT trial_id, idx, value FROM trial_values WHERE trial_id IN (" + sel +
                        ") ORDER BY trial_id, idx");
    bind(q);
    while (q.step()) {
      auto it = index.find(q.get_int(0));
      if (it == index.end()) continue;
      auto& v = trials[it->second].values;
      v.resize(static_cast<std::size_t>(q.get_int(1)) + 1, std::nan(""));
      v.back() = q.get_double(2);
    }
  }
  {
    auto q = db_->query("SELECT trial_id, step, value FROM trial_intermediate WHERE trial_id IN (" +
                        sel + ")");
    bind(q);
    while (q.step()) {
      auto it = index.find(q.get_int(0));
      if (it != index.end())
        trials[it->second].intermediate[static_cast<int>(q.get_int(1))] = q.get_double(2);
    }
  }
  {
    auto q =
        db_->query("SELECT trial_id, key, value FROM trial_attrs WHERE trial_id IN (" + sel + ")");
    bind(q);
    while (q.step()) {
      auto it = index.find(q.get_int(0));
      if (it != index.end()) trials[it->second].attrs[q.get_text(1)] = q.get_text(2);
    }
  }
  return trials;
}

std::vector<Trial> SqliteStorage::list_trials(StudyId study, const TrialFilter& filter) {
  std::lock_guard lock(mutex_);
  std::vector<Trial> out;
  if (filter.numbers.empty()) {
    db_->read(
        [&] { out = load_trials("study_id = ?1 AND number > ?2", study, filter.after_number); });
    return out;
  }
  std::string numbers = "[";
  for (std::size_t i = 0; i < filter.numbers.size(); ++i) {
    if (i) numbers += ',';
    numbers += std::to_string(filter.numbers[i]);
  }
  numbers += ']';
  db_->read([&] {
    out = load_trials(
        "study_id = ?1 AND (number > ?2 OR number IN (SELECT value FROM json_each(?3)))", study,
        filter.after_number, numbers);
  });
  return out;
}

Trial SqliteStorage::get_trial(TrialId trial) {
  std::lock_guard lock(mutex_);
  std::vector<Trial> out;
  // ?1 is unused by this selection but keeps load_trials' binding uniform.
  db_->read([&] { out = load_trials("?1 IS NOT NULL AND trial_id = ?2", 0, trial); });
  if (out.empty()) throw InputError(path_ + ": no trial with id " + std::to_string(trial));
  return out.front();
}

void SqliteStorage::set_trial_attr(TrialId trial, const std::string& key,
                                   const std::string& value) {
  std::lock_guard lock(mutex_);
  db_->write([&] {
    try {
      db_->query("INSERT OR REPLACE INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)")
          .bind(1, trial)
          .bind(2, key)
          .bind(3, value)
          .run();
    } catch (const StorageError& e) {
      if (std::string(e.what()).find("FOREIGN KEY") != std::string::npos)
        throw InputError(path_ + ": no trial with id " + std::to_string(trial));
      throw;
    }
  });
}

}  // namespace nac
