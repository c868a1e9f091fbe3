#pragma once
// Writing HDF5 files: datasets of float/double/int32/int64/uint8 and scalar attributes on the
// root group. Modification times are not stored, so the same content gives byte-identical files.
#include <cstdint>
#include <string>

#include "nac/core/tensor.hpp"

namespace nac {

class Hdf5Writer {
 public:
  // Creates (or truncates) `path`; throws DataError when it cannot.
  explicit Hdf5Writer(const std::string& path);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  // T is one of float, double, std::int32_t, std::int64_t, std::uint8_t.
  template <typename T>
  void write(const std::string& name, const Shape& shape, const T* data);
  void write(const std::string& name, const Tensor<float>& t) { write(name, t.shape, t.ptr()); }

  void attribute(const std::string& name, double value);
  void attribute(const std::string& name, std::int64_t value);
  void attribute(const std::string& name, std::uint64_t value);
  void attribute(const std::string& name, const std::string& value);

  // Flushes and closes; the destructor closes too but cannot report errors.
  void close();

 private:
  void write_any(const std::string& name, const Shape& shape, long long mem_type,
                 long long file_type, const void* data);
  void attribute_any(const std::string& name, long long mem_type, long long file_type,
                     const void* data);
  std::string path_;
  long long file_ = -1;  // hid_t, kept opaque so callers need not include hdf5.h
};

}  // namespace nac
