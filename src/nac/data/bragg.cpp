#include "nac/data/bragg.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/data/poisson.hpp"

namespace nac {
namespace {

// gamma / sigma giving the 2-D Cauchy (1 + r^2/gamma^2)^(-3/2) the Gaussian's FWHM:
// FWHM_G = 2 sqrt(2 ln 2) sigma, FWHM_L = 2 sqrt(2^(2/3) - 1) gamma.
constexpr int kMaxXNodes = 32;
const double kCauchyPerSigma = std::sqrt(2 * std::numbers::ln2) / std::sqrt(std::cbrt(4.0) - 1);

// Gauss-Legendre nodes and weights on [0, 1]: the x integral over each pixel column, exact for
// polynomials of degree 2n - 1 (the midpoint rule's error would only fall as 1/n^2).
struct GaussLegendre {
  std::vector<double> x, w;
};

GaussLegendre make_gauss_legendre(int n) {
  GaussLegendre q;
  for (int i = 1; i <= n; ++i) {
    // Newton's method on P_n from the Chebyshev-like first guess.
    double z = std::cos(std::numbers::pi * (i - 0.25) / (n + 0.5)), dp = 1;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double pk = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = pk;
      }
      dp = n * (z * p1 - p0) / (z * z - 1);
      const double step = p1 / dp;
      z -= step;
      if (std::fabs(step) < 1e-15) break;
    }
    q.x.push_back(0.5 * (1 - z));
    q.w.push_back(1 / ((1 - z * z) * dp * dp));  // 2 / ((1 - z^2) P_n'^2), halved for [0, 1]
  }
  return q;
}

const GaussLegendre& gauss_legendre(int n) {
  // Built once per node count; immutable afterwards (thread-safe static initialisation).
  static const std::vector<GaussLegendre> table = [] {
    std::vector<GaussLegendre> t(kMaxXNodes + 1);
    for (int k = 1; k <= kMaxXNodes; ++k) t[static_cast<std::size_t>(k)] = make_gauss_legendre(k);
    return t;
  }();
  NAC_ASSERT(n >= 1 && n <= kMaxXNodes);
  return table[static_cast<std::size_t>(n)];
}

void require(bool ok, const std::string& what) {
  if (!ok) throw InputError("bragg generator: " + what);
}

PeakShape draw_shape(Rng& rng, const BraggOptions& o, double cx, double cy) {
  PeakShape p;
  p.cx = cx;
  p.cy = cy;
  p.sigma_u = rng.uniform(o.sigma_min, o.sigma_max);
  p.sigma_v = rng.uniform(o.sigma_min, o.sigma_max);
  p.theta = rng.uniform(0, std::numbers::pi);
  p.eta = rng.uniform(o.eta_min, o.eta_max);
  p.intensity = std::exp(rng.uniform(std::log(o.intensity_min), std::log(o.intensity_max)));
  return p;
}

struct Sample {
  double cx = 0, cy = 0;
  bool neighbor = false, cleaned = false;
};

// One attempt at a patch; false when it must be redrawn (peak invisible or merged).
bool draw_patch(Rng& rng, const BraggOptions& o, int lo, int hi, std::vector<double>& img,
                Sample& s) {
  const int n = o.patch;
  const double mid = 0.5 * n;
  std::fill(img.begin(), img.end(), 0.0);
  s.cx = mid + rng.uniform(-o.center_jitter, o.center_jitter);
  s.cy = mid + rng.uniform(-o.center_jitter, o.center_jitter);
  render_peak(draw_shape(rng, o, s.cx, s.cy), n, o.x_nodes, img.data());

  s.neighbor = rng.uniform() < o.neighbor_probability;
  double nx = 0, ny = 0;
  if (s.neighbor) {
    const auto side = rng.below(4);
    const double along = rng.uniform(0, n);
    const double depth = rng.uniform(-o.neighbor_edge_offset, o.neighbor_edge_offset);
    nx = side == 0 ? depth : side == 1 ? n - depth : along;
    ny = side == 2 ? depth : side == 3 ? n - depth : along;
    render_peak(draw_shape(rng, o, nx, ny), n, o.x_nodes, img.data());
  }

  const double b0 = rng.uniform(o.background_min, o.background_max);
  const double gx = rng.uniform(-o.background_gradient, o.background_gradient);
  const double gy = rng.uniform(-o.background_gradient, o.background_gradient);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      double& v = img[static_cast<std::size_t>(r * n + c)];
      v += std::max(0.0, b0 + gx * (c + 0.5 - mid) + gy * (r + 0.5 - mid));
      if (o.poisson_noise) v = static_cast<double>(poisson(rng, v));
      if (v < o.threshold) v = 0;
    }

  const std::vector<double> before = img;
  const auto kept = keep_component(img, n, lo, hi, o.connectivity);
  if (kept.empty()) return false;
  const auto pixel = [n](double x, double y) {
    const int c = std::clamp(static_cast<int>(std::floor(x)), 0, n - 1);
    const int r = std::clamp(static_cast<int>(std::floor(y)), 0, n - 1);
    return static_cast<std::size_t>(r * n + c);
  };
  // The kept component must be the main peak's, and (single-peak patches) not its neighbour's.
  if (!kept[pixel(s.cx, s.cy)]) return false;
  if (s.neighbor && o.reject_merged && kept[pixel(nx, ny)]) return false;
  s.cleaned = before != img;

  const auto [lo_it, hi_it] = std::minmax_element(img.begin(), img.end());
  const double mn = *lo_it, mx = *hi_it;
  if (!(mx > mn)) return false;
  for (double& v : img) v = (v - mn) / (mx - mn);
  return true;
}

}  // namespace

