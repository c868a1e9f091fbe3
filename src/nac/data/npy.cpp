#include "nac/data/npy.hpp"

#include <bit>
#include <cctype>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <variant>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw DataError(path + ": not a readable .npy file: " + what);
}

// The header is a Python dict literal; only str, bool, int and tuple-of-int values occur in it.
using PyValue = std::variant<std::string, bool, std::vector<long long>>;

class HeaderParser {
 public:
  HeaderParser(std::string text, std::string path) : s_(std::move(text)), path_(std::move(path)) {}

  std::map<std::string, PyValue> parse_dict() {
    std::map<std::string, PyValue> d;
    expect('{');
    while (true) {
      skip_ws();
      if (peek() == '}') break;
      std::string key = parse_string();
      expect(':');
      d[key] = parse_value(key);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() != '}') bad("expected ',' or '}' in the header dict");
    }
    ++i_;
    return d;
  }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  [[noreturn]] void bad(const std::string& what) const {
    fail(path_, what + " at header offset " + std::to_string(i_) + " (header: " + s_ + ")");
  }
  void expect(char c) {
    skip_ws();
    if (peek() != c) bad(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string parse_string() {
    skip_ws();
    const char q = peek();
    if (q != '\'' && q != '"') bad("expected a quoted string");
    ++i_;
    const std::size_t end = s_.find(q, i_);
    if (end == std::string::npos) bad("unterminated string");
    std::string r = s_.substr(i_, end - i_);
    i_ = end + 1;
    return r;
  }
  long long parse_int() {
    skip_ws();
    const std::size_t start = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (start == i_) bad("expected a non-negative integer");
    if (peek() == 'L') ++i_;  // Python 2 long suffix
    const std::string digits = s_.substr(start, i_ - start);
    if (digits.size() > 12) bad("dimension " + digits + " too large");
    return std::stoll(digits);
  }
  PyValue parse_value(const std::string& key) {
    skip_ws();
    const char c = peek();
    if (c == '\'' || c == '"') return parse_string();
    if (s_.compare(i_, 4, "True") == 0) {
      i_ += 4;
      return true;
    }
    if (s_.compare(i_, 5, "False") == 0) {
      i_ += 5;
      return false;
    }
    if (c == '(') {
      ++i_;
      std::vector<long long> dims;
      while (true) {
        skip_ws();
        if (peek() == ')') break;
        dims.push_back(parse_int());
        skip_ws();
        if (peek() == ',')
          ++i_;
        else if (peek() != ')')
          bad("expected ',' or ')' in the shape tuple");
      }
      ++i_;
      return dims;
    }
    if (c == '[')
      bad("structured dtypes (descr lists) are not supported; expected a plain numeric array");
    bad("unsupported value for key '" + key + "'");
  }

  std::string s_;
  std::string path_;
  std::size_t i_ = 0;
};

std::uint32_t read_le(const unsigned char* p, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

template <typename U>
U load_raw(const unsigned char* p, bool swap) {
  U u;
  std::memcpy(&u, p, sizeof(U));
  if (swap) {
    U r = 0;
    for (std::size_t b = 0; b < sizeof(U); ++b)
      r = static_cast<U>((r << 8) | ((u >> (8 * b)) & 0xFF));
    u = r;
  }
  return u;
}

// Converts `n` elements at `p` to float; `swap` reverses each element's bytes.
void convert(const NpyHeader& h, const unsigned char* p, std::size_t n, float* out) {
  const bool swap =
      h.item_size > 1 && (h.byte_order == '<') != (std::endian::native == std::endian::little);
  const auto sz = static_cast<std::size_t>(h.item_size);
  for (std::size_t i = 0; i < n; ++i, p += sz) {
    float v = 0;
    switch (h.kind) {
      case 'f':
        v = h.item_size == 4
                ? std::bit_cast<float>(load_raw<std::uint32_t>(p, swap))
                : static_cast<float>(std::bit_cast<double>(load_raw<std::uint64_t>(p, swap)));
        break;
      case 'b':
        v = *p != 0 ? 1.0f : 0.0f;
        break;
      case 'u':
        switch (h.item_size) {
          case 1:
            v = static_cast<float>(*p);
            break;
          case 2:
            v = static_cast<float>(load_raw<std::uint16_t>(p, swap));
            break;
          case 4:
            v = static_cast<float>(load_raw<std::uint32_t>(p, swap));
            break;
          default:
            v = static_cast<float>(load_raw<std::uint64_t>(p, swap));
            break;
        }
        break;
      default:  // 'i'
        switch (h.item_size) {
          case 1:
            v = static_cast<float>(static_cast<std::int8_t>(*p));
            break;
          case 2:
            v = static_cast<float>(static_cast<std::int16_t>(load_raw<std::uint16_t>(p, swap)));
            break;
          case 4:
            v = static_cast<float>(static_cast<std::int32_t>(load_raw<std::uint32_t>(p, swap)));
            break;
          default:
            v = static_cast<float>(static_cast<std::int64_t>(load_raw<std::uint64_t>(p, swap)));
            break;
        }
    }
    out[i] = v;
  }
}

void parse_descr(const std::string& path, const std::string& descr, NpyHeader& h) {
  const std::string expected =
      "expected one of float32/float64 ('<f4', '<f8'), int8..int64 ('<i1'..'<i8'), "
      "uint8..uint64 ('|u1'..'<u8') or bool ('|b1'), little or big endian";
  if (descr.size() < 3) fail(path, "dtype '" + descr + "' unsupported; " + expected);
  h.byte_order =
      descr[0] == '=' ? (std::endian::native == std::endian::little ? '<' : '>') : descr[0];
  h.kind = descr[1];
  const std::string size_text = descr.substr(2);
  const bool digits = !size_text.empty() && size_text.size() <= 2 &&
                      std::isdigit(static_cast<unsigned char>(size_text[0])) &&
                      std::isdigit(static_cast<unsigned char>(size_text.back()));
  h.item_size = digits ? std::stoi(size_text) : 0;
  bool ok = h.byte_order == '<' || h.byte_order == '>' || h.byte_order == '|';
  switch (h.kind) {
    case 'f':
      ok = ok && (h.item_size == 4 || h.item_size == 8);
      break;
    case 'i':
    case 'u':
      ok = ok && (h.item_size == 1 || h.item_size == 2 || h.item_size == 4 || h.item_size == 8);
      break;
    case 'b':
      ok = ok && h.item_size == 1;
      break;
    default:
      ok = false;
  }
  if (h.byte_order == '|' && h.item_size != 1) ok = false;
  if (!ok) fail(path, "dtype '" + descr + "' unsupported; " + expected);
}

}  // namespace

NpyHeader read_npy_header(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError(path + ": cannot open the .npy file for reading");
  unsigned char pre[12] = {};
  f.read(reinterpret_cast<char*>(pre), 10);
  if (f.gcount() < 10) fail(path, "file is shorter than the 10-byte .npy preamble (truncated?)");
  if (std::memcmp(pre, kMagic, kMagicLen) != 0)
    fail(path, "wrong magic, expected \\x93NUMPY at the start");
  NpyHeader h;
  h.major = pre[6];
  h.minor = pre[7];
  if (h.major < 1 || h.major > 3 || h.minor != 0)
    fail(path, "format version " + std::to_string(h.major) + "." + std::to_string(h.minor) +
                   " unsupported, expected 1.0, 2.0 or 3.0");
  std::size_t prefix = 10;
  std::uint32_t header_len = read_le(pre + 8, 2);
  if (h.major >= 2) {
    f.read(reinterpret_cast<char*>(pre + 10), 2);
    if (f.gcount() < 2) fail(path, "truncated preamble");
    header_len = read_le(pre + 8, 4);
    prefix = 12;
  }
  if (header_len > (1u << 24))
    fail(path, "header length " + std::to_string(header_len) + " implausible");
  std::string text(header_len, '\0');
  f.read(text.data(), header_len);
  if (static_cast<std::uint32_t>(f.gcount()) < header_len)
    fail(path, "truncated header (expected " + std::to_string(header_len) + " bytes)");
  const auto dict = HeaderParser(text, path).parse_dict();
  const auto get = [&](const char* key) -> const PyValue& {
    auto it = dict.find(key);
    if (it == dict.end()) fail(path, std::string("header dict has no '") + key + "' key");
    return it->second;
  };
  const auto* descr = std::get_if<std::string>(&get("descr"));
  const auto* fortran = std::get_if<bool>(&get("fortran_order"));
  const auto* shape = std::get_if<std::vector<long long>>(&get("shape"));
  if (!descr) fail(path, "header 'descr' is not a dtype string");
  if (!fortran) fail(path, "header 'fortran_order' is not True/False");
  if (!shape) fail(path, "header 'shape' is not a tuple of integers");
  parse_descr(path, *descr, h);
  h.fortran_order = *fortran;
  for (long long d : *shape) {
    if (d > INT_MAX) fail(path, "dimension " + std::to_string(d) + " exceeds 2^31-1");
    h.shape.push_back(static_cast<int>(d));
  }
  h.data_offset = prefix + header_len;
  return h;
}

Tensor<float> read_npy(const std::string& path) {
  const NpyHeader h = read_npy_header(path);
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) throw DataError(path + ": cannot open the .npy file for reading");
  const auto file_size = static_cast<std::size_t>(f.tellg());
  const std::size_t available = file_size - std::min(file_size, h.data_offset);
  // Compare in elements first so that an absurd shape cannot overflow the byte count.
  long double want_elems = 1;
  for (int d : h.shape) want_elems *= d;
  const auto item = static_cast<std::size_t>(h.item_size);
  if (want_elems * item > static_cast<long double>(available))
    fail(path, "truncated: shape " + shape_str(h.shape) + " needs " +
                   std::to_string(static_cast<unsigned long long>(want_elems * item)) +
                   " data bytes, file has " + std::to_string(available));
  const std::size_t n = shape_size(h.shape);
  if (n * item != available)
    fail(path, std::to_string(available - n * item) + " unexpected bytes after the " +
                   shape_str(h.shape) + " array");
  f.seekg(static_cast<std::streamoff>(h.data_offset));
  Tensor<float> t(h.shape);
  const bool native_f32 = h.kind == 'f' && h.item_size == 4 &&
                          (h.byte_order == '<') == (std::endian::native == std::endian::little);
  if (native_f32 && (!h.fortran_order || h.shape.size() < 2)) {
    // The common case needs no conversion: read straight into the tensor.
    f.read(reinterpret_cast<char*>(t.ptr()), static_cast<std::streamsize>(n * item));
    if (static_cast<std::size_t>(f.gcount()) != n * item) fail(path, "read error in the data");
    return t;
  }
  std::vector<unsigned char> raw(n * item);
  f.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
  if (static_cast<std::size_t>(f.gcount()) != raw.size()) fail(path, "read error in the data");
  if (!h.fortran_order || h.shape.size() < 2) {
    convert(h, raw.data(), n, t.ptr());
    return t;
  }
  // Fortran order: walk the file's elements (first axis fastest) and scatter to C positions.
  std::vector<float> f_order(n);
  convert(h, raw.data(), n, f_order.data());
  const std::size_t rank = h.shape.size();
  std::vector<std::size_t> c_stride(rank, 1);
  for (std::size_t k = rank - 1; k > 0; --k)
    c_stride[k - 1] = c_stride[k] * static_cast<std::size_t>(h.shape[k]);
  std::vector<int> idx(rank, 0);
  std::size_t c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    t.data[c] = f_order[i];
    for (std::size_t k = 0; k < rank; ++k) {
      c += c_stride[k];
      if (++idx[k] < h.shape[k]) break;
      c -= c_stride[k] * static_cast<std::size_t>(idx[k]);
      idx[k] = 0;
    }
  }
  return t;
}

