"""Identity: who signed a request and what they may do, against a server that checks signatures
(no --insecure-open). Users, keys, roles and sessions through both AWS CLIs and boto3; refused
requests (bad signature, stale date, unknown key, expired session, replayed presigned URL) leave
no trace."""
import datetime
import json
import os
import shutil
import stat
import time
import urllib.request

import pytest

import sigv4_client as sig
from conftest import boto3_client
from sfn_util import ROLE

ACCOUNT = "000000000000"


def trust_for(arn):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sts:AssumeRole"}]})


LIST_ONLY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["states:ListStateMachines", "states:CreateStateMachine"],
     "Resource": "*"}]})

PASS = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})


def test_bootstrap_writes_admin_credentials(secure_server):
    path = secure_server.credentials_file
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.join(secure_server.data_dir, "master.key")).st_mode) == 0o600
    key, secret = secure_server.admin_credentials()
    assert key.startswith("AKIA") and len(key) == 20 and len(secret) == 40
    # Shown once on stderr; the database holds the secret only sealed.
    assert secret in secure_server.log()
    with open(os.path.join(secure_server.data_dir, "signoff.db"), "rb") as f:
        db = f.read()
    wal = os.path.join(secure_server.data_dir, "signoff.db-wal")
    if os.path.exists(wal):
        with open(wal, "rb") as f:
            db += f.read()
    assert secret.encode() not in db
    sts = boto3_client(secure_server, "sts")
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    # A restart keeps the same administrator and does not print it again.
    secure_server.restart()
    assert secure_server.admin_credentials() == (key, secret)
    assert boto3_client(secure_server, "sts").get_caller_identity()["Account"] == ACCOUNT


def test_admin_credentials_file_is_used(tmp_data):
    from conftest import Server
    creds = os.path.join(tmp_data, "given-credentials")
    with open(creds, "w") as f:
        f.write("[signoff]\naws_access_key_id = AKIAGIVENADMIN000001\n"
                "aws_secret_access_key = given/secret/given/secret/given/secret00\n")
    s = Server(os.path.join(tmp_data, "data"), insecure=False,
               extra_args=["--admin-credentials", creds]).start()
    try:
        assert not os.path.exists(s.credentials_file)
        sts = boto3_client(s, "sts", credentials=("AKIAGIVENADMIN000001",
                                                  "given/secret/given/secret/given/secret00"))
        assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    finally:
        s.stop()


