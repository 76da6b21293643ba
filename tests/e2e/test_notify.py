"""SNS end to end: a real `signoff serve` sending mail to a loopback SMTP server (aiosmtpd in this
process) and POSTs to a loopback http.server, driven by boto3 and both AWS CLIs.

What it shows: the confirmation mail and its link, nothing delivered before confirmation, a
notification mail with the publisher's subject and body, the signed unsubscribe link, a retry
after a 451, a delivery that survives a restart, and the HTTP envelope with a verifiable signature.
"""
import base64
import email
import email.header
import email.policy
import http.server
import json
import re
import threading
import time
import urllib.error
import urllib.request

import pytest
from aiosmtpd.controller import Controller

from conftest import boto3_client, free_port

ACCOUNT = "000000000000"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/sns/(?:confirm|unsubscribe)\?\S+")


def wait_for(predicate, timeout=15.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Mailbox:
    """aiosmtpd handler: keeps every accepted mail; answers 451 while told to."""

    def __init__(self):
        self.messages = []
        self.transient_failures = 0  # answer 451 to this many RCPT commands
        self.always_fail = False
        self.rejected = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            if self.always_fail or self.transient_failures > 0:
                self.transient_failures = max(0, self.transient_failures - 1)
                self.rejected += 1
                return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append({"to": envelope.rcpt_tos, "from": envelope.mail_from,
                                  "raw": envelope.content, "msg": msg})
        return "250 Message accepted"

    def mails(self, subject=None):
        with self.lock:
            found = list(self.messages)
        if subject is not None:
            found = [m for m in found if str(m["msg"]["Subject"]) == subject]
        return found


def body_of(mail):
    return mail["msg"].get_content().replace("\r\n", "\n")


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


@pytest.fixture
def sns(server):
    return boto3_client(server, "sns")


def confirm_by_mail(mailbox, address, topic_arn):
    mail = wait_for(lambda: [m for m in mailbox.mails("AWS Notification - Subscription Confirmation")
                             if address in m["to"]], what="the confirmation mail")[-1]
    body = body_of(mail)
    assert "You have chosen to subscribe to the topic: \n" + topic_arn in body
    assert "To confirm this subscription, click or visit the link below" in body
    link = LINK.search(body).group(0)
    assert "/sns/confirm?" in link
    with urllib.request.urlopen(link, timeout=10) as resp:
        page = resp.read().decode()
        assert resp.status == 200
    assert "Subscription confirmed!" in page
    return mail


def test_email_confirm_publish_unsubscribe(sns, mailbox, server):
    arn = sns.create_topic(Name="approvals", Attributes={"DisplayName": "Approvals"})["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:{ACCOUNT}:approvals"
    sub = sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="alice@example.com")
    assert sub["SubscriptionArn"] == "pending confirmation"
    listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == ["PendingConfirmation"]

    # Nothing reaches a subscriber before it confirms.
    sns.publish(TopicArn=arn, Subject="too early", Message="must not arrive")
    wait_for(lambda: mailbox.mails("AWS Notification - Subscription Confirmation"),
             what="the confirmation mail")
    time.sleep(1.5)
    assert mailbox.mails("too early") == []

    confirmation = confirm_by_mail(mailbox, "alice@example.com", arn)
    assert confirmation["msg"]["From"].addresses[0].display_name == "Approvals"
    listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    sub_arn = listed[0]["SubscriptionArn"]
    assert sub_arn.startswith(arn + ":")
    attrs = sns.get_subscription_attributes(SubscriptionArn=sub_arn)["Attributes"]
    assert attrs["PendingConfirmation"] == "false"
    topic_attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert topic_attrs["SubscriptionsConfirmed"] == "1"

    message = "Deploy v1.2 to production?\nRequested by Jürgen — reply via the console."
    msg_id = sns.publish(TopicArn=arn, Subject="Approval needed: v1.2 ✓", Message=message)["MessageId"]
    mail = wait_for(lambda: mailbox.mails("Approval needed: v1.2 ✓"), what="the notification")[0]
    headers = mail["msg"]
    assert headers["Message-ID"] == f"<{msg_id}@sns.signoff>"
    assert headers["MIME-Version"] == "1.0"
    assert headers.get_content_type() == "text/plain"
    assert headers.get_content_charset() == "utf-8"
    assert headers["Date"]
    assert mail["to"] == ["alice@example.com"]
    head, _, raw_body = mail["raw"].partition(b"\r\n\r\n")
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))  # a long URL cannot fold
    assert all(len(line) <= 76 for line in raw_body.split(b"\r\n"))
    assert b"Content-Transfer-Encoding: quoted-printable" in head
    body = body_of(mail)
    assert body.startswith(message + "\n\n--\n")
    assert "If you wish to stop receiving notifications from this topic" in body
    unsubscribe = LINK.search(body).group(0)
    assert "/sns/unsubscribe?" in unsubscribe

    # A forged signature does nothing.
    forged = re.sub(r"Signature=[0-9a-f]+", "Signature=" + "0" * 64, unsubscribe)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(forged, timeout=10)
    assert err.value.code == 403
    assert len(sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]) == 1

    with urllib.request.urlopen(unsubscribe, timeout=10) as resp:
        assert "Subscription removed!" in resp.read().decode()
    assert sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsDeleted"] == "1"
    sns.publish(TopicArn=arn, Subject="after unsubscribe", Message="must not arrive")
    time.sleep(1.5)
    assert mailbox.mails("after unsubscribe") == []


