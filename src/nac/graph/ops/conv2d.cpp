#include "nac/graph/ops/conv2d.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "nac/core/eigen.hpp"
#include "nac/core/gemm.hpp"
#include "nac/graph/ops/reduce.hpp"

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

// Copies n values without a call: a kernel row of a first layer is only k * C_in values (3 for
// k = 3 and one channel), where a call to memcpy would cost more than the copy. Fixed-size
// memcpys compile to single moves: 32-byte chunks (the last one overlapping the one before), or
// for fewer values a 16-, 8- and 4-byte move as the bits of n ask.
template <typename T>
inline void copy_small(const T* src, std::size_t n, T* dst) {
  constexpr std::size_t chunk = 32 / sizeof(T);
  if (n > 16 * chunk) {
    std::memcpy(dst, src, n * sizeof(T));
  } else if (n >= chunk) {
    for (std::size_t i = 0; i + chunk < n; i += chunk) std::memcpy(dst + i, src + i, 32);
    std::memcpy(dst + n - chunk, src + n - chunk, 32);
  } else {
    std::size_t i = 0;
    const std::size_t bytes = n * sizeof(T);
    if (bytes & 16) {
      std::memcpy(dst + i, src + i, 16);
      i += 16 / sizeof(T);
    }
    if (bytes & 8) {
      std::memcpy(dst + i, src + i, 8);
      i += 8 / sizeof(T);
    }
    if (bytes & 4) std::memcpy(dst + i, src + i, 4);
  }
}

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
            copy_small(src + static_cast<std::size_t>(x0) * cin, kc, dst);
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

// Whether a convolution runs without im2col (gemm_rows): float, valid padding, a width the kernel
// takes whole.
template <typename T>
bool implicit_im2col(const ConvGeom& g) {
  return std::is_same_v<T, float> && g.pad == 0 && gemm_rows_uses_kernel(g.cout);
}

// For gemm_rows: a pointer to the top-left input pixel of every output position of the batch.
template <typename T>
const std::vector<const T*>& position_rows(const T* x, const ConvGeom& g, int batch) {
  thread_local std::vector<const T*> rows;
  rows.resize(static_cast<std::size_t>(batch) * g.positions());
  const std::size_t cin = static_cast<std::size_t>(g.cin);
  for (int n = 0; n < batch; ++n)
    for (int oy = 0; oy < g.ho; ++oy)
      for (int ox = 0; ox < g.wo; ++ox)
        rows[(static_cast<std::size_t>(n) * g.ho + oy) * g.wo + ox] =
            x + ((static_cast<std::size_t>(n) * g.h + oy) * g.w + ox) * cin;
  return rows;
}

