#include "nac/train/qat_ops.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "nac/core/eigen.hpp"
#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/ops/softmax.hpp"
#include "nac/graph/quant/constants.hpp"

namespace nac {
namespace {

template <typename T>
using MatT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

enum AttnParam { kQW, kQB, kKW, kKB, kVW, kVB, kPW, kPB };

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
bool is_weight(const std::string& name) { return name == "weight" || ends_with(name, "_weight"); }
bool is_bias(const std::string& name) { return name == "bias" || ends_with(name, "_bias"); }

template <typename T>
T fq1(T v, const FixedFormat& f) {
  T y;
  fake_quantize_values(&v, &y, 1, f);
  return y;
}

template <typename T>
void fq(Tensor<T>& t, const FixedFormat& f) {
  fake_quantize_values(t.ptr(), t.ptr(), t.size(), f);
}
template <typename T>
void fq(T* p, std::size_t n, const FixedFormat& f) {
  fake_quantize_values(p, p, n, f);
}

// The mantissa of a value on f's grid (exact for values the QAT forward produced).
template <typename T>
std::int64_t mantissa(T v, const FixedFormat& f) {
  return std::llround(std::ldexp(static_cast<double>(v), f.frac()));
}
template <typename T>
T value(std::int64_t m, const FixedFormat& f) {
  return static_cast<T>(to_double(m, f));
}

// Fake-quantised copies of a node's weights (masked) and biases.
template <typename T>
void quantize_params(const Node& n, const OpQuant& q, const std::vector<Tensor<T>>& p,
                     std::vector<Tensor<T>>& out) {
  out.resize(p.size());
  for (std::size_t k = 0; k < p.size(); ++k) {
    out[k] = p[k];
    const Param& np = n.params[k];
    if (is_weight(np.name)) {
      fq(out[k], *q.weight);
      for (std::size_t i = 0; i < np.mask.size(); ++i)
        if (!np.mask[i]) out[k][i] = T(0);
    } else if (is_bias(np.name)) {
      fq(out[k], *q.bias);
    }
  }
}

// The softmax rule on rows of n values of format x, by the node's exp and 1/sum tables.
template <typename T>
void softmax_rows_q(const OpQuant& q, const FixedFormat& x, const FixedFormat& out, const T* in,
                    T* y, std::size_t rows, std::size_t n) {
  const Table& et = q.table("exp");
  const Table& it = q.table("inv");
  const FixedFormat &E = q.ex("exp"), &S = q.ex("exp_sum"), &V = q.ex("inv");
  std::vector<T> e(n), t(n);
  // Two values on S's grid add exactly in T when S's mantissas fit T's significand with a bit to
  // spare; an in-range exact sum is then its own conversion, so only overflow needs fq1.
  const bool exact_sums = S.width <= (std::is_same_v<T, float> ? 23 : 52);
  const T s_lo = static_cast<T>(min_value(S)), s_hi = static_cast<T>(max_value(S));
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = in + r * n;
    const T m = *std::max_element(xr, xr + n);
    for (std::size_t j = 0; j < n; ++j)
      e[j] = value<T>(et.lookup(mantissa(xr[j] - m, x)), E);  // x - m is exact on x's grid
    fake_quantize_values(e.data(), t.data(), n, S);           // every term into S
    T s = 0;
    for (std::size_t j = 0; j < n; ++j) {
      const T v = s + t[j];
      s = exact_sums && v >= s_lo && v <= s_hi ? v : fq1<T>(v, S);
    }
    const T inv = value<T>(it.lookup(mantissa(s, S)), V);
    T* yr = y + r * n;
    for (std::size_t j = 0; j < n; ++j) yr[j] = e[j] * inv;
    fake_quantize_values(yr, yr, n, out);
  }
}

// The activation rules: z = the exact rule's value (before the result conversion) for identity,
// relu and leaky_relu; tables write y directly.
template <typename T>
void activation_q(const OpQuant& q, const FixedFormat& x_fmt, const T* x, T* z, T* y,
                  std::size_t n) {
  switch (q.act.fn) {
    case ActFn::Identity:
      std::copy(x, x + n, z);
      break;
    case ActFn::ReLU:
      for (std::size_t i = 0; i < n; ++i) z[i] = x[i] > T(0) ? x[i] : T(0);
      break;
    case ActFn::LeakyReLU: {
      const FixedFormat& af = q.ex("alpha");
      const T a = value<T>(quantize(q.act.alpha, af), af);
      for (std::size_t i = 0; i < n; ++i) z[i] = x[i] > T(0) ? x[i] : a * x[i];
      break;
    }
    default: {
      const Table& t = q.table("act");
      for (std::size_t i = 0; i < n; ++i)
        y[i] = z[i] = value<T>(t.lookup(mantissa(x[i], x_fmt)), q.result);
      return;
    }
  }
  std::copy(z, z + n, y);
  fq(y, n, q.result);
}

// dx += dy * d act/dx, through the result's straight-through gate for the exact rules.
template <typename T>
void activation_backward_q(const OpQuant& q, const T* x, const T* z, const T* y, const T* dy, T* dx,
                           std::size_t n) {
  if (act_table_function(q.act.fn)) {
    act_backward(q.act, x, y, dy, dx, n);  // the smooth function's gradient
    return;
  }
  T slope = T(0);
  if (q.act.fn == ActFn::Identity) slope = T(1);
  if (q.act.fn == ActFn::LeakyReLU) {
    const FixedFormat& af = q.ex("alpha");
    slope = value<T>(quantize(q.act.alpha, af), af);
  }
  for (std::size_t i = 0; i < n; ++i)
    dx[i] += dy[i] * ste_gate(z[i], q.result) * (x[i] > T(0) ? T(1) : slope);
}

template <typename T>
void attention_q(const OpQuant& q, const Node& node, int batch, const Tensor<T>& xin,
                 const std::vector<Tensor<T>>& p, Tensor<T>& z, Tensor<T>& out) {
  const Eigen::Index P = static_cast<Eigen::Index>(node.shape[0]) * node.shape[1];
  const Eigen::Index C = node.shape[2], H = node.attr_int("hidden");
  const Eigen::Index rows = batch * P;
  ConstMatMap<T> X(xin.ptr(), rows, C);
  auto project = [&](const Tensor<T>& w, const Tensor<T>& b, const MatT<T>& in, Eigen::Index cols,
                     const FixedFormat& acc, const FixedFormat& f) {
    MatT<T> r = in * ConstMatMap<T>(w.ptr(), in.cols(), cols);
    r.rowwise() += ConstVecMap<T>(b.ptr(), cols).transpose();
    fq(r.data(), static_cast<std::size_t>(r.size()), acc);
    fq(r.data(), static_cast<std::size_t>(r.size()), f);
    return r;
  };
  const MatT<T> Xm = X;
  const MatT<T> Q = project(p[kQW], p[kQB], Xm, H, *q.accum, q.ex("q"));
  const MatT<T> K = project(p[kKW], p[kKB], Xm, H, *q.accum, q.ex("k"));
  const MatT<T> V = project(p[kVW], p[kVB], Xm, H, *q.accum, q.ex("v"));
  MatT<T> O(rows, H);
  MatT<T> S(P, P);
  for (int s = 0; s < batch; ++s) {
    S.noalias() = Q.middleRows(s * P, P) * K.middleRows(s * P, P).transpose();
    fq(S.data(), static_cast<std::size_t>(S.size()), q.ex("score_accum"));
    fq(S.data(), static_cast<std::size_t>(S.size()), q.ex("score"));
    softmax_rows_q(q, q.ex("score"), q.ex("attn"), S.data(), S.data(), static_cast<std::size_t>(P),
                   static_cast<std::size_t>(P));
    O.middleRows(s * P, P).noalias() = S * V.middleRows(s * P, P);
  }
  fq(O.data(), static_cast<std::size_t>(O.size()), q.ex("attend_accum"));
  fq(O.data(), static_cast<std::size_t>(O.size()), q.ex("attend"));
  MatT<T> Z = project(p[kPW], p[kPB], O, C, q.ex("proj_accum"), q.ex("proj"));
  Z += Xm;
  fq(Z.data(), static_cast<std::size_t>(Z.size()), q.ex("residual"));
  z.resize(out.shape);
  activation_q(q, q.ex("residual"), Z.data(), z.ptr(), out.ptr(), out.size());
}

template <typename T>
void aggregate_q(const OpQuant& q, const Node& node, const Tensor<T>& x, Tensor<T>& z) {
  const std::string fn = node.attr_str("fn", "mean");
  const auto elems = static_cast<std::size_t>(x.dim(1)), F = static_cast<std::size_t>(x.dim(2));
  const auto batch = static_cast<std::size_t>(x.dim(0));
  const FixedFormat& a = *q.accum;
  for (std::size_t s = 0; s < batch; ++s)
    for (std::size_t j = 0; j < F; ++j) {
      T acc = 0;
      for (std::size_t e = 0; e < elems; ++e)
        acc = fq1<T>(acc + fq1<T>(x[(s * elems + e) * F + j], a), a);
      if (fn == "mean")  // the mantissa quotient, truncated toward zero
        acc = value<T>(mantissa(acc, a) / static_cast<std::int64_t>(elems), a);
      z[s * F + j] = acc;
    }
}

// The float op's backward on the QAT forward's state, with the straight-through gates: dz is
// the gradient at the op's output; the parameters' gradients are gated by the master values'
// ranges in the weight/bias formats, the inputs' by quant.input's.
template <typename T>
void op_backward_gated(const OpQuant& q, OpBackward<T>& b, QatState<T>& st,
                       const std::vector<const Tensor<T>*>& in, const Tensor<T>& out,
                       const Tensor<T>& dz, const std::vector<Tensor<T>>& params) {
  std::vector<Tensor<T>> dparams;
  for (const auto& pt : params) dparams.emplace_back(pt.shape);
  std::vector<Tensor<T>> din_tmp(in.size());
  std::vector<Tensor<T>*> din;
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (b.din[k] && q.cast) {
      din_tmp[k] = Tensor<T>(in[k]->shape);
      din.push_back(&din_tmp[k]);
    } else {
      din.push_back(b.din[k]);
    }
  }
  OpBackward<T> bb{b.node, b.batch, in, out, dz, din, params, dparams, st.saved};
  op_backward(bb);
  for (std::size_t k = 0; k < dparams.size(); ++k) {
    const std::string& name = b.node.params[k].name;
    const FixedFormat* f = is_weight(name) && q.weight ? &*q.weight
                           : is_bias(name) && q.bias   ? &*q.bias
                                                       : nullptr;
    if (b.node.op == OpKind::BatchNorm) f = nullptr;  // trained in float (batch statistics)
    const Tensor<T>& master = b.params[k];
    for (std::size_t i = 0; i < dparams[k].size(); ++i)
      b.dparams[k][i] += dparams[k][i] * (f ? ste_gate(master[i], *f) : T(1));
  }
  if (q.cast)
    for (std::size_t k = 0; k < in.size(); ++k)
      if (b.din[k])
        for (std::size_t i = 0; i < din_tmp[k].size(); ++i)
          (*b.din[k])[i] += din_tmp[k][i] * ste_gate((*b.in[k])[i], *q.cast);
}

}  // namespace

