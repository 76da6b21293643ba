"""The multi-stage approval examples in examples/, deployed on a server that checks signatures and
run end to end through real AWS clients: the AWS CLI deploys, boto3 starts executions, approvers
decide with their own signed credentials (IAM users, role sessions, group members), and every
approval request arrives as mail through a loopback SMTP server. No glue function: each stage is
aws-sdk:ssm:startAutomationExecution.waitForTaskToken, and the automation reports its decision to
the task token with aws:executeAwsApi as its AutomationAssumeRole.
"""
import json
import os
import re
import shutil
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller

from conftest import ROOT, Server, boto3_client, free_port
from test_notify import Mailbox, body_of, confirm_by_mail, wait_for

ACCOUNT = "000000000000"
EXAMPLES = os.path.join(ROOT, "examples")
APPROVER_ACTIONS = ["ssm:SendAutomationSignal", "ssm:GetAutomationExecution"]
APPROVAL_LINK = re.compile(r"/console/approvals/([0-9a-f-]{36})")


def cli_binary():
    for candidate in ("/usr/bin/aws", shutil.which("aws")):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.skip("no AWS CLI on this machine")


class World:
    """A secure Signoff with mail, its administrator's clients and the approvers' identities."""

    def __init__(self, server, mailbox, tmp_data):
        self.server = server
        self.mailbox = mailbox
        self.tmp_data = tmp_data
        self.iam = boto3_client(server, "iam")
        self.sfn = boto3_client(server, "stepfunctions")
        self.ssm = boto3_client(server, "ssm")
        self.keys = {}

    def aws(self, *args, timeout=300):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
                    "AWS_CONFIG_FILE": os.path.join(self.tmp_data, "aws-config"),
                    "AWS_SHARED_CREDENTIALS_FILE": self.server.credentials_file,
                    "AWS_PROFILE": "signoff"})
        p = subprocess.run([cli_binary(), "--endpoint-url", self.server.endpoint, "--output",
                            "json", *args], env=env, capture_output=True, text=True,
                           timeout=timeout)
        assert p.returncode == 0, f"aws {' '.join(args[:2])}: {p.stderr}\n{self.server.log()}"
        return p.stdout

    def allow(self, kind, name, actions, policy="approve"):
        doc = json.dumps({"Version": "2012-10-17",
                          "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})
        if kind == "user":
            self.iam.put_user_policy(UserName=name, PolicyName=policy, PolicyDocument=doc)
        elif kind == "group":
            self.iam.put_group_policy(GroupName=name, PolicyName=policy, PolicyDocument=doc)
        else:
            self.iam.put_role_policy(RoleName=name, PolicyName=policy, PolicyDocument=doc)

    def user(self, name, approver=True):
        self.iam.create_user(UserName=name)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        self.keys[name] = (key["AccessKeyId"], key["SecretAccessKey"])
        if approver:
            self.allow("user", name, APPROVER_ACTIONS)
        return f"arn:aws:iam::{ACCOUNT}:user/{name}"

    def role(self, name, members):
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/{m}" for m in members]}}]}
        arn = self.iam.create_role(RoleName=name,
                                   AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        self.allow("role", name, APPROVER_ACTIONS)
        for m in members:
            self.allow("user", m, ["sts:AssumeRole"], policy="assume-" + name)
        return arn

    def group(self, name, members):
        arn = self.iam.create_group(GroupName=name)["Group"]["Arn"]
        self.allow("group", name, APPROVER_ACTIONS)
        for m in members:
            self.iam.add_user_to_group(GroupName=name, UserName=m)
        return arn

    def ssm_as(self, user, role_arn=None, session="approver"):
        if role_arn is None:
            return boto3_client(self.server, "ssm", credentials=self.keys[user])
        sts = boto3_client(self.server, "sts", credentials=self.keys[user])
        c = sts.assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]
        return boto3_client(self.server, "ssm",
                            credentials=(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]))

    def deploy(self, template, stack, **params):
        self.aws("cloudformation", "deploy", "--template-file", os.path.join(EXAMPLES, template),
                 "--stack-name", stack, "--capabilities", "CAPABILITY_NAMED_IAM",
                 "--parameter-overrides", *[f"{k}={v}" for k, v in params.items()])
        stack = boto3_client(self.server, "cloudformation").describe_stacks(
            StackName=stack)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def approval_request(self, address, text, since=0):
        """The automation id of the approval request mailed to `address` whose body says
        `text`, among the mails after the first `since`."""
        def find():
            for m in self.mailbox.mails()[since:]:
                body = body_of(m)
                link = APPROVAL_LINK.search(body)
                if address in m["to"] and text in body and link:
                    return link.group(1)
            return None
        return wait_for(find, timeout=60, what=f"the approval request to {address}")

    def start(self, machine, name, payload):
        return self.sfn.start_execution(stateMachineArn=machine, name=name,
                                        input=json.dumps(payload))["executionArn"]

    def finished(self, arn, timeout=60):
        def done():
            d = self.sfn.describe_execution(executionArn=arn)
            return d if d["status"] != "RUNNING" else None
        return wait_for(done, timeout=timeout, what=f"{arn} to finish")

    def automation_status(self, automation_id):
        return self.ssm.get_automation_execution(AutomationExecutionId=automation_id)[
            "AutomationExecution"]["AutomationExecutionStatus"]


@pytest.fixture
def world(tmp_data):
    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=free_port())
    smtp.start()
    server = Server(os.path.join(tmp_data, "data"), insecure=False,
                    extra_args=["--smtp-url", f"smtp://127.0.0.1:{smtp.port}?starttls=never"])
    server.start()
    yield World(server, box, tmp_data)
    server.stop()
    smtp.stop()


