// The JSONata query language in the interpreter: one table row per behaviour, each a definition
// run in memory (tasks answered with {"echo": <parameters>}) and its final status, output or
// error and cause.
#include <gtest/gtest.h>

#include "asl/interpreter.h"
#include "asl/local_run.h"

namespace signoff::asl {
namespace {

json::Value j(std::string_view text) {
  json::ParseResult r = json::parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.value;
}

struct Case {
  const char* name;
  const char* definition;
  const char* input;
  const char* status;
  const char* expected;  // SUCCEEDED: output JSON; FAILED: "error" or "error|cause"
};

const Case kCases[] = {
    {"pass_output_expression",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass",
        "Output":{"sum":"{% $sum($states.input.xs) %}","lit":"$.x"},"End":true}}})",
     R"({"xs":[1,2,3]})", "SUCCEEDED", R"({"sum":6,"lit":"$.x"})"},
    {"assign_sees_previous_values",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
        "B":{"Type":"Pass","Assign":{"x":2,"old":"{% $x %}"},"Output":"{% $x %}","Next":"C"},
        "C":{"Type":"Pass","Output":{"x":"{% $x %}","old":"{% $old %}"},"End":true}}})",
     "{}", "SUCCEEDED", R"({"x":2,"old":1})"},
    {"undefined_output_fails",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass",
        "Output":{"r":["{% $nope %}"]},"End":true}}})",
     "{}", "FAILED",
     "States.QueryEvaluationError|An error occurred while executing the state 'A' (entered at the "
     "event id #2). The JSONata expression '$nope' specified for the field 'Output/r[0]' returned "
     "nothing (undefined)."},
    {"choice_condition_and_rule_output",
     R"({"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
        {"Condition":"{% $states.input.n > 5 %}","Next":"Big","Output":"big"}],
        "Default":"Small","Output":"small"},
        "Big":{"Type":"Succeed"},"Small":{"Type":"Succeed"}}})",
     R"({"n":3})", "SUCCEEDED", R"("small")"},
    {"choice_condition_must_be_boolean",
     R"({"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
        {"Condition":"{% $states.input.n %}","Next":"S"}]},"S":{"Type":"Succeed"}}})",
     R"({"n":3})", "FAILED", "States.QueryEvaluationError"},
    {"task_arguments_result_and_output",
     R"({"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Arguments":{"v":"{% $states.input.a %}"},
        "Output":{"got":"{% $states.result.echo.v %}","in":"{% $states.input.a %}"},"End":true}}})",
     R"({"a":7})", "SUCCEEDED", R"({"got":7,"in":7})"},
    {"catch_error_output",
     R"({"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Map","Items":[1],
        "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Fail","Error":"Boom","Cause":"c"}}},
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"D",
                  "Output":"{% $states.errorOutput.Error %}","Assign":{"e":"{% $states.errorOutput.Cause %}"}}],
        "End":true},"D":{"Type":"Pass","Output":{"o":"{% $states.input %}","e":"{% $e %}"},"End":true}}})",
     "{}", "SUCCEEDED", R"({"o":"Boom","e":"c"})"},
    {"query_evaluation_error_is_catchable",
     R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% 1 %}",
        "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},
        "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"D"}],"End":true},
        "D":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}}})",
     "{}", "SUCCEEDED", R"("States.QueryEvaluationError")"},
    {"map_items_selector_and_result",
     R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
        "Items":"{% $states.input.xs %}","MaxConcurrency":"{% 1 %}",
        "ItemSelector":{"i":"{% $states.context.Map.Item.Index %}","v":"{% $states.context.Map.Item.Value %}"},
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
        "Output":"{% $states.result.v %}","End":true}}})",
     R"({"xs":["a","b"]})", "SUCCEEDED", R"(["a","b"])"},
    {"map_input_must_be_array",
     R"({"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
     R"({"a":1})", "FAILED",
     "States.QueryEvaluationError|An error occurred while executing the state 'M' (entered at the "
     "event id #2). Map state input must be an array but was: {\"a\":1}"},
    {"parallel_arguments",
     R"({"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel",
        "Arguments":"{% $states.input.v %}","Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],
        "Output":"{% $states.result[0] %}","End":true}}})",
     R"({"v":5})", "SUCCEEDED", "5"},
    {"wait_seconds_expression",
     R"({"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait",
        "Seconds":"{% $states.input.s %}","End":true}}})",
     R"({"s":2})", "SUCCEEDED", R"({"s":2})"},
    {"wait_seconds_must_be_integer",
     R"({"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait",
        "Seconds":"{% $states.input.s %}","End":true}}})",
     R"({"s":"x"})", "FAILED", "States.QueryEvaluationError"},
    {"fail_error_and_cause_expressions",
     R"({"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail",
        "Error":"{% $states.input.e %}","Cause":"{% 'because ' & $states.input.c %}"}}})",
     R"({"e":"E1","c":"c1"})", "FAILED", "E1|because c1"},
    {"mixed_languages_share_variables",
     R"({"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"v":41},"Next":"B"},
        "B":{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% $v + 1 %}","End":true}}})",
     "{}", "SUCCEEDED", "42"},
    {"aws_functions",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{
        "p":"{% $partition([1,2,3], 2) %}","r":"{% $range(0, 4, 2) %}",
        "h":"{% $hash('abc', 'MD5') %}","j":"{% $parse('{\"a\":[1]}') %}",
        "u":"{% $length($uuid()) %}","s":"{% $random(7) = $random(7) %}"},"End":true}}})",
     "{}", "SUCCEEDED",
     R"({"p":[[1,2],[3]],"r":[0,2,4],"h":"900150983cd24fb0d6963f7d28e17f72","j":{"a":[1]},"u":36,"s":true})"},
    {"eval_is_not_available",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass",
        "Output":"{% $eval('1') %}","End":true}}})",
     "{}", "FAILED",
     "States.QueryEvaluationError|An error occurred while executing the state 'A' (entered at the "
     "event id #2). The JSONata expression '$eval('1')' specified for the field 'Output' threw an "
     "error during evaluation. T1006: Attempted to invoke a non-function"},
};

