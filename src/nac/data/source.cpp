#include "nac/data/source.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>

#include "nac/core/error.hpp"
#include "nac/data/csv.hpp"
#include "nac/data/hdf5.hpp"
#include "nac/data/npy.hpp"

namespace nac {
namespace {

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string index_str(const Shape& shape, std::size_t flat) {
  std::string s;
  for (std::size_t k = shape.size(); k-- > 0;) {
    const auto d = static_cast<std::size_t>(shape[k]);
    s = std::to_string(flat % d) + (s.empty() ? "" : ", ") + s;
    flat /= d;
  }
  return "[" + s + "]";
}

void check_array(const Tensor<float>& t, const std::string& where) {
  if (t.rank() == 0) throw DataError(where + " is a scalar; expected an array [N, ...]");
  if (t.size() == 0)
    throw DataError(where + " is empty (shape " + shape_str(t.shape) +
                    "); expected N >= 1 samples");
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!std::isfinite(t.data[i]))
      throw DataError(where + " has a non-finite value (" + std::to_string(t.data[i]) +
                      ") at index " + index_str(t.shape, i));
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    std::string item = s.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

Dataset load_csv_dataset(const DataSource& src) {
  const CsvTable t = read_csv(src.path);
  if (t.rows.empty()) throw DataError(src.path + ": CSV file has a header but no data rows");
  const auto labels = split_commas(src.label_column);
  if (labels.empty())
    throw DataError(src.path + ": no label column given; expected the target column name(s)");
  std::vector<int> label_cols;
  for (const auto& l : labels) label_cols.push_back(csv_column(t, l));
  std::vector<int> feature_cols;
  if (src.columns.empty()) {
    for (int c = 0; c < static_cast<int>(t.header.size()); ++c)
      if (std::find(label_cols.begin(), label_cols.end(), c) == label_cols.end())
        feature_cols.push_back(c);
  } else {
    for (const auto& name : src.columns) {
      const int c = csv_column(t, name);
      if (std::find(label_cols.begin(), label_cols.end(), c) != label_cols.end())
        throw DataError(src.path + ": column '" + name + "' is both a feature and the label");
      feature_cols.push_back(c);
    }
  }
  if (feature_cols.empty()) throw DataError(src.path + ": no feature columns besides the label");
  Tensor<float> x = csv_numbers(t, feature_cols);

  // A single classification column of names (not numbers) maps the sorted names to 0..k-1.
  if (src.task == TaskKind::Classification && label_cols.size() == 1) {
    const auto col = static_cast<std::size_t>(label_cols[0]);
    double v = 0;
    const bool any_number = std::any_of(t.rows.begin(), t.rows.end(),
                                        [&](const auto& row) { return parse_number(row[col], v); });
    if (!any_number) {
      std::map<std::string, int> index;
      for (const auto& row : t.rows) index[row[col]] = 0;
      Dataset d;
      int k = 0;
      for (auto& [name, i] : index) {
        i = k++;
        d.classes.push_back(name);
      }
      Tensor<float> y({static_cast<int>(t.rows.size())});
      for (std::size_t r = 0; r < t.rows.size(); ++r)
        y.data[r] = static_cast<float>(index[t.rows[r][col]]);
      Dataset made = make_dataset(std::move(x), std::move(y), src.task, src.path,
                                  src.path + ": label column '" + labels[0] + "'");
      made.classes = std::move(d.classes);
      made.num_classes = static_cast<int>(made.classes.size());
      return made;
    }
  }
  Dataset d = make_dataset(std::move(x), csv_numbers(t, label_cols), src.task, src.path,
                           src.path + ": label column(s) '" + src.label_column + "'");
  if (src.task == TaskKind::Classification && labels.size() > 1) d.classes = labels;
  return d;
}

// One-hot rows [N, k] (exactly one 1, zeros elsewhere) to indices [N]; false if not one-hot.
bool one_hot_to_index(const Tensor<float>& y, Tensor<float>& out) {
  const int n = y.dim(0), k = y.dim(1);
  out = Tensor<float>({n});
  for (int i = 0; i < n; ++i) {
    int hot = -1;
    for (int j = 0; j < k; ++j) {
      const float v = y.data[static_cast<std::size_t>(i * k + j)];
      if (v == 1.0f && hot < 0)
        hot = j;
      else if (v != 0.0f)
        return false;
    }
    if (hot < 0) return false;
    out.data[static_cast<std::size_t>(i)] = static_cast<float>(hot);
  }
  return true;
}

}  // namespace

Dataset make_dataset(Tensor<float> x, Tensor<float> y, TaskKind task, const std::string& x_where,
                     const std::string& y_where, bool rank3_is_image) {
  check_array(x, x_where);
  check_array(y, y_where);
  const std::string& where = y_where;
  if (x.dim(0) != y.dim(0))
    throw DataError(x_where + " has " + std::to_string(x.dim(0)) + " samples " +
                    shape_str(x.shape) + " but " + y_where + " has " + std::to_string(y.dim(0)) +
                    " " + shape_str(y.shape) + "; expected the same first dimension");
  if (x.rank() == 1) x.shape.push_back(1);
  if (x.rank() == 3 && rank3_is_image) x.shape.push_back(1);
  Dataset d;
  d.task = task;
  d.source = x_where;
  const int n = y.dim(0);
  if (task == TaskKind::Regression) {
    y.shape = {n, static_cast<int>(y.size() / static_cast<std::size_t>(n))};
  } else {
    if (y.rank() == 2 && y.dim(1) == 1) y.shape = {n};
    if (y.rank() == 2) {
      Tensor<float> idx;
      if (!one_hot_to_index(y, idx))
        throw DataError(where + ": classification targets " + shape_str(y.shape) +
                        " are not one-hot rows; expected class indices [N] or one-hot [N, k]");
      d.num_classes = y.dim(1);
      y = std::move(idx);
    } else if (y.rank() != 1) {
      throw DataError(where + ": classification targets have shape " + shape_str(y.shape) +
                      "; expected class indices [N] or one-hot [N, k]");
    }
    float top = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const float v = y.data[i];
      if (v < 0 || v != std::floor(v))
        throw DataError(where + ": classification label " + std::to_string(v) + " at sample " +
                        std::to_string(i) + " is not an integer class index 0..k-1");
      top = std::max(top, v);
    }
    d.num_classes = std::max(d.num_classes, static_cast<int>(top) + 1);
  }
  d.x = std::move(x);
  d.y = std::move(y);
  return d;
}

