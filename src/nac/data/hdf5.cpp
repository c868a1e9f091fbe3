#include "nac/data/hdf5.hpp"

#include <filesystem>

#include "nac/core/error.hpp"
#include "nac/data/hdf5_handle.hpp"

namespace nac {
namespace {

using hdf5::Handle;

Handle open_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw DataError(path + ": HDF5 file does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw DataError(path + ": is a directory, expected an HDF5 file");
  const htri_t is_h5 = H5Fis_hdf5(path.c_str());
  if (is_h5 < 0) throw DataError(path + ": cannot open the file for reading");
  if (is_h5 == 0)
    throw DataError(path + ": not an HDF5 file (no HDF5 signature; truncated or another format?)");
  Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.valid()) throw DataError(path + ": HDF5 file cannot be opened (corrupt or truncated?)");
  return f;
}

herr_t collect_dataset(hid_t group, const char* name, const H5L_info_t*, void* out) {
  // H5Oopen + H5Iget_type works the same across HDF5 1.10 to 1.14 (H5Oget_info does not).
  const Handle obj(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
  if (obj.valid() && H5Iget_type(obj.get()) == H5I_DATASET)
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

std::vector<std::string> dataset_names(hid_t file) {
  std::vector<std::string> names;
  H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_dataset, &names);
  return names;
}

std::string join(const std::vector<std::string>& v) {
  std::string r;
  for (const auto& s : v) r += (r.empty() ? "" : ", ") + s;
  return r.empty() ? "none" : r;
}

// True when every group on the way to `name` and `name` itself exist as links.
bool link_exists(hid_t file, const std::string& name) {
  std::size_t pos = 0;
  while (true) {
    pos = name.find('/', pos + 1);
    const std::string prefix = name.substr(0, pos);
    if (!prefix.empty() && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (pos == std::string::npos) return true;
  }
}

}  // namespace

std::vector<std::string> hdf5_dataset_names(const std::string& path) {
  hdf5::QuietErrors quiet;
  const Handle f = open_file(path);
  return dataset_names(f.get());
}

Tensor<float> read_hdf5_dataset(const std::string& path, const std::string& name) {
  hdf5::QuietErrors quiet;
  const Handle f = open_file(path);
  const std::string where = path + ": dataset '" + name + "'";
  if (name.empty() || !link_exists(f.get(), name))
    throw DataError(where + " not found; datasets at the root: " + join(dataset_names(f.get())));
  const Handle d(H5Dopen2(f.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.valid()) throw DataError(where + " is not a dataset (a group?)");
  const Handle type(H5Dget_type(d.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw DataError(where + " has a non-numeric element type (class " +
                    std::to_string(static_cast<int>(cls)) +
                    "); expected integers or floats (store booleans as uint8)");
  const Handle space(H5Dget_space(d.get()), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) throw DataError(where + ": cannot read its dataspace");
  if (rank == 0) throw DataError(where + " is a scalar; expected an array [N, ...]");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  Shape shape;
  for (hsize_t v : dims) {
    if (v > 0x7FFFFFFF) throw DataError(where + ": dimension " + std::to_string(v) + " too large");
    shape.push_back(static_cast<int>(v));
  }
  Tensor<float> t(shape);
  if (t.size() == 0) return t;
  if (H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.ptr()) < 0)
    throw DataError(where + ": read failed (truncated or corrupt file?)");
  return t;
}

}  // namespace nac
