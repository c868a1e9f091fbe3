#pragma once
// CSV files with a header row: comma separated, optional double quotes ("" escapes a quote),
// CRLF or LF line ends, blank lines ignored, spaces around unquoted cells trimmed.
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as wide as the header
  std::vector<int> lines;                      // 1-based file line of each row, for messages
};

// Throws DataError for an unreadable or empty file, a missing header, duplicate column names,
// ragged rows or an unterminated quote.
CsvTable read_csv(const std::string& path);

// The index of column `name`; throws DataError listing the available columns.
int csv_column(const CsvTable& t, const std::string& name);

// The given columns as numbers, [rows, cols]; throws DataError at the first cell that is not a
// finite number, naming file, line and column.
Tensor<float> csv_numbers(const CsvTable& t, const std::vector<int>& cols);

// True when the cell parses completely as a finite number (sets `value`).
bool parse_number(const std::string& cell, double& value);

}  // namespace nac
