#include "app/automation_adapters.h"

#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <random>

#include "automation/approval.h"

namespace signoff::app {

namespace {

std::string now_iso() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string random_id() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> g(mu);
  uint64_t a = rng();
  uint64_t b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xFFFF),
                static_cast<unsigned long long>(a & 0xFFF),
                static_cast<unsigned long long>((b >> 48) & 0xFFF),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

// Appends one line to a file, under a lock, flushed (a test reads it while the server runs).
class JsonLines {
 public:
  explicit JsonLines(std::string path) : path_(std::move(path)) {}
  Result<Unit> append(const json::Value& v) {
    std::lock_guard<std::mutex> g(mu_);
    FILE* f = std::fopen(path_.c_str(), "a");
    if (!f) {
      return make_error("InternalError", "cannot open " + path_);
    }
    std::string line = json::dump(v) + "\n";
    std::fwrite(line.data(), 1, line.size(), f);
    std::fclose(f);
    return Unit{};
  }

 private:
  std::mutex mu_;
  std::string path_;
};

// Until the event bus (wip/bus) is merged: the default bus is a file of events.
class StubEventPublisher final : public automation::EventPublisher {
 public:
  StubEventPublisher(std::string path, std::string account, std::string region)
      : out_(std::move(path)), account_(std::move(account)), region_(std::move(region)) {}
  Result<Unit> put_event(const std::string& source, const std::string& detail_type,
                         const std::string& detail_json,
                         const std::vector<std::string>& resources) override {
    auto detail = json::parse(detail_json);
    std::vector<json::Value> res;
    for (const std::string& r : resources) {
      res.emplace_back(r);
    }
    return out_.append(json::Value::object({
        {"version", json::Value("0")},
        {"id", json::Value(random_id())},
        {"detail-type", json::Value(detail_type)},
        {"source", json::Value(source)},
        {"account", json::Value(account_)},
        {"time", json::Value(now_iso())},
        {"region", json::Value(region_)},
        {"resources", json::Value::array(std::move(res))},
        {"detail", detail.ok() ? detail.value : json::Value::object()},
    }));
  }

 private:
  JsonLines out_;
  std::string account_;
  std::string region_;
};

// Until SNS (wip/notify) is merged: published messages go to a file.
class StubTopicPublisher final : public automation::TopicPublisher {
 public:
  explicit StubTopicPublisher(std::string path) : out_(std::move(path)) {}
  Result<Unit> publish(const std::string& topic_arn, const std::string& subject,
                       const std::string& message) override {
    return out_.append(json::Value::object({{"TopicArn", json::Value(topic_arn)},
                                            {"Subject", json::Value(subject)},
                                            {"Message", json::Value(message)}}));
  }

 private:
  JsonLines out_;
};

// Until IAM (wip/iam) is merged: ARN rules only; group approvers match nobody.
class ArnDirectory final : public automation::PrincipalDirectory {
 public:
  std::optional<std::string> matching_approver(const automation::Principal& p,
                                               const std::vector<std::string>& approvers,
                                               const std::string& account) override {
    return automation::match_approver_by_arn(p.arn, approvers, account);
  }
};

class EngineStateMachines final : public automation::StateMachineRunner {
 public:
  explicit EngineStateMachines(engine::Engine& e) : engine_(e) {}
  Result<automation::StateMachineRun> start(const std::string& arn, const std::string& name,
                                            const std::string& input) override {
    engine::StartExecutionRequest r;
    r.state_machine_arn = arn;
    r.name = name;
    r.input = input;
    auto res = engine_.start_execution(r);
    if (!res.ok()) {
      return res.error();
    }
    automation::StateMachineRun run;
    run.execution_arn = res->execution_arn;
    run.status = "RUNNING";
    return run;
  }
  Result<automation::StateMachineRun> describe(const std::string& arn) override {
    auto res = engine_.describe_execution(arn);
    if (!res.ok()) {
      return res.error();
    }
    return automation::StateMachineRun{res->arn, res->status, res->output, res->error, res->cause};
  }

