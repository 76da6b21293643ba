// `signoff conformance jsonata DIR`: runs the language-neutral JSONata test suite
// (DIR/groups/<group>/*.json, DIR/datasets/*.json) against src/jsonata.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/json.h"
#include "jsonata/jsonata.h"

namespace signoff::cli {
namespace {

namespace fs = std::filesystem;
using json::Value;

class SuiteHost : public jsonata::Host {
 public:
  int64_t now_millis() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  double random() override { return dist_(rng_); }
  int64_t monotonic_millis() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

 private:
  std::mt19937_64 rng_{12345};
  std::uniform_real_distribution<double> dist_{0.0, 1.0};
};

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool numbers_close(const Value& a, const Value& b) {
  double x = a.as_double(), y = b.as_double();
  if (x == y)
    return true;
  return std::fabs(x - y) <= 1e-14 * std::max(std::fabs(x), std::fabs(y));
}

bool same(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number())
    return numbers_close(a, b);
  if (a.kind() != b.kind())
    return false;
  if (a.is_array()) {
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same(*a.at(i), *b.at(i)))
        return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size())
      return false;
    for (const auto& m : a.as_object()) {
      const Value* o = b.find(m.key);
      if (o == nullptr || !same(m.value, *o))
        return false;
    }
    return true;
  }
  return a == b;
}

bool same_unordered(const Value& a, const Value& b) {
  if (!a.is_array() || !b.is_array() || a.size() != b.size())
    return same(a, b);
  std::vector<bool> used(b.size(), false);
  for (const Value& x : a.as_array()) {
    bool found = false;
    for (size_t i = 0; i < b.size(); ++i) {
      if (!used[i] && same(x, *b.at(i))) {
        used[i] = true;
        found = true;
        break;
      }
    }
    if (!found)
      return false;
  }
  return true;
}

struct Counts {
  size_t passed = 0;
  size_t failed = 0;
};

void run_case(const fs::path& group_dir, const std::string& name, const Value& tc,
              const fs::path& datasets, std::map<std::string, Value>& cache, Counts& counts) {
  auto fail = [&](const std::string& why) {
    ++counts.failed;
    std::printf("FAIL %s: %s\n", name.c_str(), why.c_str());
  };
  std::string expr;
  if (const Value* e = tc.find("expr"); e != nullptr && e->is_string()) {
    expr = std::string(e->as_string());
  } else if (const Value* f = tc.find("expr-file"); f != nullptr && f->is_string()) {
    if (!read_file(group_dir / std::string(f->as_string()), expr)) {
      fail("cannot read expr-file");
      return;
    }
  } else {
    fail("no expression");
    return;
  }
  Value input;
  bool has_input = false;
  if (const Value* d = tc.find("data"); d != nullptr) {
    input = *d;
    has_input = true;
  } else if (const Value* ds = tc.find("dataset"); ds != nullptr && ds->is_string()) {
    std::string key(ds->as_string());
    auto it = cache.find(key);
    if (it == cache.end()) {
      std::string text;
      if (!read_file(datasets / (key + ".json"), text)) {
        fail("missing dataset " + key);
        return;
      }
      it = cache.emplace(key, json::parse(text).value).first;
    }
    input = it->second;
    has_input = true;
  }
  std::vector<jsonata::Binding> bindings;
  if (const Value* b = tc.find("bindings"); b != nullptr && b->is_object()) {
    for (const auto& m : b->as_object())
      bindings.push_back({m.key, m.value});
  }
  jsonata::Limits limits;
  if (const Value* d = tc.find("depth"); d != nullptr && d->is_number()) {
    limits.max_depth = static_cast<size_t>(d->as_double());
  }
  if (const Value* t = tc.find("timelimit"); t != nullptr && t->is_number()) {
    limits.timeout_ms = static_cast<int64_t>(t->as_double());
  }
  std::string expected_code;
  if (const Value* c = tc.find("code"); c != nullptr && c->is_string()) {
    expected_code = std::string(c->as_string());
  } else if (const Value* e = tc.find("error"); e != nullptr && e->is_object()) {
    if (const Value* c2 = e->find("code"); c2 != nullptr && c2->is_string()) {
      expected_code = std::string(c2->as_string());
    }
  }
  SuiteHost host;
  auto [compiled, cerr] = jsonata::Expression::compile(expr);
  jsonata::Result r;
  if (!compiled) {
    r.error = cerr;
  } else {
    r = compiled->evaluate(has_input ? &input : nullptr, bindings, host, limits);
  }
  std::string shown = expr.size() > 120 ? expr.substr(0, 120) + "..." : expr;
  if (!expected_code.empty()) {
    if (r.ok) {
      fail(shown + " => expected error " + expected_code + ", got " +
           (r.undefined ? std::string("undefined") : json::dump(r.value)));
    } else if (r.error.code != expected_code) {
      fail(shown + " => expected error " + expected_code + ", got " + r.error.code + " (" +
           r.error.message + ")");
    } else {
      ++counts.passed;
    }
    return;
  }
  if (!r.ok) {
    fail(shown + " => error " + r.error.code + " (" + r.error.message + ") at " +
         std::to_string(r.error.position));
    return;
  }
  if (const Value* u = tc.find("undefinedResult"); u != nullptr && u->is_bool() && u->as_bool()) {
    if (r.undefined) {
      ++counts.passed;
    } else {
      fail(shown + " => expected undefined, got " + json::dump(r.value));
    }
    return;
  }
  const Value* want = tc.find("result");
  if (want == nullptr) {
    if (r.undefined) {
      ++counts.passed;
    } else {
      fail(shown + " => expected undefined, got " + json::dump(r.value));
    }
    return;
  }
  if (r.undefined) {
    fail(shown + " => expected " + json::dump(*want) + ", got undefined");
    return;
  }
  const Value* unordered = tc.find("unordered");
  bool ok = (unordered != nullptr && unordered->is_bool() && unordered->as_bool())
                ? same_unordered(r.value, *want)
                : same(r.value, *want);
  if (ok) {
    ++counts.passed;
  } else {
    std::string got = json::dump(r.value);
    std::string w = json::dump(*want);
    if (got.size() > 300)
      got = got.substr(0, 300) + "...";
    if (w.size() > 300)
      w = w.substr(0, 300) + "...";
    fail(shown + " => expected " + w + ", got " + got);
  }
}

