// The CloudFormation service: stacks, their events and resources, change sets and exports, kept
// as store documents. Stack operations run asynchronously on operation threads: CreateStack
// returns the stack id at once; independent resources are created in parallel.
//
// Durability: every resource step writes the resource's new status and its event in one
// document batch, so the store always says which resources exist. After a restart an operation
// that was moving forward (create, update) is rolled back, and one that was moving backward
// (rollback, delete, update cleanup) is resumed; a stack never stays *_IN_PROGRESS.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "deploy/provider.h"
#include "store/store.h"

namespace signoff::deploy {

struct DeployOptions {
  std::string account = "000000000000";
  std::string default_region = "us-east-1";
  unsigned parallel_resources = 8;
  // Resolves a dynamic reference {{resolve:SERVICE:KEY}} in resource properties (service "ssm",
  // key "NAME" or "NAME:VERSION"); unset: every dynamic reference is refused.
  std::function<Result<std::string>(const std::string& service, const std::string& key)>
      dynamic_reference;
};

struct ParameterInput {
  std::string key;
  std::optional<std::string> value;  // nullopt with use_previous
  bool use_previous = false;
};

struct StackRequest {
  std::string region;
  std::string stack_name;  // or stack id for updates
  std::string template_body;
  bool use_previous_template = false;
  std::vector<ParameterInput> parameters;
  std::vector<std::string> capabilities;
  std::vector<std::pair<std::string, std::string>> tags;
  bool disable_rollback = false;
  std::string description;  // change sets
};

struct ChangeSetRequest {
  StackRequest stack;
  std::string change_set_name;
  std::string change_set_type = "UPDATE";  // CREATE | UPDATE
};

struct ChangeSetCreated {
  std::string id;
  std::string stack_id;
};

class Service {
 public:
  Service(store::Store& store, const Clock& clock, DeployOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  void add_provider(const std::string& type, ProviderPtr provider);
  // Resumes or rolls back what a previous run left in progress.
  void start();
  // Waits for running operations to finish their current resource steps and stops them; what is
  // left in progress is picked up by the next start().
  void stop();

  Result<std::string> create_stack(const StackRequest& r);
  Result<std::string> update_stack(const StackRequest& r);
  Result<Unit> delete_stack(const std::string& region, const std::string& name_or_id);

  // Documents as stored (the API renders them); name_or_id "" lists every live stack.
  Result<std::vector<json::Value>> describe_stacks(const std::string& region,
                                                   const std::string& name_or_id);
  std::vector<json::Value> list_stacks(const std::string& region);
  Result<std::vector<json::Value>> stack_events(const std::string& region,
                                                const std::string& name_or_id);  // newest first
  Result<std::vector<json::Value>> stack_resources(const std::string& region,
                                                   const std::string& name_or_id);
  Result<json::Value> stack_resource(const std::string& region, const std::string& name_or_id,
                                     const std::string& logical_id);
  Result<std::string> get_template(const std::string& region, const std::string& name_or_id,
                                   const std::string& change_set);
  // {Description, Parameters: [...], Capabilities, CapabilitiesReason, ResourceTypes}
  Result<json::Value> validate_template(const std::string& body);
  Result<json::Value> template_summary(const std::string& region, const std::string& body,
                                       const std::string& stack);
  std::vector<json::Value> list_exports(const std::string& region);

  Result<ChangeSetCreated> create_change_set(const ChangeSetRequest& r);
  Result<json::Value> describe_change_set(const std::string& region, const std::string& name_or_id,
                                          const std::string& stack);
  Result<Unit> execute_change_set(const std::string& region, const std::string& name_or_id,
                                  const std::string& stack, bool disable_rollback);
  Result<Unit> delete_change_set(const std::string& region, const std::string& name_or_id,
                                 const std::string& stack);
  Result<std::vector<json::Value>> list_change_sets(const std::string& region,
                                                    const std::string& stack);

  // Blocks until no operation runs on the stack or timeout_ms passes; true when idle.
  bool wait_idle(const std::string& stack_id, int64_t timeout_ms);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::deploy
