#include "nac/emu/emulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/emu/kernels.hpp"
#include "nac/graph/quant/bounds.hpp"
#include "nac/graph/quant/constants.hpp"

namespace nac {

using emu::ActPlan;
using emu::SoftmaxPlan;
using emu::SumPlan;
using Mant = Tensor<std::int64_t>;

namespace {

enum AttnParam { kQW, kQB, kKW, kKB, kVW, kVB, kPW, kPB };

struct ConvGeom {
  int h = 0, w = 0, cin = 0, cout = 0, k = 1, pad = 0, ho = 0, wo = 0;
};

// Buffers reused from chunk to chunk of one run (large ones would otherwise be mapped and
// faulted in again for every chunk).
struct Scratch {
  std::vector<std::int64_t> cols, q, k, v, o, kt, sc, proj, z;
  std::vector<Mant> cast;
};

void grow(std::vector<std::int64_t>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

struct NodePlan {
  SumPlan sum;  // dense, conv2d; conv_attn's projections below
  SumPlan q, k, v, score, attend, proj;
  SoftmaxPlan smax;  // softmax, conv_attn
  ActPlan act;       // activation, conv_attn
  ConvGeom conv;
  std::vector<std::int64_t> scale, shift;  // batchnorm
  int agg = 0;                             // aggregate: 0 mean, 1 max, 2 sum
  bool agg_exact = false;
};

[[noreturn]] void refuse(const Node& n, const std::string& what) {
  throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): " + what);
}

// cols[(s, oy, ox), (ky, kx, c)] = x[s, oy + ky - pad, ox + kx - pad, c], 0 outside the map.
void im2col(const std::int64_t* x, const ConvGeom& g, int samples, std::int64_t* cols) {
  const std::size_t cin = static_cast<std::size_t>(g.cin);
  const std::size_t patch = static_cast<std::size_t>(g.k) * g.k * cin;
  for (int s = 0; s < samples; ++s) {
    const std::int64_t* xs = x + static_cast<std::size_t>(s) * g.h * g.w * cin;
    for (int oy = 0; oy < g.ho; ++oy)
      for (int ox = 0; ox < g.wo; ++ox) {
        std::int64_t* dst = cols + ((static_cast<std::size_t>(s) * g.ho + oy) * g.wo + ox) * patch;
        for (int ky = 0; ky < g.k; ++ky)
          for (int kx = 0; kx < g.k; ++kx, dst += cin) {
            const int iy = oy + ky - g.pad, ix = ox + kx - g.pad;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w)
              std::fill(dst, dst + cin, 0);
            else
              std::memcpy(dst, xs + (static_cast<std::size_t>(iy) * g.w + ix) * cin,
                          cin * sizeof(std::int64_t));
          }
      }
  }
}

Int128 shl(std::int64_t v, int s) { return static_cast<Int128>(v) * (Int128{1} << s); }

}  // namespace

struct Emulator::Impl {
  Graph g;
  EmuOptions opt;
  std::vector<OpQuant> q;
  std::vector<NodePlan> plans;

  Impl(const Graph& graph, EmuOptions o) : g(graph), opt(o) {
    if (opt.chunk < 1) throw InputError("emulator: chunk must be >= 1");
    q = resolve_quant(g);
    plans.resize(static_cast<std::size_t>(g.size()));
    for (int id = 0; id < g.size(); ++id) {
      plan(id);
    }
  }

  const OpQuant& qn(int id) const { return q[static_cast<std::size_t>(id)]; }

  SumPlan weighted(const Node& n, const OpQuant& oq, const FixedFormat& x, const char* w_name,
                   const char* b_name, int k, int cols, const FixedFormat& acc) const {
    std::vector<std::int64_t> b;
    if (const Param* bp = b_name ? n.find_param(b_name) : nullptr)
      b = quantize_param(*bp, *oq.bias);
    return emu::plan_weighted_sum(x, *oq.weight, quantize_param(n.param(w_name), *oq.weight), k,
                                  cols, std::move(b), oq.bias, acc, opt);
  }

