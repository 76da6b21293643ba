"""IAM login profiles (console passwords) through both AWS CLIs and boto3 against a server that
checks signatures: the operations' shapes and errors, who may call them, ChangePassword as the
user, and the audit API's permissions."""
import json

from conftest import boto3_client

ACCOUNT = "000000000000"


def test_login_profile_operations_with_the_cli(secure_aws):
    run = secure_aws
    run("iam", "create-user", "--user-name", "alice")
    created = run("iam", "create-login-profile", "--user-name", "alice", "--password",
                  "first password", "--password-reset-required")["LoginProfile"]
    assert created["UserName"] == "alice" and created["PasswordResetRequired"] is True
    assert created["CreateDate"].endswith("Z") or "+" in created["CreateDate"]
    got = run("iam", "get-login-profile", "--user-name", "alice")["LoginProfile"]
    assert got["UserName"] == "alice"
    run("iam", "create-login-profile", "--user-name", "alice", "--password", "first password",
        expect_error="EntityAlreadyExists")
    run("iam", "create-login-profile", "--user-name", "nobody", "--password", "first password",
        expect_error="NoSuchEntity")
    run("iam", "create-user", "--user-name", "bob")
    run("iam", "create-login-profile", "--user-name", "bob", "--password", "short",
        expect_error="PasswordPolicyViolation")
    run("iam", "get-login-profile", "--user-name", "bob", expect_error="NoSuchEntity")
    run("iam", "update-login-profile", "--user-name", "alice", "--no-password-reset-required")
    got = run("iam", "get-login-profile", "--user-name", "alice")["LoginProfile"]
    assert got["PasswordResetRequired"] is False
    run("iam", "delete-user", "--user-name", "alice", expect_error="DeleteConflict")
    run("iam", "delete-login-profile", "--user-name", "alice")
    run("iam", "get-login-profile", "--user-name", "alice", expect_error="NoSuchEntity")
    run("iam", "delete-user", "--user-name", "alice")


def test_permissions_and_change_password(secure_server):
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="carol")
    iam.create_login_profile(UserName="carol", Password="carol password 1")
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    carol = boto3_client(secure_server, "iam",
                         credentials=(key["AccessKeyId"], key["SecretAccessKey"]))
    # Without a policy carol may not read or change login profiles, not even her own.
    for call in (lambda: carol.get_login_profile(UserName="carol"),
                 lambda: carol.change_password(OldPassword="carol password 1",
                                               NewPassword="carol password 2")):
        try:
            call()
            raise AssertionError("expected AccessDenied")
        except carol.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == "AccessDenied"
            assert "iam:" in e.response["Error"]["Message"]
    iam.put_user_policy(UserName="carol", PolicyName="own-password", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["iam:ChangePassword", "iam:GetLoginProfile"],
            "Resource": f"arn:aws:iam::{ACCOUNT}:user/carol"}]}))
    assert carol.get_login_profile(UserName="carol")["LoginProfile"]["UserName"] == "carol"
    try:
        carol.change_password(OldPassword="wrong", NewPassword="carol password 2")
        raise AssertionError("expected a refusal")
    except carol.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidUserType"
    carol.change_password(OldPassword="carol password 1", NewPassword="carol password 2")
    # The administrator (the account root) is no IAM user: ChangePassword is not for it.
    try:
        iam.change_password(OldPassword="x", NewPassword="long enough 1")
        raise AssertionError("expected InvalidUserType")
    except iam.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidUserType"


def test_audit_api_needs_signoff_permissions(secure_server):
    import sigv4_client as sig  # boto3 has no client for Signoff's own API
    iam = boto3_client(secure_server, "iam")
    iam.create_user(UserName="dave")
    key = iam.create_access_key(UserName="dave")["AccessKey"]
    creds = (key["AccessKeyId"], key["SecretAccessKey"])
    status, body = sig.json_call(secure_server.endpoint, "SignoffAudit.VerifyAuditChain", "{}",
                                 *creds, service="signoff")
    assert status == 400 and "AccessDenied" in body and "signoff:VerifyAuditChain" in body, body
    status, body = sig.json_call(secure_server.endpoint, "SignoffAudit.VerifyAuditChain", "{}",
                                 *secure_server.admin_credentials(), service="signoff")
    assert status == 200 and json.loads(body) == {"Intact": True, "Records": 0}, body


def console_sign_in(server, user, password):
    import urllib.error
    import urllib.request
    req = urllib.request.Request(
        server.endpoint + "/console/api/signin", method="POST",
        data=json.dumps({"account": ACCOUNT, "userName": user, "password": password}).encode(),
        headers={"Content-Type": "application/json", "Origin": server.endpoint})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_cloudformation_user_with_login_profile_signs_in_to_the_console(secure_server):
    import time
    cfn = boto3_client(secure_server, "cloudformation")
    template = {"Resources": {"Approver": {"Type": "AWS::IAM::User", "Properties": {
        "UserName": "cfn-approver",
        "LoginProfile": {"Password": "from the template", "PasswordResetRequired": False}}}}}

    def deploy(op, body):
        op(StackName="users", TemplateBody=json.dumps(body), Capabilities=["CAPABILITY_NAMED_IAM"])
        deadline = time.time() + 60
        while time.time() < deadline:
            status = cfn.describe_stacks(StackName="users")["Stacks"][0]["StackStatus"]
            if not status.endswith("_IN_PROGRESS"):
                return status
            time.sleep(0.2)
        raise AssertionError("stack did not settle")

    assert deploy(cfn.create_stack, template) == "CREATE_COMPLETE"
    status, body = console_sign_in(secure_server, "cfn-approver", "from the template")
    assert status == 200 and body["user"]["arn"] == f"arn:aws:iam::{ACCOUNT}:user/cfn-approver"
    template["Resources"]["Approver"]["Properties"]["LoginProfile"]["Password"] = "changed by update"
    assert deploy(cfn.update_stack, template) == "UPDATE_COMPLETE"
    assert console_sign_in(secure_server, "cfn-approver", "from the template")[0] == 403
    assert console_sign_in(secure_server, "cfn-approver", "changed by update")[0] == 200
    cfn.delete_stack(StackName="users")
    iam = boto3_client(secure_server, "iam")
    deadline = time.time() + 60
    while time.time() < deadline:
        if not any(u["UserName"] == "cfn-approver" for u in iam.list_users()["Users"]):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the user (with its login profile) was not deleted")
