#include "bus/input_transform.h"

#include <cctype>

#include "asl/jsonpath.h"

namespace signoff::bus {

namespace {

constexpr size_t kMaxPaths = 100;
constexpr size_t kMaxTemplate = 8192;

bool valid_key(const std::string& k) {
  if (k.empty() || k.size() > 256) {
    return false;
  }
  for (char c : k) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::optional<json::Value> select(const std::string& path, const json::Value& event) {
  std::string error;
  auto p = asl::JsonPath::compile(path, &error);
  if (!p) {
    return std::nullopt;
  }
  asl::PathRoots roots;
  roots.input = &event;
  return p->select(roots);
}

// A placeholder's value, or nullopt when the path selects nothing.
struct Resolved {
  std::optional<json::Value> value;
  bool raw_json = false;  // <aws.events.event>: inserted as JSON text whatever the context
  std::string raw;
};

std::optional<Resolved> resolve(std::string_view name, const InputTransformer& t,
                                const json::Value& event, const std::string& event_text,
                                const TransformContext& ctx) {
  for (const auto& [key, path] : t.paths) {
    if (key == name) {
      return Resolved{select(path, event), false, {}};
    }
  }
  if (name == "aws.events.rule-arn") {
    return Resolved{json::Value(ctx.rule_arn), false, {}};
  }
  if (name == "aws.events.rule-name") {
    return Resolved{json::Value(ctx.rule_name), false, {}};
  }
  if (name == "aws.events.event.ingestion-time") {
    return Resolved{json::Value(ctx.ingestion_time), false, {}};
  }
  if (name == "aws.events.event.json") {
    return Resolved{std::nullopt, true, event_text};
  }
  if (name == "aws.events.event") {
    json::Value without_detail = event;
    without_detail.erase("detail");
    return Resolved{std::nullopt, true, json::dump(without_detail)};
  }
  return std::nullopt;
}

enum class Mode { Json, Text };

std::string render(const InputTransformer& t, const json::Value& event,
                   const std::string& event_text, const TransformContext& ctx, Mode mode,
                   bool probe) {
  const std::string& s = t.input_template;
  std::string out;
  out.reserve(s.size() + 64);
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string && c == '\\' && i + 1 < s.size()) {
      out += c;
      out += s[++i];
      continue;
    }
    if (c == '"') {
      in_string = !in_string;
      out += c;
      continue;
    }
    if (c == '<') {
      size_t end = s.find('>', i + 1);
      if (end != std::string::npos) {
        std::string_view name(s.data() + i + 1, end - i - 1);
        if (auto r = resolve(name, t, event, event_text, ctx)) {
          i = end;
          if (probe) {  // deciding whether the template is JSON: any value will do
            out += in_string ? "x" : "null";
            continue;
          }
          if (r->raw_json) {
            out += r->raw;
            continue;
          }
          if (mode == Mode::Text) {
            if (r->value && r->value->is_string()) {
              out += r->value->as_string();
            } else if (r->value) {
              out += json::dump(*r->value);
            }
            continue;
          }
          if (!in_string) {
            out += r->value ? json::dump(*r->value) : "null";
            continue;
          }
          if (r->value) {
            std::string quoted;
            if (r->value->is_string()) {
              json::quote_to(r->value->as_string(), quoted);
            } else {
              json::quote_to(json::dump(*r->value), quoted);
            }
            out.append(quoted, 1, quoted.size() - 2);
          }
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string check_input_path(const std::string& path) {
  std::string error;
  if (path.empty() || path.size() > 256 || !asl::JsonPath::compile(path, &error)) {
    return "Invalid InputPath: " + path;
  }
  return "";
}

std::string check_input_transformer(const InputTransformer& t) {
  if (t.paths.size() > kMaxPaths) {
    return "InputPathsMap must have at most 100 entries.";
  }
  for (const auto& [key, path] : t.paths) {
    if (!valid_key(key)) {
      return "InputPathsMap key '" + key +
             "' is not valid: keys must match the regular expression [A-Za-z0-9_-]+";
    }
    if (key.rfind("aws.", 0) == 0) {
      return "InputPathsMap key '" + key + "' uses the reserved prefix aws.";
    }
    std::string error;
    if (path.empty() || !asl::JsonPath::compile(path, &error)) {
      return "Invalid InputPathsMap value for key '" + key + "': " + path;
    }
  }
  if (t.input_template.empty() || t.input_template.size() > kMaxTemplate) {
    return "InputTemplate must have a length between 1 and 8192.";
  }
  return "";
}

std::string render_template(const InputTransformer& t, const json::Value& event,
                            const std::string& event_text, const TransformContext& ctx) {
  std::string probe = render(t, event, event_text, ctx, Mode::Json, true);
  Mode mode = json::parse(probe).ok() ? Mode::Json : Mode::Text;
  return render(t, event, event_text, ctx, mode, false);
}

std::string render_input(const TargetInput& in, const json::Value& event,
                         const std::string& event_text, const TransformContext& ctx) {
  if (in.input) {
    return *in.input;
  }
  if (in.input_path) {
    auto v = select(*in.input_path, event);
    return v ? json::dump(*v) : "null";
  }
  if (in.transformer) {
    return render_template(*in.transformer, event, event_text, ctx);
  }
  return event_text;
}

}  // namespace signoff::bus
