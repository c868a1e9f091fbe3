#include "nac/cost/summary.hpp"

#include "nac/cost/bops.hpp"
#include "nac/cost/macs.hpp"
#include "nac/cost/params.hpp"

namespace nac {

std::map<std::string, double> cost_summary(const Graph& g, const PaperBopsOptions& paper) {
  const ParamCount p = count_params(g);
  return {{"params", static_cast<double>(p.trainable)},
          {"nonzero_params", static_cast<double>(p.nonzero)},
          {"macs", static_cast<double>(count_macs(g).dense)},
          {"bops", count_bops(g)},
          {"paper_bops", paper_bops(g, paper)}};
}

}  // namespace nac
