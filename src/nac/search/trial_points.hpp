#pragma once
// A trial's numbers as the search sees them, read from what the store holds: its cost
// attributes (params, bops, ... written when the trial starts), its objective values, and the
// points pruners compare (every objective turned to minimisation).
#include <optional>
#include <vector>

#include "nac/search/search_config.hpp"
#include "nac/study/trial.hpp"

namespace nac {

// A numeric trial attribute, or nullopt when absent or not a number.
std::optional<double> attr_number(const Trial& t, const std::string& key);

// The point of trial `t` at `epoch` for pruning: the watched metric objective's intermediate
// value at that epoch, then every cost objective from the attributes, minimised. Objectives that
// are other metrics are left out (they are only known at the end). nullopt when the trial has
// no value at that epoch or lacks a cost attribute.
std::optional<std::vector<double>> prune_point(const Trial& t, int epoch, const SearchOptions& o);

// Whether the pruner configured in `o` stops trial `self` after `epoch`, given the study's trials
// (`self` itself among them or not; it is skipped by id). The reason, or nullopt.
std::optional<std::string> prune_decision(const SearchOptions& o, const Trial& self, int epoch,
                                          const std::vector<Trial>& trials);

}  // namespace nac
