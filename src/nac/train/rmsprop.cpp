#include "nac/train/rmsprop.hpp"

#include <cmath>

namespace nac {
namespace {

struct RmsPropScalars {
  float lr, wd, alpha, w, mu, eps;
};

// One loop per combination of options, with no branch inside, so the compiler vectorises it
// (SIMD sqrt and division are correctly rounded, so this is the scalar update up to which
// multiply-adds the compiler fuses). Each line keeps PyTorch's operation order.
template <bool kDecay, bool kCentered, bool kMomentum>
void rmsprop_kernel(const RmsPropScalars& s, std::size_t n, float* __restrict value,
                    const float* __restrict grad, float* __restrict v, float* __restrict avg,
                    float* __restrict buf) {
  for (std::size_t i = 0; i < n; ++i) {
    float g = grad[i];
    if constexpr (kDecay) g = g + s.wd * value[i];
    v[i] = v[i] * s.alpha + s.w * g * g;
    float var = v[i];
    if constexpr (kCentered) {
      avg[i] = avg[i] + s.w * (g - avg[i]);
      var = v[i] - avg[i] * avg[i];
    }
    const float denom = std::sqrt(var) + s.eps;
    if constexpr (kMomentum) {
      buf[i] = buf[i] * s.mu + g / denom;
      value[i] = value[i] + (-s.lr) * buf[i];
    } else {
      value[i] = value[i] + (-s.lr) * g / denom;  // addcdiv's order
    }
  }
}

template <bool kDecay, bool kCentered>
void dispatch_momentum(const RmsPropScalars& s, std::size_t n, float* value, const float* grad,
                       float* v, float* avg, float* buf) {
  if (s.mu > 0)
    rmsprop_kernel<kDecay, kCentered, true>(s, n, value, grad, v, avg, buf);
  else
    rmsprop_kernel<kDecay, kCentered, false>(s, n, value, grad, v, avg, buf);
}

}  // namespace

void RmsProp::update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) {
  (void)t;
  const RmsPropScalars s{static_cast<float>(opt_.lr),       static_cast<float>(opt_.weight_decay),
                         static_cast<float>(opt_.alpha),    static_cast<float>(1.0 - opt_.alpha),
                         static_cast<float>(opt_.momentum), static_cast<float>(opt_.eps)};
  float* v = state[0].data();
  float* avg = state[1].data();
  float* buf = state[2].data();
  const bool decay = s.wd != 0;
  if (decay && opt_.centered)
    dispatch_momentum<true, true>(s, p.size, p.value, p.grad, v, avg, buf);
  else if (decay)
    dispatch_momentum<true, false>(s, p.size, p.value, p.grad, v, avg, buf);
  else if (opt_.centered)
    dispatch_momentum<false, true>(s, p.size, p.value, p.grad, v, avg, buf);
  else
    dispatch_momentum<false, false>(s, p.size, p.value, p.grad, v, avg, buf);
}

}  // namespace nac
