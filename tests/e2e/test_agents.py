"""Agent approvers end to end: agents configured through the SignoffAgents API (signed), an
automation whose aws:approve lists the agent's role, decisions obtained from a real
OpenAI-compatible server process on loopback (tests/e2e/chat_server.py, deterministic), from
policy rules and from a webhook, recorded as the role's principal through the same authorized
SendAutomationSignal path as a human's, checked through boto3 and the audit log."""
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agents_util import (ACCOUNT, AgentsApiError, ChatServer, agent_role, agents_call,
                         approval_document, wait_decisions, wait_status)
from conftest import boto3_client, free_port


@pytest.fixture
def chat(tmp_data):
    c = ChatServer(tmp_data)
    yield c
    c.stop()


def model_agent(server, chat, name="reviewer", role="reviewer-agent", **extra):
    role_arn = agent_role(server, role)
    body = {"AgentName": name, "RoleArn": role_arn, "Kind": "Model", "MinConfidence": 0.8,
            "Model": {"BaseUrl": chat.base_url, "Model": "test-model", "ApiKey": "sk-test-123",
                      "SystemPrompt": "Approve payments up to 100.", "TimeoutSeconds": 2}}
    body.update(extra)
    return agents_call(server, "CreateAgent", body)["Agent"], role_arn


def start(server, doc_name, approvers, amount, tags=None, **kw):
    ssm = boto3_client(server, "ssm")
    try:
        ssm.create_document(Name=doc_name, DocumentType="Automation", DocumentFormat="JSON",
                            Content=approval_document(approvers, **kw), Tags=tags or [])
    except ssm.exceptions.DocumentAlreadyExists:
        pass
    eid = ssm.start_automation_execution(DocumentName=doc_name,
                                         Parameters={"Amount": [str(amount)]})[
        "AutomationExecutionId"]
    return ssm, eid


def review_step(ssm, eid):
    return ssm.describe_automation_step_executions(AutomationExecutionId=eid)[
        "StepExecutions"][0]


