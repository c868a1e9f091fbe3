#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0). Reading converts any supported numeric
// dtype to float; writing produces version 1.0 (2.0 when the header needs it), little endian.
#include <cstdint>
#include <string>

#include "nac/core/tensor.hpp"

namespace nac {

// The parsed header dict of a .npy file.
struct NpyHeader {
  int major = 1, minor = 0;
  char byte_order = '<';  // '<', '>' or '|' (single-byte types)
  char kind = 'f';        // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
  int item_size = 4;      // bytes per element
  bool fortran_order = false;
  Shape shape;
  std::size_t data_offset = 0;  // bytes from the file start to the first element
};

// Reads the whole array as float, in C order (Fortran-order files are transposed on load).
// Throws DataError naming the file and what was expected for every malformed input.
Tensor<float> read_npy(const std::string& path);
NpyHeader read_npy_header(const std::string& path);

// Builds the magic + header block for `descr` (e.g. "<f4") and `shape`.
std::string npy_header_block(const std::string& descr, bool fortran_order, const Shape& shape);

void write_npy(const std::string& path, const Tensor<float>& t);
// Raw writer for other dtypes: `bytes` holds the elements of `descr` in the stated order.
void write_npy_raw(const std::string& path, const std::string& descr, bool fortran_order,
                   const Shape& shape, const void* bytes, std::size_t n_bytes);

}  // namespace nac
