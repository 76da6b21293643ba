#pragma once

#include "jsonata/jsonata.h"
#include "jsonata/runtime.h"

namespace signoff::jsonata {

class Evaluator {
 public:
  Evaluator(Host& host, const Limits& limits, std::shared_ptr<const Program> program);
  // Breaks reference cycles (a closure stored in a variable of the frame it captures) so that
  // frames and closures of this evaluation are freed.
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  Val eval(const Node* expr, const Val& input, const Env& env);
  Val apply(const Val& proc, ValVec args, const Val& input, const Env& env);
  // Charges work (regex engine, large library loops) against the step budget.
  void charge(uint64_t steps);

  // The environment that holds the built-in functions (shared, immutable).
  static const Env& builtins();

  Host& host() { return host_; }
  int64_t timestamp() const { return timestamp_; }
  const std::shared_ptr<const Program>& program() const { return program_; }
  void set_program(std::shared_ptr<const Program> p) { program_ = std::move(p); }

 private:
  Val eval_inner(const Node* expr, const Val& input, const Env& env);
  Val eval_block(const Node* expr, const Val& input, const Env& env);
  Val eval_bind(const Node* expr, const Val& input, const Env& env);
  [[gnu::noinline]] Val eval_other(const Node* expr, const Val& input, const Env& env);
  Val eval_path(const Node* expr, const Val& input, const Env& env);
  Val eval_step(const Node* expr, const Val& input, const Env& env, bool last);
  static Val step_result(Val res, bool last);
  Val simple_step(const Node* step, const Val& input, const Env& env);
  Val eval_tuple_step(const Node* expr, const Val& input, Val tuples, bool have_tuples,
                      const Env& env);
  Val eval_stages(const std::vector<Stage>& stages, Val input, const Env& env);
  Val eval_filter(const Node* pred, const Val& input, const Env& env);
  Val eval_binary(const Node* expr, const Val& input, const Env& env);
  Val eval_concat(const Node* expr, const Val& input, const Env& env);
  Val eval_group(const Node* expr, const std::vector<std::pair<Node*, Node*>>& pairs,
                 int64_t position, const Val& input, const Env& env);
  Val eval_sort(const Node* expr, const Val& input, const Env& env);
  Val eval_function(const Node* expr, const Val& input, const Env& env, const Val* context);
  Val eval_partial(const Node* expr, const Val& input, const Env& env);
  Val eval_apply_expr(const Node* expr, const Val& input, const Env& env);
  Val apply_inner(const Val& proc, ValVec& args, const Val& input, const Env& env);
  Val apply_transform(const Function& fn, const Val& obj);
  [[gnu::noinline]] Val apply_regex(const Function& fn, const ValVec& args);
  Val apply_host(const HostFunction& fn, const ValVec& args);
  Env frame_from_tuple(const Env& env, const Val& tuple);

  void note_binding(const Env& frame);

  Host& host_;
  Limits limits_;
  std::vector<std::weak_ptr<Frame>> bound_frames_;
  size_t compact_at_ = 64;
  std::shared_ptr<const Program> program_;
  // Lowest native frame address eval() may reach (StackScope of the entry point); 0 = unchecked.
  uintptr_t stack_floor_ = 0;
  size_t depth_ = 0;
  uint64_t steps_ = 0;
  int64_t start_ = 0;
  int64_t timestamp_ = 0;
};

// Stable merge sort; `swap(a, b)` true means b must precede a (may throw).
template <typename F>
void merge_sort(ValVec& v, F&& swap) {
  if (v.size() <= 1)
    return;
  ValVec tmp(v.size());
  for (size_t width = 1; width < v.size(); width *= 2) {
    for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, v.size());
      size_t hi = std::min(lo + 2 * width, v.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (swap(v[i], v[j])) {
          tmp[k++] = v[j++];
        } else {
          tmp[k++] = v[i++];
        }
      }
      while (i < mid)
        tmp[k++] = v[i++];
      while (j < hi)
        tmp[k++] = v[j++];
    }
    v.swap(tmp);
  }
}

}  // namespace signoff::jsonata
