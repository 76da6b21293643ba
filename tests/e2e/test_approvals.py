"""SSM Automation aws:approve end to end: the seed's own document (read from shared/seed at test
time, never copied into the project), created with the real AWS CLI, started the way the seed's
Lambda starts it, decided by distinct principals, and checked through the real clients.

Principals: approvals are signed. `server` here checks signatures (the module overrides the
conftest fixture); the administrator starts automations and `as_user(name)` creates the IAM user
NAME (allowed ssm:SendAutomationSignal) and signs with its keys. Tests that need one principal
only run on `open_server` (--insecure-open, where every caller is the administrator).

Observation: `observe(server, dir)` subscribes a recording Lambda function to the seed's topic
and targets it from an EventBridge rule for every aws.ssm event (with the resource-policy
permissions both need); `events()` and `notifications()` read what it recorded, and
`seed_rule_matches()` applies the seed rule's pattern (source, detail-type, Definition, Status
Success|Failed, Action aws:approve).
"""
import json
import os
import sqlite3
import subprocess
import time

import botocore.exceptions
import pytest
import yaml

from conftest import SHARED, Server, boto3_client
from test_wiring import create_recorder, recorded

ACCOUNT = "000000000000"
SEED = os.path.join(SHARED, "seed", "SfnApprovalCFnSfnWithSsmApprovalAndEventBridge.yml")
DOC_NAME = "SsmDocumentForApprovalAction"  # the seed's default document name
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SsmAutomationAssumeRole-us-east-1"
TOPIC_ARN = f"arn:aws:sns:us-east-1:{ACCOUNT}:AutomationApprovalNotification"


def user_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML: short-form intrinsics (!Ref, !Sub, !GetAtt) become plain values."""


def _intrinsic(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_CfnLoader.add_multi_constructor("!", _intrinsic)


def seed_document_yaml():
    with open(SEED) as f:
        template = yaml.load(f, Loader=_CfnLoader)
    content = template["Resources"]["SsmDocumentForApprovalAction"]["Properties"]["Content"]
    return yaml.safe_dump(content, sort_keys=False)


@pytest.fixture
def server(tmp_data):
    """Signatures checked: each approver signs as its own IAM user."""
    s = Server(os.path.join(tmp_data, "data"), insecure=False).start()
    yield s
    s.stop()


@pytest.fixture
def open_server(tmp_data):
    s = Server(os.path.join(tmp_data, "open")).start()
    yield s
    s.stop()


def as_user(server, name, service="ssm"):
    """A client signing as IAM user `name` (created on first use, with an access key and the
    permission to send automation signals)."""
    keys = server.__dict__.setdefault("user_keys", {})
    if name not in keys:
        iam = boto3_client(server, "iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="signal", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "ssm:SendAutomationSignal", "Resource": "*"}]}))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = (key["AccessKeyId"], key["SecretAccessKey"])
    return boto3_client(server, service, credentials=keys[name])


def observe(server, directory):
    """A recording function behind the seed's topic and behind a rule for every aws.ssm event."""
    lam = boto3_client(server, "lambda")
    fn = create_recorder(lam, "observer", directory)
    topic = boto3_client(server, "sns").create_topic(Name="AutomationApprovalNotification")[
        "TopicArn"]
    assert topic == TOPIC_ARN
    lam.add_permission(FunctionName="observer", StatementId="sns", Action="lambda:InvokeFunction",
                       Principal="sns.amazonaws.com", SourceArn=topic)
    boto3_client(server, "sns").subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn)
    events = boto3_client(server, "events")
    rule = events.put_rule(Name="ssm-all", EventPattern=json.dumps({"source": ["aws.ssm"]}))[
        "RuleArn"]
    lam.add_permission(FunctionName="observer", StatementId="events",
                       Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                       SourceArn=rule)
    events.put_targets(Rule="ssm-all", Targets=[{"Id": "observer", "Arn": fn}])
    server.observed = directory


def events(server):
    return [e for e in recorded(server.observed) if "detail-type" in e]


def notifications(server):
    return [e["Records"][0]["Sns"] for e in recorded(server.observed) if "Records" in e]


def seed_rule_matches(e):
    d = e["detail"]
    return (e["source"] == "aws.ssm"
            and e["detail-type"] == "EC2 Automation Step Status-change Notification"
            and d.get("Definition") == DOC_NAME and d.get("Status") in ("Success", "Failed")
            and d.get("Action") == "aws:approve")


def wait_for(fn, timeout=15, every=0.1):
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(every)


def status(ssm, exec_id):
    return ssm.get_automation_execution(AutomationExecutionId=exec_id)[
        "AutomationExecution"]["AutomationExecutionStatus"]


