// JSONata evaluation throughput on the expressions of bench/jsonata_expressions.json, each over its
// dataset from the JSONata reference suite (shared/conformance/jsonata/datasets). Expressions are
// compiled once; only evaluation is timed. bench/peer/jsonata_bench.mjs runs the same expressions
// on the npm package jsonata (tools/bench_jsonata_vs_peer.sh compares the two).
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "jsonata/jsonata.h"

namespace signoff::jsonata {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

struct Case {
  std::string id;
  Expression expression;
  json::Value data;
};

std::vector<Case>& cases() {
  static std::vector<Case> all = [] {
    std::vector<Case> out;
    std::string datasets = env_or("SIGNOFF_JSONATA_DATASETS", SIGNOFF_JSONATA_DATASETS);
    json::Value list = json::parse(read_text(SIGNOFF_JSONATA_EXPRESSIONS)).value;
    if (!list.is_array()) {
      return out;  // no expression list: nothing to measure
    }
    for (const json::Value& c : list.as_array()) {
      auto compiled = Expression::compile(c.find("expr")->as_string());
      if (!compiled.first) {
        continue;
      }
      std::string path = datasets;
      path += '/';
      path += c.find("dataset")->as_string();
      out.push_back(Case{std::string(c.find("id")->as_string()), std::move(*compiled.first),
                         json::parse(read_text(path)).value});
    }
    return out;
  }();
  return all;
}

void BM_Evaluate(benchmark::State& state) {
  const Case& c = cases()[static_cast<size_t>(state.range(0))];
  state.SetLabel(c.id);
  FixedHost host;
  std::vector<Binding> none;
  for (auto _ : state) {
    Result r = c.expression.evaluate(&c.data, none, host);
    if (!r.ok) {
      state.SkipWithError(r.error.message.c_str());
      break;
    }
    benchmark::DoNotOptimize(r.value);
  }
  state.counters["evals/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace
}  // namespace signoff::jsonata

int main(int argc, char** argv) {
  auto& all = signoff::jsonata::cases();
  // A fixed iteration count (no calibration runs) makes instruction counts per evaluation exact
  // under valgrind --tool=callgrind, which is how changes are compared on a busy machine.
  const char* fixed = std::getenv("SIGNOFF_BENCH_ITERATIONS");
  for (size_t i = 0; i < all.size(); ++i) {
    auto* b = benchmark::RegisterBenchmark(("BM_JSONata/" + all[i].id).c_str(),
                                           signoff::jsonata::BM_Evaluate)
                  ->Arg(static_cast<int64_t>(i));
    if (fixed != nullptr) {
      b->Iterations(std::atoll(fixed));
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
