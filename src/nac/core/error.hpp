#pragma once
// The three kinds of error (DESIGN.md §9): NAC_ASSERT for programmer bugs, typed exceptions for
// bad input (always naming the file/key/node and what was expected), return values for outcomes.
#include <stdexcept>
#include <string>

namespace nac {

// Bad user input: a file, a config key, a graph. The message names where and what was expected.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A graph that violates the IR's rules (bad shapes, unknown inputs, cycles).
class GraphError : public InputError {
 public:
  using InputError::InputError;
};

// A data file that cannot be read as promised.
class DataError : public InputError {
 public:
  using InputError::InputError;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);

}  // namespace nac

#define NAC_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::nac::assertion_failed(#cond, __FILE__, __LINE__))
