// Signoff's own runtime clients for python3.* and nodejs*, embedded in the binary and written
// next to the data at start: a loop over the Lambda Runtime API that loads the handler from
// LAMBDA_TASK_ROOT, as AWS's runtime interface clients do.
#pragma once

#include <string_view>

namespace signoff::functions {

extern const std::string_view kPythonBootstrap;
extern const std::string_view kNodeBootstrap;

}  // namespace signoff::functions