class JsonataMode : public ::testing::TestWithParam<Case> {};

TEST_P(JsonataMode, EndsAsAwsDoes) {
  const Case& c = GetParam();
  ParsedDefinition p = parse_definition_text(c.definition);
  ASSERT_TRUE(p.program) << invalid_definition_message(p.diagnostics);
  ExecutionInfo info;
  info.name = "e";
  info.input = j(c.input);
  auto echo = [](const RunTaskCommand& cmd) -> std::optional<TaskAnswer> {
    TaskAnswer a;
    a.output = json::Value::object({json::Member{"echo", cmd.parameters}});
    return a;
  };
  LocalRunResult r = run_local(p.program, info, echo);
  ASSERT_EQ(execution_status_name(r.status), c.status) << r.error << ": " << r.cause;
  std::string_view expected = c.expected;
  if (r.status == ExecutionStatus::Succeeded) {
    EXPECT_EQ(json::dump(r.output), json::dump(j(expected)));
    return;
  }
  size_t bar = expected.find('|');
  EXPECT_EQ(r.error, expected.substr(0, bar));
  if (bar != std::string_view::npos) {
    EXPECT_EQ(r.cause, expected.substr(bar + 1));
  }
}

INSTANTIATE_TEST_SUITE_P(Table, JsonataMode, ::testing::ValuesIn(kCases),
                         [](const auto& row) { return std::string(row.param.name); });

struct Invalid {
  const char* name;
  const char* definition;
  const char* message;  // invalid_definition_message
};

const Invalid kInvalid[] = {
    {"jsonpath_field_in_jsonata_state",
     R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.a","End":true}}})",
     "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to "
     "'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at "
     "/States/A'"},
    {"jsonata_field_in_jsonpath_state",
     R"({"StartAt":"A","States":{"A":{"Type":"Pass","Output":{},"End":true}}})",
     "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to "
     "'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at "
     "/States/A'"},
};

class JsonataDefinition : public ::testing::TestWithParam<Invalid> {};

TEST_P(JsonataDefinition, IsRejected) {
  ParsedDefinition p = parse_definition_text(GetParam().definition);
  EXPECT_FALSE(p.program);
  EXPECT_EQ(invalid_definition_message(p.diagnostics), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(Table, JsonataDefinition, ::testing::ValuesIn(kInvalid),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(JsonataDefinition, SyntaxErrorIsReportedAtTheField) {
  ParsedDefinition p = parse_definition_text(
      R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":{"x":"{% [1, %}"},"End":true}}})");
  ASSERT_FALSE(p.program);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].code, "INVALID_JSONATA_EXPRESSION");
  EXPECT_EQ(p.diagnostics[0].location, "/States/A/Output/x");
}

}  // namespace
}  // namespace signoff::asl
