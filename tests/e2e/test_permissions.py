"""Authorization of every service's operations against a server that checks signatures: a
non-administrator (an IAM user, or a role session) is allowed what its policy grants on the
resource ARN the Service Authorization Reference names, and refused everything else with AWS's
AccessDenied text, before the operation changes anything. The SNS links in mails stay reachable
without a signature: they carry their own proof."""
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest

from conftest import boto3_client
from sfn_util import ROLE

ACCOUNT = "000000000000"
REGION = "us-east-1"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": action, "Resource": resource}
        for action, resource in statements]})


def user_with(server, name, *statements):
    """An IAM user whose inline policy allows (action, resource) pairs; its key pair."""
    iam = boto3_client(server, "iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="allowed", PolicyDocument=policy(*statements))
    k = iam.create_access_key(UserName=name)["AccessKey"]
    return k["AccessKeyId"], k["SecretAccessKey"]


def assert_denied(excinfo, code, who, action, resource):
    error = excinfo.value.response["Error"]
    assert error["Code"] == code, error
    assert error["Message"] == (
        f"User: {who} is not authorized to perform: {action} on resource: {resource} because no "
        f"identity-based policy allows the {action} action")


HOLD = json.dumps({"schemaVersion": "0.3", "mainSteps": [
    {"name": "hold", "action": "aws:pause", "inputs": {}, "isEnd": True}]})


def test_ssm_user_reads_executions_but_cannot_delete_documents(secure_server):
    ssm = boto3_client(secure_server, "ssm")
    ssm.create_document(Name="Hold", DocumentType="Automation", Content=HOLD)
    ssm.create_document(Name="Other", DocumentType="Automation", Content=HOLD)
    started = ssm.start_automation_execution(DocumentName="Hold")["AutomationExecutionId"]

    ops = user_with(
        secure_server, "ops",
        ("ssm:GetAutomationExecution", f"arn:aws:ssm:{REGION}:{ACCOUNT}:automation-execution/*"),
        ("ssm:StartAutomationExecution",
         f"arn:aws:ssm:{REGION}:{ACCOUNT}:automation-definition/Hold:*"))
    who = f"arn:aws:iam::{ACCOUNT}:user/ops"
    as_ops = boto3_client(secure_server, "ssm", credentials=ops)

    got = as_ops.get_automation_execution(AutomationExecutionId=started)["AutomationExecution"]
    assert got["DocumentName"] == "Hold"
    # Starting is judged on the definition at its resolved default version.
    mine = as_ops.start_automation_execution(DocumentName="Hold")["AutomationExecutionId"]
    assert as_ops.get_automation_execution(
        AutomationExecutionId=mine)["AutomationExecution"]["DocumentVersion"] == "1"
    with pytest.raises(as_ops.exceptions.ClientError) as e:
        as_ops.start_automation_execution(DocumentName="Other")
    assert_denied(e, "AccessDeniedException", who, "ssm:StartAutomationExecution",
                  f"arn:aws:ssm:{REGION}:{ACCOUNT}:automation-definition/Other:1")

    with pytest.raises(as_ops.exceptions.ClientError) as e:
        as_ops.delete_document(Name="Hold")
    assert_denied(e, "AccessDeniedException", who, "ssm:DeleteDocument",
                  f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/Hold")
    with pytest.raises(as_ops.exceptions.ClientError) as e:
        as_ops.send_automation_signal(AutomationExecutionId=started, SignalType="Resume")
    assert_denied(e, "AccessDeniedException", who, "ssm:SendAutomationSignal",
                  f"arn:aws:ssm:{REGION}:{ACCOUNT}:automation-execution/{started}")
    # Nothing the refusals touched changed.
    assert ssm.describe_document(Name="Hold")["Document"]["Status"] == "Active"
    assert ssm.get_automation_execution(
        AutomationExecutionId=started)["AutomationExecution"]["AutomationExecutionStatus"] == \
        "Waiting"


def zip_of(source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.py", source)
    return buf.getvalue()


def wait_for_runtimes(server):
    """The server listens before the functions service has written its runtime bootstraps
    (App::start starts the HTTP server first), and an invocation in between exits with status 2;
    wait for them rather than race."""
    path = os.path.join(server.data_dir, "functions", "runtime", "bootstrap.py")
    deadline = time.time() + 10
    while not os.path.exists(path) and time.time() < deadline:
        time.sleep(0.05)


ECHO = "def handler(event, context):\n    return {'echo': event}\n"


def test_lambda_role_session_invokes_one_function_not_another(secure_server):
    open_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:open"
    # A role session this time: dev may assume "invoker", whose policy names one function.
    iam = boto3_client(secure_server, "iam")
    dev = user_with(secure_server, "dev",
                    ("sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/invoker"))
    iam.create_role(RoleName="invoker", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/dev"},
            "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="invoker", PolicyName="invoke",
                        PolicyDocument=policy(("lambda:InvokeFunction", open_arn)))
    c = boto3_client(secure_server, "sts", credentials=dev).assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/invoker", RoleSessionName="s1")["Credentials"]
    session = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    who = f"arn:aws:sts::{ACCOUNT}:assumed-role/invoker/s1"
    as_role = boto3_client(secure_server, "lambda", credentials=session)
    wait_for_runtimes(secure_server)
    lam = boto3_client(secure_server, "lambda")
    for name in ("open", "closed"):
        lam.create_function(FunctionName=name, Runtime="python3.9", Role=ROLE,
                            Handler="index.handler", Code={"ZipFile": zip_of(ECHO)}, Timeout=5)

    r = as_role.invoke(FunctionName="open", Payload=b'{"n": 1}')
    assert r["StatusCode"] == 200 and json.loads(r["Payload"].read()) == {"echo": {"n": 1}}
    # The same function named by its ARN is the same resource.
    assert as_role.invoke(FunctionName=open_arn, Payload=b"{}")["StatusCode"] == 200
    with pytest.raises(as_role.exceptions.ClientError) as e:
        as_role.invoke(FunctionName="closed", Payload=b"{}")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert_denied(e, "AccessDeniedException", who, "lambda:InvokeFunction",
                  f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:closed")
    # A qualified invocation acts on function:NAME:QUALIFIER, which the unqualified ARN in the
    # policy does not cover (as on AWS).
    with pytest.raises(as_role.exceptions.ClientError) as e:
        as_role.invoke(FunctionName="open", Qualifier="live", Payload=b"{}")
    assert_denied(e, "AccessDeniedException", who, "lambda:InvokeFunction", open_arn + ":live")
    with pytest.raises(as_role.exceptions.ClientError) as e:
        as_role.delete_function(FunctionName="open")
    assert_denied(e, "AccessDeniedException", who, "lambda:DeleteFunction", open_arn)
    assert lam.get_function(FunctionName="open")["Configuration"]["FunctionName"] == "open"


def test_sns_user_publishes_to_one_topic_only(secure_server):
    sns = boto3_client(secure_server, "sns")
    alerts = sns.create_topic(Name="alerts")["TopicArn"]
    secrets = sns.create_topic(Name="secrets")["TopicArn"]
    pub = user_with(secure_server, "publisher", ("sns:Publish", alerts))
    who = f"arn:aws:iam::{ACCOUNT}:user/publisher"
    as_pub = boto3_client(secure_server, "sns", credentials=pub)

    assert as_pub.publish(TopicArn=alerts, Message="disk full")["MessageId"]
    with pytest.raises(as_pub.exceptions.ClientError) as e:
        as_pub.publish(TopicArn=secrets, Message="x")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert_denied(e, "AuthorizationError", who, "SNS:Publish", secrets)
    with pytest.raises(as_pub.exceptions.ClientError) as e:
        as_pub.delete_topic(TopicArn=alerts)
    assert_denied(e, "AuthorizationError", who, "SNS:DeleteTopic", alerts)
    with pytest.raises(as_pub.exceptions.ClientError) as e:
        as_pub.list_topics()
    assert_denied(e, "AuthorizationError", who, "SNS:ListTopics", "*")
    assert len(sns.list_topics()["Topics"]) == 2


def get(url):
    """(status, content type, body) of an unsigned GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def test_sns_links_need_no_signature(secure_server):
    sns = boto3_client(secure_server, "sns")
    topic = sns.create_topic(Name="links")["TopicArn"]
    base = secure_server.endpoint
    # A wrong token or signature is the link's own refusal (an HTML page), not a SigV4 one.
    status, kind, body = get(f"{base}/sns/confirm?" + urllib.parse.urlencode(
        {"TopicArn": topic, "Token": "0" * 64}))
    assert 400 <= status < 500 and kind.startswith("text/html"), (status, body)
    assert "MissingAuthenticationToken" not in body and "AccessDenied" not in body
    status, kind, body = get(f"{base}/sns/unsubscribe?" + urllib.parse.urlencode(
        {"SubscriptionArn": topic + ":00000000-0000-0000-0000-000000000000",
         "Signature": "bad"}))
    assert 400 <= status < 500 and kind.startswith("text/html"), (status, body)
    # The query API itself still wants a signature.
    status, _, body = get(f"{base}/?Action=ListTopics&Version=2010-03-31")
    assert status == 403 and "MissingAuthenticationToken" in body, body


def test_events_user_puts_events_on_default_bus_only(secure_server):
    events = boto3_client(secure_server, "events")
    events.create_event_bus(Name="orders")
    sender = user_with(secure_server, "sender", (
        "events:PutEvents", f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default"))
    who = f"arn:aws:iam::{ACCOUNT}:user/sender"
    as_sender = boto3_client(secure_server, "events", credentials=sender)

    entry = {"Source": "app", "DetailType": "t", "Detail": "{}"}
    assert as_sender.put_events(Entries=[entry])["FailedEntryCount"] == 0
    with pytest.raises(as_sender.exceptions.ClientError) as e:
        as_sender.put_events(Entries=[{**entry, "EventBusName": "orders"}])
    assert_denied(e, "AccessDeniedException", who, "events:PutEvents",
                  f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/orders")
    with pytest.raises(as_sender.exceptions.ClientError) as e:
        as_sender.put_rule(Name="r", EventPattern='{"source": ["app"]}', EventBusName="orders")
    assert_denied(e, "AccessDeniedException", who, "events:PutRule",
                  f"arn:aws:events:{REGION}:{ACCOUNT}:rule/orders/r")
    assert events.list_rules(EventBusName="orders")["Rules"] == []
