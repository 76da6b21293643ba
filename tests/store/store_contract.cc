#include "store_contract.h"

#include <cstdlib>
#include <filesystem>

#include <stdlib.h>

namespace signoff::store::testing {

void StoreContract::SetUp() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/signoff-store-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
}

void StoreContract::TearDown() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Store& StoreContract::open() {
  store_.reset();
  store_ = GetParam().open(dir_);
  return *store_;
}

std::string machine_arn(const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
}

StateMachineRecord machine(const std::string& name, int64_t created_ms) {
  StateMachineRecord sm;
  sm.arn = machine_arn(name);
  sm.name = name;
  sm.definition = R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})";
  sm.role_arn = "arn:aws:iam::123456789012:role/" + name;
  sm.description = "machine " + name;
  sm.logging_configuration = R"({"level":"OFF"})";
  sm.tracing_configuration = R"({"enabled":false})";
  sm.revision_id = name + "-r1";
  sm.creation_date_ms = created_ms;
  sm.version = 1;
  return sm;
}

ExecutionRecord execution(const std::string& machine_arn, const std::string& name,
                          int64_t start_ms) {
  ExecutionRecord e;
  std::string machine_name = machine_arn.substr(machine_arn.rfind(':') + 1);
  e.arn = "arn:aws:states:us-east-1:123456789012:execution:" + machine_name + ":" + name;
  e.state_machine_arn = machine_arn;
  e.revision_id = machine_name + "-r1";
  e.name = name;
  e.input = R"({"n":1})";
  e.start_date_ms = start_ms;
  e.version = 1;
  e.parent = R"({"token":"p"})";
  e.trace_header = "Root=1-abc";
  return e;
}

namespace {

HistoryEventRecord event(int64_t id) {
  return HistoryEventRecord{id, 5000 + id, id == 1 ? "ExecutionStarted" : "PassStateEntered",
                            R"({"id":)" + std::to_string(id) + "}"};
}

JobRecord job(const std::string& arn, int64_t n) {
  return JobRecord{arn + "/job" + std::to_string(n),     "timer", arn, 100 * n,
                   R"({"v":)" + std::to_string(n) + "}", 0,       ""};
}

}  // namespace

TransitionWrite start_write(const ExecutionRecord& e, int events) {
  TransitionWrite w;
  w.insert = e;
  w.insert->last_event_id = events;
  for (int i = 1; i <= events; ++i) {
    w.events.push_back(event(i));
  }
  w.journal = JournalRecord{1, R"({"start":true})"};
  w.jobs_to_put.push_back(job(e.arn, 1));
  return w;
}

TransitionWrite step_write(const std::string& arn, int64_t from_version, int64_t last_event_id,
                           int events, const std::string& status) {
  TransitionWrite w;
  w.execution_arn = arn;
  w.expected_version = from_version;
  w.update.status = status;
  w.update.version = from_version + 1;
  w.update.last_event_id = last_event_id + events;
  if (status == "SUCCEEDED") {
    w.update.output = R"({"done":true})";
    w.update.stop_date_ms = 9000;
  }
  for (int i = 1; i <= events; ++i) {
    w.events.push_back(event(last_event_id + i));
  }
  w.journal = JournalRecord{from_version + 1, R"({"step":)" + std::to_string(from_version) + "}"};
  w.jobs_to_put.push_back(job(arn, from_version + 1));
  w.jobs_to_delete.push_back(arn + "/job" + std::to_string(from_version));
  return w;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

}  // namespace signoff::store::testing
