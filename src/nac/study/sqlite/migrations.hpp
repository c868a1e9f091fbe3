#pragma once
// The study schema as numbered migrations (docs/STUDY_SCHEMA.md). Migration k takes a store from
// schema version k-1 to k; a store records its version in schema_version. Never edit a released
// step: append a new one.
#include <string>
#include <vector>

namespace nac::sqlite {

class Db;

// migrations()[k-1] is the SQL of migration k.
const std::vector<std::string>& migrations();
int latest_schema_version();

// Brings the store to the latest version, one transaction per step. StorageError when the file
// holds other tables but no nac schema, or a version newer than this build knows.
void migrate(Db& db);
// The store's schema version (0 = empty file).
int schema_version(Db& db);

}  // namespace nac::sqlite