  ActPlan act_plan(const OpQuant& oq, const FixedFormat& x) const {
    ActPlan a;
    a.fn = oq.act.fn;
    a.x = x;
    a.out = oq.result;
    if (a.fn == ActFn::LeakyReLU) {
      a.alpha_fmt = oq.ex("alpha");
      a.alpha_m = quantize(oq.act.alpha, a.alpha_fmt);
    }
    if (oq.tables.count("act")) a.table = &oq.table("act");
    return a;
  }

  void check_fracs(const Node& n, const FixedFormat& a, const FixedFormat& b) const {
    if (std::abs(a.frac() - b.frac()) >= 60)
      refuse(n, "formats " + a.str() + " and " + b.str() +
                    " differ by 60 or more fraction bits; the emulator cannot add them");
  }

  void plan(int id) {
    const Node& n = g.node(id);
    const OpQuant& oq = qn(id);
    NodePlan& p = plans[static_cast<std::size_t>(id)];
    switch (n.op) {
      case OpKind::Input:
      case OpKind::Flatten:
        break;
      case OpKind::Dense: {
        const int fin = n.param("weight").value.dim(0);
        p.sum = weighted(n, oq, oq.in[0], "weight", "bias", fin, n.shape.back(), *oq.accum);
        break;
      }
      case OpKind::Conv2D: {
        const Shape& in = g.node(n.inputs[0]).shape;
        ConvGeom& c = p.conv;
        c.h = in[0];
        c.w = in[1];
        c.cin = in[2];
        c.cout = n.shape[2];
        c.k = static_cast<int>(n.attr_int("kernel"));
        c.pad = n.attr_str("padding", "valid") == "same" ? (c.k - 1) / 2 : 0;
        c.ho = n.shape[0];
        c.wo = n.shape[1];
        p.sum = weighted(n, oq, oq.in[0], "weight", "bias", c.k * c.k * c.cin, c.cout, *oq.accum);
        break;
      }
      case OpKind::BatchNorm: {
        check_fracs(n, product_format(oq.in[0], *oq.weight), *oq.bias);
        if (oq.in[0].width + oq.weight->width +
                std::max(0, oq.bias->frac() - oq.in[0].frac() - oq.weight->frac()) >
            124)
          refuse(n, "input, scale and shift formats too wide for exact emulation (over 124 bits)");
        const BatchNormAffine a = batchnorm_affine(n);
        p.scale = quantize_values(a.scale.data(), nullptr, a.scale.size(), *oq.weight);
        p.shift = quantize_values(a.shift.data(), nullptr, a.shift.size(), *oq.bias);
        break;
      }
      case OpKind::Activation:
        p.act = act_plan(oq, oq.in[0]);
        break;
      case OpKind::Softmax:
        p.smax =
            emu::plan_softmax(oq.in[0], oq.ex("exp"), oq.ex("exp_sum"), oq.ex("inv"), oq.result,
                              oq.table("exp"), oq.table("inv"), n.shape.back(), opt);
        break;
      case OpKind::ConvAttn: {
        const int c = n.shape[2], h = static_cast<int>(n.attr_int("hidden"));
        const int positions = n.shape[0] * n.shape[1];
        const FixedFormat& x = oq.in[0];
        p.q = weighted(n, oq, x, "q_weight", "q_bias", c, h, *oq.accum);
        p.k = weighted(n, oq, x, "k_weight", "k_bias", c, h, *oq.accum);
        p.v = weighted(n, oq, x, "v_weight", "v_bias", c, h, *oq.accum);
        p.score =
            emu::plan_product_sum(oq.ex("q"), oq.ex("k"), h, positions, oq.ex("score_accum"), opt);
        p.smax = emu::plan_softmax(oq.ex("score"), oq.ex("exp"), oq.ex("exp_sum"), oq.ex("inv"),
                                   oq.ex("attn"), oq.table("exp"), oq.table("inv"), positions, opt);
        p.attend = emu::plan_product_sum(oq.ex("attn"), oq.ex("v"), positions, h,
                                         oq.ex("attend_accum"), opt);
        p.proj =
            weighted(n, oq, oq.ex("attend"), "proj_weight", "proj_bias", h, c, oq.ex("proj_accum"));
        check_fracs(n, x, oq.ex("proj"));
        p.act = act_plan(oq, oq.ex("residual"));
        break;
      }
      case OpKind::Add:
        for (const auto& f : oq.in) check_fracs(n, f, oq.in[0]);
        break;
      case OpKind::Aggregate: {
        const std::string fn = n.attr_str("fn", "mean");
        p.agg = fn == "mean" ? 0 : fn == "max" ? 1 : 2;
        if (p.agg != 1) {
          const long long elems = g.node(n.inputs[0]).shape[0];
          const SumBound b =
              repeated_sum_bound(format_lo(oq.in[0]), format_hi(oq.in[0]), oq.in[0].frac(), elems);
          const FixedFormat& a = *oq.accum;
          p.agg_exact = !opt.force_per_term && a.frac() >= oq.in[0].frac() &&
                        b.abs < (Int128{1} << 62) &&
                        (a.overflow == Overflow::WRAP || holds_exactly(b, a));
        }
        break;
      }
      case OpKind::LayerNorm:
        refuse(n, "refused");  // resolve_quant refuses it first, with the reason
    }
  }

