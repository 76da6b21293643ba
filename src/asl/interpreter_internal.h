// Internals of the interpreter shared by its source files: threads of control and variable
// scopes. Not part of the interface (see asl/interpreter.h).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "asl/interpreter.h"

namespace signoff::asl {

inline constexpr std::array<std::string_view, 8> kEnteredNames = {
    "PassStateEntered",    "TaskStateEntered", "ChoiceStateEntered",   "WaitStateEntered",
    "SucceedStateEntered", "FailStateEntered", "ParallelStateEntered", "MapStateEntered"};
inline constexpr std::array<std::string_view, 8> kExitedNames = {
    "PassStateExited",    "TaskStateExited", "ChoiceStateExited",   "WaitStateExited",
    "SucceedStateExited", "FailStateExited", "ParallelStateExited", "MapStateExited"};

inline constexpr int64_t kNanos = 1'000'000'000;

// A payload as the history shows it: JSON text.
inline json::Value text_of(const json::Value& v) {
  return json::Value(json::dump(v));
}

// What a Catch hands on: {"Error", "Cause"}.
inline json::Value error_output(const Failure& f) {
  std::vector<json::Member> m;
  m.push_back(json::Member{"Error", json::Value(f.error)});
  m.push_back(json::Member{"Cause", json::Value(f.cause)});
  return json::Value::object(std::move(m));
}

// ---------------------------------------------------------------------------------------------
// Frames and variable scopes

// Variables live in scopes: the execution's, and one per Parallel branch / Map iteration whose
// parent is the enclosing scope (inner states read outer variables; their Assign stays inner).
struct Execution::VarScope final : VariableLookup {
  std::shared_ptr<VarScope> parent;
  std::vector<json::Member> vars;

  const json::Value* lookup(std::string_view name) const override {
    for (const VarScope* s = this; s != nullptr; s = s->parent.get()) {
      for (const json::Member& m : s->vars) {
        if (m.key == name) {
          return &m.value;
        }
      }
    }
    return nullptr;
  }
  void set(const std::string& name, json::Value v) {
    for (json::Member& m : vars) {
      if (m.key == name) {
        m.value = std::move(v);
        return;
      }
    }
    vars.push_back(json::Member{name, std::move(v)});
  }
};

// A thread of control: the execution itself, a Parallel branch or a Map iteration.
struct Execution::Frame {
  const Program* program = nullptr;
  uint32_t state = kNoState;
  int32_t parent = -1;
  uint32_t slot = 0;  // branch index or item index in the parent
  bool live = false;
  json::Value input;      // raw input of the current state
  json::Value effective;  // effective input (after InputPath and Parameters)
  std::shared_ptr<VarScope> scope;
  int64_t entered_id = 0;
  int64_t last_id = 0;
  uint32_t retry_count = 0;
  std::vector<uint32_t> attempts;  // per retrier of the current state
  uint64_t waiting_task = 0;
  uint64_t waiting_timer = 0;
  bool retry_pending = false;
  bool silent = false;  // inside a distributed Map: events go to the map run, not this history
  std::string task_token;

  // The current state is a Parallel or Map: its children (allocated only for those states).
  struct FanOut {
    std::vector<int32_t> children;
    std::vector<json::Value> results;
    std::vector<json::Value> items;
    size_t next_item = 0;
    size_t running = 0;
    size_t done = 0;
    size_t failed = 0;
    int64_t max_concurrency = 0;
    int64_t tolerated_count = -1;
    double tolerated_percentage = -1;
  };
  std::unique_ptr<FanOut> fan;
  FanOut& fan_out() {
    if (!fan) {
      fan = std::make_unique<FanOut>();
    }
    return *fan;
  }
};

}  // namespace signoff::asl
