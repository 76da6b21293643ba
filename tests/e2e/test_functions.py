"""Lambda and CloudWatch Logs end to end: python3.9 functions run on the host's /usr/bin/python3
(Debian's boto3 1.26, which predates AWS_ENDPOINT_URL), created with boto3 and both CLIs,
invoked directly and from Step Functions, their output read back with `aws logs tail`."""
import base64
import io
import json
import os
import subprocess
import time
import zipfile

import pytest

from conftest import Server, boto3_client

ROLE = "arn:aws:iam::000000000000:role/signoff-lambda"

SOURCE = '''
import json, os, sys, time
import boto3

def lambda_handler(event, context):
    print("event: " + json.dumps(event))
    action = event.get("action")
    if action == "raise":
        raise ValueError("boom")
    if action == "sleep":
        time.sleep(event["seconds"])
    if action == "exit":
        os._exit(3)
    if action == "sfn":
        machines = boto3.client("stepfunctions").list_state_machines()["stateMachines"]
        return {"machines": [m["name"] for m in machines]}
    if action == "env":
        return {k: os.environ.get(k) for k in ("AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME",
                "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_LAMBDA_LOG_GROUP_NAME", "LAMBDA_TASK_ROOT", "_HANDLER", "GREETING")}
    return {"echo": event, "request_id": context.aws_request_id, "pid": os.getpid()}
'''


def zip_of(source, name="index.py"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, source)
    return buf.getvalue()


@pytest.fixture
def lam(server):
    return boto3_client(server, "lambda")


@pytest.fixture
def fn(lam):
    lam.create_function(FunctionName="demo", Runtime="python3.9", Role=ROLE,
                        Handler="index.lambda_handler", Code={"ZipFile": zip_of(SOURCE)},
                        Timeout=1, Environment={"Variables": {"GREETING": "hi"}})
    return "demo"


def invoke(lam, name, event, **kw):
    r = lam.invoke(FunctionName=name, Payload=json.dumps(event), **kw)
    return r, json.loads(r["Payload"].read() or b"null")


def test_create_get_list(lam, fn):
    c = lam.get_function_configuration(FunctionName=fn)
    assert c["State"] == "Active" and c["LastUpdateStatus"] == "Successful"
    assert c["Timeout"] == 1 and c["MemorySize"] == 128 and c["Version"] == "$LATEST"
    assert c["FunctionArn"] == "arn:aws:lambda:us-east-1:000000000000:function:demo"
    assert c["Environment"] == {"Variables": {"GREETING": "hi"}}
    g = lam.get_function(FunctionName=c["FunctionArn"])
    assert g["Configuration"]["CodeSha256"] == c["CodeSha256"]
    assert [f["FunctionName"] for f in lam.list_functions()["Functions"]] == ["demo"]
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.create_function(FunctionName="demo", Runtime="python3.9", Role=ROLE,
                            Handler="index.lambda_handler", Code={"ZipFile": zip_of(SOURCE)})
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_function(FunctionName="nope")
    assert "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope" in str(e.value)


def test_invoke_result_and_tail(lam, fn):
    r, out = invoke(lam, fn, {"a": 1}, LogType="Tail")
    assert r["StatusCode"] == 200 and "FunctionError" not in r
    assert r["ExecutedVersion"] == "$LATEST"
    assert out["echo"] == {"a": 1}
    log = base64.b64decode(r["LogResult"]).decode()
    assert log.startswith("START RequestId: " + out["request_id"] + " Version: $LATEST")
    assert 'event: {"a": 1}' in log
    assert "END RequestId: " + out["request_id"] in log
    assert "REPORT RequestId: " + out["request_id"] in log and "Billed Duration" in log
    # Warm: the same process answers the next invocation.
    _, again = invoke(lam, fn, {"a": 2})
    assert again["pid"] == out["pid"]


def test_environment(lam, fn):
    _, env = invoke(lam, fn, {"action": "env"})
    assert env["AWS_REGION"] == "us-east-1"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "demo"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/demo"
    assert env["_HANDLER"] == "index.lambda_handler" and env["GREETING"] == "hi"


def test_handler_error(lam, fn):
    r, out = invoke(lam, fn, {"action": "raise"})
    assert r["StatusCode"] == 200 and r["FunctionError"] == "Unhandled"
    assert out["errorMessage"] == "boom" and out["errorType"] == "ValueError"
    assert any("lambda_handler" in line for line in out["stackTrace"])


def test_timeout_kills_worker(lam, fn):
    t = time.time()
    r, out = invoke(lam, fn, {"action": "sleep", "seconds": 5})
    assert time.time() - t < 4
    assert r["FunctionError"] == "Unhandled"
    assert out["errorMessage"].endswith("Task timed out after 1.00 seconds")
    _, ok = invoke(lam, fn, {"after": "timeout"})
    assert ok["echo"] == {"after": "timeout"}


