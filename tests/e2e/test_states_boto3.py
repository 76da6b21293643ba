"""Step Functions through boto3: the service's operations, the callback pattern, errors."""
import json
import time

import pytest
from botocore.exceptions import ClientError

from sfn_util import CHILD, ROLE, approval_machine, child_token, full_history, wait_status


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def error_message(excinfo):
    return excinfo.value.response["Error"]["Message"]


@pytest.fixture
def machines(sfn):
    child = sfn.create_state_machine(name="child", definition=json.dumps(CHILD), roleArn=ROLE)
    parent = sfn.create_state_machine(
        name="approval", definition=json.dumps(approval_machine(child["stateMachineArn"])),
        roleArn=ROLE)
    return child["stateMachineArn"], parent["stateMachineArn"]


def test_create_describe_list_update_delete(sfn):
    definition = json.dumps(CHILD)
    created = sfn.create_state_machine(name="m1", definition=definition, roleArn=ROLE,
                                       tags=[{"key": "team", "value": "release"}])
    arn = created["stateMachineArn"]
    assert arn == "arn:aws:states:us-east-1:000000000000:stateMachine:m1"
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["name"] == "m1" and d["status"] == "ACTIVE" and d["type"] == "STANDARD"
    assert json.loads(d["definition"]) == CHILD and d["roleArn"] == ROLE
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    # Same name and definition: idempotent. Different definition: refused.
    again = sfn.create_state_machine(name="m1", definition=definition, roleArn=ROLE)
    assert again["stateMachineArn"] == arn
    other = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="m1", definition=json.dumps(other), roleArn=ROLE)
    assert error_code(e) == "StateMachineAlreadyExists"
    assert error_message(e) == f"State Machine Already Exists: '{arn}'"
    for i in range(3):
        sfn.create_state_machine(name=f"page{i}", definition=definition, roleArn=ROLE)
    first = sfn.list_state_machines(maxResults=2)
    assert len(first["stateMachines"]) == 2 and "nextToken" in first
    rest = sfn.list_state_machines(maxResults=10, nextToken=first["nextToken"])
    names = [m["name"] for m in first["stateMachines"] + rest["stateMachines"]]
    assert sorted(names) == ["m1", "page0", "page1", "page2"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "release"}]
    upd = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(other))
    # revisionId is newer than Debian's botocore model, which drops members it does not know.
    if "revisionId" in upd:
        assert upd["revisionId"] != d["revisionId"]
    assert "updateDate" in upd
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == other
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_code(e) == "StateMachineDoesNotExist"
    assert error_message(e) == f"State Machine Does Not Exist: '{arn}'"


def test_callback_approved_and_rejected(sfn, machines):
    child, parent = machines
    ok = sfn.start_execution(stateMachineArn=parent, name="deploy-1",
                             input=json.dumps({"request": {"id": "r1", "title": "Deploy"}}))
    token = child_token(sfn, child, "r1")
    assert sfn.describe_execution(executionArn=ok["executionArn"])["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True, "by": "alice"}))
    d = wait_status(sfn, ok["executionArn"])
    assert d["status"] == "SUCCEEDED"
    out = json.loads(d["output"])
    assert out["decision"] == {"approved": True, "by": "alice"}
    events = full_history(sfn, ok["executionArn"])
    types = [e["type"] for e in events]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    assert types[types.index("TaskStarted") + 1] == "TaskSubmitted"
    assert types[types.index("TaskSubmitted") + 1] == "TaskSucceeded"
    entered = [e["stateEnteredEventDetails"]["name"] for e in events
               if "stateEnteredEventDetails" in e]
    assert entered == ["Ask", "Decide", "Approved"]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))

    no = sfn.start_execution(stateMachineArn=parent, name="deploy-2",
                             input=json.dumps({"request": {"id": "r2"}}))
    token2 = child_token(sfn, child, "r2")
    sfn.send_task_success(taskToken=token2, output=json.dumps({"approved": False}))
    d = wait_status(sfn, no["executionArn"])
    assert d["status"] == "FAILED" and d["error"] == "Rejected"
    assert d["cause"] == "the approver said no"


def test_send_task_failure_and_token_errors(sfn, machines):
    child, parent = machines
    ex = sfn.start_execution(stateMachineArn=parent, input=json.dumps({"request": {"id": "f"}}))
    token = child_token(sfn, child, "f")
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{not json")
    assert error_code(e) == "InvalidOutput"
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken="AAAA" + token[4:], output="{}")
    assert error_code(e) == "InvalidToken"
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken="garbage", output="{}")
    assert error_code(e) == "InvalidToken"
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_failure(taskToken=token, error="Denied", cause="by policy")
    d = wait_status(sfn, ex["executionArn"])
    assert d["status"] == "FAILED" and d["error"] == "Denied" and d["cause"] == "by policy"
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{}")
    assert error_code(e) == "TaskTimedOut"


