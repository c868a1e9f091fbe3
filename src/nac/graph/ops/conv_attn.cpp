#include "nac/graph/ops/conv_attn.hpp"

#include "nac/core/eigen.hpp"
#include "nac/core/gemm.hpp"
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/ops/reduce.hpp"
#include "nac/graph/ops/softmax.hpp"

namespace nac {
namespace {

// Parameter order (as param_specs lists them).
enum Param { kQW, kQB, kKW, kKB, kVW, kVB, kPW, kPB };
// Op-private state: forward results read by backward, then backward's scratch buffers.
enum Saved { kWqkv, kQkv, kAttn, kO, kZ, kKt, kDz, kDo, kDqkv, kDa, kDwqkv, kVt, kSavedCount };

// The P x P attention rows are stored with a row stride pp = P rounded up to 16, and the scores
// Q K^T (and in backward dO V^T) are computed as Q times a zero-padded copy of K^T [H, pp]: a
// plain product with a 16-multiple width, which core/gemm's register kernel takes (81 = 64 + 16
// + 1 would end in a padded one-column tail; with trans_b and 81 rows it would go to Eigen).
// The columns P..pp-1 hold zeros and are never read.
struct AttnGeom {
  Eigen::Index p, c, h, pp;
};

AttnGeom geometry(const Node& n) {
  const auto p = static_cast<Eigen::Index>(n.shape[0]) * n.shape[1];
  return {p, n.shape[2], n.attr_int("hidden"), (p + 15) / 16 * 16};
}

// dst[j, i] = src[i, j] for i < rows, j < cols (src with row stride lds, dst with ldd); dst's
// columns rows..ldd-1 are left as they are (zero since ensure_padded).
template <typename T>
void transpose_into(const T* src, Eigen::Index lds, Eigen::Index rows, Eigen::Index cols, T* dst,
                    Eigen::Index ldd) {
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) dst[j * ldd + i] = src[i * lds + j];
}

template <typename T>
void ensure(Tensor<T>& t, Eigen::Index rows, Eigen::Index cols) {
  t.resize({static_cast<int>(rows), static_cast<int>(cols)});
}

// A [rows, cols] scratch whose padding columns must read zero: zeroed when (re)shaped.
template <typename T>
void ensure_padded(Tensor<T>& t, Eigen::Index rows, Eigen::Index cols) {
  if (t.shape == Shape{static_cast<int>(rows), static_cast<int>(cols)}) return;
  ensure(t, rows, cols);
  t.zero();
}

}  // namespace

Shape ConvAttnOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].size() != 3) shape_error(n, in, "expects a channels-last map [H, W, C]");
  if (n.attr_int("hidden") < 1) shape_error(n, in, "hidden must be >= 1");
  activation_of(n, "activation");  // validates the name
  return in[0];
}

std::vector<ParamSpec> ConvAttnOp::param_specs(const Node& n, const std::vector<Shape>& in) {
  const int c = in[0][2];
  const int h = static_cast<int>(n.attr_int("hidden"));
  const auto fan = ParamInit::FanInUniform;
  return {{"q_weight", {c, h}, fan, c},    {"q_bias", {h}, fan, c},
          {"k_weight", {c, h}, fan, c},    {"k_bias", {h}, fan, c},
          {"v_weight", {c, h}, fan, c},    {"v_bias", {h}, fan, c},
          {"proj_weight", {h, c}, fan, h}, {"proj_bias", {c}, fan, h}};
}

template <typename T>
void ConvAttnOp::forward(OpForward<T>& f) {
  const auto [P, C, H, PP] = geometry(f.node);
  const Eigen::Index rows = f.batch * P, H3 = 3 * H;
  auto& s = f.saved;
  if (s.size() < kSavedCount) s.resize(kSavedCount);
  ensure(s[kWqkv], C + 1, H3);  // last row: the biases
  ensure(s[kQkv], rows, H3);
  ensure(s[kAttn], rows, PP);
  ensure_padded(s[kKt], H, PP);
  ensure(s[kO], rows, H);
  ensure(s[kZ], rows, C);

  // Q, K and V side by side: one GEMM over the batch.
  MatMap<T> Wqkv(s[kWqkv].ptr(), C + 1, H3);
  for (int j = 0; j < 3; ++j) {
    Wqkv.block(0, j * H, C, H) = ConstMatMap<T>(f.params[kQW + 2 * j].ptr(), C, H);
    Wqkv.block(C, j * H, 1, H) = ConstMatMap<T>(f.params[kQB + 2 * j].ptr(), 1, H);
  }
  const T* x = f.in[0]->ptr();
  gemm<T>(false, false, rows, H3, C, x, C, Wqkv.data(), H3, s[kQkv].ptr(), H3, false);
  MatMap<T>(s[kQkv].ptr(), rows, H3).rowwise() += Wqkv.row(C);

  // Per sample: A = softmax(Q K^T), O = A V (Q, K, V are column blocks of the QKV rows).
  T* kt = s[kKt].ptr();
  for (int n = 0; n < f.batch; ++n) {
    const T* q = s[kQkv].ptr() + n * P * H3;
    T* a = s[kAttn].ptr() + n * P * PP;
    transpose_into(q + H, H3, P, H, kt, PP);
    gemm<T>(false, false, P, PP, H, q, H3, kt, PP, a, PP, false);
    softmax_rows(a, a, static_cast<std::size_t>(P), static_cast<std::size_t>(P),
                 static_cast<std::size_t>(PP));
    gemm<T>(false, false, P, H, P, a, PP, q + 2 * H, H3, s[kO].ptr() + n * P * H, H, false);
  }

  gemm<T>(false, false, rows, C, H, s[kO].ptr(), H, f.params[kPW].ptr(), C, s[kZ].ptr(), C, false);
  // Z = (O PW + PB) + X and the activation, one pass row by row (the row stays in L1).
  const Activation act = activation_of(f.node, "activation");
  const T* pb = f.params[kPB].ptr();
  for (Eigen::Index r = 0; r < rows; ++r) {
    T* z = s[kZ].ptr() + r * C;
    const T* xr = x + r * C;
    for (Eigen::Index c = 0; c < C; ++c) z[c] = (z[c] + pb[c]) + xr[c];
    act_forward(act, z, f.out.ptr() + r * C, static_cast<std::size_t>(C));
  }
}

