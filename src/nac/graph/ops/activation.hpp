#pragma once
// Element-wise activations: relu, leaky_relu (alpha, default 0.01), gelu (exact erf form),
// identity, sigmoid, tanh. Attribute "fn" names the function. The element-wise kernels are shared
// with ops that carry an activation of their own (ConvAttn).
#include <cstddef>
#include <string>

#include "nac/graph/op.hpp"

namespace nac {

enum class ActFn { Identity, ReLU, LeakyReLU, GELU, Sigmoid, Tanh };

// Throws InputError naming `where` for an unknown name.
ActFn act_from_name(const std::string& name, const std::string& where);
const char* act_name(ActFn fn);

struct Activation {
  ActFn fn = ActFn::Identity;
  double alpha = 0.01;  // LeakyReLU negative slope
};

// Reads attributes `fn_key` and "alpha" of a node (fn defaults to identity).
Activation activation_of(const Node& n, const std::string& fn_key = "fn");

template <typename T>
void act_forward(const Activation& a, const T* x, T* y, std::size_t n);
// dx += dy * f'(x), or dx = dy * f'(x) without accumulate (saves zeroing dx first); y = f(x) is
// given for functions whose derivative reads it.
template <typename T>
void act_backward(const Activation& a, const T* x, const T* y, const T* dy, T* dx, std::size_t n,
                  bool accumulate = true);

struct ActivationOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
