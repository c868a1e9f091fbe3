// nac: neural architecture codesign for fast physics applications.
#include <cstdio>
#include <exception>

#include "nac/cli/commands.hpp"
#include "nac/core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"nac: hardware-aware neural architecture codesign (search, compress, synthesise)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "nac 0.1.0");
  nac::cli::add_info_command(app);
  nac::cli::add_data_command(app);
  nac::cli::add_train_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const nac::InputError& e) {
    std::fprintf(stderr, "nac: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nac: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
