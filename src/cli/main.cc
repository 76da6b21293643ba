#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace signoff::cli {

std::vector<CommandAdder>& registry(Parent parent) {
  static std::vector<CommandAdder> root;
  static std::vector<CommandAdder> conformance;
  return parent == Parent::Root ? root : conformance;
}

int& exit_status() {
  static int status = 0;
  return status;
}

}  // namespace signoff::cli

int main(int argc, char** argv) {
  using signoff::cli::Parent;
  CLI::App app{"Signoff: approval flows inside workflows, with the AWS APIs, on your own machine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "signoff 0.1.0");
  for (auto& add : signoff::cli::registry(Parent::Root)) {
    add(app);
  }
  CLI::App* conformance = app.add_subcommand(
      "conformance", "Run a suite of cases recorded on AWS; prints N passed, N failed");
  conformance->require_subcommand(1);
  for (auto& add : signoff::cli::registry(Parent::Conformance)) {
    add(*conformance);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return signoff::cli::exit_status();
}
