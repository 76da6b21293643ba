// The tree-walking evaluator. Its structure deliberately mirrors the reference implementation
// (evaluate -> evaluatePath -> evaluateStep/evaluateTupleStep ...) because JSONata's observable
// behaviour (sequence flattening, singleton collapsing, tuple streams for the parent operator)
// and its depth accounting fall out of exactly that structure.
#include "jsonata/evaluator.h"

#include <cmath>
#include <iterator>

#include "jsonata/stack.h"

namespace signoff::jsonata {

void throw_stack_overflow() {
  JError e("U1001");
  e.message =
      "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
      "tail-recursive.";
  throw e;
}

namespace {

struct DepthGuard {
  explicit DepthGuard(size_t& d) : d_(d) { ++d_; }
  ~DepthGuard() { --d_; }
  size_t& d_;
};

Val lookup(const Val& input, std::string_view key) {
  if (input.is_array()) {
    check_stack();
    Val result = Val::sequence();
    auto& out = result.items();
    size_t n = input.size();
    for (size_t i = 0; i < n; ++i) {
      Val res = lookup(input.at(i), key);
      if (res.is_undefined())
        continue;
      if (res.is_array()) {
        size_t m = res.size();
        for (size_t k = 0; k < m; ++k)
          out.push_back(res.at(k));
      } else {
        out.push_back(std::move(res));
      }
    }
    return result;
  }
  if (input.is_object()) {
    return input.get(key);
  }
  return Val();
}

void flatten_into(const Val& v, ValVec& out) {
  if (v.is_array()) {
    check_stack();
    for (size_t i = 0; i < v.size(); ++i)
      flatten_into(v.at(i), out);
  } else {
    out.push_back(v);
  }
}

void descendants(const Val& v, ValVec& out) {
  check_stack();
  if (!v.is_array())
    out.push_back(v);
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i)
      descendants(v.at(i), out);
  } else if (v.is_object()) {
    v.for_each_member([&](std::string_view, const Val& m) { descendants(m, out); });
  }
}

bool is_integer(double d) {
  return std::isfinite(d) && std::floor(d) == d;
}

Val deep_clone(const Val& v) {
  check_stack();
  if (v.is_array()) {
    ValVec items;
    items.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i)
      items.push_back(deep_clone(v.at(i)));
    return Val::array(std::move(items));
  }
  if (v.is_object()) {
    auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
    v.for_each_member(
        [&](std::string_view k, const Val& m) { data->set(std::string(k), deep_clone(m)); });
    return Val::object(std::move(data));
  }
  return v;
}

}  // namespace

Evaluator::Evaluator(Host& host, const Limits& limits, std::shared_ptr<const Program> program)
    : host_(host),
      limits_(limits),
      program_(std::move(program)),
      stack_floor_(StackScope::floor()) {
  start_ = limits_.timeout_ms > 0 ? host_.monotonic_millis() : 0;
  timestamp_ = host_.now_millis();
}

Evaluator::~Evaluator() {
  for (auto& w : bound_frames_) {
    if (auto frame = w.lock()) {
      auto vars = std::move(frame->vars);
      frame->vars.clear();
    }
  }
}

void Evaluator::note_binding(const Env& frame) {
  if (!bound_frames_.empty() && !bound_frames_.back().owner_before(frame) &&
      !frame.owner_before(bound_frames_.back())) {
    return;
  }
  bound_frames_.push_back(frame);
  if (bound_frames_.size() >= compact_at_) {
    std::erase_if(bound_frames_, [](const std::weak_ptr<Frame>& w) { return w.expired(); });
    compact_at_ = std::max<size_t>(64, bound_frames_.size() * 2);
  }
}

void Evaluator::charge(uint64_t steps) {
  steps_ += steps;
  if (steps_ > limits_.max_steps) {
    JError e("U1001");
    e.message = "Expression evaluation exceeded the step limit";
    throw e;
  }
  if (limits_.timeout_ms > 0 && (steps_ & 1023) < steps) {
    if (host_.monotonic_millis() - start_ > limits_.timeout_ms) {
      JError e("U1001");
      e.message = "Expression evaluation timeout: Check for infinite loop";
      throw e;
    }
  }
}

Val Evaluator::eval(const Node* expr, const Val& input, const Env& env) {
  DepthGuard guard(depth_);
  // Both bounds report what jsonata-js's depth limit does: the count is the documented limit,
  // the address comparison what keeps the native stack (whatever a level costs) within budget.
  if (depth_ > limits_.max_depth || current_frame_address() < stack_floor_) [[unlikely]] {
    throw_stack_overflow();
  }
  ++steps_;
  if (steps_ > limits_.max_steps || (limits_.timeout_ms > 0 && (steps_ & 1023) == 0)) {
    charge(0);
  }
  Val result = eval_inner(expr, input, env);
  for (const Stage& p : expr->predicate) {
    result = eval_filter(p.expr, result, env);
  }
  if (expr->type != NT::Path && expr->has_group) {
    result = eval_group(expr, expr->group, expr->group_position, result, env);
  }
  if (result.is_sequence() && !result.has_flag(kTupleStream)) {
    if (expr->keep_array)
      result.set_flag(kKeepSingleton);
    size_t n = result.size();
    if (n == 0)
      return Val();
    if (n == 1)
      return result.has_flag(kKeepSingleton) ? result : result.at(0);
  }
  return result;
}