Dataset load_dataset(const DataSource& src) {
  if (!src.generator.empty()) {
    if (!src.path.empty())
      throw InputError("data source names both a file (" + src.path + ") and a generator (" +
                       src.generator + "); expected one");
    if (src.generator != "bragg")
      throw InputError("unknown data generator '" + src.generator + "'; expected: bragg");
    if (src.task != TaskKind::Regression)
      throw InputError("the bragg generator makes a regression dataset; task must be regression");
    if (src.samples <= 0)
      throw InputError("generator 'bragg': samples must be >= 1, got " +
                       std::to_string(src.samples));
    return generate_bragg(src.samples, src.seed, src.bragg);
  }
  if (src.path.empty()) throw InputError("data source names neither a file nor a generator");
  std::error_code ec;
  if (!std::filesystem::exists(src.path, ec))
    throw DataError(src.path + ": data file does not exist");
  const std::string ext = lower_extension(src.path);
  if (ext == ".h5" || ext == ".hdf5") {
    Tensor<float> x = read_hdf5_dataset(src.path, src.x_key);
    Tensor<float> y = read_hdf5_dataset(src.path, src.y_key);
    Dataset d = make_dataset(std::move(x), std::move(y), src.task,
                             src.path + ": dataset '" + src.x_key + "'",
                             src.path + ": dataset '" + src.y_key + "'", src.rank3_is_image);
    d.source = src.path;
    return d;
  }
  if (ext == ".npy") {
    if (src.y_path.empty())
      throw DataError(src.path + ": a .npy input file needs its labels file (y_path)");
    Tensor<float> x = read_npy(src.path);
    Tensor<float> y = read_npy(src.y_path);
    return make_dataset(std::move(x), std::move(y), src.task, src.path, src.y_path,
                        src.rank3_is_image);
  }
  if (ext == ".csv") return load_csv_dataset(src);
  throw DataError(src.path + ": unknown data file type '" + ext +
                  "'; expected .h5, .hdf5, .npy or .csv");
}

}  // namespace nac