def test_user_assumes_role_with_cli(secure_aws):
    aws = secure_aws
    user = aws("iam", "create-user", "--user-name", "bob")["User"]
    assert user["UserId"].startswith("AIDA") and user["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/bob"
    key = aws("iam", "create-access-key", "--user-name", "bob")["AccessKey"]
    bob = (key["AccessKeyId"], key["SecretAccessKey"])
    assert bob[0].startswith("AKIA")
    assert aws("sts", "get-caller-identity", credentials=bob)["Arn"] == user["Arn"]

    role = aws("iam", "create-role", "--role-name", "lister",
               "--assume-role-policy-document", trust_for(user["Arn"]))["Role"]
    assert role["RoleId"].startswith("AROA")
    # The CLI decodes the URL-encoded document IAM returns.
    got = aws("iam", "get-role", "--role-name", "lister")["Role"]
    assert got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"] == user["Arn"]
    aws("iam", "put-role-policy", "--role-name", "lister", "--policy-name", "list",
        "--policy-document", LIST_ONLY)

    assumed = aws("sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "s1",
                  credentials=bob)
    c = assumed["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA") and c["SessionToken"]
    session = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    me = aws("sts", "get-caller-identity", credentials=session)
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/lister/s1"
    assert me["UserId"] == role["RoleId"] + ":s1"

    # Allowed by the role's policy.
    sm = aws("stepfunctions", "create-state-machine", "--name", "m", "--definition", PASS,
             "--role-arn", ROLE, credentials=session)["stateMachineArn"]
    assert aws("stepfunctions", "list-state-machines",
               credentials=session)["stateMachines"][0]["name"] == "m"
    # Not allowed: AWS's wording, and the machine is still there.
    err = aws("stepfunctions", "delete-state-machine", "--state-machine-arn", sm,
              credentials=session, expect_error="AccessDeniedException")
    assert (f"User: arn:aws:sts::{ACCOUNT}:assumed-role/lister/s1 is not authorized to perform: "
            f"states:DeleteStateMachine on resource: {sm} because no identity-based policy allows "
            "the states:DeleteStateMachine action") in err
    assert len(aws("stepfunctions", "list-state-machines")["stateMachines"]) == 1

    # Bob himself has no policy at all.
    aws("stepfunctions", "list-state-machines", credentials=bob,
        expect_error="AccessDeniedException")
    aws("iam", "list-users", credentials=bob, expect_error="AccessDenied")

    # Someone the role does not trust.
    aws("iam", "create-user", "--user-name", "eve")
    k2 = aws("iam", "create-access-key", "--user-name", "eve")["AccessKey"]
    err = aws("sts", "assume-role", "--role-arn", role["Arn"], "--role-session-name", "xx",
              credentials=(k2["AccessKeyId"], k2["SecretAccessKey"]), expect_error="AccessDenied")
    assert f"user/eve is not authorized to perform: sts:AssumeRole on resource: {role['Arn']}" in err


def test_iam_entities_with_boto3(secure_server):
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="carol", Path="/team/")
    with pytest.raises(iam.exceptions.EntityAlreadyExistsException) as e:
        iam.create_user(UserName="Carol")
    assert "User with name Carol already exists." in str(e.value)
    with pytest.raises(iam.exceptions.NoSuchEntityException) as e:
        iam.get_user(UserName="nobody")
    assert "The user with name nobody cannot be found." in str(e.value)
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["carol"]

    iam.create_group(GroupName="ops")
    iam.add_user_to_group(GroupName="ops", UserName="carol")
    assert [u["UserName"] for u in iam.get_group(GroupName="ops")["Users"]] == ["carol"]
    iam.attach_group_policy(GroupName="ops",
                            PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert iam.list_attached_group_policies(GroupName="ops")["AttachedPolicies"] == [
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]
    k = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = (k["AccessKeyId"], k["SecretAccessKey"])
    # Read-only through the group: listing works, creating does not.
    boto3_client(secure_server, "stepfunctions", credentials=carol).list_state_machines()
    as_carol = boto3_client(secure_server, "iam", credentials=carol)
    assert as_carol.get_user(UserName="carol")["User"]["Path"] == "/team/"
    with pytest.raises(as_carol.exceptions.ClientError) as e:
        as_carol.create_user(UserName="mallory")
    assert e.value.response["Error"]["Code"] == "AccessDenied"

    iam.create_access_key(UserName="carol")
    with pytest.raises(iam.exceptions.LimitExceededException):
        iam.create_access_key(UserName="carol")
    iam.update_access_key(UserName="carol", AccessKeyId=carol[0], Status="Inactive")
    with pytest.raises(as_carol.exceptions.ClientError) as e:
        as_carol.get_user(UserName="carol")
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"

    with pytest.raises(iam.exceptions.DeleteConflictException) as e:
        iam.delete_user(UserName="carol")
    assert "must delete access keys first" in str(e.value)

    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        iam.put_user_policy(UserName="carol", PolicyName="p", PolicyDocument='{"Statement": 1}')
    policy = iam.create_policy(PolicyName="sfn-read", PolicyDocument=LIST_ONLY)["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy/sfn-read"
    iam.attach_user_policy(UserName="carol", PolicyArn=policy["Arn"])
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
    doc = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v1")["PolicyVersion"]
    assert doc["Document"] == json.loads(LIST_ONLY)
    managed = iam.get_policy(
        PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole")["Policy"]
    assert managed["DefaultVersionId"].startswith("v")

    # Out of range values SDKs would refuse before sending: IAM's own validation answers.
    key, secret = secure_server.admin_credentials()
    status, body = sig.query_call(secure_server.endpoint, "iam", {
        "Action": "CreateRole", "Version": "2010-05-08", "RoleName": "r",
        "AssumeRolePolicyDocument": trust_for("*"), "MaxSessionDuration": "100"}, key, secret)
    assert status == 400 and "<Code>ValidationError</Code>" in body
    # (XML escapes the quotes.)
    assert ("Value &apos;100&apos; at &apos;maxSessionDuration&apos; failed to satisfy "
            "constraint: Member must have value greater than or equal to 3600") in body


def test_assume_role_duration_limits(secure_server):
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="dan")
    k = iam.create_access_key(UserName="dan")["AccessKey"]
    role = iam.create_role(RoleName="short", AssumeRolePolicyDocument=trust_for(
        f"arn:aws:iam::{ACCOUNT}:user/dan"))["Role"]
    sts = boto3_client(secure_server, "sts", credentials=(k["AccessKeyId"], k["SecretAccessKey"]))
    with pytest.raises(sts.exceptions.ClientError) as e:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=7200)
    assert "exceeds the MaxSessionDuration set for this role" in str(e.value)
    status, body = sig.query_call(secure_server.endpoint, "sts", {
        "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": role["Arn"],
        "RoleSessionName": "s1", "DurationSeconds": "100"}, k["AccessKeyId"], k["SecretAccessKey"])
    assert status == 400 and "Member must have value greater than or equal to 900" in body
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", DurationSeconds=900)
    left = out["Credentials"]["Expiration"] - datetime.datetime.now(datetime.timezone.utc)
    assert 800 < left.total_seconds() <= 900


def users(server):
    return [u["UserName"] for u in boto3_client(server, "iam").list_users()["Users"]]


def test_refused_requests_change_nothing(secure_server):
    ep = secure_server.endpoint
    key, secret = secure_server.admin_credentials()
    create = {"Action": "CreateUser", "Version": "2010-05-08", "UserName": "ghost"}

    status, body = sig.query_call(ep, "iam", create, key, secret,
                                  mutate=sig.flip_signature_byte)
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in body
    assert "The request signature we calculated does not match" in body

    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    status, body = sig.query_call(ep, "iam", create, key, secret, when=stale)
    assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in body
    assert "Signature expired" in body and "15 min." in body

    status, body = sig.query_call(ep, "iam", create, "AKIAUNKNOWNKEY000000", secret)
    assert status == 403 and "<Code>InvalidClientTokenId</Code>" in body

    status, body = sig.send("POST", ep + "/", "Action=CreateUser&Version=2010-05-08&UserName=g",
                            {"content-type": "application/x-www-form-urlencoded"})
    assert status == 403 and "<Code>MissingAuthenticationToken</Code>" in body

    # The JSON protocol words the same failures its own way.
    status, body = sig.json_call(ep, "AWSStepFunctions.CreateStateMachine",
                                 json.dumps({"name": "ghost", "definition": PASS,
                                             "roleArn": ROLE}),
                                 key, secret, mutate=sig.flip_signature_byte)
    assert status == 403 and "InvalidSignatureException" in body
    status, body = sig.json_call(ep, "AWSStepFunctions.ListStateMachines", "{}",
                                 "AKIAUNKNOWNKEY000000", secret)
    assert status == 403 and "UnrecognizedClientException" in body
    status, body = sig.json_call(ep, "AWSStepFunctions.ListStateMachines", "{}", key, secret,
                                 when=stale)
    assert "InvalidSignatureException" in body and "Signature expired" in body

    assert users(secure_server) == []
    sfn = boto3_client(secure_server, "stepfunctions")
    assert sfn.list_state_machines()["stateMachines"] == []
    # The unaltered request works.
    status, _ = sig.query_call(ep, "iam", create, key, secret)
    assert status == 200 and users(secure_server) == ["ghost"]


def test_presigned_url_replay_after_expiry(secure_server):
    sts = boto3_client(secure_server, "sts")
    url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=3, HttpMethod="GET")
    with urllib.request.urlopen(url, timeout=10) as r:
        assert f"arn:aws:iam::{ACCOUNT}:root" in r.read().decode()
    time.sleep(4)
    status, body = sig.send("GET", url, "", {})
    assert status in (400, 403) and "Expired" in body


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime is not installed")
def test_expired_session_token(secure_server):
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="erin")
    k = iam.create_access_key(UserName="erin")["AccessKey"]
    role = iam.create_role(RoleName="brief", AssumeRolePolicyDocument=trust_for(
        f"arn:aws:iam::{ACCOUNT}:user/erin"))["Role"]
    sts = boto3_client(secure_server, "sts", credentials=(k["AccessKeyId"], k["SecretAccessKey"]))
    c = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1",
                        DurationSeconds=900)["Credentials"]
    call = {"Action": "GetCallerIdentity", "Version": "2011-06-15"}
    status, _ = sig.query_call(secure_server.endpoint, "sts", call, c["AccessKeyId"],
                               c["SecretAccessKey"], token=c["SessionToken"])
    assert status == 200
    status, body = sig.query_call(secure_server.endpoint, "sts", call, c["AccessKeyId"],
                                  c["SecretAccessKey"], token="wrong" + c["SessionToken"])
    assert status == 403 and "<Code>InvalidClientTokenId</Code>" in body

    # Twenty minutes later (the server's clock moved; the client signs with that time too).
    secure_server.stop()
    secure_server.wrapper = ["faketime", "-f", "+20m"]
    secure_server.start()
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=20)
    status, body = sig.query_call(secure_server.endpoint, "sts", call, c["AccessKeyId"],
                                  c["SecretAccessKey"], token=c["SessionToken"], when=later)
    assert status == 403 and "<Code>ExpiredToken</Code>" in body, body
    assert "The security token included in the request is expired" in body
    status, body = sig.json_call(secure_server.endpoint, "AWSStepFunctions.ListStateMachines",
                                 "{}", c["AccessKeyId"], c["SecretAccessKey"],
                                 token=c["SessionToken"], when=later)
    assert "ExpiredTokenException" in body
