"""Step Functions through the AWS CLI, v2 (Debian) and v1 (pip): the callback flow a user runs
by hand, and errors as the CLI prints them."""
import json

from sfn_util import CHILD, ROLE, approval_machine


def test_callback_flow_with_cli(aws, tmp_data):
    child = aws("stepfunctions", "create-state-machine", "--name", "child",
                "--definition", json.dumps(CHILD), "--role-arn", ROLE)["stateMachineArn"]
    parent = aws("stepfunctions", "create-state-machine", "--name", "approval",
                 "--definition", json.dumps(approval_machine(child)),
                 "--role-arn", ROLE)["stateMachineArn"]
    started = aws("stepfunctions", "start-execution", "--state-machine-arn", parent,
                  "--name", "release-42", "--input", json.dumps({"request": {"id": "cli"}}))
    arn = started["executionArn"]
    assert arn.endswith(":execution:approval:release-42")

    children = aws("stepfunctions", "list-executions", "--state-machine-arn", child)
    assert len(children["executions"]) == 1
    child_exec = aws("stepfunctions", "describe-execution", "--execution-arn",
                     children["executions"][0]["executionArn"])
    token = json.loads(child_exec["input"])["token"]

    assert aws("stepfunctions", "describe-execution", "--execution-arn", arn)["status"] == "RUNNING"
    aws("stepfunctions", "send-task-success", "--task-token", token,
        "--task-output", json.dumps({"approved": True}))
    done = aws("stepfunctions", "describe-execution", "--execution-arn", arn)
    assert done["status"] == "SUCCEEDED"
    history = aws("stepfunctions", "get-execution-history", "--execution-arn", arn)
    entered = [e["stateEnteredEventDetails"]["name"] for e in history["events"]
               if "stateEnteredEventDetails" in e]
    assert entered == ["Ask", "Decide", "Approved"]
    assert history["events"][-1]["type"] == "ExecutionSucceeded"

    # The CLI prints AWS's error code and message.
    err = aws("stepfunctions", "send-task-success", "--task-token", token,
              "--task-output", "{}", expect_error="TaskTimedOut")
    assert "Provided task does not exist anymore" in err
    aws("stepfunctions", "describe-state-machine", "--state-machine-arn", parent + "-nope",
        expect_error="StateMachineDoesNotExist")
    aws("stepfunctions", "send-task-success", "--task-token", "forged", "--task-output", "{}",
        expect_error="InvalidToken")