def test_model_agent_approves_at_high_confidence(secure_server, chat):
    agent, role_arn = model_agent(secure_server, chat)
    assert agent["State"] == "Active" and agent["Model"]["ApiKeySet"] is True
    assert "ApiKey" not in agent["Model"] and "ApiKeySealed" not in agent["Model"]
    ssm, eid = start(secure_server, "Pay", [role_arn], 50)
    e = wait_status(ssm, eid, {"Success", "Failed"})
    assert e["AutomationExecutionStatus"] == "Success"
    decisions = json.loads(review_step(ssm, eid)["Outputs"]["ApproverDecisions"][0])
    assert decisions["Approver"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/reviewer-agent/signoff"
    assert decisions["Decision"] == "Approved"
    assert decisions["Comment"].startswith("Agent reviewer (Model, confidence 0.95): Amount 50")
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Approve" and d["Confidence"] == 0.95 and d["Tokens"] == 120
    # The model saw the approval and the key, sent as a bearer token.
    [req] = chat.requests()
    assert req["authorization"] == "Bearer sk-test-123"
    assert req["body"]["model"] == "test-model"
    assert "Approve payments up to 100." in req["body"]["messages"][0]["content"]
    approval = json.loads(req["body"]["messages"][1]["content"])
    assert approval["Parameters"]["Amount"] == "50" and approval["Message"] == "Pay 50"
    # Usage counted; the key is sealed at rest.
    got = agents_call(secure_server, "DescribeAgent", {"AgentName": "reviewer"})["Agent"]
    assert got["Usage"] == {"DecisionsThisHour": 1, "TokensToday": 120}
    secure_server.stop()
    db = open(os.path.join(secure_server.data_dir, "signoff.db"), "rb").read()
    assert b"sk-test-123" not in db
    # The decision is in the audit chain, as the role's principal, with the agent's reason.
    con = sqlite3.connect(os.path.join(secure_server.data_dir, "signoff.db"))
    records = [json.loads(r[0]) for r in con.execute(
        "SELECT json FROM documents WHERE kind = 'audit.record' ORDER BY key")]
    assert records[-1]["principal"].endswith(":assumed-role/reviewer-agent/signoff")
    assert "Amount 50" in records[-1]["comment"]


def test_low_confidence_abstains_and_the_approval_waits_for_a_human(secure_server, chat):
    _, role_arn = model_agent(secure_server, chat)
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="alice")
    iam.put_user_policy(UserName="alice", PolicyName="s", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ssm:SendAutomationSignal", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    ssm, eid = start(secure_server, "Pay", [role_arn, f"arn:aws:iam::{ACCOUNT}:user/alice"], 500)
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Abstain" and d["Verdict"] == "Approve"
    assert d["Detail"] == "confidence 0.55 is below the threshold 0.80"
    assert wait_status(ssm, eid, {"Waiting"})["AutomationExecutionStatus"] == "Waiting"
    alice = boto3_client(secure_server, "ssm",
                         credentials=(key["AccessKeyId"], key["SecretAccessKey"]))
    alice.send_automation_signal(AutomationExecutionId=eid, SignalType="Approve")
    assert wait_status(ssm, eid, {"Success"})["AutomationExecutionStatus"] == "Success"


@pytest.mark.parametrize("message,detail", [
    ("slow", "the model did not answer within 1 s"),
    ("broken", "the model answered HTTP 500"),
    ("garbage", "The model's answer is not usable: the content is not a JSON object"),
])
def test_a_failing_or_slow_model_abstains(secure_server, chat, message, detail):
    role_arn = agent_role(secure_server, "reviewer-agent")
    agents_call(secure_server, "CreateAgent", {
        "AgentName": "reviewer", "RoleArn": role_arn, "Kind": "Model",
        "Model": {"BaseUrl": chat.base_url, "Model": "m", "TimeoutSeconds": 1}})
    t0 = time.time()
    ssm, eid = start(secure_server, "Pay", [role_arn], 50, message=message)
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Abstain" and d["Detail"] == detail
    assert time.time() - t0 < 4.5  # never waits for the slow model's answer
    assert wait_status(ssm, eid, {"Waiting"})["AutomationExecutionStatus"] == "Waiting"


def test_model_agent_rejects(secure_server, chat):
    _, role_arn = model_agent(secure_server, chat)
    ssm, eid = start(secure_server, "Pay", [role_arn], 5000)
    e = wait_status(ssm, eid, {"Failed", "Success"})
    assert e["AutomationExecutionStatus"] == "Failed"
    assert review_step(ssm, eid)["Outputs"]["ApprovalStatus"] == ["Rejected"]


def test_policy_agent_rules_jsonata_and_jsonpath(secure_server):
    role_arn = agent_role(secure_server, "policy-agent")
    agents_call(secure_server, "CreateAgent", {
        "AgentName": "policy", "RoleArn": role_arn, "Kind": "Policy", "Policy": {"Rules": [
            {"Language": "JSONata", "Condition": "$number(Parameters.Amount) > 1000",
             "Decision": "Reject", "Reason": "over the hard limit"},
            {"Language": "JSONPath", "Condition": {"Variable": "$.Parameters.Amount",
                                                   "StringEquals": "7"},
             "Decision": "Approve", "Reason": "the lucky amount"},
        ]}})
    ssm, small = start(secure_server, "Pay", [role_arn], 7)
    _, big = start(secure_server, "Pay", [role_arn], 2000)
    _, other = start(secure_server, "Pay", [role_arn], 8)
    assert wait_status(ssm, small, {"Success", "Failed"})["AutomationExecutionStatus"] == "Success"
    assert wait_status(ssm, big, {"Success", "Failed"})["AutomationExecutionStatus"] == "Failed"
    [d] = wait_decisions(secure_server, other)
    assert d["Decision"] == "Abstain" and d["Reason"] == "no rule matched"
    listed = agents_call(secure_server, "ListAgentDecisions", {"AgentName": "policy"})
    assert len(listed["Decisions"]) == 3


def test_human_rule_tag_keeps_the_last_word_for_humans(secure_server, chat):
    _, role_arn = model_agent(secure_server, chat)
    tags = [{"Key": "signoff:human-rule", "Value": "human-decides-last"}]
    ssm, eid = start(secure_server, "Pay", [role_arn], 50, tags=tags)
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Abstain"
    assert d["Detail"] == "a human must decide last (human-decides-last)"
    # With a quorum of two the agent's approval is not the deciding one, so it counts.
    ssm, eid2 = start(secure_server, "Pay2", [role_arn, "alice"], 50, min_required=2, tags=tags)
    [d] = wait_decisions(secure_server, eid2)
    assert d["Decision"] == "Approve"
    step = review_step(ssm, eid2)
    assert step["StepStatus"] == "Waiting"
    assert len(step["Outputs"]["ApproverDecisions"]) == 1


def test_suspended_agent_abstains_and_resumes(secure_server, chat):
    _, role_arn = model_agent(secure_server, chat)
    got = agents_call(secure_server, "SuspendAgent", {"AgentName": "reviewer"})["Agent"]
    assert got["State"] == "Suspended"
    ssm, eid = start(secure_server, "Pay", [role_arn], 50)
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Abstain" and d["Detail"] == "the agent is suspended"
    assert chat.requests() == []
    agents_call(secure_server, "ResumeAgent", {"AgentName": "reviewer"})
    _, eid2 = start(secure_server, "Pay", [role_arn], 50)
    assert wait_status(ssm, eid2, {"Success"})["AutomationExecutionStatus"] == "Success"


def test_rate_and_spend_limits(secure_server, chat):
    _, role_arn = model_agent(secure_server, chat, MaxDecisionsPerHour=1)
    ssm, first = start(secure_server, "Pay", [role_arn], 50)
    assert wait_status(ssm, first, {"Success"})["AutomationExecutionStatus"] == "Success"
    _, second = start(secure_server, "Pay", [role_arn], 50)
    [d] = wait_decisions(secure_server, second)
    assert d["Decision"] == "Abstain" and d["Detail"] == "rate limit: 1 decisions per hour"
    agents_call(secure_server, "UpdateAgent", {"AgentName": "reviewer", "MaxDecisionsPerHour": 0,
                                               "MaxTokensPerDay": 100})
    _, third = start(secure_server, "Pay", [role_arn], 50)
    [d] = wait_decisions(secure_server, third)
    assert d["Decision"] == "Abstain" and d["Detail"] == "spend limit: 100 tokens per day"
    assert len(chat.requests()) == 1


def test_a_role_without_permission_is_refused_like_anyone(secure_server, chat):
    role_arn = agent_role(secure_server, "weak-agent", allow_signal=False)
    agents_call(secure_server, "CreateAgent", {
        "AgentName": "weak", "RoleArn": role_arn, "Kind": "Model",
        "Model": {"BaseUrl": chat.base_url, "Model": "m"}})
    ssm, eid = start(secure_server, "Pay", [role_arn], 50)
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Failed"
    assert d["Detail"].startswith("the signal was refused: AccessDeniedException: User: "
                                  f"arn:aws:sts::{ACCOUNT}:assumed-role/weak-agent/signoff is not "
                                  "authorized to perform: ssm:SendAutomationSignal")
    assert review_step(ssm, eid)["StepStatus"] == "Waiting"


def test_webhook_agent_gets_a_signed_request_and_answers_itself(secure_server):
    role_arn = agent_role(secure_server, "hook-agent")
    got = {}

    class Hook(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got["body"], got["ts"] = body, self.headers["X-Signoff-Timestamp"]
            got["sig"] = self.headers["X-Signoff-Signature"]
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    port = free_port()
    hook = ThreadingHTTPServer(("127.0.0.1", port), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        created = agents_call(secure_server, "CreateAgent", {
            "AgentName": "hook", "RoleArn": role_arn, "Kind": "Webhook",
            "Webhook": {"Url": f"http://127.0.0.1:{port}/approve"}})
        secret = created["WebhookSecret"]
        assert created["Agent"]["Webhook"] == {"Url": f"http://127.0.0.1:{port}/approve",
                                               "SecretSet": True}
        ssm, eid = start(secure_server, "Pay", [role_arn], 50)
        [d] = wait_decisions(secure_server, eid)
        assert d["Decision"] == "Delegated"
        expected = "sha256=" + hmac.new(secret.encode(), got["ts"].encode() + b"." + got["body"],
                                        hashlib.sha256).hexdigest()
        assert got["sig"] == expected
        request = json.loads(got["body"])
        assert request["AutomationExecutionId"] == eid and request["AgentName"] == "hook"
        # The external agent answers with its own credentials: a session of the agent's role,
        # assumed by the agent's IAM user (as AWS, Signoff refuses AssumeRole by the root).
        iam = boto3_client(secure_server, "iam")
        iam.create_user(UserName="hook-bot")
        iam.put_user_policy(UserName="hook-bot", PolicyName="assume", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}]}))
        key = iam.create_access_key(UserName="hook-bot")["AccessKey"]
        creds = boto3_client(secure_server, "sts", credentials=(
            key["AccessKeyId"], key["SecretAccessKey"])).assume_role(
            RoleArn=role_arn, RoleSessionName="hook")["Credentials"]
        agent_ssm = boto3_client(secure_server, "ssm", credentials=(
            creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]))
        agent_ssm.send_automation_signal(AutomationExecutionId=eid, SignalType="Approve",
                                         Payload={"Comment": ["looks right"]})
        assert wait_status(ssm, eid, {"Success"})["AutomationExecutionStatus"] == "Success"
    finally:
        hook.shutdown()


