// Subcommands register themselves: each lives in its own file under cli/ with a static
// registration, so adding one never touches main.cc.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

namespace signoff::cli {

using CommandAdder = std::function<void(CLI::App& parent)>;

enum class Parent { Root, Conformance };

std::vector<CommandAdder>& registry(Parent parent);

struct CommandRegistration {
  CommandRegistration(Parent parent, CommandAdder adder) {
    registry(parent).push_back(std::move(adder));
  }
};

// Exit status of the command that ran (set by subcommand callbacks).
int& exit_status();

}  // namespace signoff::cli
