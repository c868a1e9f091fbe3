#pragma once
// The built-in Bragg-peak generator (docs/DATA.md): patches like BraggNN's, cropped from
// high-energy diffraction frames around a peak. Each patch holds a 2-D pseudo-Voigt peak
// integrated over every pixel, a slowly varying background, Poisson counting noise, a detector
// threshold and sometimes a neighbouring peak at the edge, which connected-component cleaning
// removes; it is then min-max normalised to [0, 1]. Label = true centre (x, y) / patch.
//
// Coordinates: pixel (row r, column c) covers [c, c+1) x [r, r+1), so its centre is
// (c + 0.5, r + 0.5); x is the column axis, y the row axis.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nac/data/dataset.hpp"

namespace nac {

// The physics parameters and their ranges; docs/DATA.md gives the reason for each default.
struct BraggOptions {
  int patch = 11;          // patch side (pixels)
  int x_nodes = 6;         // Gauss-Legendre nodes per pixel in x (y is exact), 1..32
  double sigma_min = 0.6;  // Gaussian sigma along each principal axis (pixels) ...
  double sigma_max = 1.6;  // ... drawn independently: anisotropic peaks
  double eta_min = 0.0;    // Lorentzian fraction of the pseudo-Voigt ...
  double eta_max = 0.3;
  double center_jitter = 1.0;  // centre = patch middle + U(-j, j) in x and y (pixels)
  double intensity_min = 500;  // integrated peak intensity (counts), log-uniform ...
  double intensity_max = 10000;
  double background_min = 0;  // background at the patch middle (counts / pixel) ...
  double background_max = 10;
  double background_gradient = 0.5;  // max |slope| of the background in x and y (counts / pixel^2)
  double threshold = 30;             // detector threshold (counts): lower values become 0
  double neighbor_probability = 0.25;  // chance of a second peak centred near an edge
  double neighbor_edge_offset = 1.5;   // its centre lies within +-this of the edge (pixels)
  bool reject_merged = true;  // redraw when the neighbour touches the kept peak (single-peak only)
  bool poisson_noise = true;  // false: expected counts (noise-free studies and tests)
  int connectivity = 8;       // 4 or 8: pixel neighbourhood of the connected-component cleaning
};

// Throws InputError naming the first option out of range.
void validate(const BraggOptions& o);

// The options as (name, value) pairs, for file attributes and reports.
std::vector<std::pair<std::string, double>> bragg_parameters(const BraggOptions& o);

// One pseudo-Voigt peak: I(x, y) = A [(1 - eta) G + eta L] with G an elliptical Gaussian of
// sigmas (sigma_u, sigma_v) along axes rotated by theta, and L the elliptical 2-D Cauchy
// (1 + r^2)^(-3/2) with the same FWHM along each axis; both integrate to 1 over the plane.
struct PeakShape {
  double cx = 0, cy = 0;  // centre (pixels)
  double sigma_u = 1, sigma_v = 1, theta = 0, eta = 0;
  double intensity = 1;  // A: integral over the whole plane (counts)
};

// Adds the peak's integral over each pixel to `image` [patch x patch, row-major]: exact in y,
// Gauss-Legendre with `x_nodes` (1..32) nodes per pixel in x.
void render_peak(const PeakShape& p, int patch, int x_nodes, double* image);

// Keeps the connected component of non-zero pixels that contains the largest pixel of the
// window rows/columns [lo, hi]; zeroes the rest. Returns the kept pixel mask (empty if that
// pixel is zero).
std::vector<std::uint8_t> keep_component(std::vector<double>& image, int patch, int lo, int hi,
                                         int connectivity);

struct BraggStats {
  long long neighbors = 0;  // samples generated with a neighbouring peak
  long long cleaned = 0;    // samples where cleaning zeroed above-threshold pixels
  long long redraws = 0;    // rejected draws (peak invisible or merged with its neighbour)
};

// `n` patches: x [n, patch, patch, 1] in [0, 1], y [n, 2] = (x, y) centre / patch. Sample i is
// drawn from its own stream Rng(seed).split(i), so any sample can be regenerated alone.
Dataset generate_bragg(long long n, std::uint64_t seed, const BraggOptions& o,
                       BraggStats* stats = nullptr);

}  // namespace nac
