"""The mission's acceptance test: the seed's CloudFormation template, unmodified, deploys on
Signoff and its approval flow runs end to end with the real AWS CLI, real e-mail through a
loopback SMTP server, and real approver identities (signed requests, IAM users and a role).

The template is read from ../shared/seed/ at test time; the project does not copy it.
"""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import SHARED, Server, _cli_candidates, boto3_client
from test_notify import Mailbox, body_of, confirm_by_mail, wait_for

SEED = os.path.join(SHARED, "seed", "SfnApprovalCFnSfnWithSsmApprovalAndEventBridge.yml")
ACCOUNT = "000000000000"
MAILBOX = "approver@example.test"
STACK = "seed"


@pytest.fixture(params=["v2", "v1"])
def cli_path(request):
    paths = dict(_cli_candidates())
    if request.param not in paths:
        pytest.skip(f"AWS CLI {request.param} is not installed on this machine")
    return paths[request.param]


@pytest.fixture
def world(tmp_data, cli_path):
    """A secure Signoff with SMTP delivery, an approvers role two users may assume, and an
    outsider who may call SendAutomationSignal but is no approver."""
    from aiosmtpd.controller import Controller
    from conftest import free_port

    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=free_port())
    smtp.start()
    server = Server(os.path.join(tmp_data, "data"), insecure=False,
                    extra_args=["--smtp-url", f"smtp://127.0.0.1:{smtp.port}?starttls=never"])
    server.start()
    iam = boto3_client(server, "iam")
    ssm_perms = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*",
        "Action": ["ssm:SendAutomationSignal", "ssm:GetAutomationExecution",
                   "ssm:DescribeAutomationExecutions", "ssm:DescribeAutomationStepExecutions"]}]}
    users = {}
    for name in ("approver1", "approver2", "outsider"):
        iam.create_user(UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = (key["AccessKeyId"], key["SecretAccessKey"])
    iam.put_user_policy(UserName="outsider", PolicyName="ssm", PolicyDocument=json.dumps(ssm_perms))
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/approver1",
                              f"arn:aws:iam::{ACCOUNT}:user/approver2"]}}]}
    role = iam.create_role(RoleName="approvers", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="approvers", PolicyName="ssm", PolicyDocument=json.dumps(ssm_perms))
    for name in ("approver1", "approver2"):
        iam.put_user_policy(UserName=name, PolicyName="assume", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Resource": role["Role"]["Arn"]}]}))

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
                "AWS_CONFIG_FILE": os.path.join(tmp_data, "aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": server.credentials_file, "AWS_PROFILE": "signoff"})

    def aws(*args, credentials=None, expect_error=None, timeout=300):
        run_env = dict(env)
        if credentials is not None:
            run_env.pop("AWS_PROFILE")
            run_env.update({"AWS_ACCESS_KEY_ID": credentials[0],
                            "AWS_SECRET_ACCESS_KEY": credentials[1],
                            "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
            if len(credentials) > 2:
                run_env["AWS_SESSION_TOKEN"] = credentials[2]
        p = subprocess.run([cli_path, "--endpoint-url", server.endpoint, "--output", "json", *args],
                           env=run_env, capture_output=True, text=True, timeout=timeout)
        if expect_error is not None:
            assert p.returncode != 0, f"expected {expect_error}, got: {p.stdout}"
            assert expect_error in p.stderr, p.stderr
            return p.stderr
        assert p.returncode == 0, f"aws {' '.join(args[:2])} failed: {p.stderr}\n{server.log()}"
        if not p.stdout.strip():
            return None
        try:
            return json.loads(p.stdout)
        except json.JSONDecodeError:  # commands that print text (cloudformation deploy)
            return p.stdout

    def session(user, name):
        creds = aws("sts", "assume-role", "--role-arn", role["Role"]["Arn"],
                    "--role-session-name", name, credentials=users[user])["Credentials"]
        return (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])

    yield {"server": server, "mailbox": box, "aws": aws, "users": users, "session": session,
           "role_arn": role["Role"]["Arn"]}
    server.stop()
    smtp.stop()


def stack_outputs(aws):
    stack = aws("cloudformation", "describe-stacks", "--stack-name", STACK)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def wait_execution(aws, arn, timeout=90):
    def done():
        d = aws("stepfunctions", "describe-execution", "--execution-arn", arn)
        return d if d["status"] != "RUNNING" else None
    return wait_for(done, timeout=timeout, what=f"{arn} to finish")


def entered_states(aws, arn):
    events = aws("stepfunctions", "get-execution-history", "--execution-arn", arn)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


def approval_mail(mailbox, since):
    """The approval request mail that arrived after `since` mails, and the automation id its
    link names."""
    def find():
        for m in mailbox.mails()[since:]:
            body = body_of(m)
            if "Approval request has been received" in body and MAILBOX in m["to"]:
                link = re.search(r"/console/approvals/([0-9a-f-]{36})", body)
                if link:
                    return m, body, link.group(1)
        return None
    return wait_for(find, timeout=60, what="the approval mail")


def start(aws, machine_arn, example, name, **overrides):
    payload = dict(example, **overrides)
    return aws("stepfunctions", "start-execution", "--state-machine-arn", machine_arn,
               "--name", name, "--input", json.dumps(payload))["executionArn"]


def test_seed_template_end_to_end(world):
    aws, box, server = world["aws"], world["mailbox"], world["server"]
    # 3. Deploy the unmodified template.
    aws("cloudformation", "deploy", "--template-file", SEED, "--stack-name", STACK,
        "--capabilities", "CAPABILITY_NAMED_IAM", "--parameter-overrides",
        f"SsmApprovers={world['role_arn']}", f"EmailForNotification={MAILBOX}",
        "SsmMinRequiredApprovals=1", timeout=600)
    outputs = stack_outputs(aws)
    example = json.loads(outputs["StepFunctionsInputExample"])
    assert example["ssm_approvers"] == world["role_arn"]
    machine = aws("stepfunctions", "list-state-machines")["stateMachines"]
    machine_arn = [m["stateMachineArn"] for m in machine
                   if m["name"] == "StepFunctionsWithSsmAutomationApproval"][0]

    # 4. Confirm the e-mail subscription through the link in the confirmation mail.
    confirm_by_mail(box, MAILBOX, example["ssm_notification_arn"])

    # 5-7. Approve: the outsider is refused, a session of the approvers role approves.
    seen = len(box.mails())
    arn = start(aws, machine_arn, example, "approve-1")
    mail, body, automation_id = approval_mail(box, seen)
    assert ("Please review file index.html at the following URL to decide whether to approve or "
            "deny. URL: https://hidekazu-konishi.com/") in body
    aws("ssm", "send-automation-signal", "--automation-execution-id", automation_id,
        "--signal-type", "Approve", credentials=world["users"]["outsider"],
        expect_error="AccessDenied")
    waiting = aws("ssm", "get-automation-execution", "--automation-execution-id", automation_id)
    assert waiting["AutomationExecution"]["AutomationExecutionStatus"] == "Waiting"
    aws("ssm", "send-automation-signal", "--automation-execution-id", automation_id,
        "--signal-type", "Approve", "--payload", "Comment=ship it",
        credentials=world["session"]("approver1", "alice"))
    done = wait_execution(aws, arn)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"is_approved": True}
    assert entered_states(aws, arn)[-1] == "Approved"
    steps = aws("ssm", "describe-automation-step-executions", "--automation-execution-id",
                automation_id, "--filters", "Key=Action,Values=aws:approve")["StepExecutions"]
    assert steps[0]["Outputs"]["ApprovalStatus"] == ["Approved"]

    # 8a. Reject.
    seen = len(box.mails())
    arn = start(aws, machine_arn, example, "reject-1")
    _, _, automation_id = approval_mail(box, seen)
    aws("ssm", "send-automation-signal", "--automation-execution-id", automation_id,
        "--signal-type", "Reject", credentials=world["session"]("approver2", "bob"))
    done = wait_execution(aws, arn)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"is_approved": False}
    assert entered_states(aws, arn)[-1] == "Rejected"

    # 8b. Two approvals required: one is not enough, a second approver completes it; the same
    # principal approving twice does not count twice.
    seen = len(box.mails())
    arn = start(aws, machine_arn, example, "quorum-2", ssm_min_required_approvals="2")
    _, _, automation_id = approval_mail(box, seen)
    alice = world["session"]("approver1", "alice")
    for _ in range(2):
        aws("ssm", "send-automation-signal", "--automation-execution-id", automation_id,
            "--signal-type", "Approve", credentials=alice)
    time.sleep(1)
    assert aws("stepfunctions", "describe-execution", "--execution-arn", arn)["status"] == "RUNNING"
    aws("ssm", "send-automation-signal", "--automation-execution-id", automation_id,
        "--signal-type", "Approve", credentials=world["session"]("approver2", "bob"))
    done = wait_execution(aws, arn)
    assert done["status"] == "SUCCEEDED" and entered_states(aws, arn)[-1] == "Approved"

    # 8c. The automation cannot run (its document is gone): the starting function fails, and
    # the execution follows its Catch to Fail.
    aws("ssm", "delete-document", "--name", example["ssm_doc_name"])
    arn = start(aws, machine_arn, example, "stopped-1")
    done = wait_execution(aws, arn)
    assert done["status"] == "FAILED", done
    assert entered_states(aws, arn)[-1] == "Fail"

    # 9. Delete the stack; every resource is gone.
    aws("cloudformation", "delete-stack", "--stack-name", STACK)
    aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", STACK, timeout=600)
    assert not [m for m in aws("stepfunctions", "list-state-machines")["stateMachines"]
                if m["name"] == "StepFunctionsWithSsmAutomationApproval"]
    functions = aws("lambda", "list-functions")["Functions"]
    assert not [f for f in functions if f["FunctionName"] in
                ("LambdaForSsmStartAutomationExecution", "AutomationResultReceivedByLambda")]
    assert not aws("events", "list-rules", "--name-prefix", "EventRuleForAutomationResult")["Rules"]
    roles = [r["RoleName"] for r in aws("iam", "list-roles")["Roles"]]
    assert not [r for r in roles if r.startswith(("SsmAutomationAssumeRole", "IAMRole-"))]
    topics = aws("sns", "list-topics")["Topics"]
    assert not [t for t in topics if t["TopicArn"].endswith(":AutomationApprovalNotification")]
