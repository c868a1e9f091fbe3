#include "nac/graph/ops/conv_attn.hpp"

#include "nac/core/eigen.hpp"
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/ops/column_sums.hpp"
#include "nac/graph/ops/softmax.hpp"

namespace nac {
namespace {

// Parameter order (as param_specs lists them).
enum Param { kQW, kQB, kKW, kKB, kVW, kVB, kPW, kPB };
// Op-private state: forward results read by backward, then backward's scratch buffers.
enum Saved { kWqkv, kQkv, kAttn, kO, kZ, kDz, kDo, kDqkv, kDa, kDwqkv, kSavedCount };

template <typename T>
using StridedMap = Eigen::Map<MatrixRM<T>, 0, Eigen::OuterStride<>>;
template <typename T>
using ConstStridedMap = Eigen::Map<const MatrixRM<T>, 0, Eigen::OuterStride<>>;

struct AttnGeom {
  Eigen::Index p, c, h;
};

AttnGeom geometry(const Node& n) {
  return {static_cast<Eigen::Index>(n.shape[0]) * n.shape[1], n.shape[2], n.attr_int("hidden")};
}

template <typename T>
void ensure(Tensor<T>& t, Eigen::Index rows, Eigen::Index cols) {
  t.resize({static_cast<int>(rows), static_cast<int>(cols)});
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
  const auto [P, C, H] = geometry(f.node);
  const Eigen::Index rows = f.batch * P;
  auto& s = f.saved;
  if (s.size() < kSavedCount) s.resize(kSavedCount);
  ensure(s[kWqkv], C + 1, 3 * H);  // last row: the biases
  ensure(s[kQkv], rows, 3 * H);
  ensure(s[kAttn], rows, P);
  ensure(s[kO], rows, H);
  ensure(s[kZ], rows, C);

  // Q, K and V side by side: one GEMM over the batch.
  MatMap<T> Wqkv(s[kWqkv].ptr(), C + 1, 3 * H);
  for (int j = 0; j < 3; ++j) {
    Wqkv.block(0, j * H, C, H) = ConstMatMap<T>(f.params[kQW + 2 * j].ptr(), C, H);
    Wqkv.block(C, j * H, 1, H) = ConstMatMap<T>(f.params[kQB + 2 * j].ptr(), 1, H);
  }
  ConstMatMap<T> X(f.in[0]->ptr(), rows, C);
  MatMap<T> QKV(s[kQkv].ptr(), rows, 3 * H);
  QKV.noalias() = X * Wqkv.topRows(C);
  QKV.rowwise() += Wqkv.row(C);

  const Eigen::OuterStride<> stride(3 * H);
  for (int n = 0; n < f.batch; ++n) {
    const T* qkv = s[kQkv].ptr() + n * P * 3 * H;
    ConstStridedMap<T> Q(qkv, P, H, stride), K(qkv + H, P, H, stride), V(qkv + 2 * H, P, H, stride);
    MatMap<T> A(s[kAttn].ptr() + n * P * P, P, P);
    A.noalias() = Q * K.transpose();
    softmax_rows(A.data(), A.data(), static_cast<std::size_t>(P), static_cast<std::size_t>(P));
    MatMap<T>(s[kO].ptr() + n * P * H, P, H).noalias() = A * V;
  }

  MatMap<T> Z(s[kZ].ptr(), rows, C);
  Z.noalias() = ConstMatMap<T>(s[kO].ptr(), rows, H) * ConstMatMap<T>(f.params[kPW].ptr(), H, C);
  Z.rowwise() += ConstVecMap<T>(f.params[kPB].ptr(), C).transpose();
  Z += X;
  act_forward(activation_of(f.node, "activation"), Z.data(), f.out.ptr(), f.out.size());
}

template <typename T>
void ConvAttnOp::backward(OpBackward<T>& b) {
  const auto [P, C, H] = geometry(b.node);
  const Eigen::Index rows = b.batch * P;
  auto& s = b.saved;
  NAC_ASSERT(s.size() == kSavedCount && s[kZ].size() == static_cast<std::size_t>(rows * C));
  ensure(s[kDz], rows, C);
  ensure(s[kDo], rows, H);
  ensure(s[kDqkv], rows, 3 * H);
  ensure(s[kDa], P, P);
  ensure(s[kDwqkv], C + 1, 3 * H);

  s[kDz].zero();
  act_backward(activation_of(b.node, "activation"), s[kZ].ptr(), b.out.ptr(), b.dout.ptr(),
               s[kDz].ptr(), b.dout.size());
  ConstMatMap<T> dZ(s[kDz].ptr(), rows, C);
  ConstMatMap<T> X(b.in[0]->ptr(), rows, C);
  MatMap<T>(b.dparams[kPW].ptr(), H, C).noalias() +=
      ConstMatMap<T>(s[kO].ptr(), rows, H).transpose() * dZ;
  add_column_sums(dZ.data(), static_cast<std::size_t>(rows), static_cast<std::size_t>(C),
                  b.dparams[kPB].ptr());
  MatMap<T>(s[kDo].ptr(), rows, H).noalias() =
      dZ * ConstMatMap<T>(b.params[kPW].ptr(), H, C).transpose();

  const Eigen::OuterStride<> stride(3 * H);
  MatMap<T> dA(s[kDa].ptr(), P, P);
  for (int n = 0; n < b.batch; ++n) {
    const T* qkv = s[kQkv].ptr() + n * P * 3 * H;
    T* dqkv = s[kDqkv].ptr() + n * P * 3 * H;
    ConstStridedMap<T> Q(qkv, P, H, stride), K(qkv + H, P, H, stride), V(qkv + 2 * H, P, H, stride);
    StridedMap<T> dQ(dqkv, P, H, stride), dK(dqkv + H, P, H, stride),
        dV(dqkv + 2 * H, P, H, stride);
    ConstMatMap<T> A(s[kAttn].ptr() + n * P * P, P, P);
    ConstMatMap<T> dO(s[kDo].ptr() + n * P * H, P, H);
    dV.noalias() = A.transpose() * dO;
    dA.noalias() = dO * V.transpose();
    softmax_rows_backward(A.data(), dA.data(), dA.data(), static_cast<std::size_t>(P),
                          static_cast<std::size_t>(P), false);  // now dS
    dQ.noalias() = dA * K;
    dK.noalias() = dA.transpose() * Q;
  }

  ConstMatMap<T> dQKV(s[kDqkv].ptr(), rows, 3 * H);
  MatMap<T> dWqkv(s[kDwqkv].ptr(), C + 1, 3 * H);  // last row: the bias gradients
  dWqkv.topRows(C).noalias() = X.transpose() * dQKV;
  dWqkv.row(C).setZero();
  add_column_sums(dQKV.data(), static_cast<std::size_t>(rows), static_cast<std::size_t>(3 * H),
                  dWqkv.row(C).data());
  for (int j = 0; j < 3; ++j) {
    MatMap<T>(b.dparams[kQW + 2 * j].ptr(), C, H) += dWqkv.block(0, j * H, C, H);
    MatMap<T>(b.dparams[kQB + 2 * j].ptr(), 1, H) += dWqkv.block(C, j * H, 1, H);
  }
  if (!b.din[0]) return;
  MatMap<T> dX(b.din[0]->ptr(), rows, C);
  dX += dZ;  // residual
  dX.noalias() += dQKV * ConstMatMap<T>(s[kWqkv].ptr(), C + 1, 3 * H).topRows(C).transpose();
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
