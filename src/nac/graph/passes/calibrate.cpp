#include "nac/graph/passes/calibrate.hpp"

#include <algorithm>

#include "nac/core/eigen.hpp"
#include "nac/core/error.hpp"
#include "nac/graph/ops/softmax.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

void add_all(ValueRange& r, const double* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) r.add(v[i]);
}

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The parameter as a matrix, pruned entries (mask 0) as 0.
MatD param_matrix(const Node& n, const char* name, int rows, int cols) {
  const Param& p = n.param(name);
  MatD m = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
               p.value.ptr(), rows, cols)
               .cast<double>();
  for (std::size_t i = 0; i < p.mask.size(); ++i)
    if (!p.mask[i]) m.data()[i] = 0;
  return m;
}

// conv_attn's intermediates (ops/conv_attn.hpp's formulas, in double) on one batch.
void attention_ranges(const Node& n, const Tensor<float>& x, std::map<std::string, ValueRange>& r) {
  const int P = n.shape[0] * n.shape[1], C = n.shape[2];
  const int H = static_cast<int>(n.attr_int("hidden"));
  const int batch = x.dim(0);
  const MatD wq = param_matrix(n, "q_weight", C, H), wk = param_matrix(n, "k_weight", C, H),
             wv = param_matrix(n, "v_weight", C, H), wp = param_matrix(n, "proj_weight", H, C);
  const MatD bq = param_matrix(n, "q_bias", 1, H), bk = param_matrix(n, "k_bias", 1, H),
             bv = param_matrix(n, "v_bias", 1, H), bp = param_matrix(n, "proj_bias", 1, C);
  for (int s = 0; s < batch; ++s) {
    const MatD X =
        Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
            x.ptr() + static_cast<std::size_t>(s) * P * C, P, C)
            .cast<double>();
    const MatD Q = (X * wq).rowwise() + bq.row(0), K = (X * wk).rowwise() + bk.row(0),
               V = (X * wv).rowwise() + bv.row(0);
    MatD S = Q * K.transpose();
    add_all(r["q"], Q.data(), Q.size());
    add_all(r["k"], K.data(), K.size());
    add_all(r["v"], V.data(), V.size());
    add_all(r["score"], S.data(), S.size());
    softmax_rows(S.data(), S.data(), static_cast<std::size_t>(P), static_cast<std::size_t>(P));
    add_all(r["attn"], S.data(), S.size());
    const MatD O = S * V;
    add_all(r["attend"], O.data(), O.size());
    const MatD proj = (O * wp).rowwise() + bp.row(0);
    add_all(r["proj"], proj.data(), proj.size());
    const MatD Z = X + proj;
    add_all(r["residual"], Z.data(), Z.size());
  }
}

}  // namespace

const ValueRange* CalibrationStats::find(const std::string& node, const std::string& key) const {
  const auto it = ranges.find(node);
  if (it == ranges.end()) return nullptr;
  const auto k = it->second.find(key);
  return k == it->second.end() ? nullptr : &k->second;
}

CalibrationStats calibrate(const Graph& g, const Tensor<float>& x, int batch_size) {
  const Shape& in = g.input_shape();
  if (x.rank() != static_cast<int>(in.size()) + 1 ||
      !std::equal(in.begin(), in.end(), x.shape.begin() + 1) || x.dim(0) < 1)
    throw InputError("calibrate: the sample has shape " + shape_str(x.shape) +
                     ", expected [N >= 1, " + shape_str(in).substr(1));
  if (batch_size < 1) throw InputError("calibrate: batch size must be >= 1");
  Executor<float> exec(g);
  CalibrationStats st;
  st.samples = x.dim(0);
  const std::size_t row = shape_size(in);
  for (int b = 0; b < x.dim(0); b += batch_size) {
    const int e = std::min(x.dim(0), b + batch_size);
    Tensor<float> xb;
    xb.shape = x.shape;
    xb.shape[0] = e - b;
    xb.data.assign(x.ptr() + row * static_cast<std::size_t>(b),
                   x.ptr() + row * static_cast<std::size_t>(e));
    exec.forward(xb, false);
    for (int id = 0; id < g.size(); ++id) {
      const Node& n = g.node(id);
      auto& r = st.ranges[n.name];
      const Tensor<float>& a = exec.activation(id);
      ValueRange& res = r["result"];
      for (float v : a.data) res.add(v);
      if (n.op == OpKind::ConvAttn) attention_ranges(n, exec.activation(n.inputs[0]), r);
    }
  }
  return st;
}

}  // namespace nac