def approve_step(ssm, exec_id):
    steps = ssm.describe_automation_step_executions(
        AutomationExecutionId=exec_id,
        Filters=[{"Key": "Action", "Values": ["aws:approve"]}])["StepExecutions"]
    assert len(steps) == 1
    return steps[0]


def create_seed_document(aws):
    content = seed_document_yaml()
    return aws("ssm", "create-document", "--name", DOC_NAME, "--document-type", "Automation",
               "--document-format", "YAML", "--version-name", "1", "--content", content)


def start_like_the_seed(ssm, approvers, min_required, token="sfn-task-token-123"):
    """The call the seed's LambdaForSsmStartAutomationExecution makes."""
    return ssm.start_automation_execution(
        DocumentName=DOC_NAME,
        Parameters={
            "AutomationAssumeRole": [ROLE_ARN],
            "Description": ["Automation Approval Action For AWS Step Functions."],
            "Message": ["Approval request has been received. Please review file index.html."],
            "NotificationArn": [TOPIC_ARN],
            "Approvers": approvers,
            "MinRequiredApprovals": [str(min_required)],
            "SfnToken": [token],
        },
        Mode="Auto")["AutomationExecutionId"]


ADMIN = f"arn:aws:iam::{ACCOUNT}:root"


@pytest.fixture
def starter(server, tmp_data):
    """The administrator, who starts the automations (and observes them)."""
    observe(server, os.path.join(tmp_data, "observed"))
    return boto3_client(server, "ssm")


@pytest.fixture
def open_starter(open_server, tmp_data):
    observe(open_server, os.path.join(tmp_data, "observed-open"))
    return boto3_client(open_server, "ssm")


def test_seed_document_one_approval(server, aws, starter):
    desc = create_seed_document(aws)["DocumentDescription"]
    assert desc["Name"] == DOC_NAME and desc["DocumentType"] == "Automation"
    assert desc["HashType"] == "Sha256" and len(desc["Hash"]) == 64
    assert desc["VersionName"] == "1" and desc["DocumentFormat"] == "YAML"
    assert {p["Name"] for p in desc["Parameters"]} >= {"Approvers", "MinRequiredApprovals", "SfnToken"}
    assert aws("ssm", "describe-document", "--name", DOC_NAME)["Document"]["Status"] == "Active"

    exec_id = start_like_the_seed(starter, [user_arn("approver1")], 1)
    assert len(exec_id) == 36
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    assert approve_step(starter, exec_id)["StepStatus"] == "Waiting"

    as_user(server, "approver1").send_automation_signal(
        AutomationExecutionId=exec_id, SignalType="Approve", Payload={"Comment": ["Looks good"]})
    wait_for(lambda: status(starter, exec_id) == "Success")

    # What the seed's result Lambda reads, through the CLI as the issue asks.
    steps = aws("ssm", "describe-automation-step-executions", "--automation-execution-id",
                exec_id, "--filters", "Key=Action,Values=aws:approve")["StepExecutions"]
    assert steps[0]["StepStatus"] == "Success"
    assert steps[0]["Outputs"]["ApprovalStatus"] == ["Approved"]
    decisions = [json.loads(d) for d in steps[0]["Outputs"]["ApproverDecisions"]]
    assert decisions[0]["Approver"] == user_arn("approver1")
    assert decisions[0]["Comment"] == "Looks good"
    execution = starter.get_automation_execution(AutomationExecutionId=exec_id)["AutomationExecution"]
    assert execution["Parameters"]["SfnToken"] == ["sfn-task-token-123"]
    assert execution["ExecutedBy"] == ADMIN

    matched = wait_for(lambda: [e for e in events(server) if seed_rule_matches(e)])
    assert matched[0]["detail"]["ExecutionId"] == exec_id
    assert matched[0]["detail"]["Status"] == "Success"
    assert matched[0]["detail"]["DefinitionVersion"] == 1.0
    assert f"automation-execution/{exec_id}" in matched[0]["resources"][0]
    # The approval request went to the topic with the execution id and the approval link.
    note = wait_for(lambda: notifications(server))[0]
    assert note["TopicArn"] == TOPIC_ARN and note["Subject"] == "Automation approval request"
    assert exec_id in note["Message"] and f"/console/approvals/{exec_id}" in note["Message"]