Val Evaluator::eval_inner(const Node* expr, const Val& input, const Env& env) {
  // Only the cases on the recursive paths of typical expressions stay inline; the others are
  // out-of-line functions so that this frame, which every nesting level pays for, stays small.
  switch (expr->type) {
    case NT::Path:
      // A lone field name or variable on one context (`Price` in a predicate): what eval_path
      // would compute, without its sequence bookkeeping.
      if (expr->items.size() == 1 && expr->items[0]->simple_step && !input.is_array() &&
          !expr->keep_singleton_array && !expr->has_group) {
        return step_result(simple_step(expr->items[0], input, env), true);
      }
      return eval_path(expr, input, env);
    case NT::Binary:
      return eval_binary(expr, input, env);
    case NT::Name:
      return lookup(input, expr->str);
    case NT::String:
      return Val::string(expr->str);
    case NT::Number:
      return Val::number(expr->num);
    case NT::Value:
      return expr->value_kind == 0 ? Val::null() : Val::boolean(expr->value_kind == 1);
    case NT::Condition: {
      Val c = eval(expr->cond, input, env);
      if (to_boolean(c).value_or(false))
        return eval(expr->then_, input, env);
      if (expr->else_ != nullptr)
        return eval(expr->else_, input, env);
      return Val();
    }
    case NT::Coalesce: {
      Val c = eval(expr->cond, input, env);
      if (c.is_undefined())
        return eval(expr->else_, input, env);
      return c;
    }
    case NT::Elvis: {
      Val c = eval(expr->cond, input, env);
      if (to_boolean(c).value_or(false))
        return c;
      return eval(expr->else_, input, env);
    }
    case NT::Block:
      return eval_block(expr, input, env);
    case NT::Bind:
      return eval_bind(expr, input, env);
    case NT::Function:
      return eval_function(expr, input, env, nullptr);
    case NT::Variable: {
      if (expr->str.empty()) {
        if (input.is_array() && input.has_flag(kOuterWrapper))
          return input.at(0);
        return input;
      }
      const Val* v = env->lookup(expr->str);
      return v ? *v : Val();
    }
    case NT::Partial:
      return eval_partial(expr, input, env);
    case NT::Apply:
      return eval_apply_expr(expr, input, env);
    case NT::Sort:
      return eval_sort(expr, input, env);
    default:
      return eval_other(expr, input, env);
  }
}

Val Evaluator::eval_block(const Node* expr, const Val& input, const Env& env) {
  Env frame = std::allocate_shared<Frame>(PoolAlloc<Frame>(), env);
  Val result;
  for (const Node* e : expr->items)
    result = eval(e, input, frame);
  return result;
}

Val Evaluator::eval_bind(const Node* expr, const Val& input, const Env& env) {
  Val v = eval(expr->rhs, input, env);
  if (v.is_function() || ((v.is_array() || v.is_object()) && !v.json_backed())) {
    note_binding(env);
  }
  env->bind(expr->lhs->str, v);
  return v;
}

// The node kinds that do not recurse through eval_inner's hot cases.
Val Evaluator::eval_other(const Node* expr, const Val& input, const Env& env) {
  switch (expr->type) {
    case NT::Negate: {
      Val v = eval(expr->expr, input, env);
      if (v.is_undefined())
        return v;
      if (is_numeric(v))
        return Val::number(-v.as_number());
      JError e("D1002", v);
      e.position = expr->position;
      e.token = "-";
      throw e;
    }
    case NT::ArrayCons: {
      Val result = Val::array();
      bool first = true;
      for (const Node* item : expr->items) {
        Val v = eval(item, input, env);
        if (v.is_undefined())
          continue;
        if (item->type == NT::ArrayCons) {
          result.push(std::move(v));
        } else if (first && v.is_array() && result.size() == 0) {
          // Appending to an empty array: keep the (possibly lazy) storage, drop the flags.
          result = v;
          result.clear_flag(0xff);
        } else {
          auto& items = result.items();
          if (v.is_array()) {
            size_t n = v.size();
            for (size_t i = 0; i < n; ++i)
              items.push_back(v.at(i));
          } else {
            items.push_back(std::move(v));
          }
        }
        first = false;
      }
      if (expr->cons_array)
        result.set_flag(kCons);
      return result;
    }
    case NT::ObjectCons:
      return eval_group(expr, expr->pairs, expr->position, input, env);
    case NT::Wildcard: {
      Val results = Val::sequence();
      Val in = input;
      if (in.is_array() && in.has_flag(kOuterWrapper) && in.size() > 0)
        in = in.at(0);
      auto& out = results.items();
      auto add = [&](const Val& v) {
        if (v.is_array()) {
          ValVec flat;
          flatten_into(v, flat);
          for (auto& f : flat)
            out.push_back(std::move(f));
        } else {
          out.push_back(v);
        }
      };
      if (in.is_object()) {
        in.for_each_member([&](std::string_view, const Val& v) { add(v); });
      } else if (in.is_array()) {
        for (size_t i = 0; i < in.size(); ++i)
          add(in.at(i));
      }
      return results;
    }
    case NT::Descendant: {
      if (input.is_undefined())
        return Val();
      ValVec out;
      descendants(input, out);
      if (out.size() == 1)
        return out[0];
      return Val::sequence(std::move(out));
    }
    case NT::Parent: {
      const Val* v = env->lookup(expr->slot->label);
      return v ? *v : Val();
    }
    case NT::Regex: {
      auto fn = std::allocate_shared<Function>(PoolAlloc<Function>());
      fn->kind = FnKind::Regex;
      fn->regex = expr->regex;
      fn->regex_source = expr->regex_source;
      return Val::function(std::move(fn));
    }
    case NT::Lambda: {
      auto fn = std::allocate_shared<Function>(PoolAlloc<Function>());
      fn->kind = FnKind::Lambda;
      fn->program = program_;
      fn->node = expr;
      fn->env = env;
      fn->input = input;
      fn->params = expr->params;
      fn->sig = expr->sig;
      fn->thunk = expr->thunk;
      return Val::function(std::move(fn));
    }
    case NT::Transform: {
      auto fn = std::allocate_shared<Function>(PoolAlloc<Function>());
      fn->kind = FnKind::Transform;
      fn->program = program_;
      fn->node = expr;
      fn->env = env;
      fn->sig = parse_signature("<(oa):o>");
      return Val::function(std::move(fn));
    }
    default:
      return Val();
  }
}

