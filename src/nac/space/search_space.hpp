#pragma once
// A search space: an ordered list of choices (parents before the choices they condition), fixed
// values the architecture builder reads like choices, and the task's input and output sizes.
// Spaces come from YAML (space/space_yaml.hpp) or are built in code (benchmarks).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nac/core/tensor.hpp"
#include "nac/space/choice.hpp"
#include "nac/space/genotype.hpp"

namespace nac {

class Rng;

// What the architecture builder makes of a genotype (arch/build.hpp).
enum class SpaceKind { Generic, Bragg, DeepSets, Mlp };
const char* space_kind_name(SpaceKind k);

class SearchSpace {
 public:
  std::string name;
  SpaceKind kind = SpaceKind::Generic;
  std::string source;  // the file it came from ("" when built in code)
  Shape input_shape;   // per-sample input shape (architecture spaces)
  int outputs = 0;     // output width (architecture spaces)
  std::vector<ChoiceSpec> choices;
  std::map<std::string, ChoiceValue> fixed;  // named constants, read like choices
  // Known architectures (e.g. the published baseline), validated, in file order: a study
  // enqueues them first.
  std::vector<std::pair<std::string, Genotype>> seeds;

  // Appends a choice; checks the name is new and every condition's parent is an earlier choice.
  // Throws InputError naming the choice and c.where.
  void add(ChoiceSpec c);
  const ChoiceSpec* find(const std::string& name) const;  // nullptr when absent
  const ChoiceSpec& at(const std::string& name) const;    // throws InputError

  // Whether `c` is active given the values decided so far (its parents are in `g` with an
  // allowed value). Parents missing from `g` make it inactive.
  bool is_active(const ChoiceSpec& c, const Genotype& g) const;

  // A choice's value in `g`, or the fixed value of that name; throws InputError naming the
  // choice and the space when neither has it. The typed forms also check the type.
  const ChoiceValue& value(const Genotype& g, const std::string& name) const;
  std::int64_t get_int(const Genotype& g, const std::string& name) const;
  double get_float(const Genotype& g, const std::string& name) const;
  std::string get_str(const Genotype& g, const std::string& name) const;

  // Canonical JSON of the space (choices, conditions, fixed values, kind, shapes) and its
  // 16-hex-digit hash: a study remembers the fingerprint so it is not resumed on another space.
  nlohmann::json to_json() const;
  std::string fingerprint() const;

 private:
  std::map<std::string, std::size_t> index_;
};

// Draws every active choice uniformly, in space order.
Genotype sample(const SearchSpace& space, Rng& rng);

// The choices active in `g`, in space order.
std::vector<const ChoiceSpec*> active_choices(const SearchSpace& space, const Genotype& g);

// Checks that `g` holds exactly the active choices, each in its domain, and returns it with
// integers given to Float choices turned into floats. Throws InputError naming `where` and the
// choice (missing, unknown or inactive, out of domain).
Genotype validate(const SearchSpace& space, const Genotype& g, const std::string& where);

// Completes a partial genotype: keeps each active choice's value when present and valid, draws
// the missing or invalid ones, and drops inactive ones (what crossover and mutation need when a
// parent choice changes).
Genotype repair(const SearchSpace& space, const Genotype& partial, Rng& rng);

}  // namespace nac
