// Native stack budget for everything in this module that recurses on its input: the evaluator
// (expression nesting and function recursion), the parser, and the walks over values
// (stringify, to_json, deep_equal, descendants, clone).
//
// Why a byte budget and not only Limits::max_depth: how much native stack one level of JSONata
// costs depends on the node kind, the compiler and the sanitizers (a user function call is several
// C++ frames of a few hundred bytes each), so a depth count alone cannot keep a server thread,
// whose stack may be much smaller than the main thread's 8 MiB, from overflowing. Instead every
// public entry point (Expression::compile/evaluate) opens a StackScope that records the address of
// its own frame, and recursive code compares the current frame address against that base minus
// the budget. Stacks grow downwards on every platform Signoff builds for (x86-64, AArch64).
#pragma once

#include <cstddef>
#include <cstdint>

namespace signoff::jsonata {

// The default budget. Address and undefined-behaviour sanitizers inflate frames several times
// (redzones around every local), so instrumented builds get proportionally more, which keeps the
// same expressions passing there as in a release build.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr size_t kStackScale = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr size_t kStackScale = 4;
#else
inline constexpr size_t kStackScale = 1;
#endif
#else
inline constexpr size_t kStackScale = 1;
#endif
inline constexpr size_t kDefaultStackBytes = 512 * 1024;

namespace detail {
// Lowest frame address recursive code may reach on this thread; 0 outside any scope.
inline thread_local uintptr_t t_stack_floor = 0;
}  // namespace detail

inline uintptr_t current_frame_address() {
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
}

// Opens the budget for this thread. Nested scopes (an entry point reached from inside another
// evaluation) keep the outer, tighter floor.
class StackScope {
 public:
  explicit StackScope(size_t budget_bytes) : saved_(detail::t_stack_floor) {
    uintptr_t here = current_frame_address();
    size_t budget = budget_bytes * kStackScale;
    uintptr_t floor = here > budget ? here - budget : 1;
    if (saved_ == 0 || floor > saved_) {
      detail::t_stack_floor = floor;
    }
  }
  ~StackScope() { detail::t_stack_floor = saved_; }
  StackScope(const StackScope&) = delete;
  StackScope& operator=(const StackScope&) = delete;

  static uintptr_t floor() { return detail::t_stack_floor; }

 private:
  uintptr_t saved_;
};

// True when the calling frame lies beyond this thread's budget.
inline bool stack_exhausted() {
  uintptr_t floor = detail::t_stack_floor;
  return floor != 0 && current_frame_address() < floor;
}

// Throws JError U1001 with the reference implementation's stack-overflow message (defined in
// evaluator.cc; out of line so the check costs callers only a compare and a branch).
[[noreturn]] void throw_stack_overflow();

inline void check_stack() {
  if (stack_exhausted()) [[unlikely]] {
    throw_stack_overflow();
  }
}

}  // namespace signoff::jsonata