def approve(ssm, automation_id, comment="ok"):
    ssm.send_automation_signal(AutomationExecutionId=automation_id, SignalType="Approve",
                               Payload={"Comment": [comment]})


def reject(ssm, automation_id, comment="no"):
    ssm.send_automation_signal(AutomationExecutionId=automation_id, SignalType="Reject",
                               Payload={"Comment": [comment]})


def test_two_stages_in_sequence(world):
    """(b) A team lead (quorum 1, a role's sessions), then security (quorum 2: a role session and
    an IAM user); a rejection at either stage rejects the request."""
    world.user("lead")
    world.user("sam")
    carol = world.user("carol")
    leads = world.role("team-leads", ["lead"])
    security = world.role("security", ["sam"])
    out = world.deploy("two-stage-approval.cfn.yaml", "release",
                       TeamLeadApprovers=leads, TeamLeadEmail="leads@example.test",
                       SecurityApprovers=f"{security},{carol}",
                       SecurityEmail="security@example.test")
    confirm_by_mail(world.mailbox, "leads@example.test", out["TeamLeadTopicArn"])
    confirm_by_mail(world.mailbox, "security@example.test", out["SecurityTopicArn"])
    machine = out["StateMachineArn"]

    seen = len(world.mailbox.mails())
    arn = world.start(machine, "ship-1", {"summary": "release 1.2"})
    first = world.approval_request("leads@example.test", "Team lead approval requested: release 1.2",
                                   seen)
    # Security hears nothing before the team lead decided.
    assert not [m for m in world.mailbox.mails()[seen:] if "security@example.test" in m["to"]]
    approve(world.ssm_as("lead", leads, "lead"), first)
    second = world.approval_request("security@example.test",
                                    "Security approval requested: release 1.2", seen)
    approve(world.ssm_as("sam", security, "sam"), second)
    time.sleep(0.5)
    assert world.automation_status(second) == "Waiting"  # one of two
    assert world.sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    approve(world.ssm_as("carol"), second)
    done = world.finished(arn)
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert output["teamLead"] == {"Stage": "team-lead", "Decision": "Approved"}
    assert output["security"] == {"Stage": "security", "Decision": "Approved"}
    for automation in (first, second):
        assert world.automation_status(automation) == "Success"

    # The second stage rejects: the request is rejected with the stage's reason.
    seen = len(world.mailbox.mails())
    arn = world.start(machine, "ship-2", {"summary": "release 1.3"})
    first = world.approval_request("leads@example.test", "release 1.3", seen)
    approve(world.ssm_as("lead", leads, "lead"), first)
    second = world.approval_request("security@example.test", "release 1.3", seen)
    reject(world.ssm_as("carol"), second, "not without a pen test")
    done = world.finished(arn)
    assert done["status"] == "FAILED"
    assert done["error"] == "Rejected"
    assert done["cause"] == "The security stage did not approve (approval status: Rejected)."


