#include "nac/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "nac/core/error.hpp"

namespace nac {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Splits the text into records of cells; `lines` gets each record's first line number.
std::vector<std::vector<std::string>> parse(const std::string& path, const std::string& text,
                                            std::vector<int>& lines) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false, was_quoted = false, record_has_content = false;
  int line = 1, record_line = 1;
  const auto end_cell = [&] {
    cells.push_back(was_quoted ? cell : trim(cell));
    cell.clear();
    was_quoted = false;
  };
  const auto end_record = [&] {
    end_cell();
    if (record_has_content || cells.size() > 1) {
      records.push_back(std::move(cells));
      lines.push_back(record_line);
    }
    cells.clear();
    record_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (!record_has_content && cells.empty() && cell.empty()) record_line = line;
    if (was_quoted && (c == ' ' || c == '\t')) {
      continue;  // spaces between a closing quote and the delimiter
    } else if (c == '"' && trim(cell).empty()) {
      quoted = was_quoted = record_has_content = true;
      cell.clear();
    } else if (c == ',') {
      record_has_content = true;
      end_cell();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
    } else {
      if (c != ' ' && c != '\t') record_has_content = true;
      cell += c;
    }
  }
  if (quoted) throw DataError(path + ":" + std::to_string(record_line) + ": unterminated quote");
  end_record();
  return records;
}

}  // namespace

bool parse_number(const std::string& cell, double& value) {
  const char* b = cell.data();
  const char* e = b + cell.size();
  if (b != e && *b == '+') ++b;
  const auto r = std::from_chars(b, e, value);
  // Finite also as float: 1e300 would become inf in the dataset.
  return b != e && r.ec == std::errc() && r.ptr == e && std::isfinite(static_cast<float>(value));
}

CsvTable read_csv(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw DataError(path + ": is a directory, expected a CSV file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError(path + ": cannot open the CSV file for reading");
  std::stringstream ss;
  ss << f.rdbuf();
  CsvTable t;
  t.path = path;
  auto records = parse(path, ss.str(), t.lines);
  if (records.empty()) throw DataError(path + ": empty CSV file, expected a header row");
  t.header = std::move(records.front());
  std::set<std::string> seen;
  for (const auto& h : t.header) {
    if (h.empty()) throw DataError(path + ": header has an empty column name");
    if (!seen.insert(h).second) throw DataError(path + ": header repeats column '" + h + "'");
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != t.header.size())
      throw DataError(path + ":" + std::to_string(t.lines[r]) + ": " +
                      std::to_string(records[r].size()) + " fields, expected " +
                      std::to_string(t.header.size()) + " as in the header");
    t.rows.push_back(std::move(records[r]));
  }
  t.lines.erase(t.lines.begin());
  return t;
}

int csv_column(const CsvTable& t, const std::string& name) {
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == name) return static_cast<int>(i);
  std::string all;
  for (const auto& h : t.header) all += (all.empty() ? "" : ", ") + h;
  throw DataError(t.path + ": no column '" + name + "'; columns are: " + all);
}

Tensor<float> csv_numbers(const CsvTable& t, const std::vector<int>& cols) {
  Tensor<float> out({static_cast<int>(t.rows.size()), static_cast<int>(cols.size())});
  std::size_t k = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (int c : cols) {
      const std::string& cell = t.rows[r][static_cast<std::size_t>(c)];
      double v = 0;
      if (!parse_number(cell, v))
        throw DataError(t.path + ":" + std::to_string(t.lines[r]) + ": column '" +
                        t.header[static_cast<std::size_t>(c)] + "' has '" + cell +
                        "', expected a finite number");
      out.data[k++] = static_cast<float>(v);
    }
  }
  return out;
}

}  // namespace nac
