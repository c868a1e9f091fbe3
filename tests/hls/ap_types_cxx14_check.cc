// Compiled as C++14 with the project's warnings (-Werror) and without nac's include paths: the
// standalone ap_types headers must build where Vitis HLS's older compilers and a copied HLS
// project would build them. Linked into nothing; building it is the check.
#include "ap_fixed.h"
#include "ap_int.h"

typedef ap_fixed<16, 6, AP_RND_CONV, AP_SAT> data_t;
typedef ap_fixed<8, 1> weight_t;
typedef ap_fixed<24, 12> accum_t;

accum_t ap_types_cxx14_dense(const data_t x[4], const weight_t w[4]) {
  accum_t acc = 0;
  for (int i = 0; i < 4; ++i) acc += x[i] * w[i];
  acc = acc + accum_t(x[0] * w[0]) - 1;
  if (acc > 3 || acc < -2.5 || acc == x[1]) acc /= 2;
  ap_uint<4> idx = acc.range(11, 8);
  ap_int<9> n = -idx;
  n += 3;
  n = (n << 2) & 0xff;
  ap_ufixed<10, 2, AP_TRN_ZERO, AP_SAT_ZERO> u = acc;
  u *= weight_t(0.5);
  acc.range(3, 0) = n.range(3, 0);
  const double d = u.to_double() + acc.to_float() + n.to_double();
  return accum_t(d + acc.to_int() + static_cast<double>(n.to_int64()) + (-acc).to_double());
}
