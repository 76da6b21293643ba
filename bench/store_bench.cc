// Store::apply throughput: each iteration is one execution's life in four transitions (a start
// with 4 history events, then 3 updates with 2 events each), the shape the engine writes. Threads
// share one store, so the number shows what group commit makes of one fsync per batch.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include "store/store.h"

namespace {

using signoff::store::ExecutionRecord;
using signoff::store::HistoryEventRecord;
using signoff::store::JobRecord;
using signoff::store::JournalRecord;
using signoff::store::StorePtr;
using signoff::store::TransitionWrite;
using signoff::store::WriteStatus;

const std::string kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

StorePtr g_store;
std::string g_dir;
std::atomic<uint64_t> g_next{0};

std::string make_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/signoff-store-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::abort();
  }
  return pattern;
}

// About the size of a Pass/Task state event with includeExecutionData.
std::string event_json(int64_t id) {
  return R"({"id":)" + std::to_string(id) +
         R"(,"previousEventId":0,"timestamp":"2024-01-01T00:00:00.000Z","type":"TaskStateEntered",)"
         R"("stateEnteredEventDetails":{"name":"Approve","input":"{\"request\":{\"title\":\"Deploy\"}}"}})";
}

void add_events(TransitionWrite& w, int64_t first, int count) {
  for (int i = 0; i < count; ++i) {
    w.events.push_back(
        HistoryEventRecord{first + i, 1700000000000, "TaskStateEntered", event_json(first + i)});
  }
}

void BM_ApplyTransitions(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_dir = make_dir();
    g_store = signoff::store::open_sqlite_store(g_dir);
  }
  int64_t transitions = 0;
  for (auto _ : state) {
    uint64_t n = g_next.fetch_add(1);
    const std::string arn =
        "arn:aws:states:us-east-1:123456789012:execution:bench:run-" + std::to_string(n);
    TransitionWrite start;
    start.insert.emplace();
    ExecutionRecord& e = *start.insert;
    e.arn = arn;
    e.state_machine_arn = kMachine;
    e.revision_id = "r1";
    e.name = "run-" + std::to_string(n);
    e.input = R"({"request":{"title":"Deploy v1.2","by":"alice"}})";
    e.start_date_ms = static_cast<int64_t>(n);
    e.version = 1;
    e.last_event_id = 4;
    add_events(start, 1, 4);
    start.journal = JournalRecord{1, R"({"start":{}})"};
    start.jobs_to_put.push_back(JobRecord{arn + "/1", "task", arn, 0, "{}", 0, ""});
    if (g_store->apply(start) != WriteStatus::Ok) {
      state.SkipWithError("start failed");
      break;
    }
    for (int64_t v = 1; v <= 3; ++v) {
      TransitionWrite w;
      w.execution_arn = arn;
      w.expected_version = v;
      w.update.status = v == 3 ? "SUCCEEDED" : "RUNNING";
      w.update.version = v + 1;
      w.update.last_event_id = 4 + 2 * v;
      add_events(w, 4 + 2 * (v - 1) + 1, 2);
      w.journal = JournalRecord{v + 1, R"({"result":{}})"};
      w.jobs_to_delete.push_back(arn + "/" + std::to_string(v));
      if (v < 3) {
        w.jobs_to_put.push_back(
            JobRecord{arn + "/" + std::to_string(v + 1), "task", arn, 0, "{}", 0, ""});
      }
      if (g_store->apply(w) != WriteStatus::Ok) {
        state.SkipWithError("update failed");
        break;
      }
    }
    transitions += 4;
  }
  // items_per_second is transitions per second across all threads.
  state.SetItemsProcessed(transitions);
  if (state.thread_index() == 0) {
    // Every thread has left the loop: the benchmark library waits for all at its end.
    g_store.reset();
    std::error_code ec;
    std::filesystem::remove_all(g_dir, ec);
  }
}

BENCHMARK(BM_ApplyTransitions)->Threads(1)->Threads(8)->Threads(16)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