Val Evaluator::eval_path(const Node* expr, const Val& input, const Env& env) {
  // A non-array input_seq stands for the sequence holding just that value: most steps run on a
  // single context, and wrapping it would cost a sequence per step.
  Val input_seq;
  if (input.is_array() && expr->items[0]->type == NT::Variable) {
    input_seq = Val::sequence({input});
  } else {
    input_seq = input;
  }
  auto as_sequence = [](const Val& v) {
    return v.is_array() ? v : Val::sequence({v});
  };
  Val result_seq;
  bool tuple_stream = false;
  Val tuples;
  bool have_tuples = false;
  bool from_step = false;  // result_seq is eval_step's (so a non-array one is a 1-item sequence)
  size_t n = expr->items.size();
  for (size_t i = 0; i < n; ++i) {
    const Node* step = expr->items[i];
    if (step->tuple)
      tuple_stream = true;
    from_step = false;
    if (step->simple_step && !tuple_stream && !input_seq.is_array()) {
      result_seq = step_result(simple_step(step, input_seq, env), i == n - 1);
      from_step = true;
    } else if (i == 0 && step->cons_array) {
      result_seq = eval(step, as_sequence(input_seq), env);
    } else if (tuple_stream) {
      tuples = eval_tuple_step(step, have_tuples ? input_seq : as_sequence(input_seq), tuples,
                               have_tuples, env);
      have_tuples = true;
    } else {
      result_seq = eval_step(step, input_seq, env, i == n - 1);
      from_step = true;
    }
    if (!tuple_stream &&
        (result_seq.is_undefined() || (result_seq.is_array() && result_seq.size() == 0))) {
      break;
    }
    if (!step->has_focus) {
      // Only a step's non-array result stands for a sequence; any other non-array value has no
      // items to step over (jsonata-js loops over input.length).
      input_seq = from_step || result_seq.is_array() ? result_seq : Val::sequence();
    }
  }
  if (tuple_stream) {
    if (expr->tuple) {
      result_seq = tuples;
    } else {
      result_seq = Val::sequence();
      auto& out = result_seq.items();
      for (size_t i = 0; i < tuples.size(); ++i)
        out.push_back(tuples.at(i).get("@"));
    }
  }
  if (expr->keep_singleton_array) {
    if (from_step && !result_seq.is_array() && !result_seq.is_undefined())
      result_seq = Val::sequence({result_seq});
    if (result_seq.is_array() && result_seq.has_flag(kCons) && !result_seq.has_flag(kSequence)) {
      result_seq = Val::sequence({result_seq});
    }
    if (result_seq.is_array()) {
      result_seq.set_flag(kKeepSingleton);
    }
  }
  if (expr->has_group) {
    result_seq = eval_group(expr, expr->group, expr->group_position,
                            tuple_stream ? tuples : result_seq, env);
  }
  return result_seq;
}

Env Evaluator::frame_from_tuple(const Env& env, const Val& tuple) {
  Env frame = std::allocate_shared<Frame>(PoolAlloc<Frame>(), env);
  tuple.for_each_member([&](std::string_view k, const Val& v) { frame->bind(k, v); });
  return frame;
}

Val Evaluator::eval_step(const Node* expr, const Val& input, const Env& env, bool last) {
  if (expr->type == NT::Sort) {
    Val result = eval_sort(expr, input, env);
    if (!expr->stages.empty())
      result = eval_stages(expr->stages, result, env);
    return result;
  }
  if (!input.is_array()) {
    // One context (see eval_path): its result is the step's sequence without building one.
    Val res = eval(expr, input, env);
    for (const Stage& st : expr->stages) {
      if (!st.is_index)
        res = eval_filter(st.expr, res, env);
    }
    return step_result(std::move(res), last);
  }
  ValVec result;
  size_t n = input.size();
  result.reserve(n);
  size_t total = 0;
  bool flatten = false;
  for (size_t i = 0; i < n; ++i) {
    Val res = eval(expr, input.at(i), env);
    for (const Stage& st : expr->stages) {
      if (!st.is_index)
        res = eval_filter(st.expr, res, env);
    }
    if (res.is_undefined())
      continue;
    if (res.is_array() && !res.has_flag(kCons)) {
      flatten = true;
      total += res.size();
    } else {
      ++total;
    }
    result.push_back(std::move(res));
  }
  if (result.size() == 1)
    return step_result(std::move(result[0]), last);
  if (!flatten)
    return Val::sequence(std::move(result));
  ValVec items;
  items.reserve(total);
  for (auto& res : result) {
    if (!res.is_array() || res.has_flag(kCons)) {
      items.push_back(std::move(res));
    } else {
      size_t m = res.size();
      for (size_t k = 0; k < m; ++k)
        items.push_back(res.at(k));
    }
  }
  return Val::sequence(std::move(items));
}

// A simple step (see Node::simple_step) on one context: what eval(step, input, env) returns.
Val Evaluator::simple_step(const Node* step, const Val& input, const Env& env) {
  ++steps_;
  if (steps_ > limits_.max_steps || (limits_.timeout_ms > 0 && (steps_ & 1023) == 0)) {
    charge(0);
  }
  Val v;
  if (step->type == NT::Name) {
    v = input.get(step->str);
  } else if (const Val* bound = env->lookup(step->str)) {
    v = *bound;
  }
  if (v.is_sequence() && !v.has_flag(kTupleStream)) {
    size_t n = v.size();
    if (n == 0)
      return Val();
    if (n == 1 && !v.has_flag(kKeepSingleton))
      return v.at(0);
  }
  return v;
}