void validate(const BraggOptions& o) {
  require(o.patch >= 3 && o.patch <= 512, "patch must be in [3, 512]");
  require(o.x_nodes >= 1 && o.x_nodes <= kMaxXNodes,
          "x_nodes must be in [1, " + std::to_string(kMaxXNodes) + "]");
  require(o.sigma_min > 0 && o.sigma_min <= o.sigma_max, "need 0 < sigma_min <= sigma_max");
  require(o.eta_min >= 0 && o.eta_min <= o.eta_max && o.eta_max <= 1,
          "need 0 <= eta_min <= eta_max <= 1");
  require(o.center_jitter >= 0 && o.center_jitter <= 0.5 * o.patch - 1,
          "center_jitter must be in [0, patch/2 - 1]");
  require(o.intensity_min > 0 && o.intensity_min <= o.intensity_max,
          "need 0 < intensity_min <= intensity_max");
  require(o.background_min >= 0 && o.background_min <= o.background_max,
          "need 0 <= background_min <= background_max");
  require(o.background_gradient >= 0, "background_gradient must be >= 0");
  require(o.threshold >= 0, "threshold must be >= 0");
  require(o.neighbor_probability >= 0 && o.neighbor_probability <= 1,
          "neighbor_probability must be in [0, 1]");
  require(o.neighbor_edge_offset >= 0 && o.neighbor_edge_offset <= 0.25 * o.patch,
          "neighbor_edge_offset must be in [0, patch/4]");
  require(o.connectivity == 4 || o.connectivity == 8, "connectivity must be 4 or 8");
}

std::vector<std::pair<std::string, double>> bragg_parameters(const BraggOptions& o) {
  return {{"patch", o.patch},
          {"x_nodes", o.x_nodes},
          {"sigma_min", o.sigma_min},
          {"sigma_max", o.sigma_max},
          {"eta_min", o.eta_min},
          {"eta_max", o.eta_max},
          {"center_jitter", o.center_jitter},
          {"intensity_min", o.intensity_min},
          {"intensity_max", o.intensity_max},
          {"background_min", o.background_min},
          {"background_max", o.background_max},
          {"background_gradient", o.background_gradient},
          {"threshold", o.threshold},
          {"neighbor_probability", o.neighbor_probability},
          {"neighbor_edge_offset", o.neighbor_edge_offset},
          {"reject_merged", o.reject_merged ? 1.0 : 0.0},
          {"poisson_noise", o.poisson_noise ? 1.0 : 0.0},
          {"connectivity", o.connectivity}};
}

void render_peak(const PeakShape& p, int patch, int x_nodes, double* image) {
  // Precision matrix [[p11, p12], [p12, p22]] of the Gaussian in (dx, dy), det = p11 p22 - p12^2
  // = iu iv; the Cauchy's is the same scaled by 1/k^2.
  const double c = std::cos(p.theta), s = std::sin(p.theta);
  const double iu = 1 / (p.sigma_u * p.sigma_u), iv = 1 / (p.sigma_v * p.sigma_v);
  const double p22 = s * s * iu + c * c * iv;
  const double p12 = c * s * (iu - iv);
  const double det = iu * iv;
  const double k2 = kCauchyPerSigma * kCauchyPerSigma;
  const double l22 = p22 / k2, ldet = det / (k2 * k2);
  // Gaussian: at fixed dx, the density in y is a 1-D Gaussian of precision p22 around
  // cy + m(dx), scaled by the x marginal; its pixel integrals are erf differences.
  const double g_norm = (1 - p.eta) * p.intensity * std::sqrt(det / (2 * std::numbers::pi * p22));
  const double g_scale = std::sqrt(p22 / 2);
  // Cauchy: at fixed dx, (K + a u^2)^(-3/2) with K = 1 + dx^2 ldet / l22, a = l22; its
  // antiderivative in u is u / (K sqrt(K + a u^2)).
  const double l_norm = p.eta * p.intensity * std::sqrt(ldet) / (2 * std::numbers::pi);
  const auto rows = static_cast<std::size_t>(patch) + 1;
  std::vector<double> g_edge(rows), l_edge(rows);
  const GaussLegendre& q = gauss_legendre(x_nodes);
  for (int col = 0; col < patch; ++col) {
    for (std::size_t node = 0; node < q.x.size(); ++node) {
      const double dx = col + q.x[node] - p.cx;
      const double m = -p12 * dx / p22;
      const double g = g_norm > 0 ? q.w[node] * g_norm * std::exp(-0.5 * dx * dx * det / p22) : 0;
      const double k = 1 + dx * dx * ldet / l22;
      const double l = q.w[node] * l_norm / k;
      for (std::size_t r = 0; r < rows; ++r) {
        const double u = static_cast<double>(r) - p.cy - m;
        g_edge[r] = g > 0 ? 0.5 * g * std::erf(g_scale * u) : 0.0;
        l_edge[r] = l > 0 ? l * u / std::sqrt(k + l22 * u * u) : 0.0;
      }
      for (std::size_t r = 0; r + 1 < rows; ++r)
        image[r * static_cast<std::size_t>(patch) + static_cast<std::size_t>(col)] +=
            (g_edge[r + 1] - g_edge[r]) + (l_edge[r + 1] - l_edge[r]);
    }
  }
}

