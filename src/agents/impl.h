// Private to src/agents/: stored shapes and the helpers the service's files share.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "agents/service.h"
#include "common/worker_pool.h"

namespace signoff::agents {

inline constexpr const char* kAgentKind = "agents.agent";
inline constexpr const char* kDecisionKind = "agents.decision";
inline constexpr const char* kJobKind = "agents.job";
inline constexpr int64_t kMaxWebhookAttempts = 5;

std::string text_of(const json::Value& v, std::string_view key);
int64_t int_of(const json::Value& v, std::string_view key, int64_t fallback = 0);
double number_of(const json::Value& v, std::string_view key, double fallback = 0);
std::string role_name_of(std::string_view role_arn);
json::Value epoch_seconds(int64_t ms);

// The stored agent for a CreateAgent (existing == nullptr) or UpdateAgent request. Secrets are
// sealed; a generated webhook secret is handed back once through *generated_secret.
Result<json::Value> build_agent(const json::Value& request, const json::Value* existing,
                                SecretSealer* sealer, int64_t now_ms, const std::string& arn,
                                std::string* generated_secret);
// The API's view of a stored agent: secrets only as "set".
json::Value render_agent(const json::Value& stored);

struct AgentsService::Impl {
  Impl(store::Store& s, const Clock& c, Ports p, AgentsOptions o)
      : store(s), clock(c), ports(p), opts(std::move(o)) {}
  store::Store& store;
  const Clock& clock;
  Ports ports;
  AgentsOptions opts;

  std::mutex agents_mu;  // read-modify-write of agent documents (API and usage counters)

  std::mutex job_mu;
  std::condition_variable job_cv;
  bool stopping = false;
  bool kicked = false;
  std::thread dispatcher;
  std::unique_ptr<WorkerPool> workers;
  std::set<std::string> in_flight;  // job ids handed to a worker, under job_mu

  void kick();
  void dispatch_loop();
  std::vector<store::JobRecord> take_due();
  void run_job(const store::JobRecord& job);
};

}  // namespace signoff::agents
