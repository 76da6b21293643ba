#include "jsonata/jsonata.h"

#include <algorithm>
#include <cmath>

#include "jsonata/evaluator.h"
#include "jsonata/stack.h"

namespace signoff::jsonata {

const Env& Evaluator::builtins() {
  static const Env env = [] {
    auto frame = std::allocate_shared<Frame>(PoolAlloc<Frame>(), nullptr);
    for (const NativeDef& d : native_functions()) {
      auto fn = std::allocate_shared<Function>(PoolAlloc<Function>());
      fn->kind = FnKind::Native;
      fn->native = d.impl;
      fn->name = d.name;
      fn->arity = d.arity;
      fn->sig = parse_signature(d.signature);
      frame->bind(d.name, Val::function(std::move(fn)));
    }
    return frame;
  }();
  return env;
}

struct Library::Impl {
  Env env;
};

Library::Library(const std::vector<HostFunction>& functions,
                 const std::vector<std::string>& hidden) {
  auto impl = std::make_shared<Impl>();
  impl->env = std::allocate_shared<Frame>(PoolAlloc<Frame>(), Evaluator::builtins());
  for (const std::string& name : hidden) {
    impl->env->bind(name, Val());
  }
  for (const HostFunction& h : functions) {
    auto fn = std::allocate_shared<Function>(PoolAlloc<Function>());
    fn->kind = FnKind::Host;
    fn->host_fn = std::make_shared<const HostFunction>(h);
    fn->name = h.name;
    fn->sig = h.signature.empty() ? nullptr : parse_signature(h.signature);
    fn->arity = fn->sig ? static_cast<int>(fn->sig->params.size()) : 0;
    impl->env->bind(h.name, Val::function(std::move(fn)));
  }
  impl_ = std::move(impl);
}

namespace {

const char* message_for(const std::string& code) {
  struct M {
    const char* code;
    const char* text;
  };
  static const M table[] = {
      {"S0101", "String literal must be terminated by a matching quote"},
      {"S0102", "Number out of range"},
      {"S0103", "Unsupported escape sequence"},
      {"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
      {"S0105", "Quoted property name must be terminated with a backquote (`)"},
      {"S0106", "Comment has no closing tag"},
      {"S0201", "Syntax error"},
      {"S0202", "Expected token"},
      {"S0203", "Expected token before end of expression"},
      {"S0204", "Unknown operator"},
      {"S0205", "Unexpected token"},
      {"S0206", "Unknown expression type"},
      {"S0207", "Unexpected end of expression"},
      {"S0208", "Parameter of function definition must be a variable name (start with $)"},
      {"S0209", "A predicate cannot follow a grouping expression in a step"},
      {"S0210", "Each step can only have one grouping expression"},
      {"S0211", "The symbol cannot be used as a unary operator"},
      {"S0212", "The left side of := must be a variable name (start with $)"},
      {"S0213", "The literal value cannot be used as a step within a path expression"},
      {"S0214", "The right side of the operator must be a variable name (start with $)"},
      {"S0215", "A context variable binding must precede any predicates on a step"},
      {"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
      {"S0217", "The object representing the 'parent' cannot be derived from this expression"},
      {"S0301", "Empty regular expressions are not allowed"},
      {"S0302", "No terminating / in regular expression"},
      {"S0401", "Type parameters can only be applied to functions and arrays"},
      {"S0402", "Choice groups containing parameterized types are not supported"},
      {"T0410", "Argument of function does not match function signature"},
      {"T0411", "Context value is not a compatible type with argument of function"},
      {"T0412", "Argument of function must be an array of the declared type"},
      {"D1001", "Number out of range"},
      {"D1002", "Cannot negate a non-numeric value"},
      {"T1003", "Key in object structure must evaluate to a string"},
      {"D1004", "Regular expression matches zero length string"},
      {"T1005", "Attempted to invoke a non-function. Did you mean to use a variable?"},
      {"T1006", "Attempted to invoke a non-function"},
      {"T1007", "Attempted to partially apply a non-function. Did you mean to use a variable?"},
      {"T1008", "Attempted to partially apply a non-function"},
      {"D1009", "Multiple key definitions evaluate to same key"},
      {"T2001", "The left side of the arithmetic operator must evaluate to a number"},
      {"T2002", "The right side of the arithmetic operator must evaluate to a number"},
      {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
      {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
      {"T2006", "The right side of the function application operator ~> must be a function"},
      {"T2007", "Type mismatch when comparing values in order-by clause"},
      {"T2008",
       "The expressions within an order-by clause must evaluate to numeric or string values"},
      {"T2009", "The values on either side of the operator must be of the same data type"},
      {"T2010",
       "The expressions either side of operator must evaluate to numeric or string values"},
      {"T2011", "The insert/update clause of the transform expression must evaluate to an object"},
      {"T2012",
       "The delete clause of the transform expression must evaluate to a string or array of "
       "strings"},
      {"T2013", "The transform expression clones the input object using the $clone() function"},
      {"D2014",
       "The size of the sequence allocated by the range operator (..) must not exceed 1e7"},
      {"D3001", "Attempting to invoke string function on Infinity or NaN"},
      {"D3010", "Second argument of replace function cannot be an empty string"},
      {"D3011", "Fourth argument of replace function must evaluate to a positive number"},
      {"D3012", "Attempted to replace a matched string with a non-string value"},
      {"D3020", "Third argument of split function must evaluate to a positive number"},
      {"D3030", "Unable to cast value to a number"},
      {"D3040", "Third argument of match function must evaluate to a positive number"},
      {"D3050",
       "The second argument of reduce function must be a function with at least two arguments"},
      {"D3060", "The sqrt function cannot be applied to a negative number"},
      {"D3061",
       "The power function has resulted in a value that cannot be represented as a JSON number"},
      {"D3070",
       "The single argument form of the sort function can only be applied to an array of strings "
       "or an array of numbers"},
      {"D3080", "The picture string must only contain a maximum of two sub-pictures"},
      {"D3100", "The radix of the formatBase function must be between 2 and 36"},
      {"D3110", "Unable to parse ISO 8601 formatted date/time"},
      {"D3120", "Syntax error in expression passed to function eval"},
      {"D3121", "Dynamic error evaluating the expression passed to function eval"},
      {"D3137", "$error() function evaluated"},
      {"D3138",
       "The $single() function expected exactly 1 matching result. Instead it matched more."},
      {"D3139", "The $single() function expected exactly 1 matching result. Instead it matched 0."},
      {"D3140", "Malformed URL"},
      {"D3141", "$assert() statement failed"},
      {"U1001", "Evaluation limit exceeded"},
  };
  for (const M& m : table) {
    if (code == m.code)
      return m.text;
  }
  return "Evaluation error";
}

Error to_error(const JError& e) {
  Error out;
  out.code = e.code;
  out.position = e.position;
  out.token = e.token.value_or("");
  out.message = e.message.empty() ? message_for(e.code) : e.message;
  return out;
}

}  // namespace

std::pair<std::optional<Expression>, Error> Expression::compile(std::string_view text) {
  StackScope stack(kDefaultStackBytes);
  try {
    Expression ex;
    ex.program_ = parse_program(text);
    return {std::move(ex), Error{}};
  } catch (const JError& e) {
    return {std::nullopt, to_error(e)};
  }
}

std::pair<std::optional<Expression>, Error> Expression::compile(std::string_view text,
                                                                const Library& library) {
  auto r = compile(text);
  if (r.first) {
    r.first->library_ = library.impl();
  }
  return r;
}

std::vector<std::string> Expression::free_variables() const {
  std::vector<std::string> out;
  for (const auto& n : program_->nodes) {
    if (n->type != NT::Variable || n->str.empty()) {
      continue;
    }
    if (std::find(out.begin(), out.end(), n->str) == out.end()) {
      out.push_back(n->str);
    }
  }
  return out;
}

Result Expression::evaluate(const json::Value* input, const std::vector<Binding>& bindings,
                            Host& host, const Limits& limits) const {
  Result r;
  StackScope stack(limits.max_stack_bytes);
  try {
    Evaluator ev(host, limits, program_);
    Env env = std::allocate_shared<Frame>(PoolAlloc<Frame>(),
                                          library_ ? library_->env : Evaluator::builtins());
    for (const Binding& b : bindings)
      env->bind(b.name, Val::from_json(b.value));
    Val in = input ? Val::from_json(*input) : Val();
    env->bind("$", in);
    if (in.is_array())
      in = Val::array({in}, kSequence | kOuterWrapper);
    Val out = ev.eval(program_->root, in, env);
    if (out.is_undefined()) {
      r.ok = true;
      r.undefined = true;
      return r;
    }
    if (out.is_number() && !std::isfinite(out.as_number()))
      throw JError("D1001", out);
    r.value = to_json(out);
    r.ok = true;
  } catch (const JError& e) {
    r.error = to_error(e);
  } catch (const std::bad_alloc&) {
    r.error.code = "U1001";
    r.error.message = "Out of memory";
  }
  return r;
}

double FixedHost::random() {
  // xorshift64*: deterministic and good enough for $random/$shuffle in tests.
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  uint64_t v = state_ * 2685821657736338717ULL;
  return static_cast<double>(v >> 11) / 9007199254740992.0;
}

}  // namespace signoff::jsonata
