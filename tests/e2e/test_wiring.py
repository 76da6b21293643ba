"""Cross-service flows through the composition root (src/app/): an aws:approve automation whose
step-status events reach an EventBridge rule with a Lambda target and whose approval request
arrives by e-mail through SNS; approvers resolved through IAM (user ARN, group, role session,
outsiders refused); functions running with their role's temporary credentials; state machine
tasks authorized as the machine's role; aws:executeScript and aws:invokeLambdaFunction steps; SNS
Lambda subscriptions."""
import io
import json
import os
import time
import zipfile

import botocore.exceptions
import pytest
from aiosmtpd.controller import Controller

from conftest import boto3_client, free_port
from sfn_util import wait_status
from test_notify import Mailbox, body_of, confirm_by_mail, wait_for

ACCOUNT = "000000000000"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"

# Writes every event it gets to RECORD_DIR, one file each (renamed into place: never half read).
RECORDER = '''
import json, os, uuid

def handler(event, context):
    d = os.environ["RECORD_DIR"]
    name = os.path.join(d, uuid.uuid4().hex)
    with open(name + ".tmp", "w") as f:
        json.dump(event, f)
    os.rename(name + ".tmp", name + ".json")
    return {"recorded": True}
'''

GATE = """
schemaVersion: '0.3'
parameters:
  Approvers:
    type: StringList
  Topic:
    type: String
    default: ''
  MinRequired:
    type: Integer
    default: 1
mainSteps:
  - name: Gate
    action: aws:approve
    inputs:
      Approvers: '{{ Approvers }}'
      MinRequiredApprovals: '{{ MinRequired }}'
      NotificationArn: '{{ Topic }}'
      Message: Please approve the release.
    isEnd: true
"""

GATE_NO_TOPIC = """
schemaVersion: '0.3'
parameters:
  Approvers:
    type: StringList
  MinRequired:
    type: Integer
    default: 1
mainSteps:
  - name: Gate
    action: aws:approve
    inputs:
      Approvers: '{{ Approvers }}'
      MinRequiredApprovals: '{{ MinRequired }}'
    isEnd: true
"""

STEP_PATTERN = {
    "source": ["aws.ssm"],
    "detail-type": ["EC2 Automation Step Status-change Notification"],
    "detail": {"Definition": ["Gate"], "Status": ["Success", "Failed"], "Action": ["aws:approve"]},
}


def zip_of(source, name="index.py"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, source)
    return buf.getvalue()


def recorded(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".json"):
            with open(os.path.join(directory, name)) as f:
                out.append(json.load(f))
    return out


def create_recorder(lam, name, record_dir, role=f"arn:aws:iam::{ACCOUNT}:role/recorder"):
    os.makedirs(record_dir, exist_ok=True)
    return lam.create_function(
        FunctionName=name, Runtime="python3.11", Role=role, Handler="index.handler",
        Code={"ZipFile": zip_of(RECORDER)}, Timeout=10,
        Environment={"Variables": {"RECORD_DIR": record_dir}})["FunctionArn"]


def status(ssm, exec_id):
    return ssm.get_automation_execution(AutomationExecutionId=exec_id)[
        "AutomationExecution"]["AutomationExecutionStatus"]


def gate_step(ssm, exec_id):
    return ssm.describe_automation_step_executions(AutomationExecutionId=exec_id)[
        "StepExecutions"][0]


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def server_args(mailbox):
    return ["--smtp-url", f"smtp://127.0.0.1:{mailbox.port}?starttls=never"]


