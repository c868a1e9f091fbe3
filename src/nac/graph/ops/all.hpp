#pragma once
// Every op's definition; op.cpp dispatches over NAC_FOR_EACH_OP with these in scope.
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/ops/add.hpp"
#include "nac/graph/ops/aggregate.hpp"
#include "nac/graph/ops/batchnorm.hpp"
#include "nac/graph/ops/conv2d.hpp"
#include "nac/graph/ops/conv_attn.hpp"
#include "nac/graph/ops/dense.hpp"
#include "nac/graph/ops/flatten.hpp"
#include "nac/graph/ops/input.hpp"
#include "nac/graph/ops/layernorm.hpp"
#include "nac/graph/ops/softmax.hpp"
