#pragma once
// Every op's definition; op.cpp dispatches over NAC_FOR_EACH_OP with these in scope.
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/ops/add.hpp"
#include "nac/graph/ops/dense.hpp"
#include "nac/graph/ops/flatten.hpp"
#include "nac/graph/ops/input.hpp"