  // Runs one chunk; acts[id] receive [m, ...shape] mantissas.
  void run_chunk(std::vector<Mant>& acts, int m, std::vector<long long>& ovf, Scratch& ws) const {
    for (int id = 1; id < g.size(); ++id) {
      const Node& n = g.node(id);
      const OpQuant& oq = qn(id);
      const NodePlan& p = plans[static_cast<std::size_t>(id)];
      Shape s{m};
      s.insert(s.end(), n.shape.begin(), n.shape.end());
      Mant& out = acts[static_cast<std::size_t>(id)];
      out.resize(s);
      // The inputs as the op sees them (converted into quant.input when given).
      std::vector<Mant>& cast = ws.cast;
      cast.resize(n.inputs.size());
      std::vector<const Mant*> in;
      long long& of = ovf[static_cast<std::size_t>(id)];
      for (int k = 0; k < static_cast<int>(n.inputs.size()); ++k) {
        const auto src = static_cast<std::size_t>(n.inputs[static_cast<std::size_t>(k)]);
        if (oq.cast) {
          Mant& c = cast[static_cast<std::size_t>(k)];
          c.resize(acts[src].shape);
          of += emu::convert(acts[src].ptr(), acts[src].size(),
                             qn(static_cast<int>(src)).result.frac(), *oq.cast, c.ptr());
        }
      }
      for (int k = 0; k < static_cast<int>(n.inputs.size()); ++k)
        in.push_back(oq.cast
                         ? &cast[static_cast<std::size_t>(k)]
                         : &acts[static_cast<std::size_t>(n.inputs[static_cast<std::size_t>(k)])]);
      of += run_node(n, oq, p, in, m, out, ws);
    }
  }

