"""`make run` and README's "Your first approval in five minutes", end to end: the server started
with make run's flags (signatures checked, the example flow deployed), then the README's shell
blocks run as they are (only the port differs) with each AWS CLI, one approval through Approved,
and the mail drop holding the confirmation and approval mails. A restart leaves the stack alone."""
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import ROOT, Server, _cli_candidates, boto3_client

EXAMPLE = os.path.join(ROOT, "examples", "approval-flow.cfn.yaml")
README = os.path.join(ROOT, "README.md")


def make_run_flags():
    """The serve flags of the Makefile's run target (beyond --data and --port)."""
    with open(os.path.join(ROOT, "Makefile")) as f:
        text = f.read()
    recipe = text[text.index("\nrun: build"):]
    recipe = recipe[:recipe.index("\n\n")]
    line = " ".join(l.strip().rstrip("\\") for l in recipe.splitlines()[1:])
    assert "--data $(DATA) --port $(PORT)" in line and "--insecure-open" not in line
    flags = line.split("--port $(PORT)", 1)[1].replace("$(RUN_ARGS)", "")
    flags = flags.replace("$(EXAMPLE_FLOW)", EXAMPLE)
    return flags.split()


def walkthrough_blocks():
    with open(README) as f:
        text = f.read()
    start = text.index("<!-- walkthrough:start")
    end = text.index("<!-- walkthrough:end -->")
    return re.findall(r"```sh\n(.*?)```", text[start:end], re.S)


