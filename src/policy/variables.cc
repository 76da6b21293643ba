#include "policy/variables.h"

namespace signoff::policy {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  while (!s.empty() && s.back() == ' ') {
    s.remove_suffix(1);
  }
  return s;
}

// Appends to out; false when a variable is unresolved.
template <typename Emit>
bool expand(std::string_view text, bool variables, const RequestContext& ctx, Emit&& emit) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = variables ? text.find("${", i) : std::string_view::npos;
    const size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (close == std::string_view::npos) {
      emit(text.substr(i), true);
      return true;
    }
    emit(text.substr(i, open - i), true);
    std::string_view inner = text.substr(open + 2, close - open - 2);
    if (inner == "*" || inner == "?" || inner == "$") {
      emit(inner, false);
    } else {
      std::optional<std::string_view> fallback;
      const size_t comma = inner.find(',');
      if (comma != std::string_view::npos) {
        std::string_view d = trim(inner.substr(comma + 1));
        if (d.size() >= 2 && d.front() == '\'' && d.back() == '\'') {
          fallback = d.substr(1, d.size() - 2);
        }
        inner = trim(inner.substr(0, comma));
      }
      const std::vector<std::string>* v = ctx.find(inner);
      if (v && v->size() == 1) {
        emit((*v)[0], false);
      } else if (fallback) {
        emit(*fallback, false);
      } else {
        return false;
      }
    }
    i = close + 1;
  }
  return true;
}

}  // namespace

std::optional<Pattern> resolve_pattern(std::string_view text, bool variables,
                                       const RequestContext& ctx) {
  Pattern out;
  const bool ok = expand(text, variables, ctx, [&out](std::string_view piece, bool wildcards) {
    Pattern p = literal_pattern(piece, wildcards);
    out.insert(out.end(), p.begin(), p.end());
  });
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> resolve_text(std::string_view text, bool variables,
                                        const RequestContext& ctx) {
  std::string out;
  const bool ok =
      expand(text, variables, ctx, [&out](std::string_view piece, bool) { out.append(piece); });
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

}  // namespace signoff::policy
