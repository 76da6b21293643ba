#include "automation/interpolate.h"

#include <ctime>
#include <optional>

namespace signoff::automation {

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::string utc(int64_t ms, const char* format) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::optional<json::Value> lookup(const std::string& name, const Variables& v) {
  if (const json::Value* p = v.parameters.find(name)) {
    return *p;
  }
  if (const json::Value* o = v.step_outputs.find(name)) {
    return *o;
  }
  if (name == "automation:EXECUTION_ID") {
    return json::Value(v.execution_id);
  }
  if (name == "automation:DOCUMENT_NAME") {
    return json::Value(v.document_name);
  }
  if (name == "automation:DOCUMENT_VERSION") {
    return json::Value(v.document_version);
  }
  if (name == "global:ACCOUNT_ID") {
    return json::Value(v.account);
  }
  if (name == "global:REGION") {
    return json::Value(v.region);
  }
  if (name == "global:AWS_PARTITION") {
    return json::Value(v.region.rfind("cn-", 0) == 0 ? "aws-cn" : "aws");
  }
  if (name == "global:AWS_URL_SUFFIX") {
    return json::Value(v.region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com");
  }
  if (name == "global:DATE") {
    return json::Value(utc(v.now_ms, "%Y-%m-%d"));
  }
  if (name == "global:DATE_TIME") {
    return json::Value(utc(v.now_ms, "%Y-%m-%d_%H.%M.%S"));
  }
  return std::nullopt;
}

std::string as_text(const json::Value& v) {
  if (v.is_string()) {
    return std::string(v.as_string());
  }
  return json::dump(v);
}

Result<json::Value> interpolate_string(std::string_view s, const Variables& vars) {
  size_t open = s.find("{{");
  if (open == std::string_view::npos) {
    return json::Value(s);
  }
  // Exactly one reference and nothing else: the typed value.
  std::string whole = trim(s);
  if (whole.size() >= 4 && whole.rfind("{{", 0) == 0 && whole.find("}}") == whole.size() - 2 &&
      whole.find("{{", 2) == std::string::npos) {
    std::string name = trim(std::string_view(whole).substr(2, whole.size() - 4));
    auto v = lookup(name, vars);
    if (!v) {
      return make_error("InvalidAutomationExecutionParametersException",
                        "Variable " + name + " is not defined.");
    }
    return *v;
  }
  std::string out;
  size_t pos = 0;
  while (open != std::string_view::npos) {
    size_t close = s.find("}}", open + 2);
    if (close == std::string_view::npos) {
      break;
    }
    out.append(s.substr(pos, open - pos));
    std::string name = trim(s.substr(open + 2, close - open - 2));
    auto v = lookup(name, vars);
    if (!v) {
      return make_error("InvalidAutomationExecutionParametersException",
                        "Variable " + name + " is not defined.");
    }
    out += as_text(*v);
    pos = close + 2;
    open = s.find("{{", pos);
  }
  out.append(s.substr(pos));
  return json::Value(out);
}

void collect(const json::Value& v, std::vector<std::string>& out) {
  if (v.is_string()) {
    std::string_view s = v.as_string();
    size_t open = s.find("{{");
    while (open != std::string_view::npos) {
      size_t close = s.find("}}", open + 2);
      if (close == std::string_view::npos) {
        return;
      }
      out.push_back(trim(s.substr(open + 2, close - open - 2)));
      open = s.find("{{", close + 2);
    }
  } else if (v.is_array()) {
    for (const json::Value& e : v.as_array()) {
      collect(e, out);
    }
  } else if (v.is_object()) {
    for (const json::Member& m : v.as_object()) {
      collect(m.value, out);
    }
  }
}

}  // namespace

Result<json::Value> interpolate(const json::Value& value, const Variables& vars) {
  if (value.is_string()) {
    return interpolate_string(value.as_string(), vars);
  }
  if (value.is_array()) {
    std::vector<json::Value> items;
    for (const json::Value& e : value.as_array()) {
      auto r = interpolate(e, vars);
      if (!r.ok()) {
        return r;
      }
      // A list item that was a StringList reference splices its items in, as Automation does
      // for `Approvers: ['{{ A }}', 'arn:...']`.
      if (e.is_string() && r->is_array()) {
        for (const json::Value& x : r->as_array()) {
          items.push_back(x);
        }
      } else {
        items.push_back(std::move(*r));
      }
    }
    return json::Value::array(std::move(items));
  }
  if (value.is_object()) {
    json::Value out = json::Value::object();
    for (const json::Member& m : value.as_object()) {
      auto r = interpolate(m.value, vars);
      if (!r.ok()) {
        return r;
      }
      out.set(m.key, std::move(*r));
    }
    return out;
  }
  return value;
}

std::vector<std::string> references(const json::Value& value) {
  std::vector<std::string> out;
  collect(value, out);
  return out;
}

}  // namespace signoff::automation
