// `signoff conformance asl CASES.jsonl`: runs the Step Functions cases recorded on AWS (format in
// shared/conformance/README.md) against the interpreter and the definition validator.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "asl/definition.h"
#include "asl/local_run.h"
#include "cli/command.h"
#include "common/json.h"

namespace signoff::cli {
namespace {

struct Options {
  std::string path;
  std::string filter;
  bool quiet = false;
  bool no_history = false;
  std::string known_failures;  // ids allowed to fail; any other failure fails the run
};

std::set<std::string> read_id_list(const std::string& path) {
  std::set<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) {
      line = line.substr(0, hash);
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
      line.pop_back();
    }
    if (!line.empty()) {
      ids.insert(line);
    }
  }
  return ids;
}

// Placeholder-aware comparison (shared/conformance/README.md, "How to compare").
class Matcher {
 public:
  explicit Matcher(std::vector<std::string> extra_tokens) : extra_(std::move(extra_tokens)) {}

  bool is_token(std::string_view s) const {
    if (s.size() >= 3 && s.front() == '<' && s.back() == '>' &&
        s.find(' ') == std::string_view::npos && s.find('<', 1) == std::string_view::npos) {
      return true;
    }
    static constexpr std::string_view kWords[] = {
        "date", "timestamp", "datetime", "111111111111", "snf_role_arn", "arn:<partition>:"};
    for (std::string_view w : kWords) {
      if (s == w) {
        return true;
      }
    }
    for (const std::string& w : extra_) {
      if (s == w) {
        return true;
      }
    }
    return false;
  }

  bool string_matches(std::string_view expected, std::string_view actual) const {
    if (expected == actual) {
      return true;
    }
    // Split the expected text into literal segments around placeholder tokens; each token stands
    // for any text.
    std::vector<std::string> words = {"arn:<partition>:", "111111111111", "snf_role_arn",
                                      "datetime",         "timestamp",    "date"};
    for (const std::string& w : extra_) {
      words.push_back(w);
    }
    std::vector<std::string> segments(1);
    bool any_token = false;
    size_t i = 0;
    while (i < expected.size()) {
      size_t token_len = 0;
      if (expected[i] == '<') {
        size_t close = expected.find('>', i);
        if (close != std::string_view::npos) {
          std::string_view tok = expected.substr(i, close - i + 1);
          if (tok.find(' ') == std::string_view::npos &&
              tok.find('<', 1) == std::string_view::npos) {
            token_len = tok.size();
          }
        }
      }
      if (token_len == 0) {
        for (const std::string& w : words) {
          if (expected.substr(i, w.size()) == w) {
            token_len = w.size();
            break;
          }
        }
      }
      if (token_len > 0) {
        segments.emplace_back();
        any_token = true;
        i += token_len;
      } else {
        segments.back().push_back(expected[i]);
        ++i;
      }
    }
    return any_token && wildcard_match(segments, actual);
  }

  // segments[0] must start the text, the last must end it, the others appear in order between.
  static bool wildcard_match(const std::vector<std::string>& segments, std::string_view text) {
    const std::string& first = segments.front();
    const std::string& last = segments.back();
    if (text.substr(0, first.size()) != first) {
      return false;
    }
    size_t pos = first.size();
    for (size_t k = 1; k + 1 < segments.size(); ++k) {
      size_t at = text.find(segments[k], pos);
      if (at == std::string_view::npos) {
        return false;
      }
      pos = at + segments[k].size();
    }
    return text.size() >= pos + last.size() && text.substr(text.size() - last.size()) == last;
  }

