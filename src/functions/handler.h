// From a function's Runtime and Handler to the process that serves it. Every runtime speaks the
// Lambda Runtime API; python3.* and nodejs* run Signoff's own bootstrap (embedded, see
// bootstraps.h) on the host's interpreter, provided.* runs the function's own `bootstrap`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace signoff::functions {

enum class RuntimeFamily { Python, Node, Provided };

// nullopt-like failure: ValidationException naming the runtimes Signoff runs.
Result<RuntimeFamily> runtime_family(std::string_view runtime);

struct Launch {
  std::vector<std::string> argv;
  // Extra environment for Signoff's bootstraps (which module and function to load).
  std::vector<std::string> env;
};

struct LaunchPaths {
  std::string task_root;    // the extracted code
  std::string runtime_dir;  // where Signoff wrote its bootstraps
  std::string python = "/usr/bin/python3";
  std::string node = "/usr/bin/node";
};

// Handler strings as the runtimes read them: Python "pkg/mod.fn" → module "pkg.mod", function
// "fn"; Node "dir/file.fn.sub" → file "dir/file", export path "fn.sub"; provided: the handler is
// only passed through (_HANDLER). A malformed handler is not an error here: AWS reports it at
// invoke time (Runtime.MalformedHandlerName), and so do the bootstraps.
struct HandlerParts {
  std::string module;
  std::string function;
  bool ok = false;
};
HandlerParts split_python_handler(std::string_view handler);
HandlerParts split_node_handler(std::string_view handler);

Launch resolve_launch(RuntimeFamily family, std::string_view handler, const LaunchPaths& paths,
                      int memory_mb);

}  // namespace signoff::functions
