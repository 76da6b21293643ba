// Expected failures are values: an ASL error name with its cause text, as AWS reports them.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace signoff::asl {

// An ASL runtime error (States.Runtime, States.TaskFailed, a user error name...) with its cause.
// For errors raised while evaluating a state the interpreter prefixes the cause with AWS's
// "An error occurred while executing the state 'X' (entered at the event id #N). "; producers of a
// Failure below the interpreter give only the part after that prefix.
struct Failure {
  std::string error;
  std::string cause;
};

inline Failure runtime_failure(std::string cause) {
  return Failure{"States.Runtime", std::move(cause)};
}

// Either a value or a Failure.
template <typename T>
class Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Outcome(Failure failure) : v_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  Failure& failure() { return std::get<1>(v_); }
  const Failure& failure() const { return std::get<1>(v_); }

 private:
  std::variant<T, Failure> v_;
};

}  // namespace signoff::asl
