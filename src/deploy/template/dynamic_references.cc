// Dynamic references: `{{resolve:SERVICE:KEY}}` anywhere inside a string of an evaluated value
// is replaced by what the lookup answers (CloudFormation resolves them when it creates or updates
// the resource). The text is scanned once; a reference is never re-read from a value it produced.
#include "deploy/template/template.h"

namespace signoff::deploy::tmpl {

namespace {

constexpr std::string_view kOpen = "{{resolve:";
constexpr std::string_view kClose = "}}";

Outcome<std::string> resolve_text(std::string_view text, const ReferenceLookup& lookup) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t start = text.find(kOpen, pos);
    if (start == std::string_view::npos) {
      out.append(text.substr(pos));
      return Outcome<std::string>{out, ""};
    }
    size_t end = text.find(kClose, start + kOpen.size());
    if (end == std::string_view::npos) {
      out.append(text.substr(pos));
      return Outcome<std::string>{out, ""};
    }
    std::string_view inside = text.substr(start + kOpen.size(), end - start - kOpen.size());
    size_t colon = inside.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == inside.size()) {
      return Outcome<std::string>::fail("Incorrect format is used in the dynamic reference: " +
                                        std::string(text.substr(start, end + 2 - start)));
    }
    auto value = lookup(inside.substr(0, colon), inside.substr(colon + 1));
    if (!value.ok()) {
      return value;
    }
    out.append(text.substr(pos, start - pos));
    out.append(*value);
    pos = end + kClose.size();
  }
}

Outcome<json::Value> walk(const json::Value& v, const ReferenceLookup& lookup, int depth) {
  if (depth > 256) {
    return Outcome<json::Value>{v, ""};
  }
  if (v.is_string()) {
    if (v.as_string().find(kOpen) == std::string_view::npos) {
      return Outcome<json::Value>{v, ""};
    }
    auto s = resolve_text(v.as_string(), lookup);
    if (!s.ok()) {
      return Outcome<json::Value>::fail(s.error);
    }
    return Outcome<json::Value>{json::Value(*s), ""};
  }
  if (v.is_array()) {
    std::vector<json::Value> items;
    items.reserve(v.size());
    for (const json::Value& e : v.as_array()) {
      auto r = walk(e, lookup, depth + 1);
      if (!r.ok()) {
        return r;
      }
      items.push_back(std::move(*r));
    }
    return Outcome<json::Value>{json::Value::array(std::move(items)), ""};
  }
  if (v.is_object()) {
    std::vector<json::Member> members;
    members.reserve(v.size());
    for (const json::Member& m : v.as_object()) {
      auto r = walk(m.value, lookup, depth + 1);
      if (!r.ok()) {
        return r;
      }
      members.push_back({m.key, std::move(*r)});
    }
    return Outcome<json::Value>{json::Value::object(std::move(members)), ""};
  }
  return Outcome<json::Value>{v, ""};
}

}  // namespace

Outcome<json::Value> resolve_dynamic_references(const json::Value& value,
                                                const ReferenceLookup& lookup) {
  return walk(value, lookup, 0);
}

}  // namespace signoff::deploy::tmpl