 private:
  engine::Engine& engine_;
};

class MissingFunctions final : public automation::FunctionInvoker, public automation::ScriptRunner {
 public:
  Result<automation::FunctionResult> invoke(const std::string&, const std::string&,
                                            const std::string&, const std::string&) override {
    return make_error("ServiceUnavailable",
                      "Lambda is not part of this Signoff build yet (the functions service has "
                      "not landed).");
  }
  Result<json::Value> run(const automation::ScriptCall&) override {
    return make_error("ServiceUnavailable",
                      "aws:executeScript needs the functions service, which is not part of this "
                      "Signoff build yet.");
  }
};

// aws:executeAwsApi through the server's own router, so every JSON-protocol service Signoff
// implements (ssm, stepfunctions, ...) is callable exactly as a client would call it.
class RouterApi final : public automation::AwsApiCaller {
 public:
  RouterApi(const std::unique_ptr<api::Router>& router, std::string region)
      : router_(router), region_(std::move(region)) {}
  Result<json::Value> call(const std::string& service, const std::string& api,
                           const json::Value& request) override {
    std::string prefix;
    std::string content_type;
    std::string signing;
    if (service == "ssm") {
      prefix = "AmazonSSM";
      content_type = "application/x-amz-json-1.1";
      signing = "ssm";
    } else if (service == "stepfunctions" || service == "states" || service == "sfn") {
      prefix = "AWSStepFunctions";
      content_type = "application/x-amz-json-1.0";
      signing = "states";
    } else {
      return make_error("InvalidInput", "aws:executeAwsApi: Signoff cannot call service " +
                                            service + " (supported: ssm, stepfunctions).");
    }
    if (!router_) {
      return make_error("InternalError", "the API router is not ready");
    }
    api::HttpRequest http;
    http.method = "POST";
    http.target = "/";
    http.path = "/";
    http.remote_address = "127.0.0.1";
    http.headers.push_back({"X-Amz-Target", prefix + "." + api});
    http.headers.push_back({"Content-Type", content_type});
    http.headers.push_back({"Authorization", "AWS4-HMAC-SHA256 Credential=automation/20260101/" +
                                                 region_ + "/" + signing +
                                                 "/aws4_request, SignedHeaders=host, Signature=0"});
    http.body = json::dump(request);
    auto promise = std::make_shared<std::promise<api::HttpResponse>>();
    auto future = promise->get_future();
    router_->dispatch(std::move(http),
                      [promise](api::HttpResponse r) { promise->set_value(std::move(r)); });
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      return make_error("Timeout", "aws:executeAwsApi: " + api + " did not answer in 60 s");
    }
    api::HttpResponse r = future.get();
    auto body = json::parse(r.body);
    if (r.status != 200) {
      std::string type = "InternalError";
      std::string message = r.body;
      if (body.ok()) {
        if (const json::Value* t = body.value.find("__type"); t && t->is_string()) {
          type = std::string(t->as_string());
          if (size_t hash = type.find('#'); hash != std::string::npos) {
            type = type.substr(hash + 1);
          }
        }
        for (const char* k : {"message", "Message"}) {
          if (const json::Value* m = body.value.find(k); m && m->is_string()) {
            message = std::string(m->as_string());
          }
        }
      }
      return make_error(type, message);
    }
    return body.ok() ? body.value : json::Value::object();
  }

 private:
  const std::unique_ptr<api::Router>& router_;
  std::string region_;
};

}  // namespace

automation::Ports AutomationAdapters::ports() const {
  automation::Ports p;
  p.events = events.get();
  p.topics = topics.get();
  p.principals = principals.get();
  p.state_machines = state_machines.get();
  p.functions = functions.get();
  p.scripts = scripts.get();
  p.aws_api = aws_api.get();
  return p;
}

AutomationAdapters make_automation_adapters(const std::string& data_dir, const std::string& account,
                                            const std::string& region, engine::Engine& engine,
                                            const std::unique_ptr<api::Router>& router) {
  AutomationAdapters a;
  a.events = std::make_unique<StubEventPublisher>(data_dir + "/stub-events.jsonl", account, region);
  a.topics = std::make_unique<StubTopicPublisher>(data_dir + "/stub-notifications.jsonl");
  a.principals = std::make_unique<ArnDirectory>();
  a.state_machines = std::make_unique<EngineStateMachines>(engine);
  auto missing = std::make_unique<MissingFunctions>();
  a.scripts = std::make_unique<MissingFunctions>();
  a.functions = std::move(missing);
  a.aws_api = std::make_unique<RouterApi>(router, region);
  return a;
}

automation::Principal principal_of(const api::RequestContext& ctx, const std::string& account) {
  automation::Principal p;
  p.arn = ctx.access_key_id.empty() ? "arn:aws:iam::" + account + ":root"
                                    : "arn:aws:iam::" + account + ":user/" + ctx.access_key_id;
  if (ctx.http) {
    p.source_address = ctx.http->remote_address;
  }
  return p;
}

}  // namespace signoff::app
