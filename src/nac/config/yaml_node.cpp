#include "nac/config/yaml_node.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "nac/core/error.hpp"

namespace nac::config {

YamlNode::YamlNode(YAML::Node node, std::string file, std::string path)
    : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {
  if (node_) mark_ = node_.Mark();
}

YamlNode YamlNode::load_string(const std::string& text, const std::string& file) {
  try {
    return YamlNode(YAML::Load(text), file, "");
  } catch (const YAML::Exception& e) {
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
}

YamlNode YamlNode::load_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file + ": cannot open the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_string(ss.str(), file);
}

int YamlNode::line() const { return mark_.is_null() ? 0 : mark_.line + 1; }

std::string YamlNode::where() const {
  // Appended piecewise: GCC 12 reports a false -Wrestrict on `w += ":" + std::to_string(...)`.
  std::string w = file_;
  if (line() > 0) {
    w.append(":");
    w.append(std::to_string(line()));
  }
  if (!path_.empty()) {
    w.append(": ");
    w.append(path_);
  }
  return w;
}

void YamlNode::fail(const std::string& what) const { throw InputError(where() + ": " + what); }

void YamlNode::expect_map() const {
  if (!node_.IsMap()) fail("expected a mapping of keys to values");
}

void YamlNode::expect_keys(std::initializer_list<const char*> allowed) const {
  expect_keys(std::vector<std::string>(allowed.begin(), allowed.end()));
}

void YamlNode::expect_keys(const std::vector<std::string>& allowed) const {
  expect_map();
  for (const auto& kv : node_) {
    const std::string key = kv.first.as<std::string>();
    bool ok = false;
    for (const auto& a : allowed) ok = ok || key == a;
    if (ok) continue;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    YamlNode at(kv.first, file_, path_.empty() ? key : path_ + "." + key);
    at.fail("unknown key '" + key + "'" +
            (list.empty() ? " (no keys are allowed here)" : " (expected one of: " + list + ")"));
  }
}

bool YamlNode::has(const std::string& key) const {
  return node_.IsMap() && node_[key] && !node_[key].IsNull();
}

std::optional<YamlNode> YamlNode::find(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return YamlNode(node_[key], file_, path_.empty() ? key : path_ + "." + key);
}

YamlNode YamlNode::operator[](const std::string& key) const {
  expect_map();
  auto v = find(key);
  if (!v) fail("missing required key '" + key + "'");
  return *v;
}

std::vector<std::string> YamlNode::keys() const {
  expect_map();
  std::vector<std::string> k;
  for (const auto& kv : node_) k.push_back(kv.first.as<std::string>());
  return k;
}

std::size_t YamlNode::size() const { return node_.IsSequence() ? node_.size() : 0; }

YamlNode YamlNode::operator[](std::size_t i) const {
  return YamlNode(node_[i], file_, path_ + "[" + std::to_string(i) + "]");
}

std::vector<YamlNode> YamlNode::items() const {
  if (!node_.IsSequence()) fail("expected a list");
  std::vector<YamlNode> v;
  for (std::size_t i = 0; i < node_.size(); ++i) v.push_back((*this)[i]);
  return v;
}

std::string YamlNode::scalar_text() const {
  if (!node_.IsScalar()) fail("expected a single value, found a list or mapping");
  return node_.Scalar();
}

std::string YamlNode::as_string() const { return scalar_text(); }

double YamlNode::as_double() const {
  const std::string s = scalar_text();
  const char* b = s.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(b, &end);
  if (s.empty() || end != b + s.size() || errno == ERANGE || !std::isfinite(v))
    fail("expected a number, found '" + s + "'");
  return v;
}

std::int64_t YamlNode::as_int() const {
  const std::string s = scalar_text();
  const char* b = s.c_str();
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(b, &end, 10);
  if (s.empty() || end != b + s.size() || errno == ERANGE)
    fail("expected an integer, found '" + s + "'");
  return v;
}

bool YamlNode::as_bool() const {
  const std::string s = scalar_text();
  if (s == "true" || s == "yes" || s == "on" || s == "True" || s == "yes") return true;
  if (s == "false" || s == "no" || s == "off" || s == "False") return false;
  fail("expected true or false, found '" + s + "'");
}

std::vector<std::int64_t> YamlNode::as_int_list() const {
  std::vector<std::int64_t> v;
  for (const auto& it : items()) v.push_back(it.as_int());
  return v;
}

std::vector<std::string> YamlNode::as_string_list() const {
  std::vector<std::string> v;
  for (const auto& it : items()) v.push_back(it.as_string());
  return v;
}

double YamlNode::get(const std::string& key, double fallback) const {
  auto v = find(key);
  return v ? v->as_double() : fallback;
}

int YamlNode::get(const std::string& key, int fallback) const {
  auto v = find(key);
  if (!v) return fallback;
  const auto i = v->as_int();
  if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max())
    v->fail("integer out of range");
  return static_cast<int>(i);
}

bool YamlNode::get(const std::string& key, bool fallback) const {
  auto v = find(key);
  return v ? v->as_bool() : fallback;
}

std::string YamlNode::get(const std::string& key, const std::string& fallback) const {
  auto v = find(key);
  return v ? v->as_string() : fallback;
}

std::string YamlNode::get(const std::string& key, const char* fallback) const {
  return get(key, std::string(fallback));
}

std::uint64_t YamlNode::get_seed(const std::string& key, std::uint64_t fallback) const {
  auto v = find(key);
  if (!v) return fallback;
  const auto i = v->as_int();
  if (i < 0) v->fail("expected a non-negative integer seed");
  return static_cast<std::uint64_t>(i);
}

}  // namespace nac::config