def test_api_errors_and_permissions(secure_server):
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "DescribeAgent", {"AgentName": "nobody"})
    assert (e.value.code, e.value.message) == ("ResourceNotFoundException",
                                               "Agent nobody does not exist.")
    role_arn = agent_role(secure_server, "r")
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "CreateAgent", {"AgentName": "x", "RoleArn": role_arn,
                                                   "Kind": "Oracle"})
    assert (e.value.code, e.value.message) == ("ValidationException",
                                               "Kind must be Policy, Model or Webhook.")
    body = {"AgentName": "p", "RoleArn": role_arn, "Kind": "Policy", "Policy": {"Rules": [
        {"Language": "JSONata", "Condition": "Amount >", "Decision": "Approve"}]}}
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "CreateAgent", body)
    assert e.value.code == "ValidationException" and "Rules[0].Condition" in e.value.message
    body["Policy"]["Rules"][0]["Condition"] = "true"
    agents_call(secure_server, "CreateAgent", body)
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "CreateAgent", body)
    assert e.value.code == "ResourceAlreadyExistsException"
    # A user without signoff:* permissions is refused with IAM's text.
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "DeleteAgent", {"AgentName": "p"},
                    credentials=(key["AccessKeyId"], key["SecretAccessKey"]))
    assert e.value.code == "AccessDeniedException"
    assert e.value.message == (
        f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: "
        f"signoff:DeleteAgent on resource: arn:aws:signoff:us-east-1:{ACCOUNT}:agent/p because "
        "no identity-based policy allows the signoff:DeleteAgent action")
    agents_call(secure_server, "DeleteAgent", {"AgentName": "p"})
    assert agents_call(secure_server, "ListAgents", {})["Agents"] == []