template <typename T>
void ConvAttnOp::backward(OpBackward<T>& b) {
  const auto [P, C, H, PP] = geometry(b.node);
  const Eigen::Index rows = b.batch * P, H3 = 3 * H;
  auto& s = b.saved;
  NAC_ASSERT(s.size() == kSavedCount && s[kZ].size() == static_cast<std::size_t>(rows * C));
  ensure(s[kDz], rows, C);
  ensure(s[kDo], rows, H);
  ensure(s[kDqkv], rows, H3);
  ensure(s[kDa], P, PP);
  ensure_padded(s[kVt], H, PP);
  ensure(s[kDwqkv], C + 1, H3);

  act_backward(activation_of(b.node, "activation"), s[kZ].ptr(), b.out.ptr(), b.dout.ptr(),
               s[kDz].ptr(), b.dout.size(), false);
  const T* dz = s[kDz].ptr();
  const T* x = b.in[0]->ptr();
  // The projection: dPW += O^T dZ, dPB += column sums of dZ, dO = dZ PW^T.
  gemm<T>(true, false, H, C, rows, s[kO].ptr(), H, dz, C, b.dparams[kPW].ptr(), C, true);
  add_column_sums(dz, static_cast<std::size_t>(rows), static_cast<std::size_t>(C),
                  b.dparams[kPB].ptr());
  gemm<T>(false, true, rows, H, C, dz, C, b.params[kPW].ptr(), C, s[kDo].ptr(), H, false);

  // Per sample: dV = A^T dO, dA = dO V^T, dS = softmax'(dA), dQ = dS K, dK = dS^T Q.
  T* da = s[kDa].ptr();
  T* vt = s[kVt].ptr();
  for (int n = 0; n < b.batch; ++n) {
    const T* q = s[kQkv].ptr() + n * P * H3;
    T* dq = s[kDqkv].ptr() + n * P * H3;
    const T* a = s[kAttn].ptr() + n * P * PP;
    const T* d_o = s[kDo].ptr() + n * P * H;
    gemm<T>(true, false, P, H, P, a, PP, d_o, H, dq + 2 * H, H3, false);
    transpose_into(q + 2 * H, H3, P, H, vt, PP);
    gemm<T>(false, false, P, PP, H, d_o, H, vt, PP, da, PP, false);
    softmax_rows_backward(a, da, da, static_cast<std::size_t>(P), static_cast<std::size_t>(P),
                          false,
                          static_cast<std::size_t>(PP));  // now dS
    gemm<T>(false, false, P, H, P, da, PP, q + H, H3, dq, H3, false);
    gemm<T>(true, false, P, H, P, da, PP, q, H3, dq + H, H3, false);
  }

  const T* dqkv = s[kDqkv].ptr();
  MatMap<T> dWqkv(s[kDwqkv].ptr(), C + 1, H3);  // last row: the bias gradients
  gemm<T>(true, false, C, H3, rows, x, C, dqkv, H3, dWqkv.data(), H3, false);
  dWqkv.row(C).setZero();
  add_column_sums(dqkv, static_cast<std::size_t>(rows), static_cast<std::size_t>(H3),
                  dWqkv.row(C).data());
  for (int j = 0; j < 3; ++j) {
    MatMap<T>(b.dparams[kQW + 2 * j].ptr(), C, H) += dWqkv.block(0, j * H, C, H);
    MatMap<T>(b.dparams[kQB + 2 * j].ptr(), 1, H) += dWqkv.block(C, j * H, 1, H);
  }
  if (!b.din[0]) return;
  MatMap<T> dX(b.din[0]->ptr(), rows, C);
  dX += ConstMatMap<T>(dz, rows, C);  // residual
  gemm<T>(false, true, rows, C, H3, dqkv, H3, s[kWqkv].ptr(), H3, dX.data(), C, true);
}

OpCost ConvAttnOp::cost(const Node& n, const std::vector<Shape>& in) {
  const long long p = static_cast<long long>(in[0][0]) * in[0][1];
  const long long c = in[0][2];
  const long long h = n.attr_int("hidden");
  OpCost cost;
  cost.macs = {{"query", p * h, c, "q_weight"}, {"key", p * h, c, "k_weight"},
               {"value", p * h, c, "v_weight"}, {"scores", p * p, h, ""},
               {"attend", p * h, p, ""},        {"project", p * c, h, "proj_weight"}};
  // softmax (exp, sum, divide) over P x P, the residual add and the activation over P x C
  cost.elementwise = 3 * p * p + 2 * p * c;
  return cost;
}

NAC_INSTANTIATE_OP(ConvAttnOp);

}  // namespace nac
