#include "nac/core/error.hpp"
#include "nac/study/sqlite/sqlite_storage.hpp"
#include "nac/study/storage.hpp"

namespace nac {

std::unique_ptr<Storage> open_storage(const std::string& location, StorageOptions options) {
  const std::string sqlite_scheme = "sqlite://";
  if (location.rfind(sqlite_scheme, 0) == 0)
    return std::make_unique<SqliteStorage>(location.substr(sqlite_scheme.size()),
                                           std::move(options));
  const auto scheme_end = location.find("://");
  if (scheme_end != std::string::npos)
    throw InputError("storage '" + location + "': unknown scheme '" +
                     location.substr(0, scheme_end) +
                     "' (expected sqlite:// or a file path; postgresql:// is not built yet)");
  if (location.empty()) throw InputError("storage: empty location");
  return std::make_unique<SqliteStorage>(location, std::move(options));
}

}  // namespace nac
