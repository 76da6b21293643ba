#!/usr/bin/env python3
"""Generates tests/unit/sigv4/vectors.json: requests signed by botocore, as the AWS CLI and boto3
send them to Signoff. Run by hand (python3 tools/gen_sigv4_vectors.py) when adding vectors; the
tests only read the JSON file.

Each request goes through a real botocore client (real serializers, real signer) with the clock
pinned, and is captured just before it would be sent. A few more are built by hand and signed
with SigV4Auth directly, for canonicalization corners no client operation produces.
"""
import datetime
import json
import pathlib
import sys
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 12, 1, 0, 0, 0)
NOW_EPOCH = int(NOW.replace(tzinfo=datetime.timezone.utc).timestamp())
ENDPOINT = "http://127.0.0.1:8731"
KEY_ID = "AKIASIGNOFFEXAMPLE01"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TEMP_KEY_ID = "ASIASIGNOFFEXAMPLE02"
TEMP_SECRET = "temporary/secret+key/EXAMPLE0123456789abcd"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with=chars"

botocore.auth.get_current_datetime = lambda: NOW


class Captured(Exception):
    pass


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else v


def request_record(name, method, url, headers, body, key_id, secret, token, service, region,
                   presigned=False, expires=None):
    parts = urlsplit(url)
    headers = list(headers)
    if not any(k.lower() == "host" for k, _ in headers):
        # botocore signs the host taken from the URL; the HTTP layer sends it as Host.
        headers.insert(0, ("Host", parts.netloc))
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return {
        "name": name,
        "method": method,
        "path": parts.path,
        "query": parts.query,
        "headers": [[text(k), text(v)] for k, v in headers],
        "body": body or "",
        "access_key_id": key_id,
        "secret_access_key": secret,
        "session_token": token,
        "service": service,
        "region": region,
        "now": NOW_EPOCH,
        "presigned": presigned,
        "expires": expires,
        "botocore": botocore.__version__,
    }


def signature_of(record):
    if record["presigned"]:
        for piece in record["query"].split("&"):
            if piece.startswith("X-Amz-Signature="):
                return piece.split("=", 1)[1]
    for k, v in record["headers"]:
        if k.lower() == "authorization":
            return v.rsplit("Signature=", 1)[1]
    raise ValueError("unsigned: " + record["name"])


def client(service, region="us-east-1", token=False):
    session = botocore.session.get_session()
    kwargs = dict(region_name=region, endpoint_url=ENDPOINT)
    if token:
        kwargs.update(aws_access_key_id=TEMP_KEY_ID, aws_secret_access_key=TEMP_SECRET,
                      aws_session_token=TOKEN)
    else:
        kwargs.update(aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)
    return session.create_client(service, **kwargs)


def capture(name, service, operation, params, region="us-east-1", token=False):
    c = client(service, region, token)
    seen = {}

    def before_send(request, **_):
        seen["r"] = request
        raise Captured()

    c.meta.events.register("before-send", before_send)
    try:
        getattr(c, operation)(**params)
    except Captured:
        pass
    r = seen["r"]
    signing_name = c.meta.service_model.signing_name
    return request_record(name, r.method, r.url, r.headers.items(), r.body,
                          TEMP_KEY_ID if token else KEY_ID, TEMP_SECRET if token else SECRET,
                          TOKEN if token else None, signing_name, region)


def presign(name, service, operation, params, expires, token=False):
    c = client(service, token=token)
    # Without HttpMethod botocore signs the operation's method (POST for STS) into a URL meant for
    # GET, which AWS itself rejects (boto/boto3#756); `aws eks get-token` passes GET like this.
    url = c.generate_presigned_url(operation, Params=params, ExpiresIn=expires, HttpMethod="GET")
    host = urlsplit(url).netloc
    return request_record(name, "GET", url, [("host", host)], "",
                          TEMP_KEY_ID if token else KEY_ID, TEMP_SECRET if token else SECRET,
                          TOKEN if token else None, c.meta.service_model.signing_name,
                          "us-east-1", presigned=True, expires=expires)


