#include "nac/study/sqlite/sqlite_storage.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "nac/core/error.hpp"
#include "storage_conformance.hpp"

namespace nac::testing {
namespace {

std::string temp_db(std::string test) {
  for (auto& c : test)
    if (c == '/') c = '_';  // parameterised test names hold slashes
  return ::testing::TempDir() + "nac_study_" + std::to_string(getpid()) + "_" + test + ".db";
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
}

StorageEngine sqlite_engine() {
  StorageEngine e;
  e.name = "Sqlite";
  e.make_location = [](const std::string& test) {
    const std::string path = temp_db(test);
    remove_db(path);
    return path;
  };
  e.open = [](const std::string& path, StorageOptions o) {
    return std::make_unique<SqliteStorage>(path, std::move(o));
  };
  e.destroy = remove_db;
  e.corrupt = [](const std::string& path) {
    // Overwrite everything after the header page: the schema and the trials are gone.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const auto size = static_cast<std::size_t>(f.tellg());
    f.seekp(100);
    const std::string junk(size - 100, '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  };
  e.hold_lock = [](const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr);
    return std::function<void()>([db] {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db);
    });
  };
  return e;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, StorageConformance, ::testing::Values(sqlite_engine()),
                         engine_name);

// SQLite-specific: the schema people query with sqlite3, and files that are not study stores.
class SqliteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = temp_db(::testing::UnitTest::GetInstance()->current_test_info()->name());
    remove_db(path_);
  }
  void TearDown() override { remove_db(path_); }
  std::string sql_scalar(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  void sql_exec(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(db);
  }
  std::string path_;
};

TEST_F(SqliteFile, StatesAreReadableWithPlainSql) {
  {
    SqliteStorage s(path_);
    const StudyId id = s.create_study({"bragg", {{"error", Direction::Minimize}}, "", ""}).id;
    Genotype g;
    g.set("w", std::int64_t{1});
    s.enqueue_trial(id, g, {});
    s.enqueue_trial(id, g, {});
    const auto t = s.claim_next(id, "w");
    s.finish_trial(t->id, TrialState::Complete, {0.25}, "");
  }
  EXPECT_EQ(sql_scalar("SELECT max(version) FROM schema_version"), "1");
  EXPECT_EQ(sql_scalar("SELECT group_concat(state, ',') FROM (SELECT state FROM trials ORDER BY "
                       "number)"),
            "COMPLETE,WAITING");
  EXPECT_EQ(sql_scalar("SELECT v.value FROM trials t JOIN trial_values v USING (trial_id) "
                       "JOIN studies s USING (study_id) WHERE s.name = 'bragg' AND v.idx = 0"),
            "0.25");
  EXPECT_EQ(sql_scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(sql_scalar("SELECT genotype FROM trials WHERE number = 0"), R"({"w":1})");
}

TEST_F(SqliteFile, NewerSchemaIsRefused) {
  { SqliteStorage s(path_); }
  sql_exec("INSERT INTO schema_version VALUES (99, 'future')");
  try {
    SqliteStorage s(path_);
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST_F(SqliteFile, ForeignDatabaseAndGarbageAreRefused) {
  sql_exec("CREATE TABLE photos (id INTEGER)");
  try {
    SqliteStorage s(path_);
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("not a nac study file"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path_), std::string::npos);
  }
  remove_db(path_);
  std::ofstream(path_) << std::string(4096, 'z');
  try {
    SqliteStorage s(path_);
    FAIL();
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("not a nac study file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(SqliteStorage("/nonexistent-dir/x/study.db"), StorageError);
}

TEST_F(SqliteFile, OpenStorageParsesLocations) {
  auto a = open_storage("sqlite://" + path_);
  a->create_study({"s", {{"e", Direction::Minimize}}, "", ""});
  auto b = open_storage(path_);
  EXPECT_TRUE(b->find_study("s"));
  EXPECT_THROW(open_storage("postgresql://localhost/nac"), InputError);
  EXPECT_THROW(open_storage(""), InputError);
}

}  // namespace nac::testing
