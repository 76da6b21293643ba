#include "functions/handler.h"

namespace signoff::functions {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

bool all_digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<RuntimeFamily> runtime_family(std::string_view runtime) {
  if (starts_with(runtime, "python3.") && all_digits(runtime.substr(8))) {
    return RuntimeFamily::Python;
  }
  if (starts_with(runtime, "nodejs") && runtime.size() > 8 &&
      runtime.substr(runtime.size() - 2) == ".x" &&
      all_digits(runtime.substr(6, runtime.size() - 8))) {
    return RuntimeFamily::Node;
  }
  if (runtime == "provided" || runtime == "provided.al2" || runtime == "provided.al2023") {
    return RuntimeFamily::Provided;
  }
  return make_error("InvalidParameterValueException",
                    "Value " + std::string(runtime) +
                        " at 'runtime' failed to satisfy constraint: Member must satisfy enum "
                        "value set: [python3.8, python3.9, python3.10, python3.11, python3.12, "
                        "python3.13, nodejs18.x, nodejs20.x, nodejs22.x, provided, provided.al2, "
                        "provided.al2023] or be a valid ARN");
}

HandlerParts split_python_handler(std::string_view handler) {
  HandlerParts p;
  size_t dot = handler.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == handler.size()) {
    return p;
  }
  p.module = std::string(handler.substr(0, dot));
  for (char& c : p.module) {
    if (c == '/') {
      c = '.';
    }
  }
  p.function = std::string(handler.substr(dot + 1));
  p.ok = true;
  return p;
}

HandlerParts split_node_handler(std::string_view handler) {
  HandlerParts p;
  size_t slash = handler.rfind('/');
  size_t from = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = handler.find('.', from);
  if (dot == std::string_view::npos || dot == from || dot + 1 == handler.size()) {
    return p;
  }
  p.module = std::string(handler.substr(0, dot));
  p.function = std::string(handler.substr(dot + 1));
  p.ok = true;
  return p;
}

Launch resolve_launch(RuntimeFamily family, std::string_view handler, const LaunchPaths& paths,
                      int memory_mb) {
  Launch l;
  switch (family) {
    case RuntimeFamily::Python: {
      HandlerParts h = split_python_handler(handler);
      // -u: unbuffered, so output reaches the log before the response is posted.
      l.argv = {paths.python, "-u", paths.runtime_dir + "/bootstrap.py"};
      l.env.push_back("SIGNOFF_HANDLER_MODULE=" + h.module);
      l.env.push_back("SIGNOFF_HANDLER_FUNCTION=" + h.function);
      l.env.push_back("PYTHONUNBUFFERED=1");
      l.env.push_back("PYTHONDONTWRITEBYTECODE=1");
      break;
    }
    case RuntimeFamily::Node: {
      HandlerParts h = split_node_handler(handler);
      // V8 reserves far more address space than it uses, so memory is bounded by the heap size
      // instead of RLIMIT_AS (AWS's Node runtime does the same).
      int heap = memory_mb > 0 ? memory_mb * 9 / 10 : 0;
      l.argv = {paths.node};
      if (heap > 0) {
        l.argv.push_back("--max-old-space-size=" + std::to_string(heap));
      }
      l.argv.push_back(paths.runtime_dir + "/bootstrap.js");
      l.env.push_back("SIGNOFF_HANDLER_MODULE=" + h.module);
      l.env.push_back("SIGNOFF_HANDLER_FUNCTION=" + h.function);
      break;
    }
    case RuntimeFamily::Provided:
      l.argv = {paths.task_root + "/bootstrap"};
      break;
  }
  return l;
}

}  // namespace signoff::functions