// The sequence a step yields when only one of its contexts had a result. A non-array result is
// returned bare (it stands for the one-item sequence, see eval_path); an array's items are the
// sequence, which is the same container with the sequence flag (flags belong to the handle).
Val Evaluator::step_result(Val res, bool last) {
  if (!res.is_array())
    return res;
  if (last && !res.is_sequence())
    return res;
  if (res.has_flag(kCons))
    return Val::sequence({std::move(res)});
  res.clear_flag(0xff);
  res.set_flag(kSequence);
  return res;
}

Val Evaluator::eval_stages(const std::vector<Stage>& stages, Val input, const Env& env) {
  Val result = std::move(input);
  for (const Stage& st : stages) {
    if (!st.is_index) {
      result = eval_filter(st.expr, result, env);
    } else {
      if (!result.is_array())
        continue;
      auto& items = result.items();
      for (size_t i = 0; i < items.size(); ++i) {
        items[i].obj().set(st.var, Val::number(static_cast<double>(i)));
      }
    }
  }
  return result;
}

Val Evaluator::eval_tuple_step(const Node* expr, const Val& input, Val tuples, bool have_tuples,
                               const Env& env) {
  if (expr->type == NT::Sort) {
    Val result;
    if (have_tuples) {
      result = eval_sort(expr, tuples, env);
    } else {
      Val sorted = eval_sort(expr, input, env);
      result = Val::array({}, kSequence | kTupleStream);
      auto& out = result.items();
      for (size_t i = 0; i < sorted.size(); ++i) {
        Val t = Val::object();
        t.obj().set("@", sorted.at(i));
        if (expr->has_index)
          t.obj().set(expr->index_var, Val::number(static_cast<double>(i)));
        out.push_back(std::move(t));
      }
    }
    if (!expr->stages.empty())
      result = eval_stages(expr->stages, result, env);
    return result;
  }
  Val result = Val::array({}, kSequence | kTupleStream);
  auto& out = result.items();
  if (!have_tuples) {
    tuples = Val::array();
    auto& ts = tuples.items();
    for (size_t i = 0; i < input.size(); ++i) {
      Val t = Val::object();
      t.obj().set("@", input.at(i));
      ts.push_back(std::move(t));
    }
  }
  for (size_t e = 0; e < tuples.size(); ++e) {
    Val tuple_in = tuples.at(e);
    Env step_env = frame_from_tuple(env, tuple_in);
    Val at_val = tuple_in.get("@");
    Val res = eval(expr, at_val, step_env);
    if (res.is_undefined())
      continue;
    if (!res.is_array())
      res = Val::array({res});
    for (size_t b = 0; b < res.size(); ++b) {
      Val tuple = tuple_in;
      ObjectData& od = tuple.obj();
      if (res.has_flag(kTupleStream)) {
        res.at(b).for_each_member(
            [&](std::string_view k, const Val& v) { od.set(std::string(k), v); });
      } else {
        if (expr->has_focus && !expr->focus.empty()) {
          od.set(expr->focus, res.at(b));
          od.set("@", at_val);
        } else {
          od.set("@", res.at(b));
        }
        if (expr->has_index && !expr->index_var.empty()) {
          od.set(expr->index_var, Val::number(static_cast<double>(b)));
        }
        if (expr->ancestor != nullptr) {
          od.set(expr->ancestor->label, at_val);
        }
      }
      out.push_back(std::move(tuple));
    }
  }
  if (!expr->stages.empty())
    result = eval_stages(expr->stages, result, env);
  return result;
}

Val Evaluator::eval_filter(const Node* pred, const Val& input_in, const Env& env) {
  Val results = Val::sequence();
  if (input_in.is_array() && input_in.has_flag(kTupleStream))
    results.set_flag(kTupleStream);
  Val input = input_in;
  if (!input.is_array())
    input = Val::sequence({input});
  size_t n = input.size();
  if (pred->type == NT::Number) {
    double idx = std::floor(pred->num);
    if (idx < 0)
      idx += static_cast<double>(n);
    if (idx >= 0 && idx < static_cast<double>(n)) {
      Val item = input.at(static_cast<size_t>(idx));
      if (!item.is_undefined()) {
        if (item.is_array())
          return item;
        results.push(item);
      }
    }
    return results;
  }
  bool tuple = input.has_flag(kTupleStream);
  auto& out = results.items();
  for (size_t i = 0; i < n; ++i) {
    Val item = input.at(i);
    Val context = item;
    Env e = env;
    if (tuple) {
      context = item.get("@");
      e = frame_from_tuple(env, item);
    }
    Val res = eval(pred, context, e);
    if (is_numeric(res))
      res = Val::array({res});
    if (is_array_of_numbers(res)) {
      for (size_t k = 0; k < res.size(); ++k) {
        double ii = std::floor(res.at(k).as_number());
        if (ii < 0)
          ii += static_cast<double>(n);
        if (ii == static_cast<double>(i))
          out.push_back(item);
      }
    } else if (to_boolean(res).value_or(false)) {
      out.push_back(item);
    }
  }
  return results;
}

namespace {

// Errors of binary operators, out of line: a JError (strings, two values) is large, and building
// one inline would enlarge the frame of every nested binary expression.
[[noreturn, gnu::noinline, gnu::cold]] void throw_operand(const char* code, const Val& v,
                                                          const Node* expr,
                                                          const Val* v2 = nullptr) {
  JError e(code, v);
  if (v2 != nullptr)
    e.value2 = *v2;
  e.position = expr->position;
  e.token = expr->str;
  throw e;
}

bool numeric_operand(const Val& v, const Node* expr) {
  try {
    return is_numeric(v);
  } catch (JError& e) {
    e.position = expr->position;
    e.token = expr->str;
    throw;
  }
}

template <typename T>
bool compare(Op op, const T& a, const T& b) {
  switch (op) {
    case Op::Lt:
      return a < b;
    case Op::Le:
      return a <= b;
    case Op::Gt:
      return a > b;
    default:
      return a >= b;
  }
}

}  // namespace