def test_approval_mail_and_step_events_to_a_lambda_rule_target(server, mailbox, tmp_data):
    sns = boto3_client(server, "sns")
    lam = boto3_client(server, "lambda")
    events = boto3_client(server, "events")
    ssm = boto3_client(server, "ssm")

    topic = sns.create_topic(Name="AutomationApprovalNotification")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="approver@example.com")
    confirm_by_mail(mailbox, "approver@example.com", topic)

    allowed_dir = os.path.join(tmp_data, "allowed")
    refused_dir = os.path.join(tmp_data, "refused")
    allowed = create_recorder(lam, "on-approval", allowed_dir)
    refused = create_recorder(lam, "not-permitted", refused_dir)
    rule = events.put_rule(Name="approval-steps", EventPattern=json.dumps(STEP_PATTERN))["RuleArn"]
    lam.add_permission(FunctionName="on-approval", StatementId="events",
                       Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                       SourceArn=rule)
    # Only the first function's resource policy lets the rule invoke it.
    events.put_targets(Rule="approval-steps", Targets=[{"Id": "fn", "Arn": allowed},
                                                       {"Id": "other", "Arn": refused}])

    ssm.create_document(Name="Gate", DocumentType="Automation", DocumentFormat="YAML", Content=GATE)
    # Under --insecure-open every caller is the administrator, an approver only when listed.
    exec_id = ssm.start_automation_execution(
        DocumentName="Gate", Parameters={"Approvers": [ROOT], "Topic": [topic]})[
        "AutomationExecutionId"]
    wait_for(lambda: status(ssm, exec_id) == "Waiting", what="the approval to wait")

    mail = wait_for(lambda: [m for m in mailbox.mails() if "approver@example.com" in m["to"]
                             and exec_id in body_of(m)], what="the approval mail")[0]
    body = body_of(mail)
    assert "Please approve the release." in body and f"/console/approvals/{exec_id}" in body
    assert str(mail["msg"]["Subject"]) == "Automation approval request"

    ssm.send_automation_signal(AutomationExecutionId=exec_id, SignalType="Approve",
                               Payload={"Comment": ["ship it"]})
    wait_for(lambda: status(ssm, exec_id) == "Success", what="the automation to succeed")

    got = wait_for(lambda: recorded(allowed_dir), timeout=20, what="the event at the function")
    event = got[0]
    assert event["source"] == "aws.ssm" and event["account"] == ACCOUNT
    assert event["detail-type"] == "EC2 Automation Step Status-change Notification"
    assert event["detail"]["ExecutionId"] == exec_id
    assert event["detail"]["Status"] == "Success" and event["detail"]["Action"] == "aws:approve"
    assert any(f"automation-execution/{exec_id}" in r for r in event["resources"])
    # The pattern matched one event (the step's Success), delivered once.
    time.sleep(1.0)
    assert len(recorded(allowed_dir)) == 1
    assert recorded(refused_dir) == []


def trust(principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})


def allow(*actions, resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(actions), "Resource": resource}]})


def user_with_keys(iam, name, *actions):
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if actions:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=allow(*actions))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (key["AccessKeyId"], key["SecretAccessKey"])