// The adjoint of im2col: dx[n, iy, ix, c] += every dcols entry that was read from it.
template <typename T>
void col2im_add(const T* dcols, const ConvGeom& g, int batch, T* dx) {
  const std::size_t patch = g.patch();
  const std::size_t cin = static_cast<std::size_t>(g.cin);
  const std::size_t kc = static_cast<std::size_t>(g.k) * cin;
  for (int n = 0; n < batch; ++n) {
    T* dxs = dx + static_cast<std::size_t>(n) * g.h * g.w * cin;
    for (int oy = 0; oy < g.ho; ++oy) {
      for (int ox = 0; ox < g.wo; ++ox) {
        const T* src = dcols + ((static_cast<std::size_t>(n) * g.ho + oy) * g.wo + ox) * patch;
        const int x0 = ox - g.pad;
        const bool full_row = x0 >= 0 && x0 + g.k <= g.w;
        for (int ky = 0; ky < g.k; ++ky) {
          const int iy = oy + ky - g.pad;
          if (iy < 0 || iy >= g.h) continue;
          if (full_row) {  // the k pixels of this kernel row are contiguous in dx too
            const T* s = src + static_cast<std::size_t>(ky) * kc;
            T* d = dxs + (static_cast<std::size_t>(iy) * g.w + x0) * cin;
            for (std::size_t j = 0; j < kc; ++j) d[j] += s[j];
            continue;
          }
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
// still in cache when the GEMM (and in backward, col2im) reads them. A training batch whose
// columns take at most 8 MiB keeps them all for backward (the small layers, where rebuilding
// them costs as much as the products); otherwise backward rebuilds them chunk by chunk.
// saved[0] and saved[1] are the column and column-gradient buffers, kept across calls so nothing
// is allocated per batch; saved[2] holds 1 while saved[0] has the last training batch's columns.
namespace {

template <typename T>
int chunk_samples(const ConvGeom& g, int batch) {
  const std::size_t per_sample = g.positions() * g.patch() * sizeof(T);
  const auto fit = static_cast<int>(std::max<std::size_t>(1, (std::size_t{1} << 20) / per_sample));
  return std::min(batch, fit);
}

template <typename T>
bool keep_columns(const ConvGeom& g, int batch) {
  return g.positions() * g.patch() * sizeof(T) * static_cast<std::size_t>(batch) <=
         (std::size_t{8} << 20);
}

}  // namespace

template <typename T>
void Conv2DOp::forward(OpForward<T>& f) {
  const ConvGeom g = geometry_of(f.node, sample_shape(f.in[0]->shape));
  const auto P = static_cast<std::ptrdiff_t>(g.positions());
  const auto patch = static_cast<std::ptrdiff_t>(g.patch());
  const T* W = f.params[0].ptr();
  const bool keep = f.training && keep_columns<T>(g, f.batch);
  if (g.k == 1) {
    gemm<T>(false, false, f.batch * P, g.cout, patch, f.in[0]->ptr(), patch, W, g.cout, f.out.ptr(),
            g.cout, false);
  } else if (!keep && implicit_im2col<T>(g)) {
    // No im2col: the kernel reads each position's k runs of k * C_in values from the input.
    if (f.saved.size() < 3) f.saved.resize(3);
    if (f.saved[2].size() != 1) f.saved[2] = Tensor<T>({1});
    f.saved[2][0] = T(0);
    const std::vector<const T*>& rows = position_rows(f.in[0]->ptr(), g, f.batch);
    const int chunk = chunk_samples<T>(g, f.batch);  // keeps each chunk's input in cache
    for (int n0 = 0; n0 < f.batch; n0 += chunk) {
      const int m = std::min(chunk, f.batch - n0);
      gemm_rows<T>(m * P, g.cout, static_cast<std::ptrdiff_t>(g.k) * g.cin, g.k,
                   static_cast<std::ptrdiff_t>(g.w) * g.cin, rows.data() + n0 * P, W, g.cout,
                   f.out.ptr() + n0 * P * g.cout, g.cout, false);
    }
  } else {
    if (f.saved.size() < 3) f.saved.resize(3);
    const int chunk = chunk_samples<T>(g, f.batch);
    Tensor<T>& cols = f.saved[0];
    cols.resize({static_cast<int>((keep ? f.batch : chunk) * P), static_cast<int>(patch)});
    if (f.saved[2].size() != 1) f.saved[2] = Tensor<T>({1});
    f.saved[2][0] = keep ? T(1) : T(0);
    const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.cin;
    for (int n0 = 0; n0 < f.batch; n0 += chunk) {
      const int m = std::min(chunk, f.batch - n0);
      T* c = cols.ptr() + (keep ? n0 * P * patch : 0);
      im2col(f.in[0]->ptr() + n0 * in_stride, g, m, c);
      gemm<T>(false, false, m * P, g.cout, patch, c, patch, W, g.cout,
              f.out.ptr() + n0 * P * g.cout, g.cout, false);
    }
  }
  if (f.params.size() > 1)
    MatMap<T>(f.out.ptr(), f.batch * P, g.cout).rowwise() +=
        ConstVecMap<T>(f.params[1].ptr(), g.cout).transpose();
}

template <typename T>
void Conv2DOp::backward(OpBackward<T>& b) {
  const ConvGeom g = geometry_of(b.node, sample_shape(b.in[0]->shape));
  const auto P = static_cast<std::ptrdiff_t>(g.positions());
  const auto patch = static_cast<std::ptrdiff_t>(g.patch());
  const T* W = b.params[0].ptr();
  T* dW = b.dparams[0].ptr();
  if (b.dparams.size() > 1)
    add_column_sums(b.dout.ptr(), static_cast<std::size_t>(b.batch * P),
                    static_cast<std::size_t>(g.cout), b.dparams[1].ptr());
  // dW += cols^T dY; dcols = dY W^T, scattered back by col2im (for k = 1 the input is cols).
  if (g.k == 1) {
    gemm<T>(true, false, patch, g.cout, b.batch * P, b.in[0]->ptr(), patch, b.dout.ptr(), g.cout,
            dW, g.cout, true);
    if (b.din[0])
      gemm<T>(false, true, b.batch * P, patch, g.cout, b.dout.ptr(), g.cout, W, g.cout,
              b.din[0]->ptr(), patch, true);
    return;
  }
  if (b.saved.size() < 3) b.saved.resize(3);
  const int chunk = chunk_samples<T>(g, b.batch);
  Tensor<T>& cols = b.saved[0];
  Tensor<T>& dcols = b.saved[1];
  const bool kept = b.saved[2].size() == 1 && b.saved[2][0] == T(1) &&
                    cols.size() == static_cast<std::size_t>(b.batch * P * patch);
  if (kept)  // the whole batch's columns from forward: one product for the weight gradient
    gemm<T>(true, false, patch, g.cout, b.batch * P, cols.ptr(), patch, b.dout.ptr(), g.cout, dW,
            g.cout, true);
  else if (!implicit_im2col<T>(g))
    cols.resize({static_cast<int>(chunk * P), static_cast<int>(patch)});
  if (b.din[0]) dcols.resize({static_cast<int>(chunk * P), static_cast<int>(patch)});
  const std::size_t in_stride = static_cast<std::size_t>(g.h) * g.w * g.cin;
  const bool implicit = !kept && implicit_im2col<T>(g);  // dW straight from the input
  const std::vector<const T*>* rows =
      implicit ? &position_rows(b.in[0]->ptr(), g, b.batch) : nullptr;
  for (int n0 = 0; n0 < b.batch; n0 += chunk) {
    const int m = std::min(chunk, b.batch - n0);
    const T* dY = b.dout.ptr() + n0 * P * g.cout;
    if (implicit) {
      gemm_rows_tn<T>(m * P, g.cout, static_cast<std::ptrdiff_t>(g.k) * g.cin, g.k,
                      static_cast<std::ptrdiff_t>(g.w) * g.cin, rows->data() + n0 * P, dY, g.cout,
                      dW, g.cout, true);
    } else if (!kept) {
      im2col(b.in[0]->ptr() + n0 * in_stride, g, m, cols.ptr());
      gemm<T>(true, false, patch, g.cout, m * P, cols.ptr(), patch, dY, g.cout, dW, g.cout, true);
    }
    if (!b.din[0]) continue;
    gemm<T>(false, true, m * P, patch, g.cout, dY, g.cout, W, g.cout, dcols.ptr(), patch, false);
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