// a & b & c ... parses as ((a & b) & c) & ...: the chain is built into one string instead of one
// per operator. Operands are evaluated and converted in the order the nested evaluation would
// (both operands of the innermost &, then each right operand outwards), and a conversion error
// reports the position of the & that converts it.
Val Evaluator::eval_concat(const Node* expr, const Val& input, const Env& env) {
  const Node* chain[16];
  size_t depth = 0;
  const Node* inner = expr;
  chain[depth++] = expr;
  while (depth < std::size(chain) && inner->lhs->type == NT::Binary &&
         inner->lhs->op == Op::Concat && inner->lhs->predicate.empty() && !inner->lhs->has_group &&
         !inner->lhs->keep_array) {
    inner = inner->lhs;
    chain[depth++] = inner;
  }
  std::string s;
  auto add = [&](const Val& v, const Node* at) {
    if (v.is_undefined())
      return;
    if (v.is_string()) {
      s += v.as_string();
      return;
    }
    try {
      s += to_string_fn(v);
    } catch (JError& e) {
      e.position = at->position;
      e.token = at->str;
      throw;
    }
  };
  Val first = eval(inner->lhs, input, env);
  Val second = eval(inner->rhs, input, env);
  add(first, inner);
  add(second, inner);
  for (size_t i = depth - 1; i-- > 0;) {
    Val rhs = eval(chain[i]->rhs, input, env);
    add(rhs, chain[i]);
  }
  return Val::string(s);
}

Val Evaluator::eval_binary(const Node* expr, const Val& input, const Env& env) {
  if (expr->op == Op::Concat)
    return eval_concat(expr, input, env);
  Val lhs = eval(expr->lhs, input, env);
  Op op = expr->op;
  if (op == Op::And || op == Op::Or) {
    bool l = to_boolean(lhs).value_or(false);
    if (op == Op::And ? !l : l)
      return Val::boolean(l);
    return Val::boolean(to_boolean(eval(expr->rhs, input, env)).value_or(false));
  }
  Val rhs = eval(expr->rhs, input, env);
  switch (op) {
    case Op::Plus:
    case Op::Minus:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      if (!lhs.is_undefined() && !numeric_operand(lhs, expr))
        throw_operand("T2001", lhs, expr);
      if (!rhs.is_undefined() && !numeric_operand(rhs, expr))
        throw_operand("T2002", rhs, expr);
      if (lhs.is_undefined() || rhs.is_undefined())
        return Val();
      double a = lhs.as_number(), b = rhs.as_number();
      switch (op) {
        case Op::Plus:
          return Val::number(a + b);
        case Op::Minus:
          return Val::number(a - b);
        case Op::Mul:
          return Val::number(a * b);
        case Op::Div:
          return Val::number(a / b);
        default:
          return Val::number(std::fmod(a, b));
      }
    }
    case Op::Eq:
    case Op::Ne: {
      if (lhs.is_undefined() || rhs.is_undefined())
        return Val::boolean(false);
      bool eq = deep_equal(lhs, rhs);
      return Val::boolean(op == Op::Eq ? eq : !eq);
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      auto comparable = [](const Val& v) {
        return v.is_undefined() || v.is_string() || v.is_number();
      };
      if (!comparable(lhs) || !comparable(rhs)) {
        bool lbad = !(lhs.is_string() || lhs.is_number());
        throw_operand("T2010", lbad ? lhs : rhs, expr);
      }
      if (lhs.is_undefined() || rhs.is_undefined())
        return Val();
      if (lhs.type() != rhs.type())
        throw_operand("T2009", lhs, expr, &rhs);
      if (lhs.is_number())
        return Val::boolean(compare(op, lhs.as_number(), rhs.as_number()));
      return Val::boolean(compare(op, lhs.as_string().compare(rhs.as_string()), 0));
    }
    case Op::Concat: {
      std::string s;
      try {
        if (!lhs.is_undefined())
          s = to_string_fn(lhs);
        if (!rhs.is_undefined())
          s += to_string_fn(rhs);
      } catch (JError& e) {
        e.position = expr->position;
        e.token = expr->str;
        throw;
      }
      return Val::string(s);
    }
    case Op::Range: {
      if (!lhs.is_undefined() && !(lhs.is_number() && is_integer(lhs.as_number())))
        throw_operand("T2003", lhs, expr);
      if (!rhs.is_undefined() && !(rhs.is_number() && is_integer(rhs.as_number())))
        throw_operand("T2004", rhs, expr);
      if (lhs.is_undefined() || rhs.is_undefined())
        return Val();
      double a = lhs.as_number(), b = rhs.as_number();
      if (a > b)
        return Val();
      double size = b - a + 1;
      if (size > 1e7)
        throw_operand("D2014", Val::number(size), expr);
      return Val::range(a, static_cast<size_t>(size));
    }
    case Op::In: {
      if (lhs.is_undefined() || rhs.is_undefined())
        return Val::boolean(false);
      if (!rhs.is_array())
        return Val::boolean(strict_equal(lhs, rhs));
      for (size_t i = 0; i < rhs.size(); ++i) {
        if (strict_equal(rhs.at(i), lhs))
          return Val::boolean(true);
      }
      return Val::boolean(false);
    }
    default:
      return Val();
  }
}