def test_approvers_resolved_through_iam(secure_server):
    s = secure_server
    iam = boto3_client(s, "iam")
    ssm = boto3_client(s, "ssm")  # the administrator starts the automation
    alice_arn, alice = user_with_keys(iam, "alice", "ssm:SendAutomationSignal")
    bob_arn, bob = user_with_keys(iam, "bob", "ssm:SendAutomationSignal")
    carol_arn, carol = user_with_keys(iam, "carol", "sts:AssumeRole")
    mallory_arn, mallory = user_with_keys(iam, "mallory", "ssm:SendAutomationSignal")
    group_arn = iam.create_group(GroupName="release-approvers")["Group"]["Arn"]
    iam.add_user_to_group(GroupName="release-approvers", UserName="bob")
    role_arn = iam.create_role(RoleName="Approver", AssumeRolePolicyDocument=trust(
        {"AWS": carol_arn}))["Role"]["Arn"]
    iam.put_role_policy(RoleName="Approver", PolicyName="p",
                        PolicyDocument=allow("ssm:SendAutomationSignal"))
    session = boto3_client(s, "sts", credentials=carol).assume_role(
        RoleArn=role_arn, RoleSessionName="carol-on-call")["Credentials"]
    carol_session = (session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    session_arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/Approver/carol-on-call"

    ssm.create_document(Name="Gate", DocumentType="Automation", DocumentFormat="YAML",
                        Content=GATE_NO_TOPIC)
    exec_id = ssm.start_automation_execution(
        DocumentName="Gate",
        Parameters={"Approvers": [alice_arn, "release-approvers", role_arn],
                    "MinRequired": ["3"]})["AutomationExecutionId"]
    wait_for(lambda: status(ssm, exec_id) == "Waiting", what="the approval to wait")
    assert ssm.get_automation_execution(AutomationExecutionId=exec_id)[
        "AutomationExecution"]["ExecutedBy"] == ROOT

    def signal(credentials, kind="Approve"):
        boto3_client(s, "ssm", credentials=credentials).send_automation_signal(
            AutomationExecutionId=exec_id, SignalType=kind)

    # An outsider (allowed the API call, not listed), a plain user, and the administrator (not
    # listed): refused, nothing recorded.
    for who, kind in ((mallory, "Approve"), (mallory, "Reject"), (carol, "Approve"),
                      (None, "Approve")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            if who is None:
                ssm.send_automation_signal(AutomationExecutionId=exec_id, SignalType=kind)
            else:
                signal(who, kind)
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert status(ssm, exec_id) == "Waiting"
    assert "ApproverDecisions" not in gate_step(ssm, exec_id)["Outputs"]

    signal(alice)
    signal(bob)
    time.sleep(0.3)
    assert status(ssm, exec_id) == "Waiting"
    signal(carol_session)
    wait_for(lambda: status(ssm, exec_id) == "Success", what="three approvals")
    step = gate_step(ssm, exec_id)
    assert step["Outputs"]["ApprovalStatus"] == ["Approved"]
    decisions = [json.loads(d) for d in step["Outputs"]["ApproverDecisions"]]
    # ApproverDecisions names who decided (AWS's shape); each matched a different entry.
    assert [d["Approver"] for d in decisions] == [alice_arn, bob_arn, session_arn]
    assert all(d["Decision"] == "Approved" for d in decisions)
    assert group_arn.endswith(":group/release-approvers") and mallory_arn


def test_group_arn_and_role_name_entries(secure_server):
    s = secure_server
    iam = boto3_client(s, "iam")
    ssm = boto3_client(s, "ssm")
    dave_arn, dave = user_with_keys(iam, "dave", "ssm:SendAutomationSignal", "sts:AssumeRole")
    group_arn = iam.create_group(GroupName="ops")["Group"]["Arn"]
    iam.add_user_to_group(GroupName="ops", UserName="dave")
    iam.create_role(RoleName="Oncall", AssumeRolePolicyDocument=trust({"AWS": dave_arn}))
    iam.put_role_policy(RoleName="Oncall", PolicyName="p",
                        PolicyDocument=allow("ssm:SendAutomationSignal"))
    ssm.create_document(Name="Gate", DocumentType="Automation", DocumentFormat="YAML",
                        Content=GATE_NO_TOPIC)
    exec_id = ssm.start_automation_execution(
        DocumentName="Gate", Parameters={"Approvers": [group_arn, "Oncall"],
                                         "MinRequired": ["2"]})["AutomationExecutionId"]
    wait_for(lambda: status(ssm, exec_id) == "Waiting", what="the approval to wait")
    boto3_client(s, "ssm", credentials=dave).send_automation_signal(
        AutomationExecutionId=exec_id, SignalType="Approve")
    c = boto3_client(s, "sts", credentials=dave).assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Oncall", RoleSessionName="night")["Credentials"]
    boto3_client(s, "ssm", credentials=(c["AccessKeyId"], c["SecretAccessKey"],
                                        c["SessionToken"])).send_automation_signal(
        AutomationExecutionId=exec_id, SignalType="Approve")
    wait_for(lambda: status(ssm, exec_id) == "Success", what="two approvals")
    decisions = [json.loads(d) for d in gate_step(ssm, exec_id)["Outputs"]["ApproverDecisions"]]
    assert [d["Approver"] for d in decisions] == [
        dave_arn, f"arn:aws:sts::{ACCOUNT}:assumed-role/Oncall/night"]


CALLER = '''
import json
import boto3, botocore.exceptions

def handler(event, context):
    out = {}
    try:
        out["identity"] = boto3.client("sts").get_caller_identity()["Arn"]
    except botocore.exceptions.ClientError as e:
        out["identity"] = e.response["Error"]["Code"]
    sfn = boto3.client("stepfunctions")
    try:
        out["list"] = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    except botocore.exceptions.ClientError as e:
        out["list"] = e.response["Error"]["Code"]
    try:
        sfn.create_state_machine(name="sneaky", roleArn=event["role"], definition=json.dumps(
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
        out["create"] = "allowed"
    except botocore.exceptions.ClientError as e:
        out["create"] = e.response["Error"]["Code"]
    return out
'''

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_function_calls_signoff_as_its_role(secure_server):
    s = secure_server
    iam = boto3_client(s, "iam")
    lam = boto3_client(s, "lambda")
    sfn = boto3_client(s, "stepfunctions")
    role = iam.create_role(RoleName="lister", AssumeRolePolicyDocument=trust(
        {"Service": "lambda.amazonaws.com"}))["Role"]["Arn"]
    iam.put_role_policy(RoleName="lister", PolicyName="p",
                        PolicyDocument=allow("states:ListStateMachines"))
    # A role Lambda may not assume: its function gets no usable credentials.
    untrusted = iam.create_role(RoleName="not-for-lambda", AssumeRolePolicyDocument=trust(
        {"Service": "states.amazonaws.com"}))["Role"]["Arn"]
    sfn.create_state_machine(name="visible", roleArn=role, definition=PASS)
    for name, r in (("caller", role), ("untrusted", untrusted)):
        lam.create_function(FunctionName=name, Runtime="python3.11", Role=r,
                            Handler="index.handler", Code={"ZipFile": zip_of(CALLER)}, Timeout=20)

    out = json.loads(lam.invoke(FunctionName="caller", Payload=json.dumps({"role": role}))[
        "Payload"].read())
    assert out["identity"].startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/lister/"), out
    assert out["list"] == ["visible"]
    assert out["create"] == "AccessDeniedException"
    assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["visible"]

    out = json.loads(lam.invoke(FunctionName="untrusted", Payload=json.dumps({"role": role}))[
        "Payload"].read())
    assert out["identity"] == "InvalidClientTokenId", out
    assert out["list"] == "UnrecognizedClientException"


ECHO = '''
def handler(event, context):
    return {"echo": event}
'''


def test_state_machine_tasks_run_as_the_machine_role(secure_server):
    s = secure_server
    iam = boto3_client(s, "iam")
    lam = boto3_client(s, "lambda")
    sfn = boto3_client(s, "stepfunctions")
    fn = lam.create_function(FunctionName="echo", Runtime="python3.11", Role=f"arn:aws:iam::{ACCOUNT}:role/x",
                             Handler="index.handler", Code={"ZipFile": zip_of(ECHO)})["FunctionArn"]
    states = trust({"Service": "states.amazonaws.com"})
    can = iam.create_role(RoleName="can-invoke", AssumeRolePolicyDocument=states)["Role"]["Arn"]
    iam.put_role_policy(RoleName="can-invoke", PolicyName="p",
                        PolicyDocument=allow("lambda:InvokeFunction", resource=fn))
    cannot = iam.create_role(RoleName="cannot-invoke", AssumeRolePolicyDocument=states)["Role"]["Arn"]
    definition = json.dumps({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "echo", "Payload": {"n": 1}},
        "OutputPath": "$.Payload", "End": True}}})
    results = {}
    for name, role in (("allowed", can), ("denied", cannot)):
        arn = sfn.create_state_machine(name=name, roleArn=role, definition=definition)[
            "stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        results[name] = wait_status(sfn, ex)
    assert results["allowed"]["status"] == "SUCCEEDED"
    assert json.loads(results["allowed"]["output"]) == {"echo": {"n": 1}}
    assert results["denied"]["status"] == "FAILED"
    assert results["denied"]["error"] == "Lambda.AccessDeniedException"
    assert (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/cannot-invoke/" in results["denied"]["cause"]
            and f"lambda:InvokeFunction on resource: {fn}" in results["denied"]["cause"])


SCRIPTED = """
schemaVersion: '0.3'
mainSteps:
  - name: double
    action: aws:executeScript
    inputs:
      Runtime: python3.8
      Handler: script_handler
      Script: |-
        def script_handler(events, context):
            return {"doubled": events["n"] * 2}
      InputPayload:
        n: 21
    outputs:
      - Name: Doubled
        Selector: $.Payload.doubled
        Type: Integer
  - name: call
    action: aws:invokeLambdaFunction
    inputs:
      FunctionName: echo
      Payload: '{"from": "automation"}'
    isEnd: true
"""


def test_execute_script_and_invoke_lambda_steps(server):
    lam = boto3_client(server, "lambda")
    ssm = boto3_client(server, "ssm")
    lam.create_function(FunctionName="echo", Runtime="python3.11",
                        Role=f"arn:aws:iam::{ACCOUNT}:role/x", Handler="index.handler",
                        Code={"ZipFile": zip_of(ECHO)})
    ssm.create_document(Name="Scripted", DocumentType="Automation", DocumentFormat="YAML",
                        Content=SCRIPTED)
    exec_id = ssm.start_automation_execution(DocumentName="Scripted")["AutomationExecutionId"]
    wait_for(lambda: status(ssm, exec_id) not in ("Pending", "InProgress"), timeout=30,
             what="the automation to finish")
    steps = ssm.describe_automation_step_executions(AutomationExecutionId=exec_id)["StepExecutions"]
    assert [st["StepStatus"] for st in steps] == ["Success", "Success"], steps
    assert steps[0]["Outputs"]["Doubled"] == ["42"]
    assert json.loads(steps[1]["Outputs"]["Payload"][0]) == {"echo": {"from": "automation"}}
    assert steps[1]["Outputs"]["StatusCode"] == ["200"]
    # A failing script fails its step with the error.
    ssm.create_document(Name="Broken", DocumentType="Automation", DocumentFormat="YAML",
                        Content=SCRIPTED.replace('events["n"] * 2', 'events["missing"]'))
    bad = ssm.start_automation_execution(DocumentName="Broken")["AutomationExecutionId"]
    wait_for(lambda: status(ssm, bad) == "Failed", timeout=30, what="the broken script to fail")
    step = ssm.describe_automation_step_executions(AutomationExecutionId=bad)["StepExecutions"][0]
    assert "KeyError" in step["FailureMessage"]


def test_sns_lambda_subscription(server, tmp_data):
    sns = boto3_client(server, "sns")
    lam = boto3_client(server, "lambda")
    record_dir = os.path.join(tmp_data, "sns")
    fn = create_recorder(lam, "from-sns", record_dir)
    topic = sns.create_topic(Name="to-lambda")["TopicArn"]
    lam.add_permission(FunctionName="from-sns", StatementId="sns", Action="lambda:InvokeFunction",
                       Principal="sns.amazonaws.com", SourceArn=topic)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn)
    sns.publish(TopicArn=topic, Subject="hello", Message="to the function")
    got = wait_for(lambda: recorded(record_dir), timeout=20, what="the SNS event")
    record = got[0]["Records"][0]
    assert record["EventSource"] == "aws:sns"
    assert record["Sns"]["TopicArn"] == topic and record["Sns"]["Message"] == "to the function"
    assert record["Sns"]["Subject"] == "hello"