def test_cli_signs_with_sigv4(secure_server, tmp_data):
    """`signoff agents` calls the API over HTTP, signed by libcurl with the data dir's key or
    the AWS environment variables."""
    import subprocess
    role_arn = agent_role(secure_server, "cli-agent")
    spec = os.path.join(tmp_data, "agent.json")
    with open(spec, "w") as f:
        json.dump({"AgentName": "cli", "RoleArn": role_arn, "Kind": "Policy", "Policy": {
            "Rules": [{"Language": "JSONata", "Condition": "true", "Decision": "Approve"}]}}, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}

    def cli(*args, extra_env=None):
        return subprocess.run([secure_server.binary, "agents", "--endpoint", secure_server.endpoint,
                               "--data", secure_server.data_dir, *args],
                              env={**env, **(extra_env or {})}, capture_output=True, text=True,
                              timeout=60)

    p = cli("create", "--body", "file://" + spec)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["Agent"]["AgentName"] == "cli"
    p = cli("suspend", "cli")
    assert p.returncode == 0 and json.loads(p.stdout)["Agent"]["State"] == "Suspended"
    key, secret = secure_server.admin_credentials()
    p = cli("list", extra_env={"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret})
    assert [a["AgentName"] for a in json.loads(p.stdout)["Agents"]] == ["cli"]
    p = cli("describe", "nobody")
    assert p.returncode == 1
    assert p.stderr.strip() == ("An error occurred (ResourceNotFoundException) when calling the "
                                "DescribeAgent operation: Agent nobody does not exist.")
    p = cli("list", extra_env={"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": "wrong"})
    assert p.returncode == 1 and "InvalidSignatureException" in p.stderr


def test_naming_a_role_takes_iam_pass_role(secure_server):
    """An agent decides with its role's rights: CreateAgent/UpdateAgent need iam:PassRole on
    the RoleArn besides signoff:CreateAgent, as handing a role to any AWS service does."""
    role_arn = agent_role(secure_server, "approver-role")
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="carol")
    iam.put_user_policy(UserName="carol", PolicyName="agents", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "signoff:*Agent", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = (key["AccessKeyId"], key["SecretAccessKey"])
    body = {"AgentName": "yes-man", "RoleArn": role_arn, "Kind": "Policy", "Policy": {"Rules": [
        {"Language": "JSONata", "Condition": "true", "Decision": "Approve"}]}}
    with pytest.raises(AgentsApiError) as e:
        agents_call(secure_server, "CreateAgent", body, credentials=carol)
    assert (e.value.code, e.value.message) == ("AccessDeniedException", (
        f"User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to perform: iam:PassRole on "
        f"resource: {role_arn} because no identity-based policy allows the iam:PassRole action"))
    iam.put_user_policy(UserName="carol", PolicyName="pass", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn}]}))
    agents_call(secure_server, "CreateAgent", body, credentials=carol)
    # Changing other settings names no role and needs no PassRole.
    agents_call(secure_server, "UpdateAgent", {"AgentName": "yes-man", "MinConfidence": 0.9},
                credentials=carol)


