#include "nac/hls/cpp_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <set>

namespace nac::hls {
namespace {

// C++ keywords a node name could plausibly be, and the generated code's own names.
constexpr std::array<const char*, 40> kReserved = {
    "and",      "auto",     "bool",   "break",  "case",     "char",   "class",  "const",
    "continue", "default",  "delete", "do",     "double",   "else",   "enum",   "explicit",
    "float",    "for",      "friend", "goto",   "if",       "inline", "int",    "long",
    "new",      "not",      "or",     "return", "short",    "signed", "static", "struct",
    "switch",   "template", "this",   "union",  "unsigned", "void",   "input",  "output"};

const char* rounding_spelling(Rounding r) {
  switch (r) {
    case Rounding::TRN:
      return "AP_TRN";
    case Rounding::TRN_ZERO:
      return "AP_TRN_ZERO";
    case Rounding::RND:
      return "AP_RND";
    case Rounding::RND_ZERO:
      return "AP_RND_ZERO";
    case Rounding::RND_MIN_INF:
      return "AP_RND_MIN_INF";
    case Rounding::RND_INF:
      return "AP_RND_INF";
    case Rounding::RND_CONV:
      return "AP_RND_CONV";
  }
  return "AP_TRN";
}

const char* overflow_spelling(Overflow o) {
  switch (o) {
    case Overflow::WRAP:
      return "AP_WRAP";
    case Overflow::SAT:
      return "AP_SAT";
    case Overflow::SAT_ZERO:
      return "AP_SAT_ZERO";
    case Overflow::SAT_SYM:
      return "AP_SAT_SYM";
  }
  return "AP_WRAP";
}

}  // namespace

std::string cpp_identifier(const std::string& name) {
  std::string id;
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "n_" + id;
  if (std::find_if(kReserved.begin(), kReserved.end(), [&](const char* k) { return id == k; }) !=
      kReserved.end())
    id += '_';
  return id;
}

std::vector<std::string> node_identifiers(const Graph& g) {
  std::vector<std::string> ids;
  std::set<std::string> used;
  for (const Node& n : g.nodes()) {
    std::string id = cpp_identifier(n.name);
    for (int k = 2; used.count(id); ++k) id = cpp_identifier(n.name) + "_" + std::to_string(k);
    used.insert(id);
    ids.push_back(id);
  }
  return ids;
}

std::string fixed_type(const FixedFormat& f) {
  std::string s = std::string(f.is_signed ? "ap_fixed<" : "ap_ufixed<") + std::to_string(f.width) +
                  "," + std::to_string(f.integer);
  if (f.rounding != Rounding::TRN || f.overflow != Overflow::WRAP)
    s += std::string(",") + rounding_spelling(f.rounding);
  if (f.overflow != Overflow::WRAP) s += std::string(",") + overflow_spelling(f.overflow);
  return s + ">";
}

std::string raw_type(const FixedFormat& f) {
  return std::string(f.is_signed ? "ap_int<" : "ap_uint<") + std::to_string(f.width) + ">";
}

std::string int_literal(std::int64_t v) {
  if (v == std::numeric_limits<std::int64_t>::min()) return "(-9223372036854775807LL - 1)";
  const std::string s = std::to_string(v);
  if (v >= std::numeric_limits<std::int32_t>::min() &&
      v <= std::numeric_limits<std::int32_t>::max())
    return s;
  return s + "LL";
}

}  // namespace nac::hls
