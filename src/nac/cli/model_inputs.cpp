#include "nac/cli/model_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>

#include "nac/core/error.hpp"
#include "nac/data/csv.hpp"
#include "nac/data/hdf5.hpp"
#include "nac/data/npy.hpp"
#include "nac/data/source.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/train/executor.hpp"

namespace nac::cli {
namespace {

std::string extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
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

// Normalises and checks x against the model's input ([N, H, W] images gain their channel).
void prepare(Tensor<float>& x, const Model& m, const std::string& where) {
  const Shape& in = m.graph.input_shape();
  if (x.rank() == 1) x.shape.push_back(1);
  if (x.rank() == static_cast<int>(in.size()) && in.back() == 1) x.shape.push_back(1);
  if (x.rank() != static_cast<int>(in.size()) + 1 ||
      !std::equal(in.begin(), in.end(), x.shape.begin() + 1))
    throw DataError(where + ": samples have shape " +
                    shape_str(Shape(x.shape.begin() + 1, x.shape.end())) + ", the model expects " +
                    shape_str(in));
  normalize_inputs(m.normalization, in, x.ptr(), x.size());
}

}  // namespace

void add_model_data_options(CLI::App* cmd, ModelDataArgs& a) {
  cmd->add_option("--model", a.model, "model file (JSON)")->required();
  cmd->add_option("--data", a.data, "data file: .h5/.hdf5, .npy or .csv")->required();
  cmd->add_option("--x-key", a.x_key, "HDF5 dataset of the inputs")->capture_default_str();
  cmd->add_option("--y-key", a.y_key, "HDF5 dataset of the targets")->capture_default_str();
  cmd->add_option("--y", a.y_path, ".npy labels / targets file");
  cmd->add_option("--label-column", a.label_column,
                  "CSV label / target column(s), comma separated");
  cmd->add_flag("--emulate", a.emulate,
                "run the fixed-point emulator on the model's annotations instead of float");
  cmd->add_option("--batch", a.batch, "samples per forward pass")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
}

TaskKind model_task(const Model& m) {
  const auto it = m.metadata.find("task");
  return it != m.metadata.end() && it->second == "classification" ? TaskKind::Classification
                                                                  : TaskKind::Regression;
}

Tensor<float> load_inputs(const ModelDataArgs& a, const Model& m) {
  std::error_code ec;
  if (!std::filesystem::exists(a.data, ec)) throw DataError(a.data + ": data file does not exist");
  const std::string ext = extension(a.data);
  Tensor<float> x;
  std::string where = a.data;
  if (ext == ".h5" || ext == ".hdf5") {
    x = read_hdf5_dataset(a.data, a.x_key);
    where += ": dataset '" + a.x_key + "'";
  } else if (ext == ".npy") {
    x = read_npy(a.data);
  } else if (ext == ".csv") {
    const CsvTable t = read_csv(a.data);
    std::vector<int> skip, cols;
    for (const auto& l : split_commas(a.label_column)) skip.push_back(csv_column(t, l));
    for (int c = 0; c < static_cast<int>(t.header.size()); ++c)
      if (std::find(skip.begin(), skip.end(), c) == skip.end()) cols.push_back(c);
    x = csv_numbers(t, cols);
  } else {
    throw DataError(a.data + ": unknown data file type '" + ext +
                    "'; expected .h5, .hdf5, .npy or .csv");
  }
  if (x.rank() == 0 || x.size() == 0) throw DataError(where + ": no samples");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw DataError(where + ": non-finite value at flat index " + std::to_string(i));
  prepare(x, m, where);
  return x;
}

Dataset load_labelled(const ModelDataArgs& a, const Model& m) {
  DataSource src;
  src.path = a.data;
  src.x_key = a.x_key;
  src.y_key = a.y_key;
  src.y_path = a.y_path;
  src.label_column = a.label_column;
  src.task = model_task(m);
  src.rank3_is_image = m.graph.input_shape().size() == 3;
  Dataset d = load_dataset(src);
  prepare(d.x, m, a.data);
  return d;
}

Tensor<float> run_model(const Model& m, const Tensor<float>& x, bool emulate, int batch,
                        long long* overflows) {
  const int n = x.dim(0);
  Shape os{n};
  os.insert(os.end(), m.graph.output_shape().begin(), m.graph.output_shape().end());
  Tensor<float> out(os);
  const std::size_t in_row = x.size() / static_cast<std::size_t>(n);
  const std::size_t out_row = out.size() / static_cast<std::size_t>(n);
  if (overflows) *overflows = 0;
  std::optional<Emulator> emu;
  std::optional<Executor<float>> exec;
  if (emulate)
    emu.emplace(m.graph);
  else
    exec.emplace(m.graph);
  Tensor<float> xb;
  for (int b = 0; b < n; b += batch) {
    const int e = std::min(n, b + batch);
    xb.shape = x.shape;
    xb.shape[0] = e - b;
    xb.data.assign(x.ptr() + in_row * static_cast<std::size_t>(b),
                   x.ptr() + in_row * static_cast<std::size_t>(e));
    if (emulate) {
      const EmuResult r = emu->run(xb, false);
      const Tensor<float> y = r.output();
      std::copy(y.data.begin(), y.data.end(), out.ptr() + out_row * static_cast<std::size_t>(b));
      if (overflows)
        for (long long o : r.overflows) *overflows += o;
    } else {
      const Tensor<float>& y = exec->forward(xb, false);
      std::copy(y.data.begin(), y.data.end(), out.ptr() + out_row * static_cast<std::size_t>(b));
    }
  }
  return out;
}

}  // namespace nac::cli