void run_suite(const std::string& dir, const std::string& only) {
  fs::path root(dir);
  fs::path groups = root / "groups";
  fs::path datasets = root / "datasets";
  if (!fs::is_directory(groups)) {
    std::fprintf(stderr, "%s: no groups/ folder\n", dir.c_str());
    exit_status() = 2;
    return;
  }
  std::vector<fs::path> group_dirs;
  for (const auto& e : fs::directory_iterator(groups)) {
    if (e.is_directory())
      group_dirs.push_back(e.path());
  }
  std::sort(group_dirs.begin(), group_dirs.end());
  std::map<std::string, Value> cache;
  Counts counts;
  for (const fs::path& g : group_dirs) {
    if (!only.empty() && g.filename().string() != only)
      continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(g)) {
      if (e.is_regular_file() && e.path().extension() == ".json")
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string text;
      read_file(f, text);
      auto parsed = json::parse(text);
      std::string base = g.filename().string() + "/" + f.filename().string();
      if (!parsed.ok()) {
        ++counts.failed;
        std::printf("FAIL %s: unreadable case file\n", base.c_str());
        continue;
      }
      if (parsed.value.is_array()) {
        size_t i = 0;
        for (const Value& tc : parsed.value.as_array()) {
          run_case(g, base + "[" + std::to_string(i++) + "]", tc, datasets, cache, counts);
        }
      } else {
        run_case(g, base, parsed.value, datasets, cache, counts);
      }
    }
  }
  std::printf("%zu passed, %zu failed\n", counts.passed, counts.failed);
  if (counts.failed > 0)
    exit_status() = 1;
}

const CommandRegistration reg(Parent::Conformance, [](CLI::App& parent) {
  auto* cmd = parent.add_subcommand("jsonata", "Run the JSONata reference test suite");
  auto dir = std::make_shared<std::string>();
  auto group = std::make_shared<std::string>();
  cmd->add_option("dir", *dir, "Suite folder (groups/, datasets/)")->required();
  cmd->add_option("--group", *group, "Run only this group");
  cmd->callback([dir, group]() { run_suite(*dir, *group); });
});

}  // namespace
}  // namespace signoff::cli
