// The EventBridge service: event buses, rules, targets, connections and API destinations kept as
// store documents; PutEvents matching every accepted event once against its bus's compiled rules
// (one patterns::Matcher per bus) and committing a durable delivery job per (rule, target) before
// it returns; delivery threads carrying the jobs out through the ports, retrying under each
// target's RetryPolicy and dead-lettering what cannot be delivered; scheduled rules firing from
// jobs whose due time is the next firing.
//
// Resources are returned in the API's own shapes (json::Value): the document is the shape, so the
// API edge only validates requests and wraps answers. Methods are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/ports.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/store.h"

namespace signoff::bus {

struct BusOptions {
  std::string account = "000000000000";
  std::string region = "us-east-1";
  unsigned delivery_threads = 4;
  // How often the runner looks for retries and schedules that came due (new deliveries wake it
  // at once).
  int64_t poll_interval_ms = 500;
};

struct PutRuleRequest {
  std::string name;
  std::string bus;  // name or ARN; "" → default
  std::optional<std::string> event_pattern;
  std::optional<std::string> schedule_expression;
  std::optional<std::string> state;  // ENABLED (default) | DISABLED
  std::optional<std::string> description;
  std::optional<std::string> role_arn;
};

struct PutEventsEntry {
  std::string source;
  std::string detail_type;
  std::string detail;  // JSON object text
  std::string bus;     // name or ARN; "" → default
  std::vector<std::string> resources;
  std::optional<int64_t> time_ms;
  bool has_source = false;
  bool has_detail_type = false;
  bool has_detail = false;
};

struct PutEventsResultEntry {
  std::string event_id;
  std::string error_code;
  std::string error_message;
};

struct PutEventsResult {
  std::vector<PutEventsResultEntry> entries;
  int64_t failed = 0;
};

struct EntryFailure {
  std::string id;
  std::string code;
  std::string message;
};

struct Listed {
  std::vector<json::Value> items;
  std::string next_token;
};

struct ListRequest {
  std::string bus;
  std::string prefix;
  std::string token;
  size_t limit = 100;
};

class EventsService {
 public:
  EventsService(store::Store& store, const Clock& clock, BusPorts ports, BusOptions options);
  ~EventsService();
  EventsService(const EventsService&) = delete;
  EventsService& operator=(const EventsService&) = delete;

  // Loads buses and rules, creates the default bus, starts the delivery runner (which picks up
  // deliveries left by a crash).
  void start();
  void stop();

  // Event buses.
  Result<json::Value> create_event_bus(const std::string& name, const std::string& description);
  Result<json::Value> describe_event_bus(const std::string& name_or_arn);
  Result<Listed> list_event_buses(const ListRequest& r);
  Result<Unit> delete_event_bus(const std::string& name);
  Result<Unit> put_permission(const std::string& bus, const json::Value& statement_or_policy,
                              bool whole_policy);
  Result<Unit> remove_permission(const std::string& bus, const std::string& statement_id,
                                 bool remove_all);

  // Rules.
  Result<std::string> put_rule(const PutRuleRequest& r);  // the rule ARN
  Result<json::Value> describe_rule(const std::string& name, const std::string& bus);
  Result<Listed> list_rules(const ListRequest& r);
  Result<Unit> set_rule_state(const std::string& name, const std::string& bus, bool enabled);
  Result<Unit> delete_rule(const std::string& name, const std::string& bus, bool force);
  Result<Listed> list_rule_names_by_target(const std::string& target_arn, const ListRequest& r);

  // Targets, in the API's Target shape.
  Result<std::vector<EntryFailure>> put_targets(const std::string& rule, const std::string& bus,
                                                const std::vector<json::Value>& targets);
  Result<std::vector<EntryFailure>> remove_targets(const std::string& rule, const std::string& bus,
                                                   const std::vector<std::string>& ids);
  Result<Listed> list_targets_by_rule(const std::string& rule, const ListRequest& r);

  // Events. Also the internal entry point for other services (SSM Automation's notifications,
  // Step Functions' events:putEvents): returns after the deliveries are committed.
  Result<PutEventsResult> put_events(const std::vector<PutEventsEntry>& entries);
  // TestEventPattern: true when it matches.
  Result<bool> test_event_pattern(const std::string& pattern, const std::string& event);

  // Connections and API destinations, in the API's request shapes.
  Result<json::Value> create_connection(const json::Value& request);
  Result<json::Value> describe_connection(const std::string& name);
  Result<json::Value> delete_connection(const std::string& name);
  Result<Listed> list_connections(const ListRequest& r);
  Result<json::Value> create_api_destination(const json::Value& request);
  Result<json::Value> describe_api_destination(const std::string& name);
  Result<Unit> delete_api_destination(const std::string& name);
  Result<Listed> list_api_destinations(const ListRequest& r);

  // Deliveries not yet done (tests and metrics).
  size_t pending_deliveries();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace signoff::bus