Val Evaluator::eval_group(const Node* /*expr*/, const std::vector<std::pair<Node*, Node*>>& pairs,
                          int64_t position, const Val& input_in, const Env& env) {
  bool reduce = input_in.is_array() && input_in.has_flag(kTupleStream);
  size_t n = input_in.is_array() ? input_in.size() : 1;
  if (n <= 1 && !reduce) {
    // One item (an object constructor on a single context, the common case): every key names its
    // own group, so the group index and the grouping pass are not needed.
    Val item = !input_in.is_array() ? input_in : (n == 1 ? input_in.at(0) : Val());
    auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
    std::vector<std::pair<std::string, size_t>> seen;
    seen.reserve(pairs.size());
    for (size_t p = 0; p < pairs.size(); ++p) {
      Val key = eval(pairs[p].first, item, env);
      if (!key.is_string() && !key.is_undefined()) {
        JError err("T1003", key);
        err.position = position;
        throw err;
      }
      if (key.is_undefined())
        continue;
      for (const auto& [k, q] : seen) {
        if (k == key.as_string() && q != p) {
          JError err("D1009", key);
          err.position = position;
          throw err;
        }
      }
      seen.emplace_back(std::string(key.as_string()), p);
    }
    data->members.reserve(seen.size());
    for (auto& [k, p] : seen) {
      Val v = eval(pairs[p].second, item, env);
      if (!v.is_undefined())
        data->add_new(std::move(k), std::move(v));  // keys in `seen` are distinct
    }
    return Val::object(std::move(data));
  }
  ValVec items;
  if (n == 0) {
    items.push_back(Val());
  } else if (!input_in.is_array()) {
    items.push_back(input_in);
  } else {
    items.reserve(n);
    for (size_t i = 0; i < n; ++i)
      items.push_back(input_in.at(i));
  }
  struct Group {
    std::string key;
    Val data;
    size_t expr_index;
    // Items after the first, appended once at the end: appending one by one copied the group's
    // sequence for every item (quadratic in the group's size).
    ValVec more;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  for (const Val& item : items) {
    Env e = reduce ? frame_from_tuple(env, item) : env;
    for (size_t p = 0; p < pairs.size(); ++p) {
      Val key = eval(pairs[p].first, reduce ? item.get("@") : item, e);
      if (!key.is_string() && !key.is_undefined()) {
        JError err("T1003", key);
        err.position = position;
        throw err;
      }
      if (key.is_undefined())
        continue;
      std::string k(key.as_string());
      auto it = index.find(k);
      if (it != index.end()) {
        Group& g = groups[it->second];
        if (g.expr_index != p) {
          JError err("D1009", key);
          err.position = position;
          throw err;
        }
        g.more.push_back(item);
      } else {
        index.emplace(k, groups.size());
        groups.push_back(Group{k, item, p, {}});
      }
    }
  }
  for (Group& g : groups) {
    if (g.more.empty())
      continue;
    ValVec all;
    auto add = [&](const Val& v) {
      if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i)
          all.push_back(v.at(i));
      } else {
        all.push_back(v);
      }
    };
    add(g.data);
    for (const Val& v : g.more)
      add(v);
    g.data = Val::array(std::move(all));
    g.more.clear();
  }
  auto data = std::allocate_shared<ObjectData>(PoolAlloc<ObjectData>());
  for (Group& g : groups) {
    Val context = g.data;
    Env e = env;
    if (reduce) {
      // Merge the tuples of the group: each binding becomes the sequence of its values.
      Val tuple;
      if (g.data.is_array() && g.data.size() > 0) {
        tuple = g.data.at(0);
        ObjectData& od = tuple.obj();
        for (size_t i = 1; i < g.data.size(); ++i) {
          g.data.at(i).for_each_member([&](std::string_view k, const Val& v) {
            const Val* prev = od.find(k);
            od.set(std::string(k), append(prev ? *prev : Val(), v));
          });
        }
      } else {
        tuple = g.data;
      }
      context = tuple.get("@");
      Val rest = tuple;
      rest.obj().erase("@");
      e = frame_from_tuple(env, rest);
    }
    Val v = eval(pairs[g.expr_index].second, context, e);
    if (!v.is_undefined())
      data->set(g.key, std::move(v));
  }
  return Val::object(std::move(data));
}

Val Evaluator::eval_sort(const Node* expr, const Val& input, const Env& env) {
  if (input.is_undefined())
    return input;
  if (!input.is_array() || input.size() <= 1)
    return input;
  bool tuple_sort = input.has_flag(kTupleStream);
  ValVec items;
  items.reserve(input.size());
  for (size_t i = 0; i < input.size(); ++i)
    items.push_back(input.at(i));
  auto swap = [&](const Val& a, const Val& b) -> bool {
    int comp = 0;
    for (size_t t = 0; comp == 0 && t < expr->terms.size(); ++t) {
      const SortTerm& term = expr->terms[t];
      Val aa, bb;
      if (tuple_sort) {
        aa = eval(term.expr, a.get("@"), frame_from_tuple(env, a));
        bb = eval(term.expr, b.get("@"), frame_from_tuple(env, b));
      } else {
        aa = eval(term.expr, a, env);
        bb = eval(term.expr, b, env);
      }
      if (aa.is_undefined()) {
        comp = bb.is_undefined() ? 0 : 1;
        continue;
      }
      if (bb.is_undefined()) {
        comp = -1;
        continue;
      }
      bool aok = aa.is_string() || aa.is_number();
      bool bok = bb.is_string() || bb.is_number();
      if (!aok || !bok) {
        JError e("T2008", !aok ? aa : bb);
        e.position = expr->position;
        throw e;
      }
      if (aa.type() != bb.type()) {
        JError e("T2007", aa);
        e.value2 = bb;
        e.position = expr->position;
        throw e;
      }
      if (aa.is_number()) {
        if (aa.as_number() == bb.as_number())
          continue;
        comp = aa.as_number() < bb.as_number() ? -1 : 1;
      } else {
        int c = aa.as_string().compare(bb.as_string());
        if (c == 0)
          continue;
        comp = c < 0 ? -1 : 1;
      }
      if (term.descending)
        comp = -comp;
    }
    return comp == 1;
  };
  merge_sort(items, swap);
  Val out = Val::array(std::move(items));
  if (tuple_sort)
    out.set_flag(kTupleStream | kSequence);
  return out;
}

