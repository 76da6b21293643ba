#include "asl/interpreter.h"

#include <gtest/gtest.h>

#include "asl/local_run.h"

namespace signoff::asl {
namespace {

json::Value j(std::string_view text) {
  json::ParseResult r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.value;
}

std::shared_ptr<const Program> program(std::string_view definition) {
  ParsedDefinition p = parse_definition_text(definition);
  EXPECT_TRUE(p.program) << invalid_definition_message(p.diagnostics);
  return p.program;
}

ExecutionInfo info(std::string_view input) {
  ExecutionInfo i;
  i.name = "e";
  i.input = j(input);
  return i;
}

struct Case {
  const char* name;
  const char* definition;
  const char* input;
  const char* status;
  const char* output_or_error;  // output JSON when SUCCEEDED, else the error name
};

const Case kCases[] = {
    {"pass_result_path",
     R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","End":true}}})",
     R"({"in":true})", "SUCCEEDED", R"({"in":true,"r":{"x":1}})"},
    {"pass_output_path",
     R"({"StartAt":"A","States":{"A":{"Type":"Pass","OutputPath":"$.a","End":true}}})",
     R"({"a":[1,2]})", "SUCCEEDED", "[1,2]"},
    {"result_path_null_keeps_input",
     R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"ResultPath":null,"End":true}}})",
     R"({"k":"v"})", "SUCCEEDED", R"({"k":"v"})"},
    {"fail_state", R"({"StartAt":"A","States":{"A":{"Type":"Fail","Error":"Boom","Cause":"why"}}})",
     "{}", "FAILED", "Boom"},
    {"wait_then_succeed",
     R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"S"},"S":{"Type":"Succeed"}}})",
     R"({"a":1})", "SUCCEEDED", R"({"a":1})"},
    {"parallel_collects_branch_outputs",
     R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
        {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}]}}})",
     "{}", "SUCCEEDED", R"(["a","b"])"},
    {"map_keeps_item_order",
     R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":2,"End":true,
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
     R"({"xs":[1,2,3,4,5]})", "SUCCEEDED", "[1,2,3,4,5]"},
    {"catch_routes_failure",
     R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Ok","ResultPath":"$.r",
        "Catch":[{"ErrorEquals":["Custom"],"ResultPath":"$.err","Next":"Ok"}],
        "Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Custom","Cause":"c"}}}]},
        "Ok":{"Type":"Succeed"}}})",
     R"({"x":1})", "SUCCEEDED", R"({"x":1,"err":{"Error":"Custom","Cause":"c"}})"},
    {"retry_then_fail",
     R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
        "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2,"IntervalSeconds":1}],
        "Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}]}}})",
     "{}", "FAILED", "E"},
    {"execution_timeout",
     R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})",
     "{}", "TIMED_OUT", "States.Timeout"},
};

class InterpreterCase : public ::testing::TestWithParam<Case> {};

TEST_P(InterpreterCase, EndsAsRecorded) {
  const Case& c = GetParam();
  LocalRunResult r = run_local(program(c.definition), info(c.input), nullptr);
  EXPECT_EQ(execution_status_name(r.status), c.status);
  if (std::string_view(c.status) == "SUCCEEDED") {
    EXPECT_EQ(r.output, j(c.output_or_error)) << json::dump(r.output);
  } else {
    EXPECT_EQ(r.error, c.output_or_error) << r.cause;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, InterpreterCase, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Interpreter, CallbackTaskParksAndResumes) {
  auto p = program(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
           "Parameters":{"token.$":"$$.Task.Token"},"ResultPath":"$.decision","Next":"D"},
      "D":{"Type":"Choice","Choices":[{"Variable":"$.decision.ok","BooleanEquals":true,"Next":"Yes"}],
           "Default":"No"},
      "Yes":{"Type":"Succeed"},"No":{"Type":"Fail","Error":"Rejected"}}})");
  SeededEntropy entropy(7);
  StepEnvironment env{1000, &entropy, nullptr};
  Execution e(p, info("{}"));
  Transition t;
  e.step(Input{}, env, t);
  ASSERT_EQ(t.commands.size(), 1u);
  const RunTaskCommand& task = t.commands[0].task;
  EXPECT_TRUE(task.wait_for_token);
  EXPECT_EQ(task.parameters.find("token")->as_string(), task.task_token);
  EXPECT_EQ(e.status(), ExecutionStatus::Running);

  Input done;
  done.kind = Input::Kind::TaskSucceeded;
  done.id = task.task_id;
  done.output = j(R"({"ok":true})");
  t.clear();
  e.step(done, env, t);
  EXPECT_EQ(e.status(), ExecutionStatus::Succeeded);
  EXPECT_EQ(e.output(), j(R"({"decision":{"ok":true}})"));
  // A second answer for the same task changes nothing.
  t.clear();
  e.step(done, env, t);
  EXPECT_TRUE(t.events.empty());
}

TEST(Interpreter, SameInputsReplayToSameHistory) {
  auto p = program(R"json({"StartAt":"A","States":{"A":{"Type":"Pass",
      "Parameters":{"id.$":"States.UUID()","n.$":"States.MathRandom(1, 1000)"},"End":true}}})json");
  auto run = [&] {
    LocalRunResult r = run_local(p, info("{}"), nullptr);
    std::string all;
    for (const HistoryEvent& e : r.history) {
      all += json::dump(event_to_json(e, false));
    }
    return all;
  };
  EXPECT_EQ(run(), run());
}

TEST(Interpreter, RuntimeErrorNamesStateAndEvent) {
  auto p = program(
      R"({"StartAt":"pass","States":{"pass":{"Type":"Pass","InputPath":"$.nope","End":true}}})");
  LocalRunResult r = run_local(p, info(R"({"a":1})"), nullptr);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "An error occurred while executing the state 'pass' (entered at the event id #2). "
            "Invalid path '$.nope' : No results for path: $['nope']");
}

TEST(Definition, ReportsMissingFieldsAndTargets) {
  ParsedDefinition p = parse_definition_text(R"({"States":{}})");
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].message, "These fields are required: [StartAt]");
  p = parse_definition_text(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})");
  ASSERT_FALSE(p.program);
  EXPECT_EQ(p.diagnostics[0].code, "MISSING_TRANSITION_TARGET");
  EXPECT_EQ(p.diagnostics[0].location, "/States/A/Next");
  p = parse_definition_text("{not json");
  EXPECT_FALSE(p.program);
}

}  // namespace
}  // namespace signoff::asl