def test_execution_errors(sfn, machines):
    child, parent = machines
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="bad", definition='{"StartAt":"Nope","States":{}}',
                                 roleArn=ROLE)
    assert error_code(e) == "InvalidDefinition"
    first = sfn.start_execution(stateMachineArn=parent, name="same",
                                input=json.dumps({"request": {"id": "s"}}))
    # Same name and input while running: the same execution. Different input: refused.
    again = sfn.start_execution(stateMachineArn=parent, name="same",
                                input=json.dumps({"request": {"id": "s"}}))
    assert again["executionArn"] == first["executionArn"]
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=parent, name="same", input="{}")
    assert error_code(e) == "ExecutionAlreadyExists"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=parent + "x", input="{}")
    assert error_code(e) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=parent, input="{oops")
    assert error_code(e) == "InvalidExecutionInput"
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn="not-an-arn")
    assert error_code(e) == "InvalidArn"
    missing = first["executionArn"] + "-missing"
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn=missing)
    assert error_code(e) == "ExecutionDoesNotExist"
    assert error_message(e) == f"Execution Does Not Exist: '{missing}'"
    with pytest.raises(ClientError) as e:
        sfn.list_executions(stateMachineArn=parent, statusFilter="DONE")
    assert error_code(e) == "ValidationException"
    stopped = sfn.stop_execution(executionArn=first["executionArn"], error="Stop", cause="test")
    assert "stopDate" in stopped
    d = sfn.describe_execution(executionArn=first["executionArn"])
    assert d["status"] == "ABORTED"
    running = sfn.list_executions(stateMachineArn=parent, statusFilter="RUNNING")["executions"]
    assert first["executionArn"] not in [x["executionArn"] for x in running]
    aborted = sfn.list_executions(stateMachineArn=parent, statusFilter="ABORTED")["executions"]
    assert [x["executionArn"] for x in aborted] == [first["executionArn"]]
    desc = sfn.describe_state_machine_for_execution(executionArn=first["executionArn"])
    assert desc["stateMachineArn"] == parent and json.loads(desc["definition"])["StartAt"] == "Ask"


def test_history_pages_and_reverse(sfn):
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(20)}
    states["S20"] = {"Type": "Pass", "End": True}
    m = sfn.create_state_machine(name="long", roleArn=ROLE,
                                 definition=json.dumps({"StartAt": "S0", "States": states}))
    ex = sfn.start_execution(stateMachineArn=m["stateMachineArn"], input='{"a":1}')
    wait_status(sfn, ex["executionArn"])
    ids, token = [], None
    while True:
        kw = {"executionArn": ex["executionArn"], "maxResults": 10}
        if token:
            kw["nextToken"] = token
        page = sfn.get_execution_history(**kw)
        assert len(page["events"]) <= 10
        ids += [e["id"] for e in page["events"]]
        token = page.get("nextToken")
        if not token:
            break
    assert ids == list(range(1, 45))  # start + 21 × (entered, exited) + succeeded
    rev = sfn.get_execution_history(executionArn=ex["executionArn"], reverseOrder=True,
                                    maxResults=3)
    assert [e["id"] for e in rev["events"]] == [44, 43, 42]
    nodata = sfn.get_execution_history(executionArn=ex["executionArn"], maxResults=1,
                                       includeExecutionData=False)
    assert "input" not in nodata["events"][0]["executionStartedEventDetails"]


def test_activity_worker_and_heartbeat_timeout(sfn):
    act = sfn.create_activity(name="reviewers")["activityArn"]
    assert sfn.describe_activity(activityArn=act)["name"] == "reviewers"
    m = sfn.create_state_machine(name="act", roleArn=ROLE, definition=json.dumps({
        "StartAt": "Review",
        "States": {"Review": {"Type": "Task", "Resource": act, "HeartbeatSeconds": 2,
                              "End": True}}}))
    ex = sfn.start_execution(stateMachineArn=m["stateMachineArn"], input='{"change":42}')
    task = sfn.get_activity_task(activityArn=act, workerName="w1")
    assert json.loads(task["input"]) == {"change": 42}
    sfn.send_task_heartbeat(taskToken=task["taskToken"])
    sfn.send_task_success(taskToken=task["taskToken"], output='{"ok":true}')
    d = wait_status(sfn, ex["executionArn"])
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"ok": True}
    events = full_history(sfn, ex["executionArn"])
    assert [e["type"] for e in events] == [
        "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
        "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]
    assert events[2]["activityScheduledEventDetails"]["resource"] == act
    assert json.loads(events[2]["activityScheduledEventDetails"]["input"]) == {"change": 42}
    assert events[3]["activityStartedEventDetails"] == {"workerName": "w1"}

    ex2 = sfn.start_execution(stateMachineArn=m["stateMachineArn"], input="{}")
    task = sfn.get_activity_task(activityArn=act, workerName="w2")
    assert task["taskToken"]
    d = wait_status(sfn, ex2["executionArn"], timeout=15)
    assert d["status"] == "FAILED" and d["error"] == "States.HeartbeatTimeout"


def test_wait_state_and_sync_child(sfn, machines):
    child, _ = machines
    m = sfn.create_state_machine(name="waits", roleArn=ROLE, definition=json.dumps({
        "StartAt": "Pause",
        "States": {
            "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Run"},
            "Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child, "Input": {"x.$": "$.x"}},
                    "OutputPath": "$.Output", "End": True}}}))
    t0 = time.time()
    ex = sfn.start_execution(stateMachineArn=m["stateMachineArn"], input='{"x": 7}')
    d = wait_status(sfn, ex["executionArn"])
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"x": 7}
    assert time.time() - t0 >= 0.9


def test_restart_resumes_waiting_executions(server, sfn, machines):
    child, parent = machines
    ex = sfn.start_execution(stateMachineArn=parent, input=json.dumps({"request": {"id": "rs"}}))
    token = child_token(sfn, child, "rs")
    m = sfn.create_state_machine(name="sleepy", roleArn=ROLE, definition=json.dumps({
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 2, "End": True}}}))
    w = sfn.start_execution(stateMachineArn=m["stateMachineArn"], input="{}")
    server.kill9()
    server.start()
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    assert wait_status(sfn, ex["executionArn"])["status"] == "SUCCEEDED"
    assert wait_status(sfn, w["executionArn"])["status"] == "SUCCEEDED"
    ids = [e["id"] for e in full_history(sfn, ex["executionArn"])]
    assert ids == list(range(1, len(ids) + 1))
