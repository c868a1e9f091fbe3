#pragma once
// One file per subcommand; each registers itself on the app and returns the callback's exit code
// through the shared `exit_code`.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace nac::cli {

// Each function adds one subcommand to `app`.
void add_info_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_search_command(CLI::App& app);
void add_compress_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_synth_command(CLI::App& app);

// "a,b,c" -> {"a", "b", "c"} (model metadata lists).
std::vector<std::string> split_classes(const std::string& s);

}  // namespace nac::cli
