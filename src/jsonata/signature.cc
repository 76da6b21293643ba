// Function signatures (<s-n?:s> etc.): parsing and argument validation with the same matching
// rules as the reference, which builds a regular expression over one type letter per argument.
#include <functional>

// GCC 12 reports a false -Wrestrict inside std::string assignment here (GCC bug 105651).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include "jsonata/runtime.h"
#include "jsonata/stack.h"

namespace signoff::jsonata {
namespace {

char symbol_of(const Val& v) {
  switch (v.type()) {
    case Type::Function:
      return 'f';
    case Type::String:
      return 's';
    case Type::Number:
      return 'n';
    case Type::Bool:
      return 'b';
    case Type::Null:
      return 'l';
    case Type::Array:
      return 'a';
    case Type::Object:
      return 'o';
    case Type::Undefined:
      return 'm';
  }
  return 'm';
}

size_t find_closing(const std::string& s, size_t start, char open, char close) {
  int depth = 1;
  size_t pos = start;
  while (pos < s.size()) {
    ++pos;
    if (pos >= s.size())
      break;
    if (s[pos] == close) {
      if (--depth == 0)
        break;
    } else if (s[pos] == open) {
      ++depth;
    }
  }
  return pos;
}

struct Quant {
  size_t min, max;
};

Quant quant_of(const SigParam& p) {
  if (p.quant == '?')
    return {0, 1};
  if (p.quant == '+')
    return {1, SIZE_MAX};
  return {1, 1};
}

bool allowed(const SigParam& p, char c) {
  return p.allowed.find(c) != std::string::npos;
}

// Backtracking match of params[pi..] against sig[si..]; `anchored` requires consuming all of sig
// after the last param. Greedy, as a JS regex would be.
bool match_from(const std::vector<SigParam>& params, size_t pi, size_t last, const std::string& sig,
                size_t si, bool anchored, std::vector<size_t>& lens, size_t& end) {
  check_stack();
  if (pi == last) {
    if (anchored && si != sig.size())
      return false;
    end = si;
    return true;
  }
  Quant q = quant_of(params[pi]);
  size_t maxn = 0;
  while (maxn < q.max && si + maxn < sig.size() && allowed(params[pi], sig[si + maxn]))
    ++maxn;
  for (size_t n = maxn + 1; n-- > q.min;) {
    lens[pi] = n;
    if (match_from(params, pi + 1, last, sig, si + n, anchored, lens, end))
      return true;
    if (n == 0)
      break;
  }
  return false;
}

}  // namespace

std::shared_ptr<Signature> parse_signature(const std::string& s) {
  auto sig = std::make_shared<Signature>();
  sig->definition = s;
  size_t position = 1;
  SigParam param;
  SigParam* prev = nullptr;
  auto next = [&]() {
    sig->params.push_back(param);
    prev = &sig->params.back();
    param = SigParam{};
  };
  while (position < s.size()) {
    char c = s[position];
    if (c == ':')
      break;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.allowed.assign(1, c);
        param.allowed.push_back('m');
        param.type = c;
        next();
        break;
      case 'a':
        param.allowed = "asnblfom";
        param.type = 'a';
        next();
        break;
      case 'f':
        param.allowed = "f";
        param.type = 'f';
        next();
        break;
      case 'j':
        param.allowed = "asnblom";
        param.type = 'j';
        next();
        break;
      case 'x':
        param.allowed = "asnblfom";
        param.type = 'x';
        next();
        break;
      case '-':
        if (prev != nullptr) {
          prev->context = true;
          prev->quant = '?';
        }
        break;
      case '?':
      case '+':
        if (prev != nullptr)
          prev->quant = c;
        break;
      case '(': {
        size_t end = find_closing(s, position, '(', ')');
        std::string choice = s.substr(position + 1, end - position - 1);
        if (choice.find('<') != std::string::npos) {
          JError e("S0402");
          e.position = static_cast<int64_t>(position);
          throw e;
        }
        param.allowed = choice;
        param.allowed.push_back('m');
        param.type = '(';
        position = end;
        next();
        break;
      }
      case '<': {
        if (prev != nullptr && (prev->type == 'a' || prev->type == 'f')) {
          size_t end = find_closing(s, position, '<', '>');
          prev->subtype = s.substr(position + 1, end - position - 1);
          position = end;
        } else {
          JError e("S0401");
          e.position = static_cast<int64_t>(position);
          throw e;
        }
        break;
      }
      default:
        break;
    }
    ++position;
  }
  // prev may dangle after push_back reallocations; it is only used between pushes.
  return sig;
}

