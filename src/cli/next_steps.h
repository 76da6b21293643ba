// What `signoff serve --deploy` prints once the stack is up: where things are and the exact
// commands that run one approval, built from the stack's outputs (StateMachineArn, ExampleInput,
// ApproverUserName, AskDocumentName) so they can be pasted as they are.
#pragma once

#include <cstdio>
#include <string>

#include "app/app.h"

namespace signoff::cli {

void print_next_steps(std::FILE* out, const app::AppOptions& options, uint16_t port,
                      const std::string& stack_name, const app::DeployedStack& stack);

}  // namespace signoff::cli