def test_an_evaluation_interrupted_by_a_crash_runs_again(secure_server, chat):
    """The evaluation is a job: kill -9 while the model is thinking, and the restarted server
    asks again and decides."""
    role_arn = agent_role(secure_server, "reviewer-agent")
    agents_call(secure_server, "CreateAgent", {
        "AgentName": "reviewer", "RoleArn": role_arn, "Kind": "Model",
        "Model": {"BaseUrl": chat.base_url, "Model": "m", "TimeoutSeconds": 20}})
    ssm, eid = start(secure_server, "Pay", [role_arn], 50, message="slow {{ Amount }}")
    deadline = time.time() + 10
    while not chat.requests() and time.time() < deadline:
        time.sleep(0.05)
    assert len(chat.requests()) == 1
    secure_server.kill9()
    secure_server.start()
    ssm = boto3_client(secure_server, "ssm")
    e = wait_status(ssm, eid, {"Success", "Failed"}, timeout=30)
    assert e["AutomationExecutionStatus"] == "Success"
    assert len(chat.requests()) == 2
    [d] = wait_decisions(secure_server, eid)
    assert d["Decision"] == "Approve"


def test_policy_rules_see_the_input_of_the_execution_whose_task_token_the_approval_carries(
        secure_server):
    """A state machine waiting on this automation passed its task token as a parameter: rules
    read that execution's input as $.Execution.Input."""
    sfn = boto3_client(secure_server, "stepfunctions")
    machine_role = agent_role(secure_server, "machine-role", allow_signal=False)
    activity = sfn.create_activity(name="hand-off")["activityArn"]
    machine = sfn.create_state_machine(
        name="deploy", roleArn=machine_role, definition=json.dumps({
            "StartAt": "Wait", "States": {"Wait": {"Type": "Task", "Resource": activity,
                                                   "End": True}}}))["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine,
                                    input=json.dumps({"env": "dev"}))["executionArn"]
    token = sfn.get_activity_task(activityArn=activity, workerName="w")["taskToken"]

    role_arn = agent_role(secure_server, "policy-agent")
    agents_call(secure_server, "CreateAgent", {
        "AgentName": "policy", "RoleArn": role_arn, "Kind": "Policy", "Policy": {"Rules": [
            {"Language": "JSONPath", "Condition": {"Variable": "$.Execution.Input.env",
                                                   "StringEquals": "dev"},
             "Decision": "Approve", "Reason": "dev deployments need no one"}]}})
    ssm = boto3_client(secure_server, "ssm")
    ssm.create_document(Name="Gate", DocumentType="Automation", Content=json.dumps({
        "schemaVersion": "0.3", "parameters": {"TaskToken": {"type": "String"}},
        "mainSteps": [{"name": "Review", "action": "aws:approve", "inputs": {
            "Approvers": [role_arn], "Message": "deploy?"}}]}))
    eid = ssm.start_automation_execution(DocumentName="Gate", Parameters={
        "TaskToken": [token]})["AutomationExecutionId"]
    assert wait_status(ssm, eid, {"Success", "Failed"})["AutomationExecutionStatus"] == "Success"
    [d] = wait_decisions(secure_server, eid)
    assert d["Reason"] == "dev deployments need no one"
    # A forged token names no execution: the rule sees no input and does not hold.
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    eid2 = ssm.start_automation_execution(DocumentName="Gate", Parameters={
        "TaskToken": [forged]})["AutomationExecutionId"]
    [d] = wait_decisions(secure_server, eid2)
    assert d["Decision"] == "Abstain" and d["Reason"] == "no rule matched"
    sfn.stop_execution(executionArn=execution)
