"""EventBridge end to end: rules route PutEvents to Step Functions and to an HTTP API destination
on loopback, input transformers, a scheduled rule, and deliveries that survive kill -9."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import boto3_client
from sfn_util import ROLE, wait_for

PASS = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}

APPROVAL_PATTERN = {
    "source": ["aws.ssm"],
    "detail-type": ["EC2 Automation Step Status-change Notification"],
    "detail": {"Definition": ["MyApprovalDoc"],
               "Status": ["Success", "Failed", "TimedOut", "Cancelled"],
               "Action": ["aws:approve"]},
}


def step_event(definition="MyApprovalDoc", status="Success", action="aws:approve"):
    return {"Source": "aws.ssm", "DetailType": "EC2 Automation Step Status-change Notification",
            "Detail": json.dumps({"Definition": definition, "Status": status, "Action": action,
                                  "ExecutionId": "e-1", "StepName": "Approve"})}


@pytest.fixture
def events(server):
    return boto3_client(server, "events")


def machine(sfn, name, definition=PASS):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                    roleArn=ROLE)["stateMachineArn"]


def execution_inputs(sfn, arn, count, timeout=20):
    def got():
        found = sfn.list_executions(stateMachineArn=arn)["executions"]
        return found if len(found) >= count else None
    found = wait_for(got, timeout=timeout, what=f"{count} executions of {arn}")
    return [json.loads(sfn.describe_execution(executionArn=e["executionArn"])["input"])
            for e in found]


def test_approval_rule_routes_matching_events_to_a_state_machine(events, sfn):
    target = machine(sfn, "on-approval")
    events.put_rule(Name="approvals", EventPattern=json.dumps(APPROVAL_PATTERN))
    events.put_targets(Rule="approvals", Targets=[{"Id": "sfn", "Arn": target, "RoleArn": ROLE}])
    out = events.put_events(Entries=[
        step_event(),
        step_event(definition="OtherDoc"),
        step_event(status="InProgress"),
        step_event(action="aws:runCommand"),
    ])
    assert out["FailedEntryCount"] == 0
    ids = [e["EventId"] for e in out["Entries"]]
    inputs = execution_inputs(sfn, target, 1)
    time.sleep(1.0)  # give the non-matching ones every chance to show up
    inputs = execution_inputs(sfn, target, 1)
    assert len(inputs) == 1
    event = inputs[0]
    assert event["id"] == ids[0]
    assert event["version"] == "0"
    assert event["source"] == "aws.ssm"
    assert event["detail-type"] == "EC2 Automation Step Status-change Notification"
    assert event["account"] == "000000000000" and event["region"] == "us-east-1"
    assert event["resources"] == []
    assert event["detail"]["Definition"] == "MyApprovalDoc"
    assert set(event) == {"version", "id", "detail-type", "source", "account", "time",
                          "region", "resources", "detail"}


def test_input_transformer(events, sfn):
    target = machine(sfn, "transformed")
    events.put_rule(Name="t", EventPattern=json.dumps(APPROVAL_PATTERN))
    events.put_targets(Rule="t", Targets=[{
        "Id": "sfn", "Arn": target, "RoleArn": ROLE,
        "InputTransformer": {
            "InputPathsMap": {"status": "$.detail.Status", "exec": "$.detail.ExecutionId"},
            "InputTemplate": '{"decision": <status>, "text": "execution <exec> ended <status>", '
                             '"rule": <aws.events.rule-name>}'}}])
    events.put_events(Entries=[step_event(status="Failed")])
    [inp] = execution_inputs(sfn, target, 1)
    assert inp == {"decision": "Failed", "text": "execution e-1 ended Failed", "rule": "t"}


def test_api_shapes_and_errors(events):
    bus = events.describe_event_bus()
    assert bus["Name"] == "default"
    assert bus["Arn"] == "arn:aws:events:us-east-1:000000000000:event-bus/default"
    with pytest.raises(events.exceptions.ResourceNotFoundException) as e:
        events.describe_rule(Name="missing")
    assert e.value.response["Error"]["Message"] == "Rule missing does not exist on EventBus default."
    with pytest.raises(events.exceptions.InvalidEventPatternException):
        events.put_rule(Name="bad", EventPattern='{"source": []}')
    events.create_event_bus(Name="orders")
    assert {b["Name"] for b in events.list_event_buses()["EventBuses"]} == {"default", "orders"}
    for i in range(3):
        events.put_rule(Name=f"r{i}", EventPattern='{"source":["x"]}', EventBusName="orders")
    page = events.list_rules(EventBusName="orders", Limit=2)
    assert [r["Name"] for r in page["Rules"]] == ["r0", "r1"]
    rest = events.list_rules(EventBusName="orders", Limit=2, NextToken=page["NextToken"])
    assert [r["Name"] for r in rest["Rules"]] == ["r2"]
    events.put_targets(Rule="r0", EventBusName="orders",
                       Targets=[{"Id": "a", "Arn": "arn:aws:sns:us-east-1:000000000000:t"}])
    with pytest.raises(events.exceptions.ClientError) as e:
        events.delete_rule(Name="r0", EventBusName="orders")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert events.list_rule_names_by_target(
        TargetArn="arn:aws:sns:us-east-1:000000000000:t", EventBusName="orders")["RuleNames"] == ["r0"]
    events.disable_rule(Name="r1", EventBusName="orders")
    assert events.describe_rule(Name="r1", EventBusName="orders")["State"] == "DISABLED"
    out = events.put_events(Entries=[{"Source": "x", "DetailType": "t", "Detail": "[]"},
                                     {"Source": "x", "DetailType": "t", "Detail": "{}",
                                      "EventBusName": "nope"}])
    assert out["FailedEntryCount"] == 2
    assert out["Entries"][0]["ErrorCode"] == "MalformedDetail"
    assert events.test_event_pattern(
        EventPattern=json.dumps(APPROVAL_PATTERN),
        Event=json.dumps({"id": "1", "account": "1", "source": "aws.ssm", "time": "t",
                          "region": "r", "detail-type": "EC2 Automation Step Status-change "
                          "Notification", "detail": {"Definition": "MyApprovalDoc",
                                                     "Status": "Success",
                                                     "Action": "aws:approve"}}))["Result"]


def test_cli(aws):
    out = aws("events", "put-rule", "--name", "cli-rule", "--event-pattern",
              json.dumps(APPROVAL_PATTERN))
    assert out["RuleArn"].endswith(":rule/cli-rule")
    d = aws("events", "describe-rule", "--name", "cli-rule")
    assert json.loads(d["EventPattern"]) == APPROVAL_PATTERN
    err = aws("events", "describe-rule", "--name", "nope", expect_error="ResourceNotFoundException")
    assert "Rule nope does not exist on EventBus default." in err
    out = aws("events", "put-events", "--entries", json.dumps([step_event()]))
    assert out["FailedEntryCount"] == 0


class Recorder(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Recorder.received.append({"path": self.path, "headers": dict(self.headers),
                                  "body": body.decode()})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_sink():
    Recorder.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Recorder.received
    httpd.shutdown()


def test_api_destination_to_loopback_http(events, http_sink):
    base, received = http_sink
    conn = events.create_connection(
        Name="hook", AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key",
                                                  "ApiKeyValue": "s3cret"}})
    assert conn["ConnectionState"] == "AUTHORIZED"
    described = events.describe_connection(Name="hook")
    assert "ApiKeyValue" not in json.dumps(described, default=str)
    dest = events.create_api_destination(
        Name="sink", ConnectionArn=conn["ConnectionArn"],
        InvocationEndpoint=base + "/hook/*", HttpMethod="POST")
    events.put_rule(Name="to-http", EventPattern=json.dumps(APPROVAL_PATTERN))
    events.put_targets(Rule="to-http", Targets=[{
        "Id": "http", "Arn": dest["ApiDestinationArn"], "RoleArn": ROLE,
        "HttpParameters": {"PathParameterValues": ["approvals"],
                           "QueryStringParameters": {"from": "signoff"}}}])
    events.put_events(Entries=[step_event(), step_event(definition="Other")])
    wait_for(lambda: received, timeout=20, what="the HTTP delivery")
    time.sleep(0.5)
    assert len(received) == 1
    req = received[0]
    assert req["path"] == "/hook/approvals?from=signoff"
    assert req["headers"]["x-api-key"] == "s3cret"
    body = json.loads(req["body"])
    assert body["detail"]["Definition"] == "MyApprovalDoc"


def test_state_machine_publishes_with_events_put_events(events, sfn):
    target = machine(sfn, "downstream")
    events.put_rule(Name="from-sfn", EventPattern=json.dumps({"source": ["my.workflow"]}))
    events.put_targets(Rule="from-sfn", Targets=[{"Id": "d", "Arn": target, "RoleArn": ROLE}])
    publisher = machine(sfn, "publisher", {"StartAt": "Emit", "States": {"Emit": {
        "Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
        "Parameters": {"Entries": [{"Source": "my.workflow", "DetailType": "Approved",
                                    "Detail": {"request.$": "$.request"}}]},
        "End": True}}})
    run = sfn.start_execution(stateMachineArn=publisher, input=json.dumps({"request": "r-7"}))
    d = wait_for(lambda: (lambda x: x if x["status"] != "RUNNING" else None)(
        sfn.describe_execution(executionArn=run["executionArn"])), what="publisher")
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["FailedEntryCount"] == 0 and len(out["Entries"][0]["EventId"]) == 36
    [inp] = execution_inputs(sfn, target, 1)
    assert inp["detail"] == {"request": "r-7"} and inp["id"] == out["Entries"][0]["EventId"]


def test_deliveries_survive_kill9(server):
    events = boto3_client(server, "events")
    sfn = boto3_client(server, "stepfunctions")
    target = machine(sfn, "durable")
    events.put_rule(Name="durable", EventPattern=json.dumps(APPROVAL_PATTERN))
    events.put_targets(Rule="durable", Targets=[{"Id": "sfn", "Arn": target, "RoleArn": ROLE}])
    accepted = []
    for _ in range(5):
        out = events.put_events(Entries=[step_event() for _ in range(10)])
        assert out["FailedEntryCount"] == 0
        accepted += [e["EventId"] for e in out["Entries"]]
    server.kill9()  # right after PutEvents returned: deliveries may be anywhere in flight
    server.start()
    sfn = boto3_client(server, "stepfunctions")
    inputs = execution_inputs(sfn, target, len(accepted), timeout=60)
    # Every accepted event reached the target, and none twice (the execution name is the
    # delivery's id, so a repeated attempt finds the execution the first one started).
    assert sorted(i["id"] for i in inputs) == sorted(accepted)


def test_scheduled_rule_fires(events, sfn):
    # EventBridge's finest schedule is rate(1 minute): this test waits for one firing.
    target = machine(sfn, "ticks")
    arn = events.put_rule(Name="tick", ScheduleExpression="rate(1 minute)")["RuleArn"]
    events.put_targets(Rule="tick", Targets=[{"Id": "sfn", "Arn": target, "RoleArn": ROLE}])
    [inp] = execution_inputs(sfn, target, 1, timeout=75)
    assert inp["source"] == "aws.events"
    assert inp["detail-type"] == "Scheduled Event"
    assert inp["detail"] == {}
    assert inp["resources"] == [arn]
