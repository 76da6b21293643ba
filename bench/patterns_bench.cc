// Event-pattern matching throughput on City Lots-shaped events (quamina's and event-ruler's
// benchmark workload). The events come from the file named by SIGNOFF_CITYLOTS (one JSON object
// per line, optionally gzip-compressed: .gz files are read through `gzip -dc`); write one with
//   node ../shared/bench/gen_citylots_synth.mjs /tmp/citylots.jlines.gz
// Without it every benchmark is skipped.
//
// Pattern sets are quamina's (cl2_test.go and citylots_bench_test.go, themselves from
// event-ruler): EXACT, PREFIX, SHELLSTYLE (wildcard), EQUALS-IGNORE-CASE, ANYTHING-BUT, plus
// NUMERIC ranges over the coordinates and the CITYLOTS multi-pattern set. Each runs with 1, 100
// and 10,000 rules: the first rules are quamina's, the rest are generated in the same shape. Before
// timing, the quamina sets are checked against the match counts the generator plants.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "patterns/matcher.h"

namespace {

using signoff::patterns::Matcher;
using signoff::patterns::MatchScratch;
using signoff::patterns::RuleId;

const std::vector<std::string>& events() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    const char* path = std::getenv("SIGNOFF_CITYLOTS");
    if (path == nullptr || *path == '\0') {
      return out;
    }
    std::string p(path);
    std::string line;
    if (p.size() > 3 && p.compare(p.size() - 3, 3, ".gz") == 0) {
      std::string cmd = "gzip -dc '" + p + "'";
      FILE* f = popen(cmd.c_str(), "r");
      if (f == nullptr) {
        return out;
      }
      char buf[1 << 16];
      while (std::fgets(buf, sizeof buf, f) != nullptr) {
        line += buf;
        if (!line.empty() && line.back() == '\n') {
          line.pop_back();
          out.push_back(std::move(line));
          line.clear();
        }
      }
      if (!line.empty()) {
        out.push_back(std::move(line));
      }
      pclose(f);
    } else {
      std::ifstream in(p);
      while (std::getline(in, line)) {
        out.push_back(line);
      }
    }
    return out;
  }();
  return lines;
}

std::string num(int i, int width) {
  std::string s = std::to_string(i);
  return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

std::string props(const std::string& field, const std::string& cond) {
  return R"({"properties":{")" + field + R"(":[)" + cond + "]}}";
}

struct PatternSet {
  const char* name;
  std::vector<std::string> base;  // quamina's rules
  std::vector<long> expected;     // planted match counts for base
  std::string (*more)(int i);     // generated rule i (i >= base.size())
};

const std::vector<PatternSet>& sets() {
  static const std::vector<PatternSet> all = {
      {"EXACT",
       {props("MAPBLKLOT", R"("1430022")"), props("MAPBLKLOT", R"("2607117")"),
        props("MAPBLKLOT", R"("2607218")"), props("MAPBLKLOT", R"("3745012")"),
        props("MAPBLKLOT", R"("VACSTWIL")")},
       {1, 101, 35, 655, 1},
       [](int i) {
         return props("MAPBLKLOT", "\"" + num(i * 7919 % 10000000, 7) + "\"");
       }},
      {"PREFIX",
       {props("STREET", R"({"prefix":"AC"})"), props("STREET", R"({"prefix":"BL"})"),
        props("STREET", R"({"prefix":"DR"})"), props("STREET", R"({"prefix":"FU"})"),
        props("STREET", R"({"prefix":"RH"})")},
       {24, 442, 38, 2387, 328},
       [](int i) {
         return props("MAPBLKLOT", R"({"prefix":")" + num(i * 7919 % 100000, 5) + "\"}");
       }},
      {"SHELLSTYLE",
       {props("MAPBLKLOT", R"({"wildcard":"143*"})"),
        props("MAPBLKLOT", R"({"wildcard":"2*0*1*7"})"),
        props("MAPBLKLOT", R"({"wildcard":"*218"})"), props("MAPBLKLOT", R"({"wildcard":"3*5*2"})"),
        props("MAPBLKLOT", R"({"wildcard":"VA*IL"})")},
       {490, 713, 43, 2540, 1},
       [](int i) {
         return props("MAPBLKLOT", R"({"wildcard":")" + num(i * 7919 % 10000, 4) + "*" +
                                       num(i % 100, 2) + "\"}");
       }},
      {"EQUALS-IGNORE-CASE",
       {props("STREET", R"({"equals-ignore-case":"jefferson"})"),
        props("STREET", R"({"equals-ignore-case":"bEaCh"})"),
        props("STREET", R"({"equals-ignore-case":"HyDe"})"),
        props("STREET", R"({"equals-ignore-case":"CHESTNUT"})"),
        props("ST_TYPE", R"({"equals-ignore-case":"st"})")},
       {131, 211, 1758, 825, 116386},
       [](int i) {
         return props("BLKLOT", R"({"equals-ignore-case":")" + num(i * 7919 % 10000000, 7) + "\"}");
       }},
      {"ANYTHING-BUT",
       {props("STREET", R"({"anything-but":["FULTON"]})"),
        props("STREET", R"({"anything-but":["MASON"]})"),
        props("ST_TYPE", R"({"anything-but":["ST"]})"),
        R"({"geometry":{"type":[{"anything-but":["Polygon"]}]}})",
        props("FROM_ST", R"({"anything-but":["441"]})")},
       {211158, 210411, 96682, 120, 210615},
       [](int i) {
         return props("TO_ST", R"({"anything-but":[")" + std::to_string(i) + "\"]}");
       }},
      {"NUMERIC",
       {R"({"geometry":{"coordinates":[{"numeric":["<",-122.416009]}]}})",
        R"({"geometry":{"coordinates":[{"numeric":[">",-122.416009]}]}})",
        R"({"geometry":{"coordinates":[{"numeric":[">",-122.464712,"<",-122.406308]}]}})",
        R"({"geometry":{"type":["MultiPolygon"],"coordinates":[{"numeric":["=",0]}]}})"},
       {},
       [](int i) {
         int lo = i * 7919 % 160000;
         return R"({"geometry":{"coordinates":[{"numeric":[">",-122.)" + num(360000 + lo, 6) +
                R"(,"<",-122.)" + num(360000 + lo + 5, 6) + "]}]}}";
       }},
      {"CITYLOTS",
       {R"({ "properties": { "STREET": [ "CRANLEIGH" ] } })",
        R"({ "properties": { "STREET": [ "17TH" ], "ODD_EVEN": [ "E"] } })",
        R"({ "geometry": { "coordinates": [ 37.807807921694092 ] } })",
        R"({ "properties": { "MAPBLKLOT": ["0011008"], "BLKLOT": ["0011008"]},  "geometry": { "coordinates": [ 37.807807921694092 ] } })"},
       {7, 836, 2, 1},
       [](int i) {
         return R"({ "properties": { "STREET": [ "S)" + num(i, 5) +
                R"(" ], "ODD_EVEN": [ "E"] } })";
       }},
  };
  return all;
}

