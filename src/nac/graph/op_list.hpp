#pragma once
// The one table of ops (DESIGN.md §9). Each entry: enum name, file/model-file spelling, the struct
// in graph/ops/<spelling>.hpp that defines its shape rule, parameters, forward, backward and cost.
// Adding an op = one file pair + one line here + one include in ops/all.hpp.
#define NAC_FOR_EACH_OP(X)                  \
  X(Input, "input", InputOp)                \
  X(Dense, "dense", DenseOp)                \
  X(Activation, "activation", ActivationOp) \
  X(Flatten, "flatten", FlattenOp)          \
  X(Add, "add", AddOp)                      \
  X(Conv2D, "conv2d", Conv2DOp)             \
  X(BatchNorm, "batchnorm", BatchNormOp)    \
  X(LayerNorm, "layernorm", LayerNormOp)    \
  X(Softmax, "softmax", SoftmaxOp)          \
  X(ConvAttn, "conv_attn", ConvAttnOp)      \
  X(Aggregate, "aggregate", AggregateOp)
