#pragma once
// The `train:` and `metric:` sections of a task config -> TrainOptions.
//
//   train:
//     optimizer: rmsprop        # sgd | adam | adamw | rmsprop
//     lr: 0.0015
//     weight_decay: 2.2e-9
//     momentum: 0               # sgd, rmsprop; also nesterov, dampening (sgd), betas (adam*),
//                               # eps, alpha, centered (rmsprop)
//     schedule: cosine          # or {kind: cosine|step|exponential|plateau|constant, eta_min,
//                               #     t_max, step_size, gamma, factor, patience, threshold,
//                               #     cooldown, min_lr}
//     loss: mse                 # mse | l1 | cross_entropy (default: by metric)
//     batch: 256
//     epochs: 50
//     patience: 5               # early stopping; 0 = off
//     clip_norm: 0              # 0 = off
//     seed: 0
//   metric:
//     kind: peak_distance       # loss | peak_distance | classification
//     patch: 11                 # peak_distance: pixels per unit of the normalised targets
//     signal_efficiency: 0.5    # classification: where background rejection is read
#include <optional>

#include "nac/config/yaml_node.hpp"
#include "nac/train/trainer.hpp"

namespace nac {

// Either node may be absent (defaults). Throws InputError naming file:line:key.
TrainOptions parse_train_options(const std::optional<config::YamlNode>& train,
                                 const std::optional<config::YamlNode>& metric);

}  // namespace nac
