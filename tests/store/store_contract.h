// The Store contract, run against every backend. A backend joins by instantiating the suite with
// its factory (see sqlite_backend_test.cc); every test gets a fresh temporary directory.
#pragma once

#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"

namespace signoff::store::testing {

struct Backend {
  std::string name;
  std::function<StorePtr(const std::string& dir)> open;
};

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens (or reopens after close()) the store in this test's directory.
  Store& open();
  void close_store() { store_.reset(); }
  Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  StorePtr store_;
};

std::string machine_arn(const std::string& name);
StateMachineRecord machine(const std::string& name, int64_t created_ms = 1000);
ExecutionRecord execution(const std::string& machine_arn, const std::string& name,
                          int64_t start_ms);

// A StartExecution transition: the row (version 1, last_event_id = events), events 1..events,
// journal seq 1 and one job "<arn>/job1".
TransitionWrite start_write(const ExecutionRecord& e, int events);
// A later transition from `from_version`: version + 1, events after `last_event_id`, journal seq
// version + 1; puts job "<arn>/job<version+1>" and deletes "<arn>/job<version>".
TransitionWrite step_write(const std::string& arn, int64_t from_version, int64_t last_event_id,
                           int events, const std::string& status = "RUNNING");

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace signoff::store::testing
