#include "nac/core/fixed_format.hpp"

#include <array>
#include <cctype>
#include <sstream>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr std::array<const char*, 7> kRoundingNames = {
    "TRN", "TRN_ZERO", "RND", "RND_ZERO", "RND_MIN_INF", "RND_INF", "RND_CONV"};
constexpr std::array<const char*, 4> kOverflowNames = {"WRAP", "SAT", "SAT_ZERO", "SAT_SYM"};

std::string strip(std::string s) {
  std::string r;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) r += c;
  return r;
}

std::string drop_ap(const std::string& s) { return s.rfind("AP_", 0) == 0 ? s.substr(3) : s; }

}  // namespace

const char* rounding_name(Rounding r) { return kRoundingNames[static_cast<std::size_t>(r)]; }
const char* overflow_name(Overflow o) { return kOverflowNames[static_cast<std::size_t>(o)]; }

std::string FixedFormat::problem() const {
  const int max_width = is_signed ? 64 : 63;
  if (width < 1 || width > max_width)
    return std::string(is_signed ? "signed" : "unsigned") + " width must be in 1.." +
           std::to_string(max_width);
  if (integer < -1024 || integer > 1024) return "integer bits must be in -1024..1024";
  return {};
}

std::string FixedFormat::str() const {
  std::ostringstream os;
  os << (is_signed ? "fixed<" : "ufixed<") << width << ',' << integer;
  if (rounding != Rounding::TRN || overflow != Overflow::WRAP)
    os << ',' << rounding_name(rounding) << ',' << overflow_name(overflow);
  os << '>';
  return os.str();
}

FixedFormat FixedFormat::parse(const std::string& text) {
  const std::string s = strip(text);
  auto fail = [&](const std::string& why) -> FixedFormat {
    throw InputError("bad fixed-point format '" + text + "': " + why +
                     " (expected e.g. fixed<8,3> or ufixed<10,2,RND,SAT>)");
  };
  FixedFormat f;
  std::string body;
  for (const char* prefix : {"ap_ufixed<", "ufixed<", "ap_fixed<", "fixed<"}) {
    const std::string p = prefix;
    if (s.rfind(p, 0) == 0 && s.back() == '>') {
      f.is_signed = p.find("ufixed") == std::string::npos;
      body = s.substr(p.size(), s.size() - p.size() - 1);
      break;
    }
  }
  if (body.empty()) return fail("unknown spelling");
  std::vector<std::string> parts;
  std::stringstream ss(body);
  for (std::string item; std::getline(ss, item, ',');) parts.push_back(item);
  if (parts.size() < 2 || parts.size() > 4) return fail("needs 2 to 4 parameters");
  try {
    std::size_t used = 0;
    f.width = std::stoi(parts[0], &used);
    if (used != parts[0].size()) return fail("width is not an integer");
    f.integer = std::stoi(parts[1], &used);
    if (used != parts[1].size()) return fail("integer bits is not an integer");
  } catch (const std::logic_error&) {
    return fail("width and integer bits must be integers");
  }
  if (parts.size() >= 3) {
    bool found = false;
    for (std::size_t i = 0; i < kRoundingNames.size(); ++i)
      if (drop_ap(parts[2]) == kRoundingNames[i]) {
        f.rounding = static_cast<Rounding>(i);
        found = true;
      }
    if (!found) return fail("unknown rounding mode '" + parts[2] + "'");
  }
  if (parts.size() == 4) {
    bool found = false;
    for (std::size_t i = 0; i < kOverflowNames.size(); ++i)
      if (drop_ap(parts[3]) == kOverflowNames[i]) {
        f.overflow = static_cast<Overflow>(i);
        found = true;
      }
    if (!found) return fail("unknown overflow mode '" + parts[3] + "'");
  }
  if (const std::string why = f.problem(); !why.empty()) return fail(why);
  return f;
}

}  // namespace nac
