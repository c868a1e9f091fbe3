#include "nac/data/bragg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "nac/core/error.hpp"
#include "nac/data/bragg_file.hpp"
#include "nac/data/source.hpp"
#include "temp_dir.hpp"

namespace nac {
namespace {

using test::TempDir;

// Noise-free, background-free, isolated peaks with nothing thresholded away.
BraggOptions clean_options() {
  BraggOptions o;
  o.poisson_noise = false;
  o.background_min = o.background_max = o.background_gradient = 0;
  o.threshold = 0;
  o.neighbor_probability = 0;
  return o;
}

// The pseudo-Voigt density from its definition, for brute-force integration.
double density(const PeakShape& p, double x, double y) {
  const double dx = x - p.cx, dy = y - p.cy;
  const double u = std::cos(p.theta) * dx + std::sin(p.theta) * dy;
  const double v = -std::sin(p.theta) * dx + std::cos(p.theta) * dy;
  const double g =
      std::exp(-0.5 * (u * u / (p.sigma_u * p.sigma_u) + v * v / (p.sigma_v * p.sigma_v))) /
      (2 * std::numbers::pi * p.sigma_u * p.sigma_v);
  // Same half width at half maximum: (1 + (h / gamma)^2)^(-3/2) = 1/2 at h = sigma sqrt(2 ln 2).
  const double k = std::sqrt(2 * std::log(2.0)) / std::sqrt(std::pow(2.0, 2.0 / 3.0) - 1);
  const double gu = k * p.sigma_u, gv = k * p.sigma_v;
  const double l =
      std::pow(1 + u * u / (gu * gu) + v * v / (gv * gv), -1.5) / (2 * std::numbers::pi * gu * gv);
  return p.intensity * ((1 - p.eta) * g + p.eta * l);
}

TEST(Bragg, SameSeedSameBytesAndSamplesIndependentOfCount) {
  const BraggOptions o;
  const Dataset a = generate_bragg(300, 42, o);
  const Dataset b = generate_bragg(300, 42, o);
  EXPECT_EQ(a.x.data, b.x.data);
  EXPECT_EQ(a.y.data, b.y.data);
  const Dataset c = generate_bragg(40, 42, o);
  EXPECT_TRUE(std::equal(c.x.data.begin(), c.x.data.end(), a.x.data.begin()));
  EXPECT_TRUE(std::equal(c.y.data.begin(), c.y.data.end(), a.y.data.begin()));
  const Dataset d = generate_bragg(300, 43, o);
  EXPECT_NE(a.y.data, d.y.data);
  EXPECT_EQ(a.x.shape, Shape({300, 11, 11, 1}));
  EXPECT_EQ(a.y.shape, Shape({300, 2}));
}

TEST(Bragg, LabelsLieWithinTheJitterAndUseIt) {
  BraggOptions o;
  o.patch = 13;
  o.center_jitter = 1.2;
  const Dataset d = generate_bragg(400, 7, o);
  const double lo = 0.5 - 1.2 / 13, hi = 0.5 + 1.2 / 13;
  const auto [mn, mx] = std::minmax_element(d.y.data.begin(), d.y.data.end());
  EXPECT_GE(*mn, lo - 1e-6);
  EXPECT_LE(*mx, hi + 1e-6);
  EXPECT_LT(*mn, lo + 0.1 / 13);  // the full range is used
  EXPECT_GT(*mx, hi - 0.1 / 13);
}

TEST(Bragg, LabelIsTheCentroidOfANoiseFreeIsolatedPeak) {
  BraggOptions o = clean_options();
  // Tails cut off at the patch edge would bias the centroid: no Lorentzian, sigma <= 1.2 px.
  o.eta_min = o.eta_max = 0;
  o.sigma_max = 1.2;
  const int n = 200, p = o.patch;
  const Dataset d = generate_bragg(n, 11, o);
  double worst = 0;
  for (int i = 0; i < n; ++i) {
    double sum = 0, sx = 0, sy = 0;
    for (int r = 0; r < p; ++r)
      for (int c = 0; c < p; ++c) {
        const double v = d.x.data[static_cast<std::size_t>((i * p + r) * p + c)];
        sum += v;
        sx += v * (c + 0.5);
        sy += v * (r + 0.5);
      }
    const auto k = static_cast<std::size_t>(2 * i);
    worst = std::max({worst, std::fabs(sx / sum - double(d.y.data[k]) * p),
                      std::fabs(sy / sum - double(d.y.data[k + 1]) * p)});
  }
  EXPECT_LT(worst, 0.005);  // pixels
}

TEST(Bragg, PixelIntegralsSumToTheIntegratedIntensity) {
  const int patch = 21;
  PeakShape pk;
  pk.cx = 10.37;
  pk.cy = 10.81;
  pk.sigma_u = 0.7;
  pk.sigma_v = 1.4;
  pk.theta = 0.6;
  pk.intensity = 12345;
  std::vector<double> img(patch * patch, 0.0);
  render_peak(pk, patch, 8, img.data());
  double sum = 0;
  for (double v : img) sum += v;
  EXPECT_NEAR(sum, pk.intensity, 1e-9 * pk.intensity);

  // A pure 2-D Cauchy has heavy tails: the mass inside the square of half side h lies between
  // the masses of its inscribed and circumscribed disks, 1 - (1 + r^2 / gamma^2)^(-1/2).
  const int big = 101;
  pk.cx = pk.cy = 50.5;
  pk.sigma_u = pk.sigma_v = 1.0;
  pk.eta = 1;
  std::vector<double> wide(big * big, 0.0);
  render_peak(pk, big, 8, wide.data());
  sum = 0;
  for (double v : wide) sum += v;
  const double gamma = std::sqrt(2 * std::log(2.0)) / std::sqrt(std::pow(2.0, 2.0 / 3.0) - 1);
  const double h = 50.5;
  EXPECT_GT(sum, pk.intensity * (1 - 1 / std::sqrt(1 + h * h / (gamma * gamma))));
  EXPECT_LT(sum, pk.intensity * (1 - 1 / std::sqrt(1 + 2 * h * h / (gamma * gamma))));
}

TEST(Bragg, PixelValuesMatchBruteForceIntegration) {
  const int patch = 11;
  PeakShape pk;
  pk.cx = 5.9;
  pk.cy = 4.8;
  pk.sigma_u = 1.3;
  pk.sigma_v = 0.65;
  pk.theta = 2.2;
  pk.eta = 0.4;
  pk.intensity = 1000;
  std::vector<double> img(patch * patch, 0.0);
  render_peak(pk, patch, 8, img.data());
  // 2-D midpoint rule on f x f sub-pixels, Richardson-extrapolated from f = 32 and 64.
  const auto midpoint = [&](int r, int c, int f) {
    double s = 0;
    for (int i = 0; i < f; ++i)
      for (int j = 0; j < f; ++j) s += density(pk, c + (j + 0.5) / f, r + (i + 0.5) / f);
    return s / (f * f);
  };
  double worst = 0;
  for (int r = 0; r < patch; ++r)
    for (int c = 0; c < patch; ++c) {
      const double s = (4 * midpoint(r, c, 64) - midpoint(r, c, 32)) / 3;
      worst = std::max(worst, std::fabs(s - img[static_cast<std::size_t>(r * patch + c)]));
    }
  EXPECT_LT(worst, 1e-5);  // counts, against a peak pixel of about 100
}

TEST(Bragg, CleaningRemovesANeighbourPeak) {
  const int patch = 11;
  std::vector<double> img(patch * patch, 0.0);
  PeakShape main_peak;
  main_peak.cx = 5.2;
  main_peak.cy = 5.7;
  main_peak.intensity = 3000;
  PeakShape neighbour = main_peak;
  neighbour.cx = 0.2;
  neighbour.cy = 0.4;
  neighbour.intensity = 9000;  // brighter than the main peak
  render_peak(main_peak, patch, 8, img.data());
  std::vector<double> alone = img;
  render_peak(neighbour, patch, 8, img.data());
  for (auto* im : {&img, &alone})
    for (double& v : *im) v = v < 20 ? 0 : v;
  const std::vector<double> before = img;
  const auto kept = keep_component(img, patch, 4, 6, 8);
  ASSERT_FALSE(kept.empty());
  EXPECT_GT(before[0], 20);                       // the neighbour was there ...
  for (std::size_t i = 0; i < img.size(); ++i) {  // ... and only it is gone
    EXPECT_EQ(img[i] > 0, alone[i] > 0) << i;
    EXPECT_NEAR(img[i], alone[i], 0.05) << i;  // the neighbour's far tail
    EXPECT_EQ(kept[i] != 0, alone[i] > 0) << i;
  }
  // A patch whose central window is dark keeps nothing.
  std::vector<double> dark(patch * patch, 0.0);
  dark[0] = 5;
  EXPECT_TRUE(keep_component(dark, patch, 4, 6, 8).empty());
}

TEST(Bragg, GeneratedNeighboursAreCleanedToOneComponent) {
  BraggOptions o;
  o.neighbor_probability = 1;
  BraggStats stats;
  const int n = 300, p = o.patch;
  const Dataset d = generate_bragg(n, 3, o, &stats);
  EXPECT_EQ(stats.neighbors, n);
  EXPECT_GT(stats.cleaned, n / 2);  // faint neighbours may have no pixel above threshold
  for (int i = 0; i < n; ++i) {
    std::vector<double> img(d.x.data.begin() + i * p * p, d.x.data.begin() + (i + 1) * p * p);
    const std::vector<double> before = img;
    // Seeding anywhere in the patch still finds one 8-connected component: nothing to remove.
    ASSERT_FALSE(keep_component(img, p, 0, p - 1, 8).empty());
    EXPECT_EQ(img, before) << "sample " << i;
  }
}

TEST(Bragg, EveryPatchIsMinMaxNormalised) {
  const BraggOptions o;
  const int n = 300, pp = o.patch * o.patch;
  const Dataset d = generate_bragg(n, 5, o);
  for (int i = 0; i < n; ++i) {
    const auto b = d.x.data.begin() + i * pp;
    const auto [mn, mx] = std::minmax_element(b, b + pp);
    EXPECT_EQ(*mn, 0.0f);
    EXPECT_EQ(*mx, 1.0f);
  }
}

TEST(Bragg, OptionsOutOfRangeAreRejected) {
  const auto bad = [](auto edit, const std::string& name) {
    BraggOptions o;
    edit(o);
    try {
      generate_bragg(1, 0, o);
      ADD_FAILURE() << "accepted bad " << name;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  bad([](BraggOptions& o) { o.patch = 2; }, "patch");
  bad([](BraggOptions& o) { o.sigma_min = 2; }, "sigma_min");
  bad([](BraggOptions& o) { o.eta_max = 1.5; }, "eta_max");
  bad([](BraggOptions& o) { o.center_jitter = 5; }, "center_jitter");
  bad([](BraggOptions& o) { o.intensity_min = 0; }, "intensity_min");
  bad([](BraggOptions& o) { o.background_min = -1; }, "background_min");
  bad([](BraggOptions& o) { o.threshold = -1; }, "threshold");
  bad([](BraggOptions& o) { o.neighbor_probability = 2; }, "neighbor_probability");
  bad([](BraggOptions& o) { o.connectivity = 6; }, "connectivity");
  bad([](BraggOptions& o) { o.x_nodes = 0; }, "x_nodes");
  bad([](BraggOptions& o) { o.x_nodes = 33; }, "x_nodes");
  // Peaks that never clear the threshold: a clear error instead of an endless loop.
  bad([](BraggOptions& o) { o.threshold = 1e9; }, "threshold");
}

TEST(Bragg, HdfFileIsByteIdenticalPerSeedAndLoadsBack) {
  TempDir dir;
  const BraggOptions o;
  for (const char* name : {"a.h5", "b.h5"}) {
    BraggStats st;
    const Dataset d = generate_bragg(64, 9, o, &st);
    write_bragg_hdf5(dir.file(name), d, 9, o, st);
  }
  EXPECT_EQ(TempDir::read(dir.file("a.h5")), TempDir::read(dir.file("b.h5")));
  DataSource src;
  src.path = dir.file("a.h5");
  const Dataset back = load_dataset(src);
  const Dataset d = generate_bragg(64, 9, o);
  EXPECT_EQ(back.x.shape, d.x.shape);
  EXPECT_EQ(back.x.data, d.x.data);
  EXPECT_EQ(back.y.data, d.y.data);
}

}  // namespace
}  // namespace nac