  long long run_node(const Node& n, const OpQuant& oq, const NodePlan& p,
                     const std::vector<const Mant*>& in, int m, Mant& out, Scratch& ws) const {
    const Mant& x = *in[0];
    const FixedFormat& fx = oq.in[0];
    switch (n.op) {
      case OpKind::Input:
        return 0;
      case OpKind::Flatten:
        return emu::convert(x.ptr(), x.size(), fx.frac(), oq.result, out.ptr());
      case OpKind::Dense: {
        const int rows = static_cast<int>(x.size() / static_cast<std::size_t>(p.sum.k));
        long long of = emu::run_sum(p.sum, x.ptr(), rows, nullptr, out.ptr());
        return of + emu::convert(out.ptr(), out.size(), p.sum.acc.frac(), oq.result, out.ptr());
      }
      case OpKind::Conv2D:
        return conv(p, oq, x, m, out, ws);
      case OpKind::BatchNorm: {
        const auto F = static_cast<std::size_t>(n.shape.back());
        const int fp = fx.frac() + oq.weight->frac(), fb = oq.bias->frac();
        const int f = std::max(fp, fb);
        long long of = 0;
        bool o = false;
        for (std::size_t i = 0; i < x.size(); ++i) {
          const std::size_t j = i % F;
          const Int128 v =
              Int128{x[i]} * p.scale[j] * (Int128{1} << (f - fp)) + shl(p.shift[j], f - fb);
          out[i] = requantize(v, f, oq.result, &o);
          of += o;
        }
        return of;
      }
      case OpKind::Activation:
        return emu::activation(p.act, x.ptr(), x.size(), out.ptr());
      case OpKind::Softmax: {
        const int cols = n.shape.back();
        return emu::softmax_rows(p.smax, x.ptr(), x.size() / static_cast<std::size_t>(cols), cols,
                                 out.ptr());
      }
      case OpKind::ConvAttn:
        return attention(n, p, oq, x, m, out, ws);
      case OpKind::Add: {
        int f = fx.frac();
        for (const auto& fi : oq.in) f = std::max(f, fi.frac());
        long long of = 0;
        bool o = false;
        for (std::size_t i = 0; i < out.size(); ++i) {
          Int128 v = 0;
          for (std::size_t k = 0; k < in.size(); ++k) v += shl((*in[k])[i], f - oq.in[k].frac());
          out[i] = requantize(v, f, oq.result, &o);
          of += o;
        }
        return of;
      }
      case OpKind::Aggregate:
        return aggregate(p, oq, x, m, out);
      case OpKind::LayerNorm:
        break;
    }
    return 0;
  }

  long long conv(const NodePlan& p, const OpQuant& oq, const Mant& x, int m, Mant& out,
                 Scratch& ws) const {
    const ConvGeom& c = p.conv;
    const std::size_t positions = static_cast<std::size_t>(c.ho) * c.wo;
    const std::size_t patch = static_cast<std::size_t>(p.sum.k);
    const std::size_t in_stride = static_cast<std::size_t>(c.h) * c.w * c.cin;
    const std::size_t out_stride = positions * static_cast<std::size_t>(c.cout);
    // Columns of up to ~4 MiB at a time.
    const int step = static_cast<int>(std::max<std::size_t>(
        1, (std::size_t{1} << 19) / std::max<std::size_t>(1, positions * patch)));
    std::vector<std::int64_t>& cols = ws.cols;
    long long of = 0;
    for (int s0 = 0; s0 < m; s0 += step) {
      const int ns = std::min(step, m - s0);
      std::int64_t* y = out.ptr() + static_cast<std::size_t>(s0) * out_stride;
      const int rows = static_cast<int>(static_cast<std::size_t>(ns) * positions);
      if (c.k == 1) {
        of += emu::run_sum(p.sum, x.ptr() + static_cast<std::size_t>(s0) * in_stride, rows, nullptr,
                           y);
      } else {
        grow(cols, static_cast<std::size_t>(rows) * patch);
        im2col(x.ptr() + static_cast<std::size_t>(s0) * in_stride, c, ns, cols.data());
        of += emu::run_sum(p.sum, cols.data(), rows, nullptr, y);
      }
    }
    return of + emu::convert(out.ptr(), out.size(), p.sum.acc.frac(), oq.result, out.ptr());
  }

