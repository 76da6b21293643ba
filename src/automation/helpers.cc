// Small pure helpers shared by the service's files: keys, times, selectors, output shapes.
#include <cstdio>
#include <ctime>

#include "automation/impl.h"
#include "automation/parameters.h"

namespace signoff::automation {

std::string step_key(const std::string& exec_id, int64_t seq) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(seq));
  return exec_id + "/" + buf;
}

std::string version_key(const std::string& name, int64_t version) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(version));
  return name + "/" + buf;
}

bool terminal_status(std::string_view s) {
  return s == "Success" || s == "Failed" || s == "TimedOut" || s == "Cancelled" ||
         s == "CompletedWithSuccess" || s == "CompletedWithFailure" || s == "Exited";
}

json::Value epoch_seconds(int64_t ms) {
  return json::Value(static_cast<double>(ms) / 1000.0);
}

std::string event_time(int64_t ms) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int hour12 = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %d, %d %d:%02d:%02d %s", months[tm.tm_mon], tm.tm_mday,
                tm.tm_year + 1900, hour12, tm.tm_min, tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
  return buf;
}

std::string iso_time(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t parse_iso_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') {
    return -1;
  }
  int64_t total = 0;
  int64_t n = 0;
  bool digits = false;
  bool time_part = false;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (n > 100000000) {
        return -1;
      }
      n = n * 10 + (c - '0');
      digits = true;
      continue;
    }
    if (c == 'T') {
      time_part = true;
      continue;
    }
    if (!digits) {
      return -1;
    }
    int64_t unit = 0;
    if (!time_part && c == 'D') {
      unit = 86400;
    } else if (!time_part && c == 'W') {
      unit = 604800;
    } else if (time_part && c == 'H') {
      unit = 3600;
    } else if (time_part && c == 'M') {
      unit = 60;
    } else if (time_part && c == 'S') {
      unit = 1;
    } else {
      return -1;
    }
    total += n * unit;
    n = 0;
    digits = false;
  }
  return digits ? -1 : total;
}

int64_t parse_iso_timestamp(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  std::string str(s);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6 ||
      str.back() != 'Z') {
    return -1;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::string text_of(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

int64_t int_of(const json::Value& v, std::string_view key, int64_t fallback) {
  const json::Value* m = v.find(key);
  return m && m->is_int() ? m->as_int() : fallback;
}

std::optional<json::Value> select(const json::Value& root, std::string_view sel) {
  if (sel.empty() || sel[0] != '$') {
    return std::nullopt;
  }
  json::Value cur = root;
  size_t i = 1;
  while (i < sel.size()) {
    if (sel[i] == '.') {
      size_t j = i + 1;
      while (j < sel.size() && sel[j] != '.' && sel[j] != '[') {
        ++j;
      }
      const json::Value* next = cur.find(sel.substr(i + 1, j - i - 1));
      if (!next) {
        return std::nullopt;
      }
      cur = *next;
      i = j;
    } else if (sel[i] == '[') {
      size_t j = sel.find(']', i);
      if (j == std::string_view::npos) {
        return std::nullopt;
      }
      std::string idx(sel.substr(i + 1, j - i - 1));
      if (idx.empty() || idx.find_first_not_of("0123456789") != std::string::npos ||
          idx.size() > 9) {
        return std::nullopt;
      }
      const json::Value* next = cur.at(static_cast<size_t>(std::stoll(idx)));
      if (!next) {
        return std::nullopt;
      }
      cur = *next;
      i = j + 1;
    } else {
      return std::nullopt;
    }
  }
  return cur;
}

json::Value wire_outputs(const json::Value& typed) {
  json::Value out = json::Value::object();
  for (const json::Member& m : typed.as_object()) {
    std::vector<json::Value> items;
    for (const std::string& s : wire_values(m.value)) {
      items.emplace_back(s);
    }
    out.set(m.key, json::Value::array(std::move(items)));
  }
  return out;
}

json::Value declared_outputs(const StepDef& step, const json::Value& response) {
  json::Value out = json::Value::object();
  for (const json::Value& o : step.outputs) {
    std::string name = text_of(o, "Name");
    auto v = select(response, text_of(o, "Selector"));
    if (!v) {
      continue;
    }
    std::string type = text_of(o, "Type");
    if (type == "Integer" && v->is_double()) {
      v = json::Value(static_cast<int64_t>(v->as_double()));
    } else if ((type == "String" || type.empty()) && !v->is_string()) {
      v = json::Value(json::dump(*v));
    }
    out.set(name, *v);
  }
  return out;
}

}  // namespace signoff::automation