template <typename T>
void fake_quantize_values(const T* x, T* y, std::size_t n, const FixedFormat& f) {
  if constexpr (std::is_same_v<T, float>) {
    fake_quantize(std::span<const float>(x, n), std::span<float>(y, n), f);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      y[i] = std::isnan(x[i]) ? x[i] : to_double(quantize(x[i], f), f);
  }
}

template <typename T>
T ste_gate(T v, const FixedFormat& f) {
  if (f.overflow == Overflow::WRAP) return T(1);
  return v >= static_cast<T>(min_value(f)) && v <= static_cast<T>(max_value(f)) ? T(1) : T(0);
}

template <typename T>
void qat_forward(const OpQuant& q, OpForward<T>& f, QatState<T>& st) {
  const Node& n = f.node;
  st.training = f.training;
  std::vector<const Tensor<T>*> in = f.in;
  if (q.cast) {
    st.in.resize(in.size());
    for (std::size_t k = 0; k < in.size(); ++k) {
      st.in[k] = *f.in[k];
      fq(st.in[k], *q.cast);
      in[k] = &st.in[k];
    }
  }
  const FixedFormat& x_fmt = q.in.at(0);
  OpForward<T> g{n, f.batch, in, f.out, f.params, st.saved, f.training};
  switch (n.op) {
    case OpKind::Dense:
    case OpKind::Conv2D: {
      quantize_params(n, q, f.params, st.params);
      OpForward<T> h{n, f.batch, in, f.out, st.params, st.saved, f.training};
      op_forward(h);
      st.z = f.out;
      fq(f.out, *q.accum);
      fq(f.out, q.result);
      break;
    }
    case OpKind::BatchNorm:
      if (f.training) {
        op_forward(g);  // batch statistics, running statistics updated
      } else {
        const auto F = static_cast<std::size_t>(n.shape.back());
        const BatchNormAffine a =
            batchnorm_affine(f.params[0].ptr(), f.params[1].ptr(), f.params[2].ptr(),
                             f.params[3].ptr(), F, n.attr_float("eps", 1e-5));
        const Tensor<T>& x = *in[0];
        for (std::size_t i = 0; i < x.size(); ++i) {
          const std::size_t j = i % F;
          f.out[i] = x[i] * value<T>(quantize(a.scale[j], *q.weight), *q.weight) +
                     value<T>(quantize(a.shift[j], *q.bias), *q.bias);
        }
      }
      st.z = f.out;
      fq(f.out, q.result);
      break;
    case OpKind::Activation:
      st.z.resize(f.out.shape);
      activation_q(q, x_fmt, in[0]->ptr(), st.z.ptr(), f.out.ptr(), f.out.size());
      break;
    case OpKind::Softmax: {
      const auto cols = static_cast<std::size_t>(n.shape.back());
      softmax_rows_q(q, x_fmt, q.result, in[0]->ptr(), f.out.ptr(), f.out.size() / cols, cols);
      break;
    }
    case OpKind::ConvAttn: {
      quantize_params(n, q, f.params, st.params);
      if (f.training) {  // the float forward on the quantised weights, for the backward
        st.float_out.resize(f.out.shape);
        OpForward<T> h{n, f.batch, in, st.float_out, st.params, st.saved, true};
        op_forward(h);
      }
      attention_q(q, n, f.batch, *in[0], st.params, st.z, f.out);
      break;
    }
    case OpKind::Aggregate:
      st.z.resize(f.out.shape);
      if (n.attr_str("fn", "mean") == "max") {
        OpForward<T> h{n, f.batch, in, st.z, f.params, st.saved, f.training};
        op_forward(h);
      } else {
        aggregate_q(q, n, *in[0], st.z);
      }
      f.out = st.z;
      fq(f.out, q.result);
      break;
    case OpKind::Flatten:
    case OpKind::Add:
      op_forward(g);
      st.z = f.out;
      fq(f.out, q.result);
      break;
    case OpKind::Input:
    case OpKind::LayerNorm:
      NAC_ASSERT(!"qat_forward: input and layernorm nodes are not run here");
  }
}

