"""Step Functions' AWS SDK integrations (arn:aws:states:::aws-sdk:SERVICE:ACTION) on a server that
checks signatures: each task runs as the state machine's role through the same permission checks
as a signed request, takes PascalCase parameters and answers the SDK's shape; a service error
becomes "Service.ErrorNameException"; .sync is refused at creation as AWS refuses it.
"""
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import boto3_client

ACCOUNT = "000000000000"
TRUST_STATES = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def make_role(iam, name, actions):
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST_STATES)["Role"]["Arn"]
    if actions:
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    return arn


def run(sfn, role_arn, name, states, start_at, payload=None):
    machine = sfn.create_state_machine(
        name=name, roleArn=role_arn,
        definition=json.dumps({"StartAt": start_at, "States": states}))["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps(payload or {}))["executionArn"]
    deadline = time.time() + 30
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError(f"{arn} did not finish")


@pytest.fixture
def clients(secure_server):
    return {s: boto3_client(secure_server, s) for s in ("stepfunctions", "iam", "sns")}


def test_query_and_json_services_as_the_role(clients):
    sfn, iam, sns = clients["stepfunctions"], clients["iam"], clients["sns"]
    role = make_role(iam, "sdk-tasks", ["sns:CreateTopic", "sns:Publish", "states:ListStateMachines",
                                        "states:DescribeExecution", "logs:CreateLogGroup",
                                        "logs:DescribeLogGroups", "events:PutEvents", "iam:GetRole"])
    states = {
        "Who": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sts:getCallerIdentity",
                "ResultPath": "$.who", "Next": "Topic"},
        "Topic": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sns:createTopic",
                  "Parameters": {"Name": "sdk-topic", "Tags": [{"Key": "team", "Value": "a"}]},
                  "ResultPath": "$.topic", "Next": "Publish"},
        "Publish": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sns:publish",
                    "Parameters": {"TopicArn.$": "$.topic.TopicArn", "Message": "hello",
                                   "MessageAttributes": {"kind": {"DataType": "String",
                                                                  "StringValue": "x"}}},
                    "ResultPath": "$.published", "Next": "Machines"},
        "Machines": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:listStateMachines",
                     "Parameters": {"MaxResults": 10}, "ResultSelector": {
                         "Names.$": "$.StateMachines[*].Name"},
                     "ResultPath": "$.machines", "Next": "Missing"},
        "Missing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:describeExecution",
                    "Parameters": {"ExecutionArn": f"arn:aws:states:us-east-1:{ACCOUNT}:execution:none:x"},
                    "Catch": [{"ErrorEquals": ["Sfn.ExecutionDoesNotExistException"],
                               "ResultPath": "$.missing", "Next": "Group"}],
                    "Next": "Group"},
        # CloudWatch Logs speaks camelCase on the wire: PascalCase both ways here.
        "Group": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudwatchlogs:createLogGroup",
                  "Parameters": {"LogGroupName": "/sdk/test"}, "ResultPath": None, "Next": "Groups"},
        "Groups": {"Type": "Task",
                   "Resource": "arn:aws:states:::aws-sdk:cloudwatchlogs:describeLogGroups",
                   "Parameters": {"LogGroupNamePrefix": "/sdk/"},
                   "ResultSelector": {"Names.$": "$.LogGroups[*].LogGroupName"},
                   "ResultPath": "$.groups", "Next": "Event"},
        "Event": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:eventbridge:putEvents",
                  "Parameters": {"Entries": [{"Source": "sdk.test", "DetailType": "t",
                                              "Detail": "{}"}]},
                  "ResultPath": "$.event", "Next": "Role"},
        "Role": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:iam:getRole",
                 "Parameters": {"RoleName": "sdk-tasks"}, "ResultPath": "$.role", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }
    d = run(sfn, role, "sdk-ok", states, "Who")
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["who"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/sdk-tasks/signoff"
    assert out["who"]["Account"] == ACCOUNT
    assert out["topic"]["TopicArn"] == f"arn:aws:sns:us-east-1:{ACCOUNT}:sdk-topic"
    assert sns.get_topic_attributes(TopicArn=out["topic"]["TopicArn"])["Attributes"]
    assert set(out["published"]) == {"MessageId"}
    assert out["machines"]["Names"] == ["sdk-ok"]
    assert out["missing"]["Error"] == "Sfn.ExecutionDoesNotExistException"
    assert "(Service: Sfn, Status Code: 400, Request ID: " in out["missing"]["Cause"]
    assert out["groups"]["Names"] == ["/sdk/test"]
    assert out["event"]["FailedEntryCount"] == 0 and len(out["event"]["Entries"]) == 1
    assert out["role"]["Role"]["Arn"] == role and out["role"]["Role"]["RoleName"] == "sdk-tasks"


def test_the_role_is_authorized_like_any_caller(clients):
    sfn, iam = clients["stepfunctions"], clients["iam"]
    role = make_role(iam, "sdk-weak", ["states:ListStateMachines"])
    states = {"Topic": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sns:createTopic",
                        "Parameters": {"Name": "nope"}, "End": True}}
    d = run(sfn, role, "sdk-denied", states, "Topic")
    assert d["status"] == "FAILED"
    # SNS's own refusal (AuthorizationError), with the SDK's Exception suffix.
    assert d["error"] == "Sns.AuthorizationErrorException", d
    assert (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/sdk-weak/signoff is not authorized to "
            "perform: SNS:CreateTopic") in d["cause"]  # SNS spells its actions so
    assert clients["sns"].list_topics()["Topics"] == []


def test_wait_for_task_token_and_validation(clients):
    sfn, iam = clients["stepfunctions"], clients["iam"]
    role = make_role(iam, "sdk-token", ["states:SendTaskSuccess"])
    # The task hands its own token to SendTaskSuccess: the callback completes it.
    states = {"Callback": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess.waitForTaskToken",
        "Parameters": {"TaskToken.$": "$$.Task.Token", "Output": {"approved": True}},
        "End": True}}
    d = run(sfn, role, "sdk-token", states, "Callback")
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"approved": True}
    events = sfn.get_execution_history(executionArn=d["executionArn"])["events"]
    scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"][0]
    assert (scheduled["resourceType"], scheduled["resource"]) == (
        "aws-sdk:sfn", "sendTaskSuccess.waitForTaskToken")
    # The task's own SendTaskSuccess may complete it before its call's answer (TaskSubmitted).
    types = [e["type"] for e in events if e["type"].startswith("Task")]
    assert [t for t in types if t != "TaskSubmitted"] == [
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"]

    for bad in ("arn:aws:states:::aws-sdk:ssm:startAutomationExecution.sync",
                "arn:aws:states:::aws-sdk:sfn:startExecution.sync:2",
                "arn:aws:states:::aws-sdk:ssm"):
        with pytest.raises(ClientError) as e:
            sfn.create_state_machine(name="bad", roleArn=role, definition=json.dumps(
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": bad, "End": True}}}))
        assert e.value.response["Error"]["Code"] == "InvalidDefinition"
        assert f"The resource provided {bad} is not recognized" in e.value.response["Error"]["Message"]


def test_a_service_signoff_does_not_serve_validates_and_fails_the_task(clients):
    role = make_role(clients["iam"], "sdk-s3", [])
    states = {"Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                      "Parameters": {"Bucket": "b", "Key": "k"}, "End": True}}
    d = run(clients["stepfunctions"], role, "sdk-s3", states, "Get")
    assert (d["status"], d["error"]) == ("FAILED", "States.TaskFailed")
    assert "Signoff does not implement the AWS SDK service 's3'" in d["cause"]