def by_hand(name, method, url, headers, body, service="states"):
    creds = Credentials(KEY_ID, SECRET)
    req = AWSRequest(method=method, url=url, data=body)
    for k, v in headers:
        req.headers[k] = v  # HTTPHeaders appends, so repeated names stay repeated
    SigV4Auth(creds, service, "us-east-1").add_auth(req)
    return request_record(name, method, url, req.headers.items(), body, KEY_ID, SECRET, None,
                          service, "us-east-1")


def main():
    vectors = [
        capture("states StartExecution (JSON 1.0, X-Amz-Target)", "stepfunctions",
                "start_execution",
                {"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Approve",
                 "name": "run-1", "input": '{"title": "Déploiement", "by": "alice"}'}),
        capture("ssm SendAutomationSignal (JSON 1.1)", "ssm", "send_automation_signal",
                {"AutomationExecutionId": "4105a4fc-f944-11e6-9d32-0123456789ab",
                 "SignalType": "Approve", "Payload": {"Comment": ["ok & done"]}}),
        capture("events PutEvents (JSON 1.1) in eu-west-1", "events", "put_events",
                {"Entries": [{"Source": "signoff.test", "DetailType": "approval",
                              "Detail": '{"a": 1}'}]}, region="eu-west-1"),
        capture("sts GetCallerIdentity (query form POST)", "sts", "get_caller_identity", {}),
        capture("iam CreateRole (query form POST, policy document)", "iam", "create_role",
                {"RoleName": "approver",
                 "AssumeRolePolicyDocument": json.dumps({
                     "Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                    "Principal": {"Service": "lambda.amazonaws.com"}}]})}),
        capture("cloudformation ListStacks (query, repeated members)", "cloudformation",
                "list_stacks", {"StackStatusFilter": ["CREATE_COMPLETE", "UPDATE_COMPLETE"]}),
        capture("lambda GetFunction (REST GET, odd path and query)", "lambda", "get_function",
                {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:my fn+x",
                 "Qualifier": "$LATEST"}),
        capture("lambda ListFunctions (REST GET, query params)", "lambda", "list_functions",
                {"Marker": "a b+c/d=é&f", "MaxItems": 10, "FunctionVersion": "ALL"}),
        capture("lambda Invoke (REST POST, binary-ish payload)", "lambda", "invoke",
                {"FunctionName": "approve", "Payload": b'{"x": "\\u00e9 \\n"}',
                 "InvocationType": "Event"}),
        capture("sns Publish with a session token", "sns", "publish",
                {"TopicArn": "arn:aws:sns:us-east-1:123456789012:approvals",
                 "Message": "please approve ~ *now*"}, token=True),
        capture("states SendTaskSuccess with a session token", "stepfunctions",
                "send_task_success", {"taskToken": "AAAA/+token==", "output": "{}"}, token=True),
        presign("sts GetCallerIdentity presigned URL", "sts", "get_caller_identity", {}, 900),
        presign("sts GetCallerIdentity presigned URL with a session token", "sts",
                "get_caller_identity", {}, 3600, token=True),
        by_hand("dot segments, double slashes, repeated query names, header whitespace", "GET",
                ENDPOINT + "/a/./b/../c//d%2Fe/?z=2&a=3&a=1&empty=&flag",
                [("X-Multi", "  one   two "), ("X-Multi", "three"),
                 ("X-Amz-Date", NOW.strftime("%Y%m%dT%H%M%SZ"))], b""),
    ]
    for v in vectors:
        v["signature"] = signature_of(v)
    out = pathlib.Path(__file__).resolve().parent.parent / "tests/unit/sigv4/vectors.json"
    out.write_text(json.dumps({"generated_by": "tools/gen_sigv4_vectors.py",
                               "vectors": vectors}, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(vectors)} vectors to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