def test_quorum_of_two_counts_each_principal_once(server, aws, starter):
    create_seed_document(aws)
    exec_id = start_like_the_seed(starter, [user_arn("alice"), user_arn("bob")], 2)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    alice = as_user(server, "alice")
    alice.send_automation_signal(AutomationExecutionId=exec_id, SignalType="Approve")
    alice.send_automation_signal(AutomationExecutionId=exec_id, SignalType="Approve")
    time.sleep(0.3)
    assert status(starter, exec_id) == "Waiting"
    assert approve_step(starter, exec_id)["Outputs"]["ApprovalStatus"] == ["Waiting"]
    as_user(server, "bob").send_automation_signal(AutomationExecutionId=exec_id,
                                                  SignalType="Approve")
    wait_for(lambda: status(starter, exec_id) == "Success")
    step = approve_step(starter, exec_id)
    assert step["Outputs"]["ApprovalStatus"] == ["Approved"]
    assert [json.loads(d)["Approver"] for d in step["Outputs"]["ApproverDecisions"]] == [
        user_arn("alice"), user_arn("bob")]


def test_one_reject_rejects(server, aws, starter):
    create_seed_document(aws)
    exec_id = start_like_the_seed(starter, [user_arn("alice"), user_arn("bob")], 2)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    as_user(server, "alice").send_automation_signal(AutomationExecutionId=exec_id,
                                                    SignalType="Approve")
    as_user(server, "bob").send_automation_signal(AutomationExecutionId=exec_id,
                                                  SignalType="Reject",
                                                  Payload={"Comment": ["not today"]})
    wait_for(lambda: status(starter, exec_id) == "Failed")
    step = approve_step(starter, exec_id)
    assert step["StepStatus"] == "Failed"
    assert step["Outputs"]["ApprovalStatus"] == ["Rejected"]
    assert "FailureMessage" in step
    failed = wait_for(lambda: [e for e in events(server)
                               if seed_rule_matches(e) and e["detail"]["Status"] == "Failed"])
    assert failed[0]["detail"]["ExecutionId"] == exec_id
    # A decided automation takes no more signals.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        as_user(server, "alice").send_automation_signal(AutomationExecutionId=exec_id,
                                                        SignalType="Approve")
    assert e.value.response["Error"]["Code"] == "InvalidAutomationSignalException"