  // Returns an empty string when equal, else the path of the first difference with both sides.
  std::string diff(const json::Value& expected, const json::Value& actual,
                   const std::string& path) const {
    if (expected.is_string() && is_token(expected.as_string())) {
      return "";
    }
    // Recorded histories sometimes show a JSON-text field (assignedVariables) parsed.
    if ((expected.is_object() || expected.is_array()) && actual.is_string()) {
      json::ParseResult parsed = json::parse(actual.as_string());
      if (parsed.ok()) {
        return diff(expected, parsed.value, path);
      }
    }
    if (expected.is_string() && actual.is_string()) {
      return string_matches(expected.as_string(), actual.as_string())
                 ? ""
                 : mismatch(path, expected, actual);
    }
    if (expected.is_object() && actual.is_object()) {
      for (const json::Member& m : expected.as_object()) {
        const json::Value* a = actual.find(m.key);
        if (a == nullptr) {
          return path + "/" + m.key + ": missing (expected " + json::dump(m.value) + ")";
        }
        std::string d = diff(m.value, *a, path + "/" + m.key);
        if (!d.empty()) {
          return d;
        }
      }
      for (const json::Member& m : actual.as_object()) {
        if (expected.find(m.key) == nullptr) {
          return path + "/" + m.key + ": unexpected " + json::dump(m.value);
        }
      }
      return "";
    }
    if (expected.is_array() && actual.is_array()) {
      size_t common = std::min(expected.size(), actual.size());
      for (size_t i = 0; i < common; ++i) {
        std::string d =
            diff(expected.as_array()[i], actual.as_array()[i], path + "/" + std::to_string(i));
        if (!d.empty()) {
          return d;
        }
      }
      if (expected.size() > common) {
        return path + "/" + std::to_string(common) + ": missing " +
               json::dump(expected.as_array()[common]).substr(0, 300);
      }
      if (actual.size() > common) {
        return path + "/" + std::to_string(common) + ": unexpected " +
               json::dump(actual.as_array()[common]).substr(0, 300);
      }
      for (size_t i = 0; i < expected.size(); ++i) {
        std::string d =
            diff(expected.as_array()[i], actual.as_array()[i], path + "/" + std::to_string(i));
        if (!d.empty()) {
          return d;
        }
      }
      return "";
    }
    return expected == actual ? "" : mismatch(path, expected, actual);
  }

 private:
  static std::string mismatch(const std::string& path, const json::Value& e, const json::Value& a) {
    std::string es = json::dump(e);
    std::string as = json::dump(a);
    if (es.size() > 400) {
      es = es.substr(0, 400) + "...";
    }
    if (as.size() > 400) {
      as = as.substr(0, 400) + "...";
    }
    return (path.empty() ? "/" : path) + ": expected " + es + "\n      actual   " + as;
  }

  std::vector<std::string> extra_;
};

json::Value history_view(const json::Value& event) {
  json::Value v = event;
  v.erase("id");
  v.erase("previousEventId");
  v.erase("timestamp");
  return v;
}

struct CaseResult {
  bool supported = true;
  std::string problem;  // empty when passed
};

CaseResult run_definition_case(const json::Value& c, const Matcher& m) {
  CaseResult r;
  const json::Value& expected = *c.find("expected");
  std::string api(c.find("api")->as_string());
  asl::ParseOptions opts;
  if (const json::Value* t = c.find("type"); t != nullptr && t->is_string()) {
    opts.express = t->as_string() == "EXPRESS";
  }
  asl::ParsedDefinition parsed;
  if (const json::Value* text = c.find("definition_text"); text != nullptr && text->is_string()) {
    parsed = asl::parse_definition_text(text->as_string(), opts);
  } else {
    parsed = asl::parse_definition(*c.find("definition"), opts);
  }
  if (api == "ValidateStateMachineDefinition") {
    std::vector<json::Value> diags;
    for (const asl::Diagnostic& d : parsed.diagnostics) {
      diags.push_back(json::Value::object({json::Member{"code", json::Value(d.code)},
                                           json::Member{"location", json::Value(d.location)},
                                           json::Member{"message", json::Value(d.message)},
                                           json::Member{"severity", json::Value(d.severity)}}));
    }
    json::Value actual =
        json::Value::object({json::Member{"result", json::Value(parsed.program ? "OK" : "FAIL")},
                             json::Member{"diagnostics", json::Value::array(std::move(diags))}});
    json::Value want =
        json::Value::object({json::Member{"result", *expected.find("result")},
                             json::Member{"diagnostics", *expected.find("diagnostics")}});
    r.problem = m.diff(want, actual, "");
    return r;
  }
  // CreateStateMachine must be refused with InvalidDefinition and AWS's message.
  if (parsed.program) {
    r.problem =
        "definition accepted, expected InvalidDefinition: " + json::dump(*expected.find("message"));
    return r;
  }
  json::Value actual = json::Value::object(
      {json::Member{"error", json::Value("InvalidDefinition")},
       json::Member{"message", json::Value(asl::invalid_definition_message(parsed.diagnostics))}});
  json::Value want = json::Value::object({json::Member{"error", *expected.find("error")},
                                          json::Member{"message", *expected.find("message")}});
  r.problem = m.diff(want, actual, "");
  return r;
}