def create_stack(world, template, stack, **params):
    """boto3's CreateStack and its waiter (the other real client path)."""
    cfn = boto3_client(world.server, "cloudformation")
    with open(os.path.join(EXAMPLES, template)) as f:
        body = f.read()
    cfn.create_stack(StackName=stack, TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v}
                                 for k, v in params.items()])
    cfn.get_waiter("stack_create_complete").wait(StackName=stack,
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    outputs = cfn.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def test_parallel_groups_must_both_approve(world):
    """(c) Two IAM groups decide in parallel; both must approve. One rejection rejects the
    request and withdraws the other group's pending approval."""
    for name in ("fay", "fred", "lee"):
        world.user(name, approver=False)  # their groups grant the approver permissions
    finance = world.group("finance", ["fay", "fred"])
    legal = world.group("legal", ["lee"])
    out = create_stack(world, "parallel-approval.cfn.yaml", "contract",
                       FirstGroupApprovers=finance, FirstGroupEmail="finance@example.test",
                       SecondGroupApprovers=legal, SecondGroupEmail="legal@example.test")
    confirm_by_mail(world.mailbox, "finance@example.test", out["FirstGroupTopicArn"])
    confirm_by_mail(world.mailbox, "legal@example.test", out["SecondGroupTopicArn"])
    machine = out["StateMachineArn"]

    seen = len(world.mailbox.mails())
    arn = world.start(machine, "contract-1", {"summary": "contract 7"})
    # Both requests go out at once.
    fin = world.approval_request("finance@example.test", "First group approval requested: contract 7",
                                 seen)
    leg = world.approval_request("legal@example.test", "Second group approval requested: contract 7",
                                 seen)
    approve(world.ssm_as("fred"), fin)
    time.sleep(0.5)
    assert world.sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    approve(world.ssm_as("lee"), leg)
    done = world.finished(arn)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"])["approvals"] == [
        {"Stage": "finance", "Decision": "Approved"}, {"Stage": "legal", "Decision": "Approved"}]

    # Legal rejects while finance has not decided: rejected, and finance's request is withdrawn.
    seen = len(world.mailbox.mails())
    arn = world.start(machine, "contract-2", {"summary": "contract 8"})
    fin = world.approval_request("finance@example.test", "contract 8", seen)
    leg = world.approval_request("legal@example.test", "contract 8", seen)
    reject(world.ssm_as("lee"), leg, "liability clause")
    done = world.finished(arn)
    assert done["status"] == "FAILED"
    assert (done["error"], done["cause"]) == (
        "Rejected", "The legal stage did not approve (approval status: Rejected).")
    assert world.automation_status(fin) == "Cancelled"
    # Its aws:approve failed (a critical step), so it ends Failed after reporting the rejection.
    assert world.automation_status(leg) == "Failed"
    states = [e["stateEnteredEventDetails"]["name"]
              for e in world.sfn.get_execution_history(executionArn=arn)["events"]
              if "stateEnteredEventDetails" in e]
    assert states[-4:] == ["FindPending", "Withdraw", "Stop", "Rejected"]