def wait_for_log(server, needle, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if needle in server.log():
            return
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not in the server's output:\n{server.log()}")


def mails(data_dir):
    d = os.path.join(data_dir, "mail")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


@pytest.fixture(params=["v2", "v1"])
def cli(request, tmp_data):
    paths = dict(_cli_candidates())
    if request.param not in paths:
        pytest.skip(f"AWS CLI {request.param} is not installed on this machine")
    bin_dir = os.path.join(tmp_data, "bin")
    os.makedirs(bin_dir)
    os.symlink(paths[request.param], os.path.join(bin_dir, "aws"))
    return bin_dir


def test_first_approval_as_the_readme_says(tmp_data, cli):
    data = os.path.join(tmp_data, "data")
    server = Server(data, extra_args=make_run_flags(), insecure=False).start()
    try:
        wait_for_log(server, "stack approval-flow is CREATE_COMPLETE")
        log = server.log()
        assert "Console:      " + server.endpoint + "/console/" in log
        assert "mail/ (one .eml per message)" in log
        assert "stepfunctions start-execution --state-machine-arn" in log
        assert "ssm send-automation-signal" in log

        # The repository as the README assumes it: ./signoff-data and ./build/release/signoff.
        repo = os.path.join(tmp_data, "repo")
        os.makedirs(os.path.join(repo, "build", "release"))
        os.symlink(data, os.path.join(repo, "signoff-data"))
        os.symlink(server.binary, os.path.join(repo, "build", "release", "signoff"))

        blocks = [b.replace("http://127.0.0.1:8765", server.endpoint)
                  for b in walkthrough_blocks()]
        assert len(blocks) == 6
        # A reader pauses between steps; the script waits where a reader would see the result.
        waits = {
            1: "until [ \"$(ls signoff-data/mail | wc -l)\" -ge 1 ]; do sleep 0.2; done",
            4: ("until [ \"$(ls signoff-data/mail | wc -l)\" -ge 2 ]; do sleep 0.2; done; "
                "until [ \"$(aws --endpoint-url http://127.0.0.1:8765 ssm "
                "describe-automation-executions --filters Key=ExecutionStatus,Values=Waiting "
                "--query 'length(AutomationExecutionMetadataList)')\" = 1 ]; do sleep 0.2; done"
                ).replace("http://127.0.0.1:8765", server.endpoint),
            5: ("until [ \"$(aws --endpoint-url http://127.0.0.1:8765 stepfunctions "
                "describe-execution --execution-arn \"$EXECUTION\" --query status "
                "--output text)\" != RUNNING ]; do sleep 0.3; done"
                ).replace("http://127.0.0.1:8765", server.endpoint),
        }
        script = "set -euo pipefail\n"
        for i, block in enumerate(blocks):
            if i in waits:
                script += waits[i] + "\n"
            script += f"echo '=== block {i}'\n" + block
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["PATH"] = cli + ":" + env["PATH"]
        env["AWS_CONFIG_FILE"] = os.path.join(tmp_data, "aws-config")
        env["AWS_PAGER"] = ""
        p = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True,
                           text=True, timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr + server.log()
        out = p.stdout
        confirm_block = out.split("=== block 1")[1].split("=== block 2")[0]
        assert "Subject: AWS Notification - Subscription Confirmation" in confirm_block
        assert confirm_block.strip().endswith("200")
        approval_block = out.split("=== block 4")[1].split("=== block 5")[0]
        assert "Subject: Automation approval request" in approval_block
        assert "newcomer asks for approval - Deploy release 1.2 to production" in approval_block
        final = out.split("=== block 5")[1]
        assert '"SUCCEEDED"' in final and '"Approved"' in final

        # The mail drop: one confirmation and one approval request, complete files.
        names = mails(data)
        assert len(names) == 2 and all(n.endswith(".eml") for n in names)
        with open(os.path.join(data, "mail", names[1]), "rb") as f:
            text = f.read().decode()
        assert "Delivered-To: approver@example.com\r\n" in text
        assert "Subject: Automation approval request\r\n" in text
        assert not [n for n in os.listdir(os.path.join(data, "mail")) if n.endswith(".tmp")]

        # The approver, not the administrator, decided; the flow ran through Approved.
        sfn = boto3_client(server, "stepfunctions")
        [execution] = sfn.list_executions(
            stateMachineArn="arn:aws:states:us-east-1:000000000000:stateMachine:approval-flow"
        )["executions"]
        history = sfn.get_execution_history(executionArn=execution["executionArn"])["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in history
                   if "stateEnteredEventDetails" in e]
        assert entered == ["AskForApproval", "WhichWay", "Approved"]
        output = json.loads(sfn.describe_execution(
            executionArn=execution["executionArn"])["output"])
        assert output["outcome"] == "approved"

        # make run again on the same data: the stack is left as it is.
        server.restart()
        wait_for_log(server, "stack approval-flow is CREATE_COMPLETE (unchanged)")
    finally:
        server.stop()


def test_rejection_goes_through_rejected(tmp_data):
    data = os.path.join(tmp_data, "data")
    server = Server(data, extra_args=make_run_flags(), insecure=False).start()
    try:
        wait_for_log(server, "stack approval-flow is CREATE_COMPLETE")
        iam, ssm, sfn, sns = (boto3_client(server, s) for s in ("iam", "ssm", "stepfunctions",
                                                                 "sns"))
        # Confirm the subscription through the link in the first mail.
        deadline = time.time() + 30
        while not mails(data) and time.time() < deadline:
            time.sleep(0.2)
        link = subprocess.run([server.binary, "mail", "--data", data, "--link", "/sns/confirm"],
                              capture_output=True, text=True, check=True).stdout.strip()
        import urllib.request
        assert urllib.request.urlopen(link).status == 200
        key = iam.create_access_key(UserName="approval-flow-approver")["AccessKey"]
        approver = boto3_client(server, "ssm",
                                credentials=(key["AccessKeyId"], key["SecretAccessKey"]))
        arn = sfn.start_execution(
            stateMachineArn="arn:aws:states:us-east-1:000000000000:stateMachine:approval-flow",
            input=json.dumps({"requester": "test", "request": "drop the database"}))["executionArn"]
        deadline = time.time() + 60
        waiting = []
        while not waiting and time.time() < deadline:
            waiting = ssm.describe_automation_executions(Filters=[
                {"Key": "ExecutionStatus", "Values": ["Waiting"]}])["AutomationExecutionMetadataList"]
            time.sleep(0.2)
        request = waiting[0]["AutomationExecutionId"]
        # The administrator is not among the approvers.
        with pytest.raises(Exception) as refused:
            ssm.send_automation_signal(AutomationExecutionId=request, SignalType="Approve")
        assert "AccessDenied" in str(refused.value)
        approver.send_automation_signal(AutomationExecutionId=request, SignalType="Reject",
                                        Payload={"Comment": ["not today"]})
        deadline = time.time() + 60
        status = "RUNNING"
        while status == "RUNNING" and time.time() < deadline:
            described = sfn.describe_execution(executionArn=arn)
            status = described["status"]
            time.sleep(0.3)
        assert status == "FAILED" and described["error"] == "Rejected"
        # Mail: the confirmation and the approval request.
        assert len(mails(data)) == 2
    finally:
        server.stop()


def test_make_run_names_the_relay_when_one_is_set(tmp_data):
    data = os.path.join(tmp_data, "data")
    relay = ["--smtp-url", "smtp://mailer:s3cr3t@127.0.0.1:2525?starttls=never"]
    server = Server(data, extra_args=make_run_flags() + relay, insecure=False).start()
    try:
        wait_for_log(server, "stack approval-flow is CREATE_COMPLETE")
        log = server.log()
        assert ("Mail:         sent through the SMTP relay "
                "smtp://mailer:***@127.0.0.1:2525?starttls=never") in log
        assert "s3cr3t" not in log and "signoff mail" not in log
        assert not os.path.exists(os.path.join(data, "mail"))
    finally:
        server.stop()


def test_a_failed_deploy_is_reported_and_the_next_start_deploys(tmp_data):
    data = os.path.join(tmp_data, "data")
    bad = make_run_flags() + ["--deploy-param", "FlowName=Not Valid"]
    server = Server(data, extra_args=bad, insecure=False).start()
    try:
        wait_for_log(server, "signoff: deploy of")
        assert "failed: Parameter 'FlowName' must match pattern" in server.log()
        # The server keeps serving.
        assert boto3_client(server, "sts").get_caller_identity()["Account"] == "000000000000"
    finally:
        server.stop()
    server = Server(data, extra_args=make_run_flags(), insecure=False).start()
    try:
        wait_for_log(server, "stack approval-flow is CREATE_COMPLETE")
    finally:
        server.stop()
