// Private to src/bus/: the service's in-memory state. The store is the truth; this is the cache
// of buses and rules with each bus's compiled matcher, and the delivery runner's bookkeeping.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bus/events.h"
#include "patterns/matcher.h"

namespace signoff::bus {

inline constexpr const char* kBusKind = "events.bus";
inline constexpr const char* kRuleKind = "events.rule";
inline constexpr const char* kConnectionKind = "events.connection";
inline constexpr const char* kDestinationKind = "events.api-destination";
inline constexpr const char* kDeadLetterKind = "events.dead-letter";
inline constexpr const char* kDeliveryJob = "events.delivery";
inline constexpr const char* kScheduleJob = "events.schedule";
inline constexpr size_t kMaxTargetsPerRule = 5;

struct RuleEntry {
  json::Value doc;  // the rule document, with its "Targets"
  patterns::RuleId id = 0;
};

struct BusState {
  std::string name;
  json::Value doc;
  patterns::Matcher matcher;  // the ENABLED rules with an EventPattern
  std::map<std::string, RuleEntry> rules;
  std::unordered_map<patterns::RuleId, std::string> rule_of_id;
};

// A delivery job's payload, decoded.
struct Delivery {
  std::string bus;
  std::string rule_arn;
  std::string rule_name;
  json::Value target;  // the Target as it was when the event matched
  std::string input;   // what the target receives
  std::string event;   // the event envelope
  int64_t event_time_ms = 0;
};

struct EventsService::Impl {
  Impl(store::Store& s, const Clock& c, BusPorts p, BusOptions o)
      : store(s), clock(c), ports(std::move(p)), opts(std::move(o)) {}

  store::Store& store;
  const Clock& clock;
  BusPorts ports;
  BusOptions opts;

  // Resource writes one at a time: a write reads the document, commits it, then updates the
  // cache, and the cache must see writes in commit order.
  std::mutex write_mu;
  // The cache: shared by PutEvents, exclusive while a write updates it.
  std::shared_mutex state_mu;
  std::map<std::string, std::unique_ptr<BusState>> buses;
  std::atomic<patterns::RuleId> next_rule_id{1};

  // Delivery runner.
  std::mutex run_mu;
  std::condition_variable run_cv;
  bool stopping = false;
  bool wake = false;
  bool started = false;
  std::set<std::string> in_flight;  // job ids handed to a worker
  std::deque<store::JobRecord> queue;
  std::condition_variable queue_cv;
  std::thread dispatcher;
  std::vector<std::thread> workers;

  std::mutex rng_mu;
  std::mt19937_64 rng{std::random_device{}()};

  // util.cc
  std::string uuid();
  double jitter();
  std::string bus_arn(const std::string& name) const;
  std::string rule_arn(const std::string& bus, const std::string& rule) const;
  std::string arn_prefix() const;

  // resources.cc
  void load();
  BusState* find_bus(const std::string& name);                             // under state_mu
  void index_rule(BusState& b, const std::string& name, json::Value doc);  // under state_mu
  void unindex_rule(BusState& b, const std::string& name);                 // under state_mu
  store::JobRecord schedule_job(const json::Value& rule, int64_t now_ms, int64_t anchor_ms);

  // put_events.cc
  std::string envelope(const PutEventsEntry& e, const std::string& id, int64_t time_ms);
  // Jobs for every (matching rule, target) of the event on `bus`.
  void route(const std::string& bus, const std::string& event_text,
             std::vector<store::JobRecord>& jobs);
  void deliveries_for_rule(const std::string& bus, const json::Value& rule,
                           const std::string& event_text, const json::Value& event,
                           int64_t event_time_ms, std::vector<store::JobRecord>& jobs);

  // delivery.cc
  void start_runner();
  void stop_runner();
  void notify();
  void dispatch_loop();
  void worker_loop();
  void run_delivery(const store::JobRecord& job);
  void fire_schedule(const store::JobRecord& job);
  DeliveryOutcome deliver(const store::JobRecord& job, const Delivery& d);
  DeliveryOutcome deliver_http(const Delivery& d);
  DeliveryOutcome deliver_to_bus(const store::JobRecord& job, const Delivery& d,
                                 const std::string& bus);
  void dead_letter(const store::JobRecord& job, const Delivery& d, const std::string& reason);
};

// util.cc
std::string iso_time(int64_t ms);
std::string bus_name_of(const std::string& name_or_arn);  // "" → "default"
std::string base64(std::string_view in);
Error rule_not_found(const std::string& rule, const std::string& bus);
Error bus_not_found(const std::string& bus);
std::string wrap_token(const std::string& key);
std::optional<std::string> unwrap_token(const std::string& token);
Error bad_token();
// A string member, or "" when absent or not a string.
std::string sget(const json::Value& obj, std::string_view key);

}  // namespace signoff::bus