def test_exit_replaces_worker(lam, fn):
    _, first = invoke(lam, fn, {})
    r, out = invoke(lam, fn, {"action": "exit"})
    assert r["FunctionError"] == "Unhandled" and out["errorType"] == "Runtime.ExitError"
    assert "Runtime exited with error: exit status 3" in out["errorMessage"]
    _, after = invoke(lam, fn, {})
    assert after["pid"] != first["pid"]


def test_boto3_inside_reaches_signoff(lam, fn, sfn):
    sfn.create_state_machine(name="visible", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    lam.update_function_configuration(FunctionName=fn, Timeout=30)
    r, out = invoke(lam, fn, {"action": "sfn"})
    assert "FunctionError" not in r, out
    assert out == {"machines": ["visible"]}


def test_invocation_types_versions_aliases(lam, fn):
    r = lam.invoke(FunctionName=fn, InvocationType="DryRun")
    assert r["StatusCode"] == 204
    r = lam.invoke(FunctionName=fn, InvocationType="Event", Payload=b"{}")
    assert r["StatusCode"] == 202
    v = lam.publish_version(FunctionName=fn)
    assert v["Version"] == "1" and v["FunctionArn"].endswith(":demo:1")
    lam.create_alias(FunctionName=fn, Name="live", FunctionVersion="1")
    assert lam.get_alias(FunctionName=fn, Name="live")["FunctionVersion"] == "1"
    r, out = invoke(lam, fn, {"q": 1}, Qualifier="live")
    assert r["ExecutedVersion"] == "1" and out["echo"] == {"q": 1}
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName=fn, Qualifier="7", Payload=b"{}")


def test_permissions(lam, fn):
    rule = "arn:aws:events:us-east-1:000000000000:rule/r1"
    st = lam.add_permission(FunctionName=fn, StatementId="events", Action="lambda:InvokeFunction",
                            Principal="events.amazonaws.com", SourceArn=rule)
    statement = json.loads(st["Statement"])
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"] == {"ArnLike": {"AWS:SourceArn": rule}}
    policy = json.loads(lam.get_policy(FunctionName=fn)["Policy"])
    assert policy["Version"] == "2012-10-17" and policy["Statement"][0]["Sid"] == "events"
    with pytest.raises(lam.exceptions.ResourceConflictException):
        lam.add_permission(FunctionName=fn, StatementId="events", Action="lambda:InvokeFunction",
                           Principal="events.amazonaws.com")
    lam.remove_permission(FunctionName=fn, StatementId="events")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_policy(FunctionName=fn)


def test_update_code_and_delete(lam, fn):
    lam.update_function_code(FunctionName=fn, ZipFile=zip_of(
        "def lambda_handler(e, c):\n    return 'v2'\n"))
    _, out = invoke(lam, fn, {})
    assert out == "v2"
    lam.delete_function(FunctionName=fn)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName=fn)


def test_step_functions_lambda_invoke(lam, fn, sfn):
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Parameters": {"FunctionName": fn, "Payload": {"from": "sfn"}},
                     "Next": "Bare"},
            "Bare": {"Type": "Task",
                     "Resource": "arn:aws:lambda:us-east-1:000000000000:function:demo",
                     "Parameters": {"action": "raise"},
                     "Catch": [{"ErrorEquals": ["ValueError"], "ResultPath": "$.err",
                                "Next": "Done"}],
                     "ResultPath": "$.bare", "Next": "Done"},
            "Done": {"Type": "Pass", "End": True},
        },
    }
    arn = sfn.create_state_machine(name="calls-lambda", roleArn=ROLE,
                                   definition=json.dumps(definition))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    deadline = time.time() + 30
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=ex)
        if d["status"] != "RUNNING":
            break
        time.sleep(0.1)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "$LATEST"
    assert out["Payload"]["echo"] == {"from": "sfn"}
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert out["err"]["Error"] == "ValueError"
    assert json.loads(out["err"]["Cause"])["errorMessage"] == "boom"