Val Evaluator::eval_function(const Node* expr, const Val& input, const Env& env,
                             const Val* context) {
  Val proc = eval(expr->procedure, input, env);
  if (proc.is_undefined() && expr->procedure->type == NT::Path &&
      env->lookup(expr->procedure->items[0]->str) != nullptr) {
    JError e("T1005");
    e.position = expr->position;
    e.token = expr->procedure->items[0]->str;
    throw e;
  }
  ValVec args;
  args.reserve(expr->items.size() + 1);
  if (context != nullptr)
    args.push_back(*context);
  for (const Node* a : expr->items)
    args.push_back(eval(a, input, env));
  try {
    return apply(proc, std::move(args), input, env);
  } catch (JError& e) {
    if (e.position < 0)
      e.position = expr->position;
    if (!e.token) {
      e.token =
          expr->procedure->type == NT::Path ? expr->procedure->items[0]->str : expr->procedure->str;
    }
    throw;
  }
}

Val Evaluator::eval_partial(const Node* expr, const Val& input, const Env& env) {
  std::vector<std::optional<Val>> args;
  for (const Node* a : expr->items) {
    if (a->type == NT::Operator && a->str == "?") {
      args.emplace_back(std::nullopt);
    } else {
      args.emplace_back(eval(a, input, env));
    }
  }
  Val proc = eval(expr->procedure, input, env);
  if (proc.is_undefined() && expr->procedure->type == NT::Path &&
      env->lookup(expr->procedure->items[0]->str) != nullptr) {
    JError e("T1007");
    e.position = expr->position;
    e.token = expr->procedure->items[0]->str;
    throw e;
  }
  Function* f = proc.fn();
  if (f == nullptr) {
    JError e("T1008");
    e.position = expr->position;
    e.token =
        expr->procedure->type == NT::Path ? expr->procedure->items[0]->str : expr->procedure->str;
    throw e;
  }
  if (f->kind == FnKind::Lambda) {
    auto out = std::allocate_shared<Function>(PoolAlloc<Function>(), *f);
    out->env = std::allocate_shared<Frame>(PoolAlloc<Frame>(), f->env);
    out->params.clear();
    out->sig = nullptr;
    out->thunk = false;
    for (size_t i = 0; i < f->params.size(); ++i) {
      if (i < args.size() && !args[i].has_value()) {
        out->params.push_back(f->params[i]);
      } else {
        out->env->bind(f->params[i], i < args.size() ? *args[i] : Val());
      }
    }
    return Val::function(std::move(out));
  }
  auto out = std::allocate_shared<Function>(PoolAlloc<Function>());
  out->kind = FnKind::Partial;
  out->target = proc.fn_ptr();
  out->bound = std::move(args);
  return Val::function(std::move(out));
}

Val Evaluator::eval_apply_expr(const Node* expr, const Val& input, const Env& env) {
  Val lhs = eval(expr->lhs, input, env);
  if (expr->rhs->type == NT::Function) {
    Val r = eval_function(expr->rhs, input, env, &lhs);
    if (expr->rhs->keep_array && r.is_sequence())
      r.set_flag(kKeepSingleton);
    return r;
  }
  Val func = eval(expr->rhs, input, env);
  if (!func.is_function()) {
    JError e("T2006", func);
    e.position = expr->position;
    throw e;
  }
  if (lhs.is_function()) {
    auto chain = std::allocate_shared<Function>(PoolAlloc<Function>());
    chain->kind = FnKind::Chain;
    chain->first = lhs.fn_ptr();
    chain->second = func.fn_ptr();
    return Val::function(std::move(chain));
  }
  return apply(func, {lhs}, input, env);
}

Val Evaluator::apply(const Val& proc, ValVec args, const Val& input, const Env& env) {
  Val result = apply_inner(proc, args, input, env);
  while (result.is_function() && result.fn()->kind == FnKind::Lambda && result.fn()->thunk) {
    std::shared_ptr<Function> thunk = result.fn_ptr();
    const Node* call = thunk->node->body;
    Val next = eval(call->procedure, thunk->input, thunk->env);
    ValVec next_args;
    next_args.reserve(call->items.size());
    for (const Node* a : call->items)
      next_args.push_back(eval(a, thunk->input, thunk->env));
    try {
      result = apply_inner(next, next_args, input, env);
    } catch (JError& e) {
      if (e.position < 0)
        e.position = call->position;
      if (!e.token) {
        e.token = call->procedure->type == NT::Path ? call->procedure->items[0]->str
                                                    : call->procedure->str;
      }
      throw;
    }
  }
  return result;
}

