// `signoff run-local DEFINITION.json --input '{...}'`: runs a definition in memory and prints the
// event history (one JSON event per line) and the result.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "asl/definition.h"
#include "asl/local_run.h"
#include "cli/command.h"
#include "common/json.h"

namespace signoff::cli {
namespace {

struct RunLocalArgs {
  std::string definition_path;
  std::string input = "{}";
  std::string input_file;
  std::vector<std::string> tasks;
  std::vector<std::string> task_failures;
  bool real_time = false;
  bool quiet = false;
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int run(const RunLocalArgs& args) {
  auto text = read_file(args.definition_path);
  if (!text) {
    std::fprintf(stderr, "error: cannot read %s\n", args.definition_path.c_str());
    return 2;
  }
  asl::ParsedDefinition parsed = asl::parse_definition_text(*text);
  if (!parsed.program) {
    std::fprintf(stderr, "InvalidDefinition: %s\n",
                 asl::invalid_definition_message(parsed.diagnostics).c_str());
    return 2;
  }
  std::string input_text = args.input;
  if (!args.input_file.empty()) {
    auto t = read_file(args.input_file);
    if (!t) {
      std::fprintf(stderr, "error: cannot read %s\n", args.input_file.c_str());
      return 2;
    }
    input_text = *t;
  }
  json::ParseResult input = json::parse(input_text);
  if (!input.ok()) {
    std::fprintf(stderr, "error: --input is not valid JSON: %s at offset %zu\n",
                 input.error.c_str(), input.offset);
    return 2;
  }
  // RESOURCE=RESULT.json answers a Task; RESOURCE=ERROR[:CAUSE] via --task-fail fails it.
  std::map<std::string, asl::TaskAnswer> answers;
  for (const std::string& spec : args.tasks) {
    size_t eq = spec.rfind('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "error: --task takes RESOURCE=RESULT.json\n");
      return 2;
    }
    auto result_text = read_file(spec.substr(eq + 1));
    if (!result_text) {
      std::fprintf(stderr, "error: cannot read %s\n", spec.substr(eq + 1).c_str());
      return 2;
    }
    json::ParseResult r = json::parse(*result_text);
    if (!r.ok()) {
      std::fprintf(stderr, "error: %s is not valid JSON\n", spec.substr(eq + 1).c_str());
      return 2;
    }
    answers[spec.substr(0, eq)] = asl::TaskAnswer{true, r.value, "", ""};
  }
  for (const std::string& spec : args.task_failures) {
    size_t eq = spec.rfind('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "error: --task-fail takes RESOURCE=ERROR[:CAUSE]\n");
      return 2;
    }
    std::string rest = spec.substr(eq + 1);
    size_t colon = rest.find(':');
    asl::TaskAnswer a;
    a.ok = false;
    a.error = rest.substr(0, colon);
    a.cause = colon == std::string::npos ? "" : rest.substr(colon + 1);
    answers[spec.substr(0, eq)] = a;
  }
  asl::TaskHandler handler =
      [&](const asl::RunTaskCommand& task) -> std::optional<asl::TaskAnswer> {
    auto it = answers.find(task.resource);
    if (it == answers.end()) {
      return asl::TaskAnswer{false, json::Value(), "States.TaskFailed",
                             "run-local has no answer for resource " + task.resource +
                                 " (give one with --task RESOURCE=RESULT.json)"};
    }
    return it->second;
  };
  asl::ExecutionInfo info;
  auto machine = std::make_shared<asl::MachineInfo>();
  machine->name = "local";
  machine->arn = "arn:aws:states:us-east-1:000000000000:stateMachine:local";
  machine->role_arn = "arn:aws:iam::000000000000:role/run-local";
  info.machine = machine;
  info.name = "run-local";
  info.input = input.value;
  asl::LocalRunOptions options;
  options.start_time = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  if (args.real_time) {
    options.on_advance = [](asl::EpochNanos from, asl::EpochNanos to) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(to - from));
    };
  }
  asl::LocalRunResult r = asl::run_local(parsed.program, info, handler, options);
  if (!args.quiet) {
    for (const asl::HistoryEvent& e : r.history) {
      std::printf("%s\n", json::dump(asl::event_to_json(e, true)).c_str());
    }
  }
  std::vector<json::Member> summary;
  summary.push_back(json::Member{"status", json::Value(asl::execution_status_name(r.status))});
  if (r.status == asl::ExecutionStatus::Succeeded) {
    summary.push_back(json::Member{"output", r.output});
  } else {
    summary.push_back(json::Member{"error", json::Value(r.error)});
    summary.push_back(json::Member{"cause", json::Value(r.cause)});
  }
  std::printf("%s\n", json::dump(json::Value::object(std::move(summary))).c_str());
  return r.status == asl::ExecutionStatus::Succeeded ? 0 : 1;
}

CommandRegistration registration(Parent::Root, [](CLI::App& app) {
  auto args = std::make_shared<RunLocalArgs>();
  CLI::App* sub = app.add_subcommand(
      "run-local", "Run a state machine definition in memory and print its history and result");
  sub->add_option("definition", args->definition_path, "Definition file (ASL JSON)")->required();
  sub->add_option("--input", args->input, "Execution input (JSON text)");
  sub->add_option("--input-file", args->input_file, "Read the execution input from a file");
  sub->add_option("--task", args->tasks, "Answer a Task resource: RESOURCE=RESULT.json");
  sub->add_option("--task-fail", args->task_failures,
                  "Fail a Task resource: RESOURCE=ERROR[:CAUSE]");
  sub->add_flag("--real-time", args->real_time, "Really wait in Wait states and retries");
  sub->add_flag("--quiet", args->quiet, "Print only the result, not the history");
  sub->callback([args] { exit_status() = run(*args); });
});

}  // namespace
}  // namespace signoff::cli