def test_cli_create_and_logs_tail(aws, tmp_data):
    path = os.path.join(tmp_data, "fn.zip")
    with open(path, "wb") as f:
        f.write(zip_of(SOURCE))
    created = aws("lambda", "create-function", "--function-name", "cli-fn", "--runtime",
                  "python3.9", "--role", ROLE, "--handler", "index.lambda_handler",
                  "--zip-file", "fileb://" + path)
    assert created["State"] == "Active"
    out_file = os.path.join(tmp_data, "out.json")
    extra = ["--cli-binary-format", "raw-in-base64-out"] if aws.version == "v2" else []
    r = aws("lambda", "invoke", "--function-name", "cli-fn", "--payload", '{"cli": true}',
            *extra, out_file)
    assert r["StatusCode"] == 200
    with open(out_file) as f:
        assert json.load(f)["echo"] == {"cli": True}
    if aws.version != "v2":
        return  # `logs tail` exists only in CLI v2
    deadline = time.time() + 10
    text = ""
    while time.time() < deadline:
        p = subprocess.run(["/usr/bin/aws", "--endpoint-url", aws_endpoint(aws), "logs", "tail",
                            "/aws/lambda/cli-fn"], env=cli_env(tmp_data), capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        text = p.stdout
        if "REPORT RequestId" in text:
            break
        time.sleep(0.3)
    assert 'event: {"cli": true}' in text
    assert "START RequestId" in text and "REPORT RequestId" in text


def aws_endpoint(aws):
    return aws.endpoint


def cli_env(tmp_data):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": "AKIDSIGNOFFTEST", "AWS_SECRET_ACCESS_KEY": "secret",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
                "AWS_CONFIG_FILE": os.path.join(tmp_data, "aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp_data, "aws-credentials")})
    return env


COLD = '''
import boto3, botocore

def handler(event, context):
    return {"boto3": boto3.__version__, "pid": __import__("os").getpid()}
'''


def test_cold_starts_right_after_listen_on_a_busy_machine(tmp_data):
    """Fresh servers invoked as soon as they listen, a boto3-importing function cold-started
    again and again while the CPUs are busy: none may fail. (The server listened before the
    functions service wrote its bootstrap.py: the first invocations of a fresh data dir died with
    "Runtime exited with error: exit status 2" — python3's "can't open file".)"""
    burners = [subprocess.Popen(["/usr/bin/python3", "-c", "while True: pass"])
               for _ in range(2)]
    try:
        for round_ in range(5):
            s = Server(os.path.join(tmp_data, f"data{round_}")).start()
            try:
                lam = boto3_client(s, "lambda")
                lam.create_function(FunctionName="cold", Runtime="python3.9", Role=ROLE,
                                    Handler="index.handler", Code={"ZipFile": zip_of(COLD)},
                                    Timeout=30)
                pids = set()
                for i in range(3):
                    if i:  # a new configuration: the next invocation starts a new worker
                        lam.update_function_configuration(
                            FunctionName="cold", Environment={"Variables": {"ROUND": str(i)}})
                    r = lam.invoke(FunctionName="cold", LogType="Tail")
                    out = json.loads(r["Payload"].read())
                    log = base64.b64decode(r["LogResult"]).decode()
                    assert "FunctionError" not in r, (out, log)
                    assert out["boto3"] and "Init Duration" in log
                    pids.add(out["pid"])
                assert len(pids) == 3
            finally:
                s.stop()
    finally:
        for b in burners:
            b.kill()
            b.wait()


def test_exit_during_init_is_logged(lam):
    """A runtime that dies before polling: its stderr is in the tail and the log group, the
    error is Lambda's Runtime.ExitError with the exit status."""
    lam.create_function(FunctionName="dies", Runtime="python3.9", Role=ROLE,
                        Handler="index.handler",
                        Code={"ZipFile": zip_of("import sys, os\n"
                                                "sys.stderr.write('fatal: no config\\n')\n"
                                                "os._exit(2)\n")})
    r = lam.invoke(FunctionName="dies", LogType="Tail")
    out = json.loads(r["Payload"].read())
    assert r["FunctionError"] == "Unhandled" and out["errorType"] == "Runtime.ExitError"
    assert out["errorMessage"].endswith("Error: Runtime exited with error: exit status 2")
    log = base64.b64decode(r["LogResult"]).decode()
    assert log.index("fatal: no config") < log.index("START RequestId:") < log.index(
        "Runtime exited with error: exit status 2"), log
    assert "Phase: init\tStatus: error\tError Type: Runtime.ExitError" in log


def test_logs_api(server):
    logs = boto3_client(server, "logs")
    logs.create_log_group(logGroupName="/app/x")
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName="/app/x")
    logs.create_log_stream(logGroupName="/app/x", logStreamName="s1")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName="/app/x", logStreamName="s1",
                        logEvents=[{"timestamp": now, "message": "one"},
                                   {"timestamp": now + 1, "message": "two ERROR"}])
    ev = logs.get_log_events(logGroupName="/app/x", logStreamName="s1", startFromHead=True)
    assert [e["message"] for e in ev["events"]] == ["one", "two ERROR"]
    f = logs.filter_log_events(logGroupName="/app/x", filterPattern="ERROR")
    assert [e["message"] for e in f["events"]] == ["two ERROR"]
    streams = logs.describe_log_streams(logGroupName="/app/x")["logStreams"]
    assert streams[0]["logStreamName"] == "s1" and streams[0]["lastEventTimestamp"] == now + 1
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == ["/app/x"]
    logs.delete_log_group(logGroupName="/app/x")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.describe_log_streams(logGroupName="/app/x")