def test_escalation_when_nobody_decides(world):
    """(d) Nobody of the first responders decides within EscalationSeconds: the escalation
    group's topic gets the news (aws-sdk:sns:publish) and an approval they decide."""
    world.user("olive")
    world.user("max")
    responders = world.role("on-call", ["olive"])
    managers = world.role("managers", ["max"])
    out = world.deploy("escalation-approval.cfn.yaml", "incident",
                       FirstResponders=responders, FirstResponderEmail="oncall@example.test",
                       EscalationApprovers=managers, EscalationEmail="managers@example.test",
                       EscalationSeconds="4")
    confirm_by_mail(world.mailbox, "oncall@example.test", out["FirstResponderTopicArn"])
    confirm_by_mail(world.mailbox, "managers@example.test", out["EscalationTopicArn"])
    machine = out["StateMachineArn"]

    seen = len(world.mailbox.mails())
    arn = world.start(machine, "hotfix-1", {"summary": "hotfix 9"})
    first = world.approval_request("oncall@example.test", "Approval requested: hotfix 9", seen)
    notice = wait_for(lambda: [m for m in world.mailbox.mails()[seen:]
                               if "managers@example.test" in m["to"] and str(m["msg"]["Subject"])
                               == "Escalated: an approval request needs your decision"],
                      timeout=30, what="the escalation notice")[0]
    assert ("No first responder decided on hotfix 9 within 4 seconds. An approval request "
            "follows: the decision is yours.") in body_of(notice)
    second = world.approval_request("managers@example.test",
                                    "Escalated approval requested: hotfix 9", seen)
    # The first stage is over: its approval timed out, it reported NoDecision, and it ends Failed
    # (the approval is a critical step).
    wait_for(lambda: world.automation_status(first) == "Failed", what="the first stage to end")
    steps = world.ssm.describe_automation_step_executions(
        AutomationExecutionId=first)["StepExecutions"]
    assert [(st["StepName"], st["StepStatus"]) for st in steps] == [
        ("Approve", "TimedOut"), ("Decide", "Success"), ("NoDecision", "Success")]
    approve(world.ssm_as("max", managers, "max"), second)
    done = world.finished(arn)
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert output["decision"] == {"Stage": "escalation", "Decision": "Approved"}
    assert output["escalation"]["Error"] == "NoDecision"
    assert output["escalation"]["Cause"] == "No first responder decided within 4 seconds."
    assert set(output["escalation"]["Notification"]) == {"MessageId"}

    # A first responder who decides in time: no escalation.
    seen = len(world.mailbox.mails())
    arn = world.start(machine, "hotfix-2", {"summary": "hotfix 10"})
    first = world.approval_request("oncall@example.test", "hotfix 10", seen)
    approve(world.ssm_as("olive", responders, "olive"), first)
    done = world.finished(arn)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"])["decision"] == {"Stage": "first-responders",
                                                      "Decision": "Approved"}
    assert not [m for m in world.mailbox.mails()[seen:] if "managers@example.test" in m["to"]]


@pytest.mark.parametrize("template,params", [
    ("two-stage-approval.cfn.yaml",
     {"TeamLeadApprovers": f"arn:aws:iam::{ACCOUNT}:role/leads", "TeamLeadEmail": "a@example.test",
      "SecurityApprovers": f"arn:aws:iam::{ACCOUNT}:role/sec,arn:aws:iam::{ACCOUNT}:user/c",
      "SecurityEmail": "b@example.test"}),
    ("parallel-approval.cfn.yaml",
     {"FirstGroupApprovers": f"arn:aws:iam::{ACCOUNT}:group/finance",
      "FirstGroupEmail": "a@example.test", "SecondGroupApprovers": f"arn:aws:iam::{ACCOUNT}:group/legal",
      "SecondGroupEmail": "b@example.test"}),
    ("escalation-approval.cfn.yaml",
     {"FirstResponders": f"arn:aws:iam::{ACCOUNT}:role/on-call", "FirstResponderEmail": "a@example.test",
      "EscalationApprovers": f"arn:aws:iam::{ACCOUNT}:role/managers",
      "EscalationEmail": "b@example.test"}),
])
def test_examples_deploy_with_signoff_deploy(server, template, params):
    binary = os.environ.get("SIGNOFF_BIN", os.path.join(ROOT, "build", "release", "signoff"))
    args = [binary, "deploy", os.path.join(EXAMPLES, template), "--stack-name", "example",
            "--endpoint", server.endpoint]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr + p.stdout
    assert p.stdout.splitlines()[-1] == "Stack example: CREATE_COMPLETE"
    assert any(l.strip().startswith("StateMachineArn = arn:aws:states:") for l in p.stdout.splitlines())