bool Signature::conforms(ValVec& args) const {
  // Each argument defined and accepted by the parameter at its position, none of them a '+'
  // parameter and none an array parameter that would wrap it or reject its items: then the
  // reference's greedy match assigns argument i to parameter i and coerces nothing, and the
  // parameters past the arguments (optional, not context ones) are undefined.
  if (args.size() > params.size())
    return false;
  for (size_t i = 0; i < params.size(); ++i) {
    const SigParam& p = params[i];
    if (p.quant == '+')
      return false;
    if (i >= args.size()) {
      if (p.quant != '?' || p.context)
        return false;
      continue;
    }
    char c = symbol_of(args[i]);
    if (c == 'm' || !allowed(p, c))
      return false;
    if (p.type == 'a') {
      if (c != 'a')
        return false;  // would be wrapped in an array
      if (!p.subtype.empty()) {
        // a<n> and the like: every item of that type (what validate checks, not coerces).
        const Val& arr = args[i];
        size_t n = arr.size();
        for (size_t k = 0; k < n; ++k) {
          if (symbol_of(arr.at(k)) != p.subtype[0])
            return false;
        }
      }
    }
  }
  args.resize(params.size());
  return true;
}

ValVec Signature::validate(const ValVec& args, const Val& context) const {
  std::string supplied;
  supplied.reserve(args.size());
  for (const Val& a : args)
    supplied.push_back(symbol_of(a));
  std::vector<size_t> lens(params.size(), 0);
  size_t end = 0;
  if (!match_from(params, 0, params.size(), supplied, 0, true, lens, end)) {
    size_t good_to = 0;
    for (size_t k = 0; k < params.size(); ++k) {
      std::vector<size_t> l2(params.size(), 0);
      size_t e2 = 0;
      if (!match_from(params, 0, k + 1, supplied, 0, false, l2, e2)) {
        JError err("T0410", good_to < args.size() ? args[good_to] : Val());
        err.index = static_cast<int>(good_to + 1);
        throw err;
      }
      good_to = e2;
    }
    JError err("T0410", good_to < args.size() ? args[good_to] : Val());
    err.index = static_cast<int>(good_to + 1);
    throw err;
  }
  ValVec out;
  size_t arg_index = 0;
  size_t si = 0;
  for (size_t pi = 0; pi < params.size(); ++pi) {
    const SigParam& p = params[pi];
    std::string match = supplied.substr(si, lens[pi]);
    si += lens[pi];
    if (match.empty()) {
      if (p.context) {
        char ct = symbol_of(context);
        if (p.allowed.find(ct) != std::string::npos) {
          out.push_back(context);
        } else {
          JError err("T0411", context);
          err.index = static_cast<int>(arg_index + 1);
          throw err;
        }
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Val());
        ++arg_index;
      }
      continue;
    }
    for (char single : match) {
      if (p.type == 'a') {
        Val arg;
        if (single != 'm') {
          arg = arg_index < args.size() ? args[arg_index] : Val();
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' && match != p.subtype) {
              ok = false;
            } else if (single == 'a' && arg.size() > 0) {
              char item_type = symbol_of(arg.at(0));
              if (item_type != p.subtype[0]) {
                ok = false;
              } else {
                for (size_t i = 0; i < arg.size(); ++i) {
                  if (symbol_of(arg.at(i)) != item_type) {
                    ok = false;
                    break;
                  }
                }
              }
            }
          }
          if (!ok) {
            JError err("T0412", arg);
            err.index = static_cast<int>(arg_index + 1);
            throw err;
          }
          if (single != 'a') {
            arg = Val::array({arg});
          }
        }
        out.push_back(arg);
        ++arg_index;
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Val());
        ++arg_index;
      }
    }
  }
  return out;
}

}  // namespace signoff::jsonata