std::string npy_header_block(const std::string& descr, bool fortran_order, const Shape& shape) {
  std::string dict = "{'descr': '" + descr +
                     "', 'fortran_order': " + (fortran_order ? "True" : "False") + ", 'shape': (";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    dict += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) dict += ",";
    if (i + 1 < shape.size()) dict += " ";
  }
  dict += "), }";
  // Pad with spaces so the data starts on a 64-byte boundary, then end with a newline.
  const bool v2 = dict.size() + 1 + 10 > 65535;
  const std::size_t prefix = v2 ? 12 : 10;
  const std::size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string block(kMagic, kMagicLen);
  block += static_cast<char>(v2 ? 2 : 1);
  block += '\0';
  const std::size_t len = dict.size();
  for (std::size_t b = 0; b < (v2 ? 4u : 2u); ++b)
    block += static_cast<char>((len >> (8 * b)) & 0xFF);
  return block + dict;
}

void write_npy_raw(const std::string& path, const std::string& descr, bool fortran_order,
                   const Shape& shape, const void* bytes, std::size_t n_bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw DataError(path + ": cannot open for writing");
  const std::string header = npy_header_block(descr, fortran_order, shape);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
  f.write(static_cast<const char*>(bytes), static_cast<std::streamsize>(n_bytes));
  if (!f) throw DataError(path + ": write failed");
}

void write_npy(const std::string& path, const Tensor<float>& t) {
  static_assert(std::endian::native == std::endian::little,
                "the .npy writer assumes little endian");
  write_npy_raw(path, "<f4", false, t.shape, t.ptr(), t.size() * sizeof(float));
}

}  // namespace nac
