#include "nac/study/sqlite/sqlite_db.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "nac/core/rng.hpp"

namespace nac::sqlite {

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::bind(int i, std::int64_t v) {
  const int rc = sqlite3_bind_int64(stmt_, i, v);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Query& Query::bind(int i, double v) {
  if (std::isnan(v)) return bind_null(i);
  const int rc = sqlite3_bind_double(stmt_, i, v);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Query& Query::bind(int i, const std::string& v) {
  const int rc =
      sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

Query& Query::bind_null(int i) {
  const int rc = sqlite3_bind_null(stmt_, i);
  if (rc != SQLITE_OK) db_.fail(rc, "bind");
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(rc, sqlite3_sql(stmt_));
}

bool Query::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::int64_t Query::get_int(int col) const { return sqlite3_column_int64(stmt_, col); }

double Query::get_double(int col) const {
  if (is_null(col)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, col);
}

std::string Query::get_text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

Db::Db(const std::string& path, double busy_timeout_s)
    : path_(path), busy_timeout_s_(busy_timeout_s) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError(path + ": cannot open the study file: " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  // No SQLite busy handler: write()/read() retry with their own backoff, which also covers the
  // cases where SQLite returns SQLITE_BUSY without calling the handler.
  sqlite3_busy_timeout(db_, 0);
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Db::fail(int rc, const std::string& what) {
  const int primary = rc & 0xff;
  const std::string msg = sqlite3_errmsg(db_);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    throw BusyError(path_ + ": the study file is locked by another connection (" + msg + ")");
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    throw StorageError(path_ + ": not a nac study file, or the file is corrupt (sqlite: " + msg +
                       ")");
  if (primary == SQLITE_READONLY)
    throw StorageError(path_ + ": the study file is read-only (sqlite: " + msg + ")");
  if (primary == SQLITE_FULL)
    throw StorageError(path_ + ": the disk is full (sqlite: " + msg + ")");
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR)
    throw StorageError(path_ + ": cannot read or write the study file (sqlite: " + msg + ")");
  throw StorageError(path_ + ": " + what + ": sqlite error " + std::to_string(rc) + ": " + msg);
}

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) fail(rc, sql);
}

Query Db::query(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    it = cache_.emplace(sql, stmt).first;
  }
  return Query(*this, it->second);
}

void Db::write(const std::function<void()>& body) { transaction("BEGIN IMMEDIATE", body); }

void Db::read(const std::function<void()>& body) { transaction("BEGIN", body); }

void Db::transaction(const char* begin, const std::function<void()>& body) {
  with_retry([&] {
    exec(begin);
    try {
      body();
      exec("COMMIT");
    } catch (...) {
      if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  });
}

void Db::with_retry(const std::function<void()>& attempt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  double backoff_s = 50e-6;
  thread_local Rng jitter(static_cast<std::uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count()));
  for (;;) {
    try {
      attempt();
      return;
    } catch (const BusyError& e) {
      const double waited = std::chrono::duration<double>(Clock::now() - start).count();
      if (waited >= busy_timeout_s_)
        throw StorageError(std::string(e.what()) + "; gave up after " +
                           std::to_string(static_cast<int>(std::lround(waited * 1000))) + " ms");
      const double sleep_s =
          std::min(backoff_s * jitter.uniform(0.5, 1.5), std::max(0.0, busy_timeout_s_ - waited));
      std::this_thread::sleep_for(std::chrono::duration<double>(sleep_s));
      backoff_s = std::min(backoff_s * 2, 0.02);
    }
  }
}

}  // namespace nac::sqlite
