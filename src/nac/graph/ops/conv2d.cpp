#include "nac/graph/ops/conv2d.hpp"

#include <algorithm>
#include <cstring>

#include "nac/core/eigen.hpp"
#include "nac/graph/ops/column_sums.hpp"

namespace nac {
namespace {

struct ConvGeom {
  int h, w, cin, cout, k, pad, ho, wo;
  std::size_t positions() const { return static_cast<std::size_t>(ho) * wo; }
  std::size_t patch() const { return static_cast<std::size_t>(k) * k * cin; }  // im2col row
};

int padding_of(const Node& n, const std::vector<Shape>& in, int k) {
  const std::string p = n.attr_str("padding", "valid");
  if (p == "valid") return 0;
  if (p == "same") return (k - 1) / 2;
  shape_error(n, in, "attribute 'padding' must be \"valid\" or \"same\", not \"" + p + "\"");
}

ConvGeom geometry(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].size() != 3) shape_error(n, in, "expects a channels-last map [H, W, C]");
  const auto k = n.attr_int("kernel");
  if (k != 1 && k != 3 && k != 5) shape_error(n, in, "kernel must be 1, 3 or 5");
  const auto filters = n.attr_int("filters");
  if (filters < 1) shape_error(n, in, "filters must be >= 1");
  ConvGeom g{in[0][0], in[0][1], in[0][2], static_cast<int>(filters), static_cast<int>(k), 0, 0, 0};
  g.pad = padding_of(n, in, g.k);
  if (g.k > g.h || g.k > g.w)
    shape_error(n, in,
                "kernel " + std::to_string(g.k) + "x" + std::to_string(g.k) +
                    " is larger than the input map " + std::to_string(g.h) + "x" +
                    std::to_string(g.w));
  g.ho = g.h + 2 * g.pad - g.k + 1;
  g.wo = g.w + 2 * g.pad - g.k + 1;
  return g;
}

ConvGeom geometry_of(const Node& n, const Shape& in_shape) {
  return geometry(n, std::vector<Shape>{in_shape});
}

// Per-sample input shape from a batched tensor [N, H, W, C].
Shape sample_shape(const Shape& batched) { return Shape(batched.begin() + 1, batched.end()); }

// cols[(n, oy, ox), (ky, kx, c)] = x[n, oy + ky - pad, ox + kx - pad, c] (0 outside the map).
template <typename T>
void im2col(const T* x, const ConvGeom& g, int batch, T* cols) {
  const std::size_t patch = g.patch();
  const std::size_t kc = static_cast<std::size_t>(g.k) * g.cin;
  const std::size_t cin = static_cast<std::size_t>(g.cin);
  for (int n = 0; n < batch; ++n) {
    const T* xs = x + static_cast<std::size_t>(n) * g.h * g.w * cin;
    for (int oy = 0; oy < g.ho; ++oy) {
      for (int ox = 0; ox < g.wo; ++ox) {
        T* dst = cols + ((static_cast<std::size_t>(n) * g.ho + oy) * g.wo + ox) * patch;
        const int x0 = ox - g.pad;
        const bool full_row = x0 >= 0 && x0 + g.k <= g.w;
        for (int ky = 0; ky < g.k; ++ky, dst += kc) {
          const int iy = oy + ky - g.pad;
          if (iy < 0 || iy >= g.h) {
            std::fill(dst, dst + kc, T(0));
            continue;
          }
          const T* src = xs + (static_cast<std::size_t>(iy) * g.w) * cin;
          if (full_row) {  // the k pixels of this kernel row are contiguous in the input
            std::memcpy(dst, src + static_cast<std::size_t>(x0) * cin, kc * sizeof(T));
            continue;
          }
          for (int kx = 0; kx < g.k; ++kx) {
            const int ix = x0 + kx;
            T* d = dst + static_cast<std::size_t>(kx) * cin;
            if (ix < 0 || ix >= g.w)
              std::fill(d, d + cin, T(0));
            else
              std::memcpy(d, src + static_cast<std::size_t>(ix) * cin, cin * sizeof(T));
          }
        }
      }
    }
  }
}

// The adjoint of im2col: dx[n, iy, ix, c] += every dcols entry that was read from it.
template <typename T>
void col2im_add(const T* dcols, const ConvGeom& g, int batch, T* dx) {
  const std::size_t patch = g.patch();
  const std::size_t cin = static_cast<std::size_t>(g.cin);
  for (int n = 0; n < batch; ++n) {
    T* dxs = dx + static_cast<std::size_t>(n) * g.h * g.w * cin;
    for (int oy = 0; oy < g.ho; ++oy) {
      for (int ox = 0; ox < g.wo; ++ox) {
        const T* src = dcols + ((static_cast<std::size_t>(n) * g.ho + oy) * g.wo + ox) * patch;
        for (int ky = 0; ky < g.k; ++ky) {
          const int iy = oy + ky - g.pad;
          if (iy < 0 || iy >= g.h) continue;
          for (int kx = 0; kx < g.k; ++kx) {
            const int ix = ox + kx - g.pad;
            if (ix < 0 || ix >= g.w) continue;
            const T* s = src + (static_cast<std::size_t>(ky) * g.k + kx) * cin;
            T* d = dxs + (static_cast<std::size_t>(iy) * g.w + ix) * cin;
            for (std::size_t c = 0; c < cin; ++c) d[c] += s[c];
          }
        }
      }
    }
  }
}

}  // namespace

