#pragma once
// A YAML node that knows where it came from (file, line, dotted key path), so every error names
// them: "task.yaml:12: train.lr: expected a number, found 'fast'". Used by every config reader.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace nac::config {

class YamlNode {
 public:
  YamlNode(YAML::Node node, std::string file, std::string path);
  // Parses a whole file / a string (`file` names it in messages). Throws InputError.
  static YamlNode load_file(const std::string& file);
  static YamlNode load_string(const std::string& text, const std::string& file);

  const YAML::Node& raw() const { return node_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  int line() const;  // 1-based; 0 when unknown
  // "file:line: path" for messages.
  std::string where() const;
  [[noreturn]] void fail(const std::string& what) const;

  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  bool is_null() const { return !node_ || node_.IsNull(); }

  // Mappings. Throws unless this is a mapping whose keys are all in `allowed`, naming the
  // unknown key and the allowed ones.
  void expect_keys(std::initializer_list<const char*> allowed) const;
  void expect_keys(const std::vector<std::string>& allowed) const;
  void expect_map() const;
  bool has(const std::string& key) const;
  YamlNode operator[](const std::string& key) const;  // required: throws when missing
  std::optional<YamlNode> find(const std::string& key) const;
  std::vector<std::string> keys() const;  // in file order

  // Sequences.
  std::size_t size() const;
  YamlNode operator[](std::size_t i) const;
  std::vector<YamlNode> items() const;  // throws unless a sequence

  // Scalars, checked.
  std::string as_string() const;
  double as_double() const;
  std::int64_t as_int() const;
  bool as_bool() const;
  std::vector<std::int64_t> as_int_list() const;
  std::vector<std::string> as_string_list() const;

  // Optional members with defaults.
  double get(const std::string& key, double fallback) const;
  int get(const std::string& key, int fallback) const;
  bool get(const std::string& key, bool fallback) const;
  std::string get(const std::string& key, const std::string& fallback) const;
  std::string get(const std::string& key, const char* fallback) const;
  std::uint64_t get_seed(const std::string& key, std::uint64_t fallback) const;

 private:
  std::string scalar_text() const;
  YAML::Node node_;
  std::string file_, path_;
  YAML::Mark mark_;  // of this node, or of the parent when this one is missing
};

}  // namespace nac::config
