#pragma once
// The conformance suite every study-storage engine must pass (storage_conformance.cpp). An
// engine registers itself with
//   INSTANTIATE_TEST_SUITE_P(Name, StorageConformance, ::testing::Values(my_engine()),
//                            engine_name);
// (see sqlite_storage_test.cpp); the PostgreSQL engine will do the same.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "nac/study/storage.hpp"

namespace nac::testing {

struct StorageEngine {
  std::string name;
  // A fresh, empty store for one test (a file path, a URL).
  std::function<std::string(const std::string& test_name)> make_location;
  // A new connection to the store (callable in a forked child).
  std::function<std::unique_ptr<Storage>(const std::string& location, StorageOptions options)> open;
  // Removes the store after the test.
  std::function<void(const std::string& location)> destroy;
  // Damages a closed store so that using it must fail with StorageError; empty: not applicable.
  std::function<void(const std::string& location)> corrupt;
  // Takes, from this process, a lock that blocks every writer of the store; returns the function
  // that releases it. Empty: not applicable.
  std::function<std::function<void()>(const std::string& location)> hold_lock;
};

inline void PrintTo(const StorageEngine& e, std::ostream* os) { *os << e.name; }

std::string engine_name(const ::testing::TestParamInfo<StorageEngine>& info);

class StorageConformance : public ::testing::TestWithParam<StorageEngine> {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::unique_ptr<Storage> open(StorageOptions options = {}) const;

  std::string location_;
};

}  // namespace nac::testing
