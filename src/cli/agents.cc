// `signoff agents ...`: the SignoffAgents API over HTTP, signed with SigV4 by libcurl
// (CURLOPT_AWS_SIGV4, signing name "signoff"). Credentials: AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] when set, else profile "signoff" of
// DATA/credentials (the administrator's key written on first start).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "app/bootstrap.h"
#include "cli/command.h"
#include "cli/signed_http.h"
#include "common/json.h"

namespace signoff::cli {
namespace {

struct Options {
  std::string endpoint = "http://127.0.0.1:8765";
  std::string region = "us-east-1";
  std::string data = "./signoff-data";
  std::string body;  // JSON text or file://PATH
  std::string name;
  std::string agent;
  std::string execution;
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Prints the response body (pretty enough: as the server sent it) and sets the exit status.
void call(const Options& o, const std::string& operation, const std::string& body) {
  std::string why;
  std::optional<Credentials> credentials = find_credentials(o.data, &why);
  if (!credentials) {
    std::fprintf(stderr, "signoff agents: no credentials (set AWS_ACCESS_KEY_ID or --data): %s\n",
                 why.c_str());
    exit_status() = 2;
    return;
  }
  HttpResult r = signed_post(
      o.endpoint, o.region, "signoff", credentials,
      {"Content-Type: application/x-amz-json-1.1", "X-Amz-Target: SignoffAgents." + operation},
      body);
  if (!r.error.empty()) {
    std::fprintf(stderr, "signoff agents: %s\n", r.error.c_str());
    exit_status() = 2;
    return;
  }
  const std::string& out = r.body;
  const long status = r.status;
  auto parsed = json::parse(out);
  if (status != 200) {
    std::string type = parsed.ok() && parsed.value.find("__type")
                           ? std::string(parsed.value.find("__type")->as_string())
                           : "HTTP " + std::to_string(status);
    std::string message = parsed.ok() && parsed.value.find("message")
                              ? std::string(parsed.value.find("message")->as_string())
                              : out;
    std::fprintf(stderr, "An error occurred (%s) when calling the %s operation: %s\n",
                 type.substr(type.rfind('#') + 1).c_str(), operation.c_str(), message.c_str());
    exit_status() = 1;
    return;
  }
  std::printf("%s\n", out.c_str());
  exit_status() = 0;
}

// --body TEXT or --body file://PATH, as the AWS CLI reads parameters.
std::string body_text(const std::string& b) {
  if (b.rfind("file://", 0) != 0) {
    return b;
  }
  std::ifstream f(b.substr(7));
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string name_body(const std::string& name) {
  return json::dump(json::Value::object({{"AgentName", json::Value(name)}}));
}

const CommandRegistration kRegistration(Parent::Root, [](CLI::App& parent) {
  auto o = std::make_shared<Options>();
  if (!env("SIGNOFF_ENDPOINT").empty()) {
    o->endpoint = env("SIGNOFF_ENDPOINT");
  }
  if (!env("AWS_REGION").empty()) {
    o->region = env("AWS_REGION");
  }
  CLI::App* agents = parent.add_subcommand("agents", "Agent approvers (the SignoffAgents API)");
  agents->require_subcommand(1);
  agents->add_option("--endpoint", o->endpoint, "Signoff's URL ($SIGNOFF_ENDPOINT)")
      ->capture_default_str();
  agents->add_option("--region", o->region, "Region to sign for ($AWS_REGION)")
      ->capture_default_str();
  agents
      ->add_option("--data", o->data,
                   "Data directory whose credentials file signs (without AWS_ACCESS_KEY_ID)")
      ->capture_default_str();

  auto with_body = [&](const char* name, const char* op, const char* help) {
    CLI::App* cmd = agents->add_subcommand(name, help);
    cmd->add_option("--body", o->body, "The request: JSON, or file://PATH")->required();
    cmd->callback([o, op] { call(*o, op, body_text(o->body)); });
  };
  auto with_name = [&](const char* name, const char* op, const char* help) {
    CLI::App* cmd = agents->add_subcommand(name, help);
    cmd->add_option("name", o->name, "The agent's name")->required();
    cmd->callback([o, op] { call(*o, op, name_body(o->name)); });
  };
  with_body("create", "CreateAgent", "Create an agent (see docs/COMPATIBILITY.md)");
  with_body("update", "UpdateAgent", "Change an agent's settings");
  with_name("describe", "DescribeAgent", "Show one agent");
  with_name("delete", "DeleteAgent", "Delete an agent");
  with_name("suspend", "SuspendAgent", "Stop an agent deciding, at once");
  with_name("resume", "ResumeAgent", "Let a suspended agent decide again");
  CLI::App* list = agents->add_subcommand("list", "List agents");
  list->callback([o] { call(*o, "ListAgents", "{}"); });
  CLI::App* decisions = agents->add_subcommand("decisions", "Agents' decisions and abstentions");
  decisions->add_option("--agent", o->agent, "Only this agent's");
  decisions->add_option("--execution", o->execution, "Only this automation execution's");
  decisions->callback([o] {
    json::Value b = json::Value::object();
    if (!o->agent.empty()) {
      b.set("AgentName", json::Value(o->agent));
    }
    if (!o->execution.empty()) {
      b.set("AutomationExecutionId", json::Value(o->execution));
    }
    call(*o, "ListAgentDecisions", json::dump(b));
  });
});

}  // namespace
}  // namespace signoff::cli