def test_smtp_451_is_retried(sns, mailbox, server):
    arn = sns.create_topic(Name="retry")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="bob@example.com")
    confirm_by_mail(mailbox, "bob@example.com", arn)
    mailbox.transient_failures = 1
    sns.publish(TopicArn=arn, Subject="after a retry", Message="hello")
    mail = wait_for(lambda: mailbox.mails("after a retry"), what="the retried mail")[0]
    assert mailbox.rejected == 1
    assert body_of(mail).startswith("hello")
    assert "temporary failure" in server.log()
    assert "451" in server.log()


def test_delivery_survives_restart(sns, mailbox, server):
    arn = sns.create_topic(Name="durable")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="carol@example.com")
    confirm_by_mail(mailbox, "carol@example.com", arn)
    mailbox.always_fail = True
    sns.publish(TopicArn=arn, Subject="survives a crash", Message="still here")
    wait_for(lambda: mailbox.rejected > 0, what="a first, failed attempt")
    server.kill9()
    mailbox.always_fail = False
    server.start()
    mail = wait_for(lambda: mailbox.mails("survives a crash"), timeout=30,
                    what="the mail after restart")[0]
    assert body_of(mail).startswith("still here")


def test_message_structure_json(sns, mailbox, server):
    arn = sns.create_topic(Name="structured")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="dave@example.com")
    confirm_by_mail(mailbox, "dave@example.com", arn)
    with pytest.raises(sns.exceptions.InvalidParameterException) as err:
        sns.publish(TopicArn=arn, MessageStructure="json", Message='{"email": "x"}')
    assert "No default entry in JSON message body" in str(err.value)
    sns.publish(TopicArn=arn, Subject="structured", MessageStructure="json",
                Message=json.dumps({"default": "for everyone", "email": "for mail"}))
    mail = wait_for(lambda: mailbox.mails("structured"), what="the structured mail")[0]
    assert body_of(mail).startswith("for mail")


class Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.received.append((dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_endpoint():
    Recorder.received = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    httpd.shutdown()


def verify_signature(envelope, fields):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    canonical = "".join(f"{k}\n{envelope[k]}\n" for k in fields if k in envelope)
    with urllib.request.urlopen(envelope["SigningCertURL"], timeout=10) as resp:
        cert = x509.load_pem_x509_certificate(resp.read())
    cert.public_key().verify(base64.b64decode(envelope["Signature"]), canonical.encode(),
                             padding.PKCS1v15(), hashes.SHA1())


def test_http_subscription(sns, server, http_endpoint):
    arn = sns.create_topic(Name="hooks")["TopicArn"]
    sub = sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=http_endpoint,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert sub.startswith(arn + ":")
    headers, confirmation = wait_for(lambda: Recorder.received, what="the confirmation POST")[0]
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert confirmation["Type"] == "SubscriptionConfirmation"
    assert confirmation["TopicArn"] == arn
    assert confirmation["Message"].startswith(f"You have chosen to subscribe to the topic {arn}.")
    verify_signature(confirmation, ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
                                    "TopicArn", "Type"])
    assert sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"][
        "PendingConfirmation"] == "true"
    # ConfirmSubscription with the token works as visiting SubscribeURL does.
    confirmed = sns.confirm_subscription(TopicArn=arn, Token=confirmation["Token"])
    assert confirmed["SubscriptionArn"] == sub

    sns.publish(TopicArn=arn, Subject="hook", Message="payload",
                MessageAttributes={"team": {"DataType": "String", "StringValue": "ops"}})
    headers, note = wait_for(lambda: Recorder.received[1:], what="the notification POST")[0]
    assert headers["x-amz-sns-message-type"] == "Notification"
    assert headers["x-amz-sns-subscription-arn"] == sub
    assert headers["x-amz-sns-topic-arn"] == arn
    assert note["Type"] == "Notification"
    assert note["Subject"] == "hook" and note["Message"] == "payload"
    assert note["MessageAttributes"] == {"team": {"Type": "String", "Value": "ops"}}
    assert note["SignatureVersion"] == "1"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", note["Timestamp"])
    assert "/sns/unsubscribe?" in note["UnsubscribeURL"]
    verify_signature(note, ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"])


def test_errors_through_both_clis(aws, server):
    arn = aws("sns", "create-topic", "--name", "cli-topic")["TopicArn"]
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:missing"
    aws("sns", "publish", "--topic-arn", missing, "--message", "x",
        expect_error="(NotFound) when calling the Publish operation: Topic does not exist")
    aws("sns", "publish", "--topic-arn", arn, "--message", "x", "--subject", "s" * 101,
        expect_error="(InvalidParameter) when calling the Publish operation: Invalid parameter: "
                     "Subject")
    aws("sns", "create-topic", "--name", "bad name",
        expect_error="Invalid parameter: Topic Name")
    aws("sns", "subscribe", "--topic-arn", arn, "--protocol", "email",
        "--notification-endpoint", "not-an-address", expect_error="Invalid parameter: Email address")
    aws("sns", "get-topic-attributes", "--topic-arn", "arn:aws:sns:us-east-1:111111111111:x",
        expect_error="AuthorizationError")
    topics = aws("sns", "list-topics")["Topics"]
    assert {"TopicArn": arn} in topics
    aws("sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name", "DisplayName",
        "--attribute-value", "CLI")
    assert aws("sns", "get-topic-attributes", "--topic-arn", arn)["Attributes"][
        "DisplayName"] == "CLI"
    aws("sns", "delete-topic", "--topic-arn", arn)
    assert {"TopicArn": arn} not in aws("sns", "list-topics")["Topics"]


def test_step_functions_sns_publish(server, mailbox):
    sns = boto3_client(server, "sns")
    sfn = boto3_client(server, "stepfunctions")
    arn = sns.create_topic(Name="from-sfn")["TopicArn"]
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="erin@example.com")
    confirm_by_mail(mailbox, "erin@example.com", arn)
    definition = {
        "StartAt": "Notify",
        "States": {"Notify": {
            "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"TopicArn": arn, "Subject": "from a workflow",
                           "Message.$": "$.request"},
            "End": True}},
    }
    machine = sfn.create_state_machine(
        name="notify", definition=json.dumps(definition),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/sfn")["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine,
                                    input=json.dumps({"request": {"title": "v1.2"}}))["executionArn"]
    done = wait_for(lambda: (lambda d: d if d["status"] != "RUNNING" else None)(
        sfn.describe_execution(executionArn=execution)), what="the execution")
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert re.match(r"[0-9a-f-]{36}$", output["MessageId"])
    assert output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert "RequestId" in output["SdkResponseMetadata"]
    mail = wait_for(lambda: mailbox.mails("from a workflow"), what="the workflow's mail")[0]
    assert json.loads(body_of(mail).split("\n\n--\n")[0]) == {"title": "v1.2"}


def test_config_file_and_redacted_password(tmp_data, mailbox):
    import os
    from conftest import Server
    config = os.path.join(tmp_data, "signoff.toml")
    with open(config, "w") as f:
        f.write(f'smtp-url = "smtp://127.0.0.1:{mailbox.port}?starttls=never"\n'
                'mail-from = "Release Approvals <approvals@example.com>"\n')
    s = Server(os.path.join(tmp_data, "cfg"), extra_args=["--config", config]).start()
    try:
        sns = boto3_client(s, "sns")
        arn = sns.create_topic(Name="configured")["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="frank@example.com")
        mail = confirm_by_mail(mailbox, "frank@example.com", arn)
        sender = mail["msg"]["From"].addresses[0]
        assert (sender.display_name, sender.addr_spec) == ("Release Approvals",
                                                           "approvals@example.com")
        assert mail["from"] == "<approvals@example.com>" or mail["from"] == "approvals@example.com"
    finally:
        s.stop()
    # A password in the relay URL never reaches the log.
    s = Server(os.path.join(tmp_data, "secret"),
               extra_args=["--smtp-url", "smtp://mailer:s3cr3t-pw@127.0.0.1:1"]).start()
    try:
        sns = boto3_client(s, "sns")
        arn = sns.create_topic(Name="secret")["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="gina@example.com")
        wait_for(lambda: "temporary failure" in s.log(), what="a failed attempt in the log")
        assert "smtp://mailer:***@127.0.0.1:1" in s.log()
        assert "s3cr3t-pw" not in s.log()
    finally:
        s.stop()