std::vector<std::uint8_t> keep_component(std::vector<double>& image, int patch, int lo, int hi,
                                         int connectivity) {
  std::size_t seed = 0;
  double best = -1;
  for (int r = lo; r <= hi; ++r)
    for (int c = lo; c <= hi; ++c) {
      const auto i = static_cast<std::size_t>(r * patch + c);
      if (image[i] > best) {
        best = image[i];
        seed = i;
      }
    }
  if (!(best > 0)) return {};
  std::vector<std::uint8_t> kept(image.size(), 0);
  std::vector<std::size_t> stack{seed};
  kept[seed] = 1;
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    const int r = static_cast<int>(i) / patch, c = static_cast<int>(i) % patch;
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        if ((dr == 0 && dc == 0) || (connectivity == 4 && dr != 0 && dc != 0)) continue;
        const int rr = r + dr, cc = c + dc;
        if (rr < 0 || rr >= patch || cc < 0 || cc >= patch) continue;
        const auto j = static_cast<std::size_t>(rr * patch + cc);
        if (!kept[j] && image[j] > 0) {
          kept[j] = 1;
          stack.push_back(j);
        }
      }
  }
  for (std::size_t i = 0; i < image.size(); ++i)
    if (!kept[i]) image[i] = 0;
  return kept;
}

Dataset generate_bragg(long long n, std::uint64_t seed, const BraggOptions& o, BraggStats* stats) {
  validate(o);
  require(n > 0 && n <= 100'000'000, "the number of samples must be in [1, 1e8]");
  const int p = o.patch;
  const double mid = 0.5 * p;
  // The window where the centre's pixel can lie, plus one pixel for noise moving the maximum.
  const int lo = std::max(0, static_cast<int>(std::floor(mid - o.center_jitter)) - 1);
  const int hi = std::min(p - 1, static_cast<int>(std::floor(mid + o.center_jitter)) + 1);
  Dataset d;
  d.task = TaskKind::Regression;
  d.source = "bragg generator (seed " + std::to_string(seed) + ")";
  d.x = Tensor<float>({static_cast<int>(n), p, p, 1});
  d.y = Tensor<float>({static_cast<int>(n), 2});
  BraggStats st;
  std::vector<double> img(static_cast<std::size_t>(p * p));
  const auto pixels = img.size();
  constexpr int kMaxAttempts = 1000;
  for (long long i = 0; i < n; ++i) {
    Rng rng = Rng(seed).split(static_cast<std::uint64_t>(i));
    Sample s;
    int attempt = 0;
    while (!draw_patch(rng, o, lo, hi, img, s)) {
      ++st.redraws;
      if (++attempt == kMaxAttempts)
        throw InputError("bragg generator: " + std::to_string(kMaxAttempts) +
                         " draws in a row gave no usable peak; raise intensity_min or lower "
                         "threshold/background");
    }
    st.neighbors += s.neighbor ? 1 : 0;
    st.cleaned += s.cleaned ? 1 : 0;
    const auto off = static_cast<std::size_t>(i) * pixels;
    for (std::size_t k = 0; k < pixels; ++k) d.x.data[off + k] = static_cast<float>(img[k]);
    d.y.data[2 * static_cast<std::size_t>(i)] = static_cast<float>(s.cx / p);
    d.y.data[2 * static_cast<std::size_t>(i) + 1] = static_cast<float>(s.cy / p);
  }
  if (stats) *stats = st;
  return d;
}

}  // namespace nac
