#pragma once
// C++ spellings for the generated code: identifiers from node names, ap_fixed types from
// formats, integer literals.
#include <cstdint>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/graph/graph.hpp"

namespace nac::hls {

// A C identifier from a node name: other characters become '_', a leading digit gets 'n_', and
// C++ keywords and names the generated code uses itself get a trailing '_'.
std::string cpp_identifier(const std::string& name);

// One distinct identifier per node id (a clash after sanitising gets a numeric suffix).
std::vector<std::string> node_identifiers(const Graph& g);

// "ap_fixed<8,3,AP_RND,AP_SAT>", "ap_ufixed<16,1>" (modes spelt only when not the defaults).
std::string fixed_type(const FixedFormat& f);
// The integer type holding a format's mantissa bits: "ap_int<8>" / "ap_uint<16>".
std::string raw_type(const FixedFormat& f);
// A C++ literal of v ("-5", "4294967296LL", "(-9223372036854775807LL - 1)").
std::string int_literal(std::int64_t v);

}  // namespace nac::hls