  long long attention(const Node& n, const NodePlan& p, const OpQuant& oq, const Mant& x, int m,
                      Mant& out, Scratch& ws) const {
    const int P = n.shape[0] * n.shape[1], C = n.shape[2];
    const int H = static_cast<int>(n.attr_int("hidden"));
    const auto rows = static_cast<std::size_t>(m) * P;
    const auto PH = static_cast<std::size_t>(P) * H, PP = static_cast<std::size_t>(P) * P;
    for (auto* v : {&ws.q, &ws.k, &ws.v, &ws.o}) grow(*v, rows * H);
    grow(ws.kt, PH);
    grow(ws.sc, PP);
    grow(ws.proj, rows * C);
    grow(ws.z, rows * C);
    std::int64_t *qm = ws.q.data(), *km = ws.k.data(), *vm = ws.v.data(), *o = ws.o.data(),
                 *kt = ws.kt.data(), *sc = ws.sc.data(), *proj = ws.proj.data(), *z = ws.z.data();
    long long of = 0;
    const int r = static_cast<int>(rows);
    const std::size_t rh = rows * static_cast<std::size_t>(H),
                      rc = rows * static_cast<std::size_t>(C);
    auto project = [&](const SumPlan& sp, const std::int64_t* src, std::int64_t* dst,
                       std::size_t count, const FixedFormat& f) {
      of += emu::run_sum(sp, src, r, nullptr, dst);
      of += emu::convert(dst, count, sp.acc.frac(), f, dst);
    };
    project(p.q, x.ptr(), qm, rh, oq.ex("q"));
    project(p.k, x.ptr(), km, rh, oq.ex("k"));
    project(p.v, x.ptr(), vm, rh, oq.ex("v"));
    for (int s = 0; s < m; ++s) {
      const std::size_t base = static_cast<std::size_t>(s) * PH;
      for (int a = 0; a < P; ++a)  // K^T: H x P
        for (int h = 0; h < H; ++h)
          kt[static_cast<std::size_t>(h) * P + a] = km[base + static_cast<std::size_t>(a) * H + h];
      of += emu::run_sum(p.score, qm + base, P, kt, sc);
      of += emu::convert(sc, PP, p.score.acc.frac(), oq.ex("score"), sc);
      of += emu::softmax_rows(p.smax, sc, static_cast<std::size_t>(P), P, sc);
      of += emu::run_sum(p.attend, sc, P, vm + base, o + base);
    }
    of += emu::convert(o, rh, p.attend.acc.frac(), oq.ex("attend"), o);
    project(p.proj, o, proj, rc, oq.ex("proj"));
    of += emu::add_exact(x.ptr(), oq.in[0], proj, oq.ex("proj"), rc, oq.ex("residual"), z);
    return of + emu::activation(p.act, z, rc, out.ptr());
  }

  long long aggregate(const NodePlan& p, const OpQuant& oq, const Mant& x, int m, Mant& out) const {
    const auto elems = static_cast<std::size_t>(x.dim(1));
    const auto F = static_cast<std::size_t>(x.dim(2));
    const FixedFormat& fx = oq.in[0];
    long long of = 0;
    bool o = false;
    for (int s = 0; s < m; ++s) {
      const std::int64_t* xs = x.ptr() + static_cast<std::size_t>(s) * elems * F;
      std::int64_t* ys = out.ptr() + static_cast<std::size_t>(s) * F;
      for (std::size_t j = 0; j < F; ++j) {
        if (p.agg == 1) {
          std::int64_t mx = xs[j];
          for (std::size_t e = 1; e < elems; ++e) mx = std::max(mx, xs[e * F + j]);
          ys[j] = requantize(mx, fx.frac(), oq.result, &o);
          of += o;
          continue;
        }
        const FixedFormat& a = *oq.accum;
        std::int64_t acc = 0;
        if (p.agg_exact) {
          for (std::size_t e = 0; e < elems; ++e) acc += xs[e * F + j];
          acc = requantize(acc, fx.frac(), a, &o);
          of += o;
        } else {
          for (std::size_t e = 0; e < elems; ++e) {
            if (xs[e * F + j] == 0) continue;
            const std::int64_t t = requantize(xs[e * F + j], fx.frac(), a, &o);
            of += o;
            acc = requantize(Int128{acc} + t, a.frac(), a, &o);
            of += o;
          }
        }
        // mean: the quotient by n truncated toward zero (C++ integer division), A's fraction bits
        if (p.agg == 0) acc /= static_cast<std::int64_t>(elems);
        ys[j] = requantize(acc, a.frac(), oq.result, &o);
        of += o;
      }
    }
    return of;
  }
};

Emulator::Emulator(const Graph& g, EmuOptions opt) : impl_(std::make_unique<Impl>(g, opt)) {}
Emulator::~Emulator() = default;
Emulator::Emulator(Emulator&&) noexcept = default;
Emulator& Emulator::operator=(Emulator&&) noexcept = default;

const Graph& Emulator::graph() const { return impl_->g; }
const std::vector<OpQuant>& Emulator::quant() const { return impl_->q; }

