"""Shared helpers for the Step Functions end-to-end tests."""
import json
import time

ROLE = "arn:aws:iam::000000000000:role/signoff-test"

CHILD = {"StartAt": "Hold", "States": {"Hold": {"Type": "Pass", "End": True}}}


def approval_machine(child_arn):
    """A callback-pattern machine: the task token goes to a child execution's input, and the
    decision that comes back with SendTaskSuccess picks the branch."""
    return {
        "Comment": "approval-shaped callback flow",
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
                "Parameters": {"StateMachineArn": child_arn,
                               "Input": {"token.$": "$$.Task.Token", "request.$": "$.request"}},
                "ResultPath": "$.decision",
                "Next": "Decide",
            },
            "Decide": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.decision.approved", "BooleanEquals": True,
                             "Next": "Approved"}],
                "Default": "Rejected",
            },
            "Approved": {"Type": "Succeed"},
            "Rejected": {"Type": "Fail", "Error": "Rejected", "Cause": "the approver said no"},
        },
    }


def wait_for(predicate, timeout=20, interval=0.05, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def wait_status(sfn, arn, statuses=("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"), timeout=30):
    def done():
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] in statuses else None
    return wait_for(done, timeout=timeout, what=f"{arn} to reach {statuses}")


def child_token(sfn, child_arn, request_id=None):
    """The task token handed to the child execution whose request matches."""
    def find():
        for e in sfn.list_executions(stateMachineArn=child_arn)["executions"]:
            d = sfn.describe_execution(executionArn=e["executionArn"])
            inp = json.loads(d["input"])
            if request_id is None or inp.get("request", {}).get("id") == request_id:
                return inp["token"]
        return None
    return wait_for(find, what="the child execution carrying the token")


def full_history(sfn, arn):
    events, token = [], None
    while True:
        kw = {"executionArn": arn, "maxResults": 1000}
        if token:
            kw["nextToken"] = token
        page = sfn.get_execution_history(**kw)
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return events
