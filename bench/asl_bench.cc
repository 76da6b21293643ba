// Interpreter throughput on the shared workloads (shared/bench/sfn-workloads): state transitions
// (states entered) per second on one core, and the memory a parked callback execution holds.
// The same definitions and inputs are run by the npm peer in tools/bench_asl_vs_peer.sh.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "asl/definition.h"
#include "asl/local_run.h"

namespace signoff::asl {
namespace {

std::string workloads_dir() {
  const char* env = std::getenv("SIGNOFF_WORKLOADS");
  return env != nullptr ? env : SIGNOFF_WORKLOADS;
}

json::Value load(const std::string& name) {
  // Appends rather than operator+ chains: g++ 12 -O3 warns falsely (-Wrestrict) on those.
  std::string path = workloads_dir();
  path += '/';
  path += name;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str()).value;
}

struct Workload {
  std::shared_ptr<const Program> program;
  json::Value input;
};

Workload workload(const std::string& stem) {
  Workload w;
  std::string definition = stem;
  definition += ".asl.json";
  std::string input = stem;
  input += ".input.json";
  w.program = parse_definition(load(definition)).program;
  w.input = load(input);
  return w;
}

ExecutionInfo info_for(const json::Value& input) {
  static const auto machine = [] {
    auto m = std::make_shared<MachineInfo>();
    m->arn = "arn:aws:states:us-east-1:000000000000:stateMachine:bench";
    m->name = "bench";
    m->role_arn = "arn:aws:iam::000000000000:role/bench";
    return std::shared_ptr<const MachineInfo>(m);
  }();
  ExecutionInfo info;
  info.machine = machine;
  info.name = "1";
  info.input = input;
  return info;
}

// One long execution per iteration (W1, W2, W3).
void run_single(benchmark::State& state, const std::string& stem) {
  Workload w = workload(stem);
  if (!w.program) {
    state.SkipWithError("workload missing or invalid (set SIGNOFF_WORKLOADS)");
    return;
  }
  LocalRunOptions opts;
  opts.keep_history = false;
  uint64_t transitions = 0;
  for (auto _ : state) {
    LocalRunResult r = run_local(w.program, info_for(w.input), nullptr, opts);
    if (r.status != ExecutionStatus::Succeeded) {
      std::string message = "execution ended ";
      message += r.error;
      message += ": ";
      message += r.cause;
      state.SkipWithError(message.c_str());
      return;
    }
    transitions += r.states_entered;
    benchmark::DoNotOptimize(r.output);
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
}

void BM_W1_PassChain(benchmark::State& s) {
  run_single(s, "w1_pass_chain");
}
void BM_W2_ChoiceLoop(benchmark::State& s) {
  run_single(s, "w2_choice_loop");
}
void BM_W3_Map10k(benchmark::State& s) {
  run_single(s, "w3_map_10k");
}

// 10,000 separate executions of a 5-state machine per iteration.
void BM_W4_ManySmall(benchmark::State& state) {
  Workload w = workload("w4_many_small");
  if (!w.program) {
    state.SkipWithError("workload missing");
    return;
  }
  SeededEntropy entropy(1);
  StepEnvironment env;
  env.entropy = &entropy;
  env.now = 1'700'000'000'000'000'000;
  Transition t;
  uint64_t transitions = 0;
  uint64_t executions = 0;
  for (auto _ : state) {
    for (int i = 0; i < 10000; ++i) {
      Execution e(w.program, info_for(w.input));
      t.clear();
      e.step(Input{}, env, t);
      transitions += 5;
      ++executions;
      benchmark::DoNotOptimize(e.output());
    }
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.counters["executions/s"] =
      benchmark::Counter(static_cast<double>(executions), benchmark::Counter::kIsRate);
}

// 10,000 executions parked on a .waitForTaskToken task, then all resumed.
void BM_W5_Callback(benchmark::State& state) {
  Workload w = workload("w5_callback");
  if (!w.program) {
    state.SkipWithError("workload missing");
    return;
  }
  constexpr int kCount = 10000;
  SeededEntropy entropy(1);
  StepEnvironment env;
  env.entropy = &entropy;
  env.now = 1'700'000'000'000'000'000;
  json::Value answer = json::parse(R"({"approved": true, "by": "bench-approver"})").value;
  Transition t;
  uint64_t transitions = 0;
  double parked_bytes = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<Execution>> parked;
    std::vector<uint64_t> task_ids;
    parked.reserve(kCount);
    task_ids.reserve(kCount);
    size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kCount; ++i) {
      auto e = std::make_unique<Execution>(w.program, info_for(w.input));
      t.clear();
      e->step(Input{}, env, t);
      task_ids.push_back(t.commands.empty() ? 0 : t.commands.back().task.task_id);
      parked.push_back(std::move(e));
    }
    t.clear();
    size_t after = mallinfo2().uordblks;
    parked_bytes = static_cast<double>(after - before) / kCount;
    for (int i = 0; i < kCount; ++i) {
      Input in;
      in.kind = Input::Kind::TaskSucceeded;
      in.id = task_ids[static_cast<size_t>(i)];
      in.output = answer;
      t.clear();
      parked[static_cast<size_t>(i)]->step(in, env, t);
      if (parked[static_cast<size_t>(i)]->status() != ExecutionStatus::Succeeded) {
        state.SkipWithError("callback execution did not succeed");
        return;
      }
    }
    transitions += 4ull * kCount;
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.counters["bytes/parked"] = parked_bytes;
}

BENCHMARK(BM_W1_PassChain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_W2_ChoiceLoop)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_W3_Map10k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_W4_ManySmall)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_W5_Callback)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace signoff::asl

BENCHMARK_MAIN();