def test_non_approver_is_refused_and_changes_nothing(server, aws, starter):
    create_seed_document(aws)
    exec_id = start_like_the_seed(starter, [user_arn("alice")], 1)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    # An IAM user allowed the call but not listed, and the administrator (not listed either).
    for client, signal in ((as_user(server, "mallory"), "Approve"),
                           (as_user(server, "mallory"), "Reject"), (starter, "Approve")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            client.send_automation_signal(AutomationExecutionId=exec_id, SignalType=signal)
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    assert status(starter, exec_id) == "Waiting"
    assert "ApproverDecisions" not in approve_step(starter, exec_id)["Outputs"]


def test_separation_of_duties_tag(server, aws, starter):
    create_seed_document(aws)
    aws("ssm", "add-tags-to-resource", "--resource-type", "Document", "--resource-id", DOC_NAME,
        "--tags", "Key=signoff:separation-of-duties,Value=true")
    # The starter is also listed as an approver; with the tag it still may not approve.
    exec_id = start_like_the_seed(starter, [ADMIN, user_arn("alice")], 1)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        starter.send_automation_signal(AutomationExecutionId=exec_id, SignalType="Approve")
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    as_user(server, "alice").send_automation_signal(AutomationExecutionId=exec_id,
                                                    SignalType="Approve")
    wait_for(lambda: status(starter, exec_id) == "Success")


SHORT = """
schemaVersion: '0.3'
parameters:
  Approvers:
    type: StringList
mainSteps:
  - name: Gate
    action: aws:approve
    timeoutSeconds: {timeout}
    inputs:
      Approvers: '{{{{ Approvers }}}}'
    isEnd: true
"""


def test_timeout_fails_the_step_as_timed_out(open_server, open_starter):
    server, starter = open_server, open_starter
    starter.create_document(Name="ShortGate", DocumentType="Automation", DocumentFormat="YAML",
                            Content=SHORT.format(timeout=2))
    exec_id = starter.start_automation_execution(
        DocumentName="ShortGate", Parameters={"Approvers": [user_arn("alice")]})["AutomationExecutionId"]
    wait_for(lambda: status(starter, exec_id) == "TimedOut", timeout=10)
    step = starter.describe_automation_step_executions(AutomationExecutionId=exec_id)["StepExecutions"][0]
    assert step["StepStatus"] == "TimedOut" and "FailureMessage" in step
    wait_for(lambda: any(e["detail"].get("Status") == "TimedOut"
                         and e["detail"].get("Action") == "aws:approve" for e in events(server)))


def test_restart_while_waiting_and_timeout_due_while_down(server, aws, starter):
    create_seed_document(aws)
    waiting = start_like_the_seed(starter, [user_arn("alice")], 1)
    starter.create_document(Name="ShortGate", DocumentType="Automation", DocumentFormat="YAML",
                            Content=SHORT.format(timeout=2))
    expiring = starter.start_automation_execution(
        DocumentName="ShortGate", Parameters={"Approvers": [user_arn("alice")]})["AutomationExecutionId"]
    wait_for(lambda: status(starter, waiting) == "Waiting")
    server.kill9()
    time.sleep(3)  # the short gate's timeout falls due while the server is down
    server.start()
    wait_for(lambda: status(starter, expiring) == "TimedOut", timeout=10)
    assert status(starter, waiting) == "Waiting"
    as_user(server, "alice").send_automation_signal(AutomationExecutionId=waiting,
                                                    SignalType="Approve")
    wait_for(lambda: status(starter, waiting) == "Success")


def test_audit_log_chain_verifies_and_detects_tampering(server, aws, starter):
    create_seed_document(aws)
    exec_id = start_like_the_seed(starter, [user_arn("alice"), user_arn("bob")], 2)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    as_user(server, "alice").send_automation_signal(AutomationExecutionId=exec_id,
                                                    SignalType="Approve",
                                                    Payload={"Comment": ["one"]})
    as_user(server, "alice").send_automation_signal(AutomationExecutionId=exec_id,
                                                    SignalType="Approve")
    as_user(server, "bob").send_automation_signal(AutomationExecutionId=exec_id,
                                                  SignalType="Approve")
    wait_for(lambda: status(starter, exec_id) == "Success")
    server.stop()
    ok = subprocess.run([server.binary, "audit", "verify", "--data", server.data_dir],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "3 records, chain intact"

    db = sqlite3.connect(os.path.join(server.data_dir, "signoff.db"))
    key, text = db.execute("SELECT key, json FROM documents WHERE kind = 'audit.record' "
                           "ORDER BY key LIMIT 1 OFFSET 1").fetchone()
    record = json.loads(text)
    record["comment"] = "rewritten"
    db.execute("UPDATE documents SET json = ? WHERE kind = 'audit.record' AND key = ?",
               (json.dumps(record, separators=(",", ":")), key))
    db.commit()
    db.close()
    bad = subprocess.run([server.binary, "audit", "verify", "--data", server.data_dir],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    # Editing record 2 breaks the link that record 3 holds to it.
    assert "00000000000000000003" in bad.stderr


FLOW = {
    "schemaVersion": "0.3",
    "parameters": {"Fast": {"type": "Boolean", "default": True}},
    "outputs": ["lookup.Version"],
    "mainSteps": [
        {"name": "pick", "action": "aws:branch",
         "inputs": {"Choices": [{"NextStep": "nap", "Variable": "{{ Fast }}", "BooleanEquals": True}],
                    "Default": "hold"}},
        {"name": "nap", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}},
        {"name": "lookup", "action": "aws:executeAwsApi",
         "inputs": {"Service": "ssm", "Api": "DescribeDocument", "Name": "Flow"},
         "outputs": [{"Name": "Version", "Selector": "$.Document.DocumentVersion", "Type": "String"}]},
        {"name": "hold", "action": "aws:pause", "inputs": {}, "isEnd": True},
    ],
}


def test_branch_sleep_execute_aws_api_pause_resume(server, starter):
    # Signatures are checked: aws:executeAwsApi acts as the administrator who started it.
    starter.create_document(Name="Flow", DocumentType="Automation", Content=json.dumps(FLOW))
    exec_id = starter.start_automation_execution(DocumentName="Flow")["AutomationExecutionId"]
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    steps = starter.describe_automation_step_executions(AutomationExecutionId=exec_id)["StepExecutions"]
    assert [s["StepName"] for s in steps] == ["pick", "nap", "lookup", "hold"]
    assert [s["StepStatus"] for s in steps] == ["Success", "Success", "Success", "Waiting"]
    assert steps[2]["Outputs"]["Version"] == ["1"]
    starter.send_automation_signal(AutomationExecutionId=exec_id, SignalType="Resume")
    wait_for(lambda: status(starter, exec_id) == "Success")
    execution = starter.get_automation_execution(AutomationExecutionId=exec_id)["AutomationExecution"]
    assert execution["Outputs"] == {"lookup.Version": ["1"]}
    reverse = starter.describe_automation_step_executions(
        AutomationExecutionId=exec_id, ReverseOrder=True, MaxResults=1)
    assert reverse["StepExecutions"][0]["StepName"] == "hold" and "NextToken" in reverse


def test_execute_aws_api_acts_as_the_automation_assume_role(server, starter):
    iam = boto3_client(server, "iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    roles = {}
    for name, actions in (("reader", ["ssm:DescribeDocument"]), ("nobody", ["ssm:ListDocuments"])):
        roles[name] = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))
    doc = {"schemaVersion": "0.3", "assumeRole": "{{ AutomationAssumeRole }}",
           "parameters": {"AutomationAssumeRole": {"type": "String"}},
           "mainSteps": [{"name": "lookup", "action": "aws:executeAwsApi",
                          "inputs": {"Service": "ssm", "Api": "DescribeDocument", "Name": "AsRole"},
                          "outputs": [{"Name": "Owner", "Selector": "$.Document.Owner",
                                       "Type": "String"}], "isEnd": True}]}
    starter.create_document(Name="AsRole", DocumentType="Automation", Content=json.dumps(doc))

    def run(role):
        exec_id = starter.start_automation_execution(
            DocumentName="AsRole", Parameters={"AutomationAssumeRole": [role]})["AutomationExecutionId"]
        wait_for(lambda: status(starter, exec_id) in ("Success", "Failed"))
        return starter.describe_automation_step_executions(
            AutomationExecutionId=exec_id)["StepExecutions"][0]

    assert run(roles["reader"])["StepStatus"] == "Success"
    refused = run(roles["nobody"])
    assert refused["StepStatus"] == "Failed"
    assert ("An error occurred (AccessDeniedException) when calling the DescribeDocument operation: "
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/nobody/signoff is not authorized to perform: "
            "ssm:DescribeDocument") in refused["FailureMessage"]


def test_stop_cancels_a_waiting_approval(server, aws, starter):
    create_seed_document(aws)
    exec_id = start_like_the_seed(starter, [user_arn("alice")], 1)
    wait_for(lambda: status(starter, exec_id) == "Waiting")
    starter.stop_automation_execution(AutomationExecutionId=exec_id, Type="Cancel")
    wait_for(lambda: status(starter, exec_id) == "Cancelled")
    assert approve_step(starter, exec_id)["StepStatus"] == "Cancelled"
    listed = starter.describe_automation_executions(
        Filters=[{"Key": "ExecutionStatus", "Values": ["Cancelled"]}])["AutomationExecutionMetadataList"]
    assert [e["AutomationExecutionId"] for e in listed] == [exec_id]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        starter.start_automation_execution(DocumentName=DOC_NAME, Parameters={"Nope": ["x"]})
    assert e.value.response["Error"]["Code"] == "InvalidAutomationExecutionParametersException"


def test_document_versions(server, aws, starter):
    create_seed_document(aws)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        starter.create_document(Name=DOC_NAME, DocumentType="Automation", DocumentFormat="YAML",
                                Content=seed_document_yaml())
    assert e.value.response["Error"]["Code"] == "DocumentAlreadyExists"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        starter.update_document(Name=DOC_NAME, DocumentFormat="YAML", Content=seed_document_yaml(),
                                DocumentVersion="$LATEST")
    assert e.value.response["Error"]["Code"] == "DuplicateDocumentContent"
    v2 = starter.update_document(Name=DOC_NAME, DocumentFormat="YAML", DocumentVersion="$LATEST",
                                 Content=seed_document_yaml().replace("604800", "3600"),
                                 VersionName="2")["DocumentDescription"]
    assert v2["DocumentVersion"] == "2" and v2["DefaultVersion"] == "1"
    starter.update_document_default_version(Name=DOC_NAME, DocumentVersion="2")
    versions = aws("ssm", "list-document-versions", "--name", DOC_NAME)["DocumentVersions"]
    assert [(v["DocumentVersion"], v["IsDefaultVersion"]) for v in versions] == [("1", False), ("2", True)]
    got = starter.get_document(Name=DOC_NAME, DocumentFormat="JSON")
    assert json.loads(got["Content"])["mainSteps"][0]["timeoutSeconds"] == 3600
    names = [d["Name"] for d in aws("ssm", "list-documents", "--filters",
                                    "Key=Owner,Values=Self")["DocumentIdentifiers"]]
    assert names == [DOC_NAME]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        starter.describe_document(Name="NoSuchDocument")
    assert e.value.response["Error"]["Code"] == "InvalidDocument"
    starter.delete_document(Name=DOC_NAME)
    assert aws("ssm", "list-documents", "--filters", "Key=Owner,Values=Self")["DocumentIdentifiers"] == []
