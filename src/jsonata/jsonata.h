// JSONata (https://jsonata.org) for Signoff: compile an expression once, evaluate it many times
// against json::Value inputs with named bindings, under depth/step/time limits.
//
// This is a pure core: no clock, randomness or I/O except through the Host passed to evaluate().
// Errors are values (Error) with the reference implementation's codes (T2001, D3030, S0201, ...)
// and character positions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"

namespace signoff::jsonata {

struct Error {
  std::string code;       // e.g. "T2001"; "U1001" for exceeded depth/time/step limits
  int64_t position = -1;  // byte offset in the expression, -1 when unknown
  std::string token;      // the offending token, when known
  std::string message;    // human-readable description
};

// Supplies the outside world to $now(), $millis() and $random().
class Host {
 public:
  virtual ~Host() = default;
  // Milliseconds since the Unix epoch; read once per evaluation.
  virtual int64_t now_millis() = 0;
  // Uniform in [0, 1).
  virtual double random() = 0;
  // A monotonic clock for time limits (milliseconds); only the difference matters.
  virtual int64_t monotonic_millis() { return 0; }
};

struct Limits {
  // Maximum nesting of expression evaluation (function recursion counts here).
  size_t max_depth = 1000;
  // Native stack the evaluation may use below Expression::evaluate's frame, in bytes (doubled
  // several times over in sanitizer builds, whose frames are larger). Whichever of this and
  // max_depth is reached first fails the evaluation with U1001, so no expression or input can
  // overflow the thread's stack: keep it well below the smallest stack of a thread that
  // evaluates (server threads may have far less than the main thread's 8 MiB).
  size_t max_stack_bytes = 512 * 1024;
  // Maximum number of evaluation steps (expression nodes evaluated, regex steps count too).
  uint64_t max_steps = 50'000'000;
  // Wall-clock budget in milliseconds measured with Host::monotonic_millis(); 0 = none.
  int64_t timeout_ms = 0;
};

struct Binding {
  std::string name;  // without the leading '$'
  json::Value value;
};

struct Result {
  bool ok = false;
  bool undefined = false;  // ok and the expression produced no value
  json::Value value;
  Error error;
};

struct Program;

// A function the embedding application adds to the library (AWS Step Functions' $partition,
// $uuid, ...). Arguments arrive as JSON, nullptr for an undefined one; the answer is a Result:
// a value, undefined (ok and undefined), or an Error whose code and message are reported as is.
struct HostFunction {
  std::string name;       // without the leading '$'
  std::string signature;  // JSONata signature checked before the call, e.g. "<an:a>"
  std::function<Result(const std::vector<const json::Value*>& args, Host& host)> call;
};

// An immutable set of host functions layered over the built-ins, built once and shared by every
// expression compiled against it. Names in `hidden` are removed from the library, so calling them
// fails with T1006 like calling any other undefined name.
class Library {
 public:
  Library(const std::vector<HostFunction>& functions, const std::vector<std::string>& hidden);
  struct Impl;
  const std::shared_ptr<const Impl>& impl() const { return impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

class Expression {
 public:
  // Parses and prepares an expression; syntax errors come back as Error. With a library, its
  // functions are visible to the expression (the library must outlive nothing: it is shared).
  static std::pair<std::optional<Expression>, Error> compile(std::string_view text);
  static std::pair<std::optional<Expression>, Error> compile(std::string_view text,
                                                             const Library& library);

  // Names of the variables the expression reads ($name, without '$'), each once, so a caller
  // with many variables in scope binds only those an expression can see.
  std::vector<std::string> free_variables() const;

  // Evaluates against `input` (nullptr = undefined input). Thread-safe: a compiled Expression may
  // be evaluated concurrently.
  Result evaluate(const json::Value* input, const std::vector<Binding>& bindings, Host& host,
                  const Limits& limits = {}) const;

 private:
  std::shared_ptr<const Program> program_;
  std::shared_ptr<const Library::Impl> library_;
};

// A Host with a fixed time and a deterministic pseudo-random sequence (tests, replays).
class FixedHost : public Host {
 public:
  explicit FixedHost(int64_t now = 0, uint64_t seed = 1) : now_(now), state_(seed ? seed : 1) {}
  int64_t now_millis() override { return now_; }
  double random() override;

 private:
  int64_t now_;
  uint64_t state_;
};

}  // namespace signoff::jsonata
