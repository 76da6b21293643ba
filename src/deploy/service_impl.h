// Internals of deploy::Service shared by its files: document kinds and keys, lookups, events.
#pragma once

#include <atomic>
#include <set>

#include "deploy/service.h"
#include "deploy/template/template.h"

namespace signoff::deploy {

inline constexpr const char* kStackKind = "cfn.stack";
inline constexpr const char* kResourceKind = "cfn.resource";
inline constexpr const char* kEventKind = "cfn.event";
inline constexpr const char* kChangeSetKind = "cfn.changeset";
inline constexpr const char* kExportKind = "cfn.export";

// A stack as stored: the document and its version (for conditional writes).
struct StackDoc {
  json::Value doc;
  int64_t version = 0;
  std::string id() const;
  std::string status() const;
};

struct Service::Impl {
  store::Store& store;
  const Clock& clock;
  DeployOptions options;
  std::map<std::string, ProviderPtr> providers;

  std::mutex mu;  // guards running, stopping, stack status transitions
  std::condition_variable idle_cv;
  std::set<std::string> running;  // stack ids with an operation thread
  std::vector<std::thread> threads;
  bool stopping = false;
  std::atomic<int64_t> last_event_seq{0};

  Impl(store::Store& s, const Clock& c, DeployOptions o)
      : store(s), clock(c), options(std::move(o)) {}

  // Lookups. A name finds the live stack; an id finds deleted stacks too.
  std::optional<StackDoc> find_stack(const std::string& region, const std::string& name_or_id);
  Error no_stack(const std::string& name_or_id) const;
  std::vector<json::Value> resources_of(const std::string& stack_id);
  std::string new_event_key(const std::string& stack_id);

  // One event (and the writes that go with it) committed together.
  json::Value event(const json::Value& stack, const std::string& logical_id,
                    const std::string& physical_id, const std::string& type,
                    const std::string& status, const std::string& reason,
                    const json::Value& properties = json::Value());
  void commit(std::vector<store::DocumentWrite> writes);
  store::DocumentWrite put(const char* kind, const std::string& key, const json::Value& doc,
                           const std::string& index = {});

  // Stack status change with its stack event.
  void set_stack_status(json::Value& stack, const std::string& status, const std::string& reason,
                        std::vector<store::DocumentWrite> more = {});
  void save_stack(const json::Value& stack, std::vector<store::DocumentWrite> more = {});

  // Checks shared by CreateStack, UpdateStack and CreateChangeSet.
  Result<tmpl::Template> parse_for_stack(const std::string& body) const;
  std::optional<Error> check_capabilities(const tmpl::Template& t,
                                          const std::vector<std::string>& caps) const;
  Result<tmpl::ParameterValues> parameter_values(const tmpl::Template& t,
                                                 const std::vector<ParameterInput>& in,
                                                 const json::Value* previous) const;

  // Operations (operation.cc). Each runs on its own thread started by launch().
  void launch(const std::string& stack_id, const std::string& operation);
  void run_operation(const std::string& stack_id, std::string operation);
  std::optional<std::string> import_value(const std::string& region, const std::string& name);
};

std::string iso_time(int64_t ms);
json::Value parameters_json(const tmpl::ParameterValues& values);
tmpl::ParameterValues parameters_from(const json::Value& list);
std::string random_id();

}  // namespace signoff::deploy