Shape Conv2DOp::infer(const Node& n, const std::vector<Shape>& in) {
  const ConvGeom g = geometry(n, in);
  return {g.ho, g.wo, g.cout};
}

std::vector<ParamSpec> Conv2DOp::param_specs(const Node& n, const std::vector<Shape>& in) {
  const ConvGeom g = geometry(n, in);
  const int fan_in = static_cast<int>(g.patch());
  std::vector<ParamSpec> specs{
      {"weight", {g.k, g.k, g.cin, g.cout}, ParamInit::FanInUniform, fan_in}};
  if (n.attr_int("use_bias", 1))
    specs.push_back({"bias", {g.cout}, ParamInit::FanInUniform, fan_in});
  return specs;
}

// The batch runs in chunks whose im2col rows fit in about 1 MiB, so each chunk's columns are
// still in cache when the GEMM (and in backward, col2im) reads them; backward rebuilds the columns
// rather than keeping the whole batch's. saved[0] and saved[1] are the column and column-gradient
// scratch buffers, kept across calls so nothing is allocated per batch.
namespace {

template <typename T>
int chunk_samples(const ConvGeom& g, int batch) {
  const std::size_t per_sample = g.positions() * g.patch() * sizeof(T);
  const auto fit = static_cast<int>(std::max<std::size_t>(1, (std::size_t{1} << 20) / per_sample));
  return std::min(batch, fit);
}

}  // namespace

template <typename T>
void Conv2DOp::forward(OpForward<T>& f) {
  const ConvGeom g = geometry_of(f.node, sample_shape(f.in[0]->shape));
  const auto P = static_cast<Eigen::Index>(g.positions());
  const auto patch = static_cast<Eigen::Index>(g.patch());
  ConstMatMap<T> W(f.params[0].ptr(), patch, g.cout);
  if (g.k == 1) {
    MatMap<T>(f.out.ptr(), f.batch * P, g.cout).noalias() =
        ConstMatMap<T>(f.in[0]->ptr(), f.batch * P, patch) * W;
  } else {
    if (f.saved.size() < 2) f.saved.resize(2);
    const int chunk = chunk_samples<T>(g, f.batch);
    Tensor<T>& cols = f.saved[0];
    cols.resize({static_cast<int>(chunk * P), static_cast<int>(patch)});
    const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.cin;
    for (int n0 = 0; n0 < f.batch; n0 += chunk) {
      const int m = std::min(chunk, f.batch - n0);
      im2col(f.in[0]->ptr() + n0 * in_stride, g, m, cols.ptr());
      MatMap<T>(f.out.ptr() + n0 * P * g.cout, m * P, g.cout).noalias() =
          ConstMatMap<T>(cols.ptr(), m * P, patch) * W;
    }
  }
  if (f.params.size() > 1)
    MatMap<T>(f.out.ptr(), f.batch * P, g.cout).rowwise() +=
        ConstVecMap<T>(f.params[1].ptr(), g.cout).transpose();
}

template <typename T>
void Conv2DOp::backward(OpBackward<T>& b) {
  const ConvGeom g = geometry_of(b.node, sample_shape(b.in[0]->shape));
  const auto P = static_cast<Eigen::Index>(g.positions());
  const auto patch = static_cast<Eigen::Index>(g.patch());
  ConstMatMap<T> W(b.params[0].ptr(), patch, g.cout);
  MatMap<T> dW(b.dparams[0].ptr(), patch, g.cout);
  if (b.dparams.size() > 1)
    add_column_sums(b.dout.ptr(), static_cast<std::size_t>(b.batch * P),
                    static_cast<std::size_t>(g.cout), b.dparams[1].ptr());
  if (g.k == 1) {
    ConstMatMap<T> X(b.in[0]->ptr(), b.batch * P, patch);
    ConstMatMap<T> dY(b.dout.ptr(), b.batch * P, g.cout);
    dW.noalias() += X.transpose() * dY;
    if (b.din[0]) MatMap<T>(b.din[0]->ptr(), b.batch * P, patch).noalias() += dY * W.transpose();
    return;
  }
  if (b.saved.size() < 2) b.saved.resize(2);
  const int chunk = chunk_samples<T>(g, b.batch);
  Tensor<T>& cols = b.saved[0];
  Tensor<T>& dcols = b.saved[1];
  cols.resize({static_cast<int>(chunk * P), static_cast<int>(patch)});
  if (b.din[0]) dcols.resize(cols.shape);
  const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.cin;
  for (int n0 = 0; n0 < b.batch; n0 += chunk) {
    const int m = std::min(chunk, b.batch - n0);
    ConstMatMap<T> dY(b.dout.ptr() + n0 * P * g.cout, m * P, g.cout);
    im2col(b.in[0]->ptr() + n0 * in_stride, g, m, cols.ptr());
    dW.noalias() += ConstMatMap<T>(cols.ptr(), m * P, patch).transpose() * dY;
    if (!b.din[0]) continue;
    MatMap<T>(dcols.ptr(), m * P, patch).noalias() = dY * W.transpose();
    col2im_add(dcols.ptr(), g, m, b.din[0]->ptr() + n0 * in_stride);
  }
}

OpCost Conv2DOp::cost(const Node& n, const std::vector<Shape>& in) {
  const ConvGeom g = geometry(n, in);
  return {{{"conv2d", static_cast<long long>(g.positions()) * g.cout,
            static_cast<long long>(g.patch()), "weight"}},
          0};
}

NAC_INSTANTIATE_OP(Conv2DOp);

}  // namespace nac