template <typename T>
void qat_backward(const OpQuant& q, OpBackward<T>& b, QatState<T>& st) {
  const Node& n = b.node;
  NAC_ASSERT(st.training);
  std::vector<const Tensor<T>*> in = b.in;
  if (q.cast)
    for (std::size_t k = 0; k < in.size(); ++k) in[k] = &st.in[k];
  // dz: the gradient before the result conversion.
  Tensor<T> dz(b.dout.shape);
  auto gate_result = [&](const FixedFormat* extra) {
    for (std::size_t i = 0; i < dz.size(); ++i)
      dz[i] = b.dout[i] * ste_gate(st.z[i], q.result) * (extra ? ste_gate(st.z[i], *extra) : T(1));
  };
  switch (n.op) {
    case OpKind::Dense:
    case OpKind::Conv2D:
      gate_result(&*q.accum);
      op_backward_gated(q, b, st, in, st.z, dz, st.params);
      break;
    case OpKind::BatchNorm:
    case OpKind::Flatten:
    case OpKind::Add:
    case OpKind::Aggregate:
      gate_result(nullptr);
      op_backward_gated(q, b, st, in, st.z, dz, b.params);
      break;
    case OpKind::Activation:
    case OpKind::Softmax: {
      if (!b.din[0]) return;
      Tensor<T> dx(in[0]->shape);
      if (n.op == OpKind::Activation) {
        activation_backward_q(q, in[0]->ptr(), st.z.ptr(), b.out.ptr(), b.dout.ptr(), dx.ptr(),
                              dx.size());
      } else {
        const auto cols = static_cast<std::size_t>(n.shape.back());
        softmax_rows_backward(b.out.ptr(), b.dout.ptr(), dx.ptr(), dx.size() / cols, cols, true);
      }
      for (std::size_t i = 0; i < dx.size(); ++i)
        (*b.din[0])[i] += dx[i] * (q.cast ? ste_gate((*b.in[0])[i], *q.cast) : T(1));
      break;
    }
    case OpKind::ConvAttn: {
      for (std::size_t i = 0; i < dz.size(); ++i)
        dz[i] = b.dout[i] * (act_table_function(q.act.fn) ? T(1) : ste_gate(st.z[i], q.result));
      op_backward_gated(q, b, st, in, st.float_out, dz, st.params);
      break;
    }
    case OpKind::Input:
    case OpKind::LayerNorm:
      NAC_ASSERT(!"qat_backward: input and layernorm nodes are not run here");
  }
}

template void fake_quantize_values<float>(const float*, float*, std::size_t, const FixedFormat&);
template void fake_quantize_values<double>(const double*, double*, std::size_t, const FixedFormat&);
template float ste_gate<float>(float, const FixedFormat&);
template double ste_gate<double>(double, const FixedFormat&);
template void qat_forward<float>(const OpQuant&, OpForward<float>&, QatState<float>&);
template void qat_forward<double>(const OpQuant&, OpForward<double>&, QatState<double>&);
template void qat_backward<float>(const OpQuant&, OpBackward<float>&, QatState<float>&);
template void qat_backward<double>(const OpQuant&, OpBackward<double>&, QatState<double>&);

}  // namespace nac
