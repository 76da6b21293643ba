// `signoff conformance event-patterns PATH.jsonl`: replays TestEventPattern cases recorded on AWS
// (see ../shared/conformance/event-patterns/README.md) against the pattern matcher.
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <simdjson.h>

#include "cli/command.h"
#include "common/json.h"
#include "patterns/matcher.h"

namespace {

namespace json = signoff::json;
namespace patterns = signoff::patterns;

// The text of a case's event or pattern exactly as the file holds it: `<name>_text` when the
// test sent raw text, else the raw JSON of `<name>` (so 300.0 stays 300.0).
bool raw_member(simdjson::ondemand::parser& parser, const simdjson::padded_string& line,
                const json::Value& parsed, const std::string& name, std::string& out) {
  if (const json::Value* text = parsed.find(name + "_text"); text != nullptr && text->is_string()) {
    out = std::string(text->as_string());
    return true;
  }
  simdjson::ondemand::document doc;
  if (parser.iterate(line).get(doc)) {
    return false;
  }
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) {
    return false;
  }
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) {
      return false;
    }
    if (key == name) {
      simdjson::ondemand::value value;
      simdjson::ondemand::json_type type;
      if (field.value().get(value) || value.type().get(type)) {
        return false;
      }
      std::string_view raw;
      bool error = false;
      if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object o;
        error = value.get_object().get(o) || o.raw_json().get(raw);
      } else if (type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array a;
        error = value.get_array().get(a) || a.raw_json().get(raw);
      } else {
        raw = value.raw_json_token();
      }
      if (error) {
        return false;
      }
      out = std::string(raw);
      return true;
    }
  }
  return false;
}

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

std::string describe(const patterns::TestResult& r) {
  switch (r.kind) {
    case patterns::TestResult::Kind::Match:
      return "true";
    case patterns::TestResult::Kind::NoMatch:
      return "false";
    default:
      return r.error_code + " \"" + first_line(r.message) + "\"";
  }
}

int run(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    return 2;
  }
  simdjson::ondemand::parser parser;
  size_t passed = 0;
  size_t failed = 0;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    json::ParseResult parsed = json::parse(line);
    const json::Value* id = parsed.ok() ? parsed.value.find("id") : nullptr;
    std::string name = id != nullptr && id->is_string() ? std::string(id->as_string())
                                                        : "line " + std::to_string(line_no);
    const json::Value* expected = parsed.ok() ? parsed.value.find("expected") : nullptr;
    simdjson::padded_string padded(line);
    std::string event;
    std::string pattern;
    if (expected == nullptr || !raw_member(parser, padded, parsed.value, "event", event) ||
        !raw_member(parser, padded, parsed.value, "pattern", pattern)) {
      ++failed;
      std::printf("FAIL %s: unreadable case\n", name.c_str());
      continue;
    }
    patterns::TestResult got = patterns::test_event_pattern(event, pattern);
    std::string want;
    bool ok = false;
    if (expected->is_bool()) {
      want = expected->as_bool() ? "true" : "false";
      ok = got.kind == (expected->as_bool() ? patterns::TestResult::Kind::Match
                                            : patterns::TestResult::Kind::NoMatch);
    } else if (expected->is_string()) {
      const json::Value* message = parsed.value.find("message");
      std::string want_message =
          message != nullptr && message->is_string() ? std::string(message->as_string()) : "";
      want = std::string(expected->as_string()) + " \"" + want_message + "\"";
      ok = got.error_code == expected->as_string() &&
           (message == nullptr || first_line(got.message) == want_message);
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::printf("FAIL %s: expected %s, got %s\n", name.c_str(), want.c_str(),
                  describe(got).c_str());
    }
  }
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

signoff::cli::CommandRegistration reg(signoff::cli::Parent::Conformance, [](CLI::App& parent) {
  auto* cmd = parent.add_subcommand(
      "event-patterns", "Run EventBridge TestEventPattern cases (JSON lines) against the matcher");
  auto path = std::make_shared<std::string>();
  cmd->add_option("path", *path, "cases file (.jsonl)")->required();
  cmd->callback([path] { signoff::cli::exit_status() = run(*path); });
});

}  // namespace
