#include "nac/study/sqlite/migrations.hpp"

#include "nac/study/sqlite/sqlite_db.hpp"

namespace nac::sqlite {

const std::vector<std::string>& migrations() {
  static const std::vector<std::string> steps = {
      // 1: studies, objectives, attributes, trials with values / intermediates / attributes.
      R"sql(
CREATE TABLE studies (
  study_id          INTEGER PRIMARY KEY,
  name              TEXT NOT NULL UNIQUE,
  space_fingerprint TEXT NOT NULL DEFAULT '',
  space             TEXT NOT NULL DEFAULT '',
  created_at        REAL NOT NULL
);
CREATE TABLE study_objectives (
  study_id  INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,
  name      TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  PRIMARY KEY (study_id, idx)
);
CREATE TABLE study_attrs (
  study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (study_id, key)
);
CREATE TABLE trials (
  trial_id      INTEGER PRIMARY KEY,
  study_id      INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
  number        INTEGER NOT NULL,
  state         TEXT NOT NULL
                CHECK (state IN ('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED')),
  genotype      TEXT NOT NULL,
  genotype_hash TEXT NOT NULL,
  worker        TEXT NOT NULL DEFAULT '',
  reason        TEXT NOT NULL DEFAULT '',
  created_at    REAL NOT NULL,
  started_at    REAL,
  heartbeat_at  REAL,
  finished_at   REAL,
  UNIQUE (study_id, number)
);
CREATE INDEX trials_by_state ON trials (study_id, state, number);
CREATE INDEX trials_by_genotype ON trials (study_id, genotype_hash);
CREATE TABLE trial_values (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  idx      INTEGER NOT NULL,
  value    REAL,
  PRIMARY KEY (trial_id, idx)
);
CREATE TABLE trial_intermediate (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  step     INTEGER NOT NULL,
  value    REAL,
  PRIMARY KEY (trial_id, step)
);
CREATE TABLE trial_attrs (
  trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (trial_id, key)
);
)sql",
  };
  return steps;
}

int latest_schema_version() { return static_cast<int>(migrations().size()); }

int schema_version(Db& db) {
  int version = 0;
  bool has_table = false;
  {
    auto q = db.query(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
    if (q.step()) has_table = q.get_int(0) > 0;
  }
  if (!has_table) return 0;
  auto q = db.query("SELECT max(version) FROM schema_version");
  if (q.step() && !q.is_null(0)) version = static_cast<int>(q.get_int(0));
  return version;
}

void migrate(Db& db) {
  const int latest = latest_schema_version();
  for (;;) {
    bool done = false;
    db.write([&] {
      const int version = schema_version(db);
      if (version > latest)
        throw StorageError(db.path() + ": the study file has schema version " +
                           std::to_string(version) + ", newer than this nac knows (" +
                           std::to_string(latest) + "); use a newer nac");
      if (version == latest) {
        done = true;
        return;
      }
      if (version == 0) {
        auto q = db.query("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        if (q.step() && q.get_int(0) > 0)
          throw StorageError(db.path() +
                             ": not a nac study file (an SQLite database with other tables)");
        db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
      }
      db.exec(migrations()[static_cast<std::size_t>(version)]);
      db.query("INSERT INTO schema_version (version, applied_at) VALUES (?, datetime('now'))")
          .bind(1, version + 1)
          .run();
    });
    if (done) return;
  }
}

}  // namespace nac::sqlite
