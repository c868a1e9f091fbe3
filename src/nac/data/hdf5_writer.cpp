#include "nac/data/hdf5_writer.hpp"

#include <vector>

#include "nac/core/error.hpp"
#include "nac/data/hdf5_handle.hpp"

namespace nac {
namespace {

using hdf5::Handle;

template <typename T>
struct H5Types;
template <>
struct H5Types<float> {
  static hid_t mem() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct H5Types<double> {
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct H5Types<std::int32_t> {
  static hid_t mem() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct H5Types<std::int64_t> {
  static hid_t mem() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct H5Types<std::uint8_t> {
  static hid_t mem() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};

}  // namespace

Hdf5Writer::Hdf5Writer(const std::string& path) : path_(path) {
  hdf5::QuietErrors quiet;
  // Without time tracking the root group carries no timestamp either.
  const Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Pset_obj_track_times(fcpl.get(), false);
  file_ = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT);
  if (file_ < 0) throw DataError(path + ": cannot create the HDF5 file (directory missing?)");
}

Hdf5Writer::~Hdf5Writer() {
  if (file_ >= 0) H5Fclose(file_);
}

void Hdf5Writer::close() {
  if (file_ < 0) return;
  hdf5::QuietErrors quiet;
  const herr_t flushed = H5Fflush(file_, H5F_SCOPE_GLOBAL);
  const herr_t closed = H5Fclose(file_);
  file_ = -1;
  if (flushed < 0 || closed < 0) throw DataError(path_ + ": writing the HDF5 file failed");
}

template <typename T>
void Hdf5Writer::write(const std::string& name, const Shape& shape, const T* data) {
  write_any(name, shape, H5Types<T>::mem(), H5Types<T>::file(), data);
}

template void Hdf5Writer::write(const std::string&, const Shape&, const float*);
template void Hdf5Writer::write(const std::string&, const Shape&, const double*);
template void Hdf5Writer::write(const std::string&, const Shape&, const std::int32_t*);
template void Hdf5Writer::write(const std::string&, const Shape&, const std::int64_t*);
template void Hdf5Writer::write(const std::string&, const Shape&, const std::uint8_t*);

void Hdf5Writer::write_any(const std::string& name, const Shape& shape, long long mem_type,
                           long long file_type, const void* data) {
  NAC_ASSERT(file_ >= 0);
  hdf5::QuietErrors quiet;
  const std::string where = path_ + ": dataset '" + name + "'";
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  const Handle space(shape.empty()
                         ? H5Screate(H5S_SCALAR)
                         : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     H5Sclose);
  const Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.get(), false);
  // Names like "group/x" create their groups on the way.
  const Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const Handle d(
      H5Dcreate2(file_, name.c_str(), file_type, space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT),
      H5Dclose);
  if (!space.valid() || !d.valid()) throw DataError(where + ": cannot create it");
  if (shape_size(shape) > 0 && H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw DataError(where + ": write failed");
}

void Hdf5Writer::attribute_any(const std::string& name, long long mem_type, long long file_type,
                               const void* data) {
  NAC_ASSERT(file_ >= 0);
  hdf5::QuietErrors quiet;
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle a(H5Acreate2(file_, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 H5Aclose);
  if (!a.valid() || H5Awrite(a.get(), mem_type, data) < 0)
    throw DataError(path_ + ": cannot write attribute '" + name + "'");
}

void Hdf5Writer::attribute(const std::string& name, double value) {
  attribute_any(name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, &value);
}

void Hdf5Writer::attribute(const std::string& name, std::int64_t value) {
  attribute_any(name, H5T_NATIVE_INT64, H5T_STD_I64LE, &value);
}

void Hdf5Writer::attribute(const std::string& name, std::uint64_t value) {
  attribute_any(name, H5T_NATIVE_UINT64, H5T_STD_U64LE, &value);
}

void Hdf5Writer::attribute(const std::string& name, const std::string& value) {
  hdf5::QuietErrors quiet;
  // A variable-length UTF-8 string: h5py reads it back as a Python str.
  const Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const char* text = value.c_str();
  attribute_any(name, type.get(), type.get(), &text);
}

}  // namespace nac