Matcher& matcher_for(const PatternSet& set, int rules) {
  static std::map<std::pair<std::string, int>, std::unique_ptr<Matcher>> cache;
  auto key = std::make_pair(std::string(set.name), rules);
  auto it = cache.find(key);
  if (it != cache.end()) {
    return *it->second;
  }
  auto m = std::make_unique<Matcher>();
  std::vector<std::string> texts;
  for (int i = 0; i < rules; ++i) {
    texts.push_back(i < static_cast<int>(set.base.size()) ? set.base[static_cast<size_t>(i)]
                                                          : set.more(i));
  }
  std::vector<std::pair<RuleId, std::string_view>> list;
  for (int i = 0; i < rules; ++i) {
    list.emplace_back(static_cast<RuleId>(i), texts[static_cast<size_t>(i)]);
  }
  auto statuses = m->add_rules(list);
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (!statuses[i].ok()) {
      std::fprintf(stderr, "%s rule %zu rejected: %s\n", set.name, i, statuses[i].message.c_str());
    }
  }
  return *cache.emplace(key, std::move(m)).first->second;
}

// Runs a quamina set once over every event and compares with the planted counts.
bool verify(const PatternSet& set) {
  if (set.expected.empty()) {
    return true;
  }
  Matcher& m = matcher_for(set, static_cast<int>(set.base.size()));
  std::vector<long> got(set.base.size(), 0);
  MatchScratch scratch;
  std::vector<RuleId> out;
  for (const auto& e : events()) {
    out.clear();
    m.match(e, scratch, out);
    for (RuleId id : out) {
      ++got[id];
    }
  }
  bool ok = got == set.expected;
  std::fprintf(stderr, "%s counts:", set.name);
  for (size_t i = 0; i < got.size(); ++i) {
    std::fprintf(stderr, " %ld(want %ld)", got[i], set.expected[i]);
  }
  std::fprintf(stderr, " %s\n", ok ? "OK" : "MISMATCH");
  return ok;
}

void BM_Patterns(benchmark::State& state, size_t set_index) {
  const auto& lines = events();
  if (lines.empty()) {
    state.SkipWithError("SIGNOFF_CITYLOTS is not set (or the file is empty)");
    return;
  }
  const PatternSet& set = sets()[set_index];
  static std::map<size_t, bool> verified;
  if (!verified.count(set_index)) {
    verified[set_index] = verify(set);
  }
  if (!verified[set_index]) {
    state.SkipWithError("match counts differ from the planted counts");
    return;
  }
  const int rules = static_cast<int>(state.range(0));
  Matcher& m = matcher_for(set, rules);
  MatchScratch scratch;
  std::vector<RuleId> out;
  size_t i = 0;
  size_t matches = 0;
  for (auto _ : state) {
    out.clear();
    m.match(lines[i], scratch, out);
    matches += out.size();
    benchmark::DoNotOptimize(out.data());
    if (++i == lines.size()) {
      i = 0;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["rules"] = rules;
  state.counters["matches_per_event"] =
      static_cast<double>(matches) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}

void register_all() {
  for (size_t s = 0; s < sets().size(); ++s) {
    std::string name = std::string("Patterns/") + sets()[s].name;
    auto* b = benchmark::RegisterBenchmark(name.c_str(), BM_Patterns, s);
    b->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMicrosecond);
    if (!sets()[s].base.empty()) {
      b->Arg(static_cast<int64_t>(sets()[s].base.size()));
    }
  }
}

const bool registered = (register_all(), true);

}  // namespace

BENCHMARK_MAIN();
