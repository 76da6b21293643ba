#include "app/startup_deploy.h"

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace signoff::app {

namespace {

std::string text(const json::Value& v, std::string_view key) {
  const json::Value* f = v.find(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool settled(const std::string& status) {
  return ends_with(status, "_COMPLETE") || ends_with(status, "_FAILED");
}

}  // namespace

Result<DeployedStack> deploy_and_wait(deploy::Service& service, const std::string& region,
                                      const StartupDeploy& request, std::FILE* log) {
  std::ifstream in(request.template_file);
  if (!in) {
    return make_error("ValidationError", "cannot read the template " + request.template_file);
  }
  std::stringstream body;
  body << in.rdbuf();

  deploy::StackRequest r;
  r.region = region;
  r.stack_name = request.stack_name;
  r.template_body = body.str();
  r.capabilities = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"};
  for (const auto& [key, value] : request.parameters) {
    r.parameters.push_back(deploy::ParameterInput{key, value, false});
  }

  DeployedStack out;
  auto existing = service.describe_stacks(region, request.stack_name);
  std::string status =
      existing.ok() && !existing->empty() ? text(existing->front(), "StackStatus") : std::string();
  // A restart may find the stack still rolling back or resuming what the last run left in
  // progress: wait for it to settle before deciding.
  while (!status.empty() && !settled(status) && status != "REVIEW_IN_PROGRESS") {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto again = service.describe_stacks(region, request.stack_name);
    status = again.ok() && !again->empty() ? text(again->front(), "StackStatus") : std::string();
  }
  if (status == "DELETE_COMPLETE") {
    status.clear();
  }
  // Never came up, or only a change set that nobody executed: start over.
  if (status == "ROLLBACK_COMPLETE" || status == "ROLLBACK_FAILED" ||
      status == "REVIEW_IN_PROGRESS") {
    std::fprintf(log, "signoff: deploy: stack %s never came up (%s); deleting it to start over\n",
                 request.stack_name.c_str(), status.c_str());
    if (auto d = service.delete_stack(region, request.stack_name); !d.ok()) {
      return d.error();
    }
    while (true) {
      auto s = service.describe_stacks(region, request.stack_name);
      if (!s.ok() || s->empty() || text(s->front(), "StackStatus") == "DELETE_COMPLETE") {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    status.clear();
  }
  std::set<std::string> seen;
  if (!status.empty()) {
    // Events of earlier operations are not news.
    if (auto events = service.stack_events(region, request.stack_name); events.ok()) {
      for (const json::Value& e : *events) {
        seen.insert(text(e, "EventId"));
      }
    }
  }
  Result<std::string> started = status.empty() ? service.create_stack(r) : service.update_stack(r);
  if (!started.ok()) {
    if (started.error().message == "No updates are to be performed.") {
      out.status = status;
    } else {
      return started.error();
    }
  } else {
    out.changed = true;
    std::fprintf(log, "signoff: deploy: %s stack %s from %s\n",
                 status.empty() ? "creating" : "updating", request.stack_name.c_str(),
                 request.template_file.c_str());
    auto print_new_events = [&] {
      auto events = service.stack_events(region, request.stack_name);
      if (!events.ok()) {
        return;
      }
      for (auto it = events->rbegin(); it != events->rend(); ++it) {
        if (!seen.insert(text(*it, "EventId")).second) {
          continue;
        }
        std::string reason = text(*it, "ResourceStatusReason");
        std::fprintf(log, "  %-28s %-36s %s%s%s\n", text(*it, "ResourceStatus").c_str(),
                     text(*it, "LogicalResourceId").c_str(), text(*it, "ResourceType").c_str(),
                     reason.empty() ? "" : "  ", reason.c_str());
      }
      std::fflush(log);
    };
    while (true) {
      print_new_events();
      auto s = service.describe_stacks(region, request.stack_name);
      if (!s.ok()) {
        return s.error();
      }
      out.status = s->empty() ? "" : text(s->front(), "StackStatus");
      if (settled(out.status) && out.status.find("CLEANUP") == std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    print_new_events();
    if (out.status != "CREATE_COMPLETE" && out.status != "UPDATE_COMPLETE") {
      return make_error("DeployFailed", "stack " + request.stack_name + " ended in " + out.status +
                                            " (see the events above)");
    }
  }
  auto s = service.describe_stacks(region, request.stack_name);
  if (s.ok() && !s->empty()) {
    if (const json::Value* outputs = s->front().find("Outputs"); outputs && outputs->is_array()) {
      for (const json::Value& o : outputs->as_array()) {
        out.outputs[text(o, "OutputKey")] = text(o, "OutputValue");
      }
    }
  }
  return out;
}

}  // namespace signoff::app