CaseResult run_execution_case(const json::Value& c, const Matcher& m, bool check_history) {
  CaseResult r;
  const json::Value& expected = *c.find("expected");
  asl::ParseOptions opts;
  if (const json::Value* t = c.find("execution_type"); t != nullptr && t->is_string()) {
    opts.express = t->as_string() == "EXPRESS";
  }
  asl::ParsedDefinition parsed = asl::parse_definition(*c.find("definition"), opts);
  if (!parsed.program) {
    r.problem = "definition rejected: " + asl::invalid_definition_message(parsed.diagnostics);
    return r;
  }
  asl::ExecutionInfo info;
  auto machine = std::make_shared<asl::MachineInfo>();
  machine->name = "conformance";
  machine->arn = "arn:aws:states:us-east-1:111111111111:stateMachine:conformance";
  machine->role_arn = "arn:aws:iam::111111111111:role/conformance";
  info.machine = machine;
  info.express = opts.express;
  info.name = opts.express ? "case:0f0e0d0c-0b0a-4908-8706-050403020100" : "case";
  if (const json::Value* in = c.find("input")) {
    info.input = *in;
  }
  asl::TaskHandler no_services =
      [](const asl::RunTaskCommand& t) -> std::optional<asl::TaskAnswer> {
    return asl::TaskAnswer{false, json::Value(), "States.TaskFailed",
                           "no service integration in conformance runs: " + t.resource};
  };
  asl::LocalRunResult run = asl::run_local(parsed.program, info, no_services);

  std::vector<json::Member> got;
  std::vector<json::Member> want;
  got.push_back(json::Member{"status", json::Value(asl::execution_status_name(run.status))});
  want.push_back(json::Member{"status", *expected.find("status")});
  if (const json::Value* out = expected.find("output")) {
    got.push_back(json::Member{"output", run.output});
    want.push_back(json::Member{"output", *out});
  }
  if (const json::Value* e = expected.find("error")) {
    got.push_back(json::Member{"error", json::Value(run.error)});
    want.push_back(json::Member{"error", *e});
  }
  if (const json::Value* e = expected.find("cause")) {
    got.push_back(json::Member{"cause", json::Value(run.cause)});
    want.push_back(json::Member{"cause", *e});
  }
  r.problem = m.diff(json::Value::object(std::move(want)), json::Value::object(std::move(got)), "");
  if (!r.problem.empty() || !check_history) {
    return r;
  }
  if (const json::Value* h = expected.find("history"); h != nullptr && h->is_array()) {
    std::vector<json::Value> exp_events;
    std::vector<json::Value> act_events;
    std::vector<bool>
        unordered;  // the recording replaced the id: order within the run is arbitrary
    for (const json::Value& e : h->as_array()) {
      exp_events.push_back(history_view(e));
      const json::Value* id = e.find("id");
      unordered.push_back(id != nullptr && !id->is_number());
    }
    for (const asl::HistoryEvent& e : run.history) {
      act_events.push_back(history_view(asl::event_to_json(e, true)));
    }
    auto by_text = [](const json::Value& a, const json::Value& b) {
      return json::dump(a) < json::dump(b);
    };
    for (size_t i = 0; i < exp_events.size();) {
      if (!unordered[i]) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < exp_events.size() && unordered[j]) {
        ++j;
      }
      auto first = static_cast<std::ptrdiff_t>(i);
      auto last = static_cast<std::ptrdiff_t>(j);
      std::sort(exp_events.begin() + first, exp_events.begin() + last, by_text);
      if (j <= act_events.size()) {
        std::sort(act_events.begin() + first, act_events.begin() + last, by_text);
      }
      i = j;
    }
    std::string d = m.diff(json::Value::array(std::move(exp_events)),
                           json::Value::array(std::move(act_events)), "/history");
    if (!d.empty()) {
      // Name the first differing event types to make the diff readable.
      r.problem = d;
    }
  }
  return r;
}

