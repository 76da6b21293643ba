// Expected failures of service operations are values: an AWS error name and message. The API
// edge renders them in the protocol's envelope; services never throw for bad input.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace signoff {

struct Error {
  std::string type;     // AWS's error name, e.g. "StateMachineDoesNotExist"
  std::string message;  // AWS's message text
  int status = 400;     // HTTP status on the wire
};

inline Error make_error(std::string type, std::string message, int status = 400) {
  return Error{std::move(type), std::move(message), status};
}

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  Error& error() { return std::get<1>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
struct Unit {};

}  // namespace signoff
