#pragma once
// A thin layer over the SQLite C API for the study store: a connection with cached prepared
// statements, errors turned into StorageError naming the file, and transactions retried with
// jittered exponential backoff while another connection holds the lock.
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "nac/study/storage.hpp"

namespace nac::sqlite {

// The database is busy (locked by another connection): the transaction is retried.
class BusyError : public StorageError {
 public:
  using StorageError::StorageError;
};

class Db;

// A prepared statement in use; reset (and unbound) when it goes out of scope.
class Query {
 public:
  Query(Db& db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int i, std::int64_t v);
  Query& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Query& bind(int i, double v);  // NaN is stored as NULL
  Query& bind(int i, const std::string& v);
  Query& bind_null(int i);
  bool step();  // true: a row is ready; false: done
  void run() {  // steps a statement that returns no rows
    while (step()) {
    }
  }

  bool is_null(int col) const;
  std::int64_t get_int(int col) const;
  double get_double(int col) const;  // NULL -> NaN
  std::string get_text(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  Db(const std::string& path, double busy_timeout_s);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // Runs SQL that returns no rows (one or several statements).
  void exec(const std::string& sql);
  Query query(const std::string& sql);  // prepared once per connection, then cached

  // BEGIN IMMEDIATE (the write lock from the start, so concurrent claims serialise) ... COMMIT;
  // a busy database retries the whole body until the busy timeout, then StorageError. The body
  // must not have effects outside the database before the commit.
  void write(const std::function<void()>& body);
  // A deferred (read) transaction, retried likewise: a consistent snapshot for several queries.
  void read(const std::function<void()>& body);

  // Runs `attempt` until it does not throw BusyError, with jittered exponential backoff, for at
  // most the busy timeout (then StorageError saying the file is locked).
  void with_retry(const std::function<void()>& attempt);

  // Throws BusyError or StorageError for SQLite result code rc.
  [[noreturn]] void fail(int rc, const std::string& what);

 private:
  void transaction(const char* begin, const std::function<void()>& body);

  std::string path_;
  sqlite3* db_ = nullptr;
  double busy_timeout_s_;
  std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace nac::sqlite