int run(const Options& o) {
  std::ifstream in(o.path);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", o.path.c_str());
    return 2;
  }
  size_t passed = 0;
  size_t failed = 0;
  size_t jsonpath_total = 0;
  size_t jsonpath_passed = 0;
  std::set<std::string> known;
  if (!o.known_failures.empty()) {
    known = read_id_list(o.known_failures);
  }
  std::vector<std::string> regressions;
  std::vector<std::string> fixed;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    json::ParseResult p = json::parse(line);
    if (!p.ok() || !p.value.is_object()) {
      ++failed;
      std::printf("FAIL <unparsable line>\n");
      continue;
    }
    const json::Value& c = p.value;
    std::string id = c.find("id") ? std::string(c.find("id")->as_string()) : "?";
    if (!o.filter.empty() && id.find(o.filter) == std::string::npos) {
      continue;
    }
    std::vector<std::string> extra;
    if (const json::Value* pv = c.find("placeholder_values"); pv != nullptr) {
      if (pv->is_array()) {
        for (const json::Value& v : pv->as_array()) {
          if (v.is_string()) {
            extra.emplace_back(v.as_string());
          }
        }
      } else if (pv->is_object()) {
        for (const json::Member& mm : pv->as_object()) {
          extra.push_back(mm.key);
          if (mm.value.is_string()) {
            extra.emplace_back(mm.value.as_string());
          }
        }
      }
    }
    Matcher m(std::move(extra));
    CaseResult r = c.find("api") != nullptr ? run_definition_case(c, m)
                                            : run_execution_case(c, m, !o.no_history);
    bool jsonata = c.find("query_language") != nullptr && c.find("query_language")->is_string() &&
                   c.find("query_language")->as_string() == "JSONata";
    if (!jsonata) {
      ++jsonpath_total;
    }
    if (r.problem.empty() && known.count(id) != 0) {
      fixed.push_back(id);
    }
    if (!r.problem.empty() && !o.known_failures.empty() && known.count(id) == 0) {
      regressions.push_back(id);
    }
    if (r.problem.empty()) {
      ++passed;
      if (!jsonata) {
        ++jsonpath_passed;
      }
    } else {
      ++failed;
      if (!o.quiet || (!o.known_failures.empty() && known.count(id) == 0)) {
        std::printf("FAIL %s\n      %s\n", id.c_str(), r.problem.c_str());
      }
    }
  }
  std::printf("JSONPath cases: %zu of %zu passed\n", jsonpath_passed, jsonpath_total);
  for (const std::string& id : fixed) {
    std::printf("now passing, remove from %s: %s\n", o.known_failures.c_str(), id.c_str());
  }
  if (!o.known_failures.empty()) {
    std::printf("%zu known failures, %zu new failures\n", failed - regressions.size(),
                regressions.size());
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  if (!o.known_failures.empty()) {
    return regressions.empty() && fixed.empty() ? 0 : 1;
  }
  return failed == 0 ? 0 : 1;
}

CommandRegistration registration(Parent::Conformance, [](CLI::App& parent) {
  auto o = std::make_shared<Options>();
  CLI::App* sub = parent.add_subcommand("asl", "Amazon States Language cases (JSON lines)");
  sub->add_option("cases", o->path, "cases.jsonl")->required();
  sub->add_option("--filter", o->filter, "Only cases whose id contains this text");
  sub->add_flag("--quiet", o->quiet, "Print only the totals");
  sub->add_flag("--no-history", o->no_history, "Do not compare event histories");
  sub->add_option("--known-failures", o->known_failures,
                  "File of case ids allowed to fail; the run fails on any other failure and on "
                  "a listed case that passes");
  sub->callback([o] { exit_status() = run(*o); });
});

}  // namespace
}  // namespace signoff::cli
