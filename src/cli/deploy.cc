// `signoff deploy TEMPLATE --stack-name NAME [--param K=V]... [--endpoint URL]`: creates or
// updates a stack on a running server through its CloudFormation API, prints the stack events
// as they happen and the outputs at the end. Requests are signed (SigV4) with AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY when set, else with the administrator's key in DATA/credentials; without
// either they go unsigned, which only a server run with --insecure-open accepts.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/signed_http.h"

namespace signoff::cli {
namespace {

struct DeployArgs {
  std::string template_file;
  std::string stack_name;
  std::vector<std::string> params;
  std::string endpoint = "http://127.0.0.1:8765";
  std::string region = "us-east-1";
  std::string data = "./signoff-data";
  std::optional<Credentials> credentials;  // nullopt: unsigned requests (--insecure-open servers)
};

std::string form_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string unescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                                  {"&quot;", "\""}, {"&apos;", "'"},
                                                                  {"&#39;", "'"},   {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    size_t at = 0;
    std::string f(from);
    while ((at = s.find(f, at)) != std::string::npos) {
      s.replace(at, f.size(), to);
      at += 1;
    }
  }
  return s;
}

std::string field(const std::string& xml, const std::string& tag) {
  size_t b = xml.find("<" + tag + ">");
  if (b == std::string::npos) {
    return {};
  }
  b += tag.size() + 2;
  size_t e = xml.find("</" + tag + ">", b);
  return e == std::string::npos ? std::string() : unescape(xml.substr(b, e - b));
}

// The <member> elements directly inside <list>.
std::vector<std::string> members(const std::string& xml, const std::string& list) {
  std::vector<std::string> out;
  std::string inner = xml;
  size_t b = xml.find("<" + list + ">");
  size_t e = xml.find("</" + list + ">");
  if (b == std::string::npos || e == std::string::npos) {
    return out;
  }
  inner = xml.substr(b, e - b);
  size_t at = 0;
  while ((at = inner.find("<member>", at)) != std::string::npos) {
    // Members can nest (Parameters inside a stack): match depth.
    int depth = 0;
    size_t i = at;
    while (i < inner.size()) {
      if (inner.compare(i, 8, "<member>") == 0) {
        ++depth;
        i += 8;
      } else if (inner.compare(i, 9, "</member>") == 0) {
        if (--depth == 0) {
          break;
        }
        i += 9;
      } else {
        ++i;
      }
    }
    out.push_back(inner.substr(at + 8, i - at - 8));
    at = i + 9;
  }
  return out;
}

struct Call {
  HttpResult http;
  bool ok() const { return http.error.empty() && http.status == 200; }
  std::string error_text() const {
    if (!http.error.empty()) {
      return http.error;
    }
    return field(http.body, "Code") + ": " + field(http.body, "Message");
  }
};

Call call(const DeployArgs& a, const std::string& action,
          const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body = "Action=" + action + "&Version=2010-05-15";
  for (const auto& [k, v] : params) {
    body += "&" + form_escape(k) + "=" + form_escape(v);
  }
  return Call{signed_post(a.endpoint, a.region, "cloudformation", a.credentials,
                          {"Content-Type: application/x-www-form-urlencoded; charset=utf-8"},
                          body)};
}

bool terminal(const std::string& status) {
  return status.find("_IN_PROGRESS") == std::string::npos;
}

int deploy(const DeployArgs& a) {
  std::ifstream in(a.template_file);
  if (!in) {
    std::fprintf(stderr, "signoff deploy: cannot read %s\n", a.template_file.c_str());
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::pair<std::string, std::string>> params{
      {"StackName", a.stack_name},
      {"TemplateBody", ss.str()},
      {"Capabilities.member.1", "CAPABILITY_IAM"},
      {"Capabilities.member.2", "CAPABILITY_NAMED_IAM"}};
  int n = 1;
  for (const std::string& p : a.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "signoff deploy: --param wants KEY=VALUE, got %s\n", p.c_str());
      return 2;
    }
    std::string prefix = "Parameters.member." + std::to_string(n++) + ".";
    params.emplace_back(prefix + "ParameterKey", p.substr(0, eq));
    params.emplace_back(prefix + "ParameterValue", p.substr(eq + 1));
  }
  // Events already there belong to earlier operations and are not shown.
  std::set<std::string> seen;
  Call existing = call(a, "DescribeStacks", {{"StackName", a.stack_name}});
  bool update = existing.ok() && field(existing.http.body, "StackStatus") != "REVIEW_IN_PROGRESS";
  if (update) {
    Call events = call(a, "DescribeStackEvents", {{"StackName", a.stack_name}});
    for (const std::string& e : members(events.http.body, "StackEvents")) {
      seen.insert(field(e, "EventId"));
    }
  } else if (!existing.http.error.empty()) {
    std::fprintf(stderr, "signoff deploy: %s\n", existing.error_text().c_str());
    return 1;
  }
  Call started = call(a, update ? "UpdateStack" : "CreateStack", params);
  if (!started.ok()) {
    if (field(started.http.body, "Message") == "No updates are to be performed.") {
      std::printf("No changes to deploy. Stack %s is up to date\n", a.stack_name.c_str());
      return 0;
    }
    std::fprintf(stderr, "signoff deploy: %s\n", started.error_text().c_str());
    return 1;
  }
  std::string stack_id = field(started.http.body, "StackId");
  std::printf("%s stack %s\n", update ? "Updating" : "Creating", stack_id.c_str());
  bool tty = isatty(STDOUT_FILENO);
  std::string status;
  while (true) {
    Call events = call(a, "DescribeStackEvents", {{"StackName", stack_id}});
    std::vector<std::string> list = members(events.http.body, "StackEvents");
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      std::string id = field(*it, "EventId");
      if (!seen.insert(id).second) {
        continue;
      }
      std::string st = field(*it, "ResourceStatus");
      const char* color = "";
      if (tty) {
        color = st.find("FAILED") != std::string::npos || st.find("ROLLBACK") != std::string::npos
                    ? "\033[31m"
                : st.find("COMPLETE") != std::string::npos ? "\033[32m"
                                                           : "\033[33m";
      }
      std::printf("%s  %-40s %-36s %s%-30s%s %s\n", field(*it, "Timestamp").c_str(),
                  field(*it, "LogicalResourceId").c_str(), field(*it, "ResourceType").c_str(),
                  color, st.c_str(), tty ? "\033[0m" : "",
                  field(*it, "ResourceStatusReason").c_str());
    }
    std::fflush(stdout);
    Call d = call(a, "DescribeStacks", {{"StackName", stack_id}});
    status = field(d.http.body, "StackStatus");
    if (!d.ok()) {
      std::fprintf(stderr, "signoff deploy: %s\n", d.error_text().c_str());
      return 1;
    }
    if (terminal(status)) {
      bool good = status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE";
      // One more round so the final events are printed before the outputs.
      if (!list.empty() && field(list.front(), "ResourceStatus") != status) {
        continue;
      }
      if (good) {
        std::vector<std::string> outputs = members(d.http.body, "Outputs");
        if (!outputs.empty()) {
          std::printf("\nOutputs:\n");
        }
        for (const std::string& o : outputs) {
          std::printf("  %s = %s\n", field(o, "OutputKey").c_str(),
                      field(o, "OutputValue").c_str());
        }
        std::printf("\nStack %s: %s\n", a.stack_name.c_str(), status.c_str());
        return 0;
      }
      std::fprintf(stderr, "\nStack %s: %s %s\n", a.stack_name.c_str(), status.c_str(),
                   field(d.http.body, "StackStatusReason").c_str());
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
}

const CommandRegistration kRegistration(Parent::Root, [](CLI::App& parent) {
  auto args = std::make_shared<DeployArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "deploy", "Create or update a CloudFormation stack on a running server, showing its events");
  cmd->add_option("template", args->template_file, "Template file (YAML or JSON)")->required();
  cmd->add_option("--stack-name", args->stack_name, "Stack name")->required();
  cmd->add_option("--param", args->params, "Parameter value KEY=VALUE (repeatable)");
  cmd->add_option("--endpoint", args->endpoint, "Server URL")->capture_default_str();
  cmd->add_option("--region", args->region, "Region")->capture_default_str();
  cmd->add_option("--data", args->data,
                  "Data directory whose credentials file signs the requests (without "
                  "AWS_ACCESS_KEY_ID)")
      ->capture_default_str();
  cmd->callback([args] {
    args->credentials = find_credentials(args->data, nullptr);
    exit_status() = deploy(*args);
  });
});

}  // namespace
}  // namespace signoff::cli
