#pragma once
// One file per subcommand; each registers itself on the app and returns the callback's exit code
// through the shared `exit_code`.
#include <CLI/CLI.hpp>

namespace nac::cli {

// Each function adds one subcommand to `app`.
void add_info_command(CLI::App& app);
void add_data_command(CLI::App& app);
void add_train_command(CLI::App& app);

}  // namespace nac::cli