Val Evaluator::apply_inner(const Val& proc, ValVec& args, const Val& input, const Env& env) {
  Function* f = proc.fn();
  if (f == nullptr) {
    throw JError("T1006");
  }
  ValVec validated;
  const ValVec* use = &args;
  if (f->sig && !f->sig->conforms(args)) {
    validated = f->sig->validate(args, input);
    use = &validated;
  }
  ValVec& a = const_cast<ValVec&>(*use);
  switch (f->kind) {
    case FnKind::Lambda: {
      Env frame = std::allocate_shared<Frame>(PoolAlloc<Frame>(), f->env);
      // The arguments are this call's own (apply takes them by value): moved, not copied.
      frame->vars.reserve(f->params.size());
      for (size_t i = 0; i < f->params.size(); ++i) {
        frame->bind(f->params[i], i < a.size() ? std::move(a[i]) : Val());
      }
      if (f->node->thunk) {
        // A thunk's body is the tail call itself; evaluating it is done by the trampoline.
        return eval(f->node->body, f->input, frame);
      }
      if (!f->program || f->program == program_) {
        return eval(f->node->body, f->input, frame);
      }
      // A lambda created by $eval's program: evaluate it with its own AST kept current.
      auto saved = program_;
      program_ = f->program;
      try {
        Val r = eval(f->node->body, f->input, frame);
        program_ = saved;
        return r;
      } catch (...) {
        program_ = saved;
        throw;
      }
    }
    case FnKind::Native:
      return f->native(*this, a, input, env);
    case FnKind::Host:
      return apply_host(*f->host_fn, a);
    case FnKind::Partial: {
      ValVec full;
      size_t k = 0;
      for (const auto& b : f->bound) {
        if (b.has_value()) {
          full.push_back(*b);
        } else {
          full.push_back(k < a.size() ? a[k] : Val());
          ++k;
        }
      }
      return apply(Val::function(f->target), std::move(full), input, env);
    }
    case FnKind::Chain: {
      Val r = apply(Val::function(f->first), {a.empty() ? Val() : a[0]}, input, env);
      return apply(Val::function(f->second), {r}, input, env);
    }
    case FnKind::Transform:
      return apply_transform(*f, a.empty() ? Val() : a[0]);
    case FnKind::Regex:
    case FnKind::Matcher:
      return apply_regex(*f, a);
  }
  return Val();
}

// Calling a regex directly yields a match object, like the reference's closure.
Val Evaluator::apply_regex(const Function& fn, const ValVec& a) {
  const Function* f = &fn;
  bool is_next = f->kind == FnKind::Matcher;
  Val str = is_next ? *f->bound[0] : (a.empty() ? Val() : a[0]);
  if (!str.is_string())
    return Val();
  size_t from = is_next ? f->offset : 0;
  std::string_view s = str.as_string();
  if (is_next && from >= s.size())
    return Val();
  RegexMatch m;
  if (!regex_search(*f->regex, s, from, m))
    return Val();
  if (is_next && m.start == m.end) {
    JError e("D1004", Val::string(f->regex_source));
    throw e;
  }
  Val obj = Val::object();
  ObjectData& od = obj.obj();
  od.set("match", Val::string(s.substr(m.start, m.end - m.start)));
  od.set("start", Val::number(static_cast<double>(utf8_length(s.substr(0, m.start)))));
  od.set("end", Val::number(static_cast<double>(utf8_length(s.substr(0, m.end)))));
  ValVec groups;
  for (const auto& g : m.groups) {
    groups.push_back(g ? Val::string(s.substr(g->first, g->second - g->first)) : Val::string(""));
  }
  od.set("groups", Val::array(std::move(groups)));
  auto next = std::allocate_shared<Function>(PoolAlloc<Function>());
  next->kind = FnKind::Matcher;
  next->regex = f->regex;
  next->regex_source = f->regex_source;
  next->offset = m.end;
  next->bound.emplace_back(str);
  od.set("next", Val::function(next));
  return obj;
}

Val Evaluator::apply_host(const HostFunction& fn, const ValVec& args) {
  std::vector<json::Value> storage;
  storage.reserve(args.size());
  std::vector<const json::Value*> in;
  in.reserve(args.size());
  for (const Val& a : args) {
    if (a.is_undefined()) {
      in.push_back(nullptr);
      continue;
    }
    storage.push_back(to_json(a));
    in.push_back(&storage.back());
  }
  Result r = fn.call(in, host_);
  if (!r.ok) {
    JError e(r.error.code);
    e.message = r.error.message;
    throw e;
  }
  if (r.undefined)
    return Val();
  return Val::from_json(r.value);
}

Val Evaluator::apply_transform(const Function& fn, const Val& obj) {
  if (obj.is_undefined())
    return Val();
  const Node* expr = fn.node;
  const Val* clone_fn = fn.env->lookup("clone");
  if (clone_fn == nullptr || !clone_fn->is_function()) {
    JError e("T2013");
    e.position = expr->position;
    throw e;
  }
  Val result;
  if (clone_fn->fn()->kind == FnKind::Native && clone_fn->fn()->name == "clone") {
    result = deep_clone(obj);
  } else {
    result = deep_clone(apply(*clone_fn, {obj}, Val(), fn.env));
  }
  Val matches = eval(expr->pattern, result, fn.env);
  if (matches.is_undefined())
    return result;
  if (!matches.is_array())
    matches = Val::array({matches});
  for (size_t i = 0; i < matches.size(); ++i) {
    Val match = matches.at(i);
    Val update = eval(expr->update, match, fn.env);
    if (!update.is_undefined()) {
      if (!update.is_object()) {
        JError e("T2011", update);
        e.position = expr->update->position;
        throw e;
      }
      if (match.is_object() && !match.json_backed()) {
        // Mutate in place: the match shares its storage with the cloned result.
        auto* od = const_cast<ObjectData*>(static_cast<const ObjectData*>(match.identity()));
        update.for_each_member(
            [&](std::string_view k, const Val& v) { od->set(std::string(k), v); });
      }
    }
    if (expr->del != nullptr) {
      Val dels = eval(expr->del, match, fn.env);
      if (!dels.is_undefined()) {
        Val val = dels;
        if (!dels.is_array())
          dels = Val::array({dels});
        if (!is_array_of_strings(dels)) {
          JError e("T2012", val);
          e.position = expr->del->position;
          throw e;
        }
        if (match.is_object() && !match.json_backed()) {
          auto* od = const_cast<ObjectData*>(static_cast<const ObjectData*>(match.identity()));
          for (size_t k = 0; k < dels.size(); ++k)
            od->erase(dels.at(k).as_string());
        }
      }
    }
  }
  return result;
}

}  // namespace signoff::jsonata
