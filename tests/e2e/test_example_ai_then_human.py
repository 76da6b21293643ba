"""Example (a), examples/ai-then-human.cfn.yaml: deployed with `signoff deploy`, its model agent
pointed at the deterministic chat-completions server (tests/e2e/chat_server.py). A small payment
is approved by the AI alone; a larger one (the model's confidence below MinConfidence) and a
rejected one go to the human stage, whose decision is the automation's outcome."""
import json
import os
import subprocess

from agents_util import ChatServer, wait_decisions, wait_status
from conftest import ROOT, boto3_client

EXAMPLE = os.path.join(ROOT, "examples", "ai-then-human.cfn.yaml")


def deploy(server, chat, *params):
    p = subprocess.run([server.binary, "deploy", EXAMPLE, "--stack-name", "pay", "--endpoint",
                        server.endpoint, "--param", f"ModelBaseUrl={chat.base_url}",
                        "--param", "HumanApprover=arn:aws:iam::000000000000:root", *params],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "Stack pay: CREATE_COMPLETE"
    outputs = boto3_client(server, "cloudformation").describe_stacks(StackName="pay")[
        "Stacks"][0]["Outputs"]
    return {o["OutputKey"]: o["OutputValue"] for o in outputs}


def steps(ssm, eid):
    return {s["StepName"]: s for s in ssm.describe_automation_step_executions(
        AutomationExecutionId=eid)["StepExecutions"]}


def test_ai_approval_is_final_only_at_high_confidence(server, tmp_data):
    chat = ChatServer(tmp_data)
    try:
        out = deploy(server, chat)
        ssm = boto3_client(server, "ssm")
        agents_doc = out["DocumentName"]
        assert out["AgentName"] == "pay-ai-reviewer"

        def start(amount):
            return ssm.start_automation_execution(
                DocumentName=agents_doc, Parameters={"Amount": [str(amount)],
                                                     "Payee": ["ACME"]})["AutomationExecutionId"]

        # High confidence: the AI's approval ends it; no human stage.
        small = start(40)
        e = wait_status(ssm, small, {"Success", "Failed"})
        assert e["AutomationExecutionStatus"] == "Success"
        s = steps(ssm, small)
        assert s["AiReview"]["StepStatus"] == "Success" and "HumanReview" not in s

        # Low confidence: the agent abstains, the AI stage times out, the human decides.
        # (The example's AiTimeoutSeconds is lowered for the test.)
        ssm.update_document(Name=agents_doc, DocumentVersion="$LATEST",
                            DocumentFormat="JSON", Content=_shorter_ai_stage(ssm, agents_doc))
        ssm.update_document_default_version(Name=agents_doc, DocumentVersion="2")
        medium = start(500)
        [d] = wait_decisions(server, medium)
        assert d["Decision"] == "Abstain" and "below the threshold 0.90" in d["Detail"]
        e = wait_status(ssm, medium, {"Waiting"}, timeout=30)
        _wait_step(ssm, medium, "HumanReview")
        ssm.send_automation_signal(AutomationExecutionId=medium, SignalType="Approve",
                                   Payload={"Comment": ["checked the invoice"]})
        e = wait_status(ssm, medium, {"Success", "Failed"})
        assert e["AutomationExecutionStatus"] == "Success"
        assert steps(ssm, medium)["AiReview"]["StepStatus"] == "TimedOut"

        # A confident rejection by the AI still goes to the human, who may reject too.
        big = start(5000)
        _wait_step(ssm, big, "HumanReview")
        assert steps(ssm, big)["AiReview"]["Outputs"]["ApprovalStatus"] == ["Rejected"]
        ssm.send_automation_signal(AutomationExecutionId=big, SignalType="Reject")
        assert wait_status(ssm, big, {"Success", "Failed"})["AutomationExecutionStatus"] == \
            "Failed"
    finally:
        chat.stop()
        boto3_client(server, "cloudformation").delete_stack(StackName="pay")


def _shorter_ai_stage(ssm, name):
    content = json.loads(ssm.get_document(Name=name, DocumentFormat="JSON")["Content"])
    content["mainSteps"][0]["timeoutSeconds"] = 2
    return json.dumps(content)


def _wait_step(ssm, eid, name, timeout=30):
    import time
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = steps(ssm, eid)
        if name in s and s[name]["StepStatus"] == "Waiting":
            return s[name]
        time.sleep(0.1)
    raise AssertionError(f"{name} never waited: {steps(ssm, eid)}")