EmuResult Emulator::run(const Tensor<float>& x, bool keep_all) const {
  const Graph& g = impl_->g;
  const Shape& in = g.input_shape();
  if (x.rank() != static_cast<int>(in.size()) + 1 ||
      !std::equal(in.begin(), in.end(), x.shape.begin() + 1))
    throw InputError("emulator: input batch has shape " + shape_str(x.shape) +
                     ", the model expects [N, " + shape_str(in).substr(1));
  Tensor<std::int64_t> xm(x.shape);
  quantize(std::span<const float>(x.data), std::span<std::int64_t>(xm.data),
           impl_->q[static_cast<std::size_t>(g.input_ids().at(0))].result);
  return run_mantissas(xm, keep_all);
}

EmuResult Emulator::run_mantissas(const Tensor<std::int64_t>& x, bool keep_all) const {
  const Graph& g = impl_->g;
  const Shape& in = g.input_shape();
  NAC_ASSERT(g.input_ids().size() == 1 && g.input_ids()[0] == 0);
  if (x.rank() != static_cast<int>(in.size()) + 1 ||
      !std::equal(in.begin(), in.end(), x.shape.begin() + 1))
    throw InputError("emulator: input batch has shape " + shape_str(x.shape) +
                     ", the model expects [N, " + shape_str(in).substr(1));
  const int n = x.dim(0);
  const auto nodes = static_cast<std::size_t>(g.size());
  EmuResult r;
  r.formats.resize(nodes);
  r.overflows.assign(nodes, 0);
  r.mantissas.resize(nodes);
  for (std::size_t id = 0; id < nodes; ++id) {
    r.formats[id] = impl_->q[id].result;
    if (!keep_all && id + 1 != nodes) continue;
    Shape s{n};
    s.insert(s.end(), g.node(static_cast<int>(id)).shape.begin(),
             g.node(static_cast<int>(id)).shape.end());
    r.mantissas[id].resize(s);
  }
  // The input's mantissas must lie in its format.
  const FixedFormat& fin = r.formats[0];
  const std::int64_t lo = min_mantissa(fin), hi = max_mantissa(fin);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] < lo || x[i] > hi)
      throw InputError("emulator: input mantissa " + std::to_string(x[i]) + " at index " +
                       std::to_string(i) + " is outside the input format " + fin.str());
  std::vector<Mant> acts(nodes);
  Scratch ws;
  const std::size_t in_row = shape_size(in);
  for (int s0 = 0; s0 < n; s0 += impl_->opt.chunk) {
    const int m = std::min(impl_->opt.chunk, n - s0);
    Shape s{m};
    s.insert(s.end(), in.begin(), in.end());
    acts[0].resize(s);
    std::copy_n(x.ptr() + static_cast<std::size_t>(s0) * in_row, acts[0].size(), acts[0].ptr());
    impl_->run_chunk(acts, m, r.overflows, ws);
    for (std::size_t id = 0; id < nodes; ++id) {
      if (r.mantissas[id].data.empty()) continue;
      const std::size_t row = shape_size(g.node(static_cast<int>(id)).shape);
      std::copy(acts[id].data.begin(), acts[id].data.end(),
                r.mantissas[id].ptr() + static_cast<std::size_t>(s0) * row);
    }
  }
  return r;
}

Tensor<float> Emulator::predict(const Tensor<float>& x) const { return run(x, false).output(); }

Tensor<double> EmuResult::values(int node) const {
  const auto& m = mantissas.at(static_cast<std::size_t>(node));
  const FixedFormat& f = formats.at(static_cast<std::size_t>(node));
  Tensor<double> v(m.shape);
  for (std::size_t i = 0; i < m.size(); ++i) v[i] = to_double(m[i], f);
  return v;
}

Tensor<float> EmuResult::output() const {
  return tensor_cast<float>(values(static_cast<int>(mantissas.size()) - 1));
}

Tensor<float> emulate(const Graph& g, const Tensor<float>& x) { return Emulator(g).predict(x); }

EmuResult emulate_mantissas(const Graph& g, const Tensor<float>& x) {
  return Emulator(g).run(x, true);
}

}  // namespace nac
