"""Sets up the browser test's world on a running, signature-checking Signoff through its AWS API
(boto3, as the administrator): console users with login profiles, an approvers role, the seed's
CloudFormation template deployed unmodified, and two executions waiting for approval.

    python3 setup.py ENDPOINT DATA_DIR SEED_TEMPLATE   → prints one JSON object
"""
import configparser
import json
import os
import sys
import time

import boto3
from botocore.config import Config

ACCOUNT = "000000000000"
PASSWORD = "correct horse battery"


def client(endpoint, service, key, secret):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}, read_timeout=120))


def wait_for(fn, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.3)
    raise SystemExit(f"timed out waiting for {what}")


def main():
    endpoint, data_dir, seed = sys.argv[1], sys.argv[2], sys.argv[3]
    creds = configparser.ConfigParser()
    creds.read(os.path.join(data_dir, "credentials"))
    key, secret = creds["signoff"]["aws_access_key_id"], creds["signoff"]["aws_secret_access_key"]
    iam = client(endpoint, "iam", key, secret)
    read = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*",
        "Action": ["ssm:GetAutomationExecution", "ssm:DescribeAutomationExecutions",
                   "ssm:DescribeAutomationStepExecutions", "states:List*", "states:Describe*",
                   "states:GetExecutionHistory", "signoff:ListAuditRecords",
                   "signoff:VerifyAuditChain", "signoff:ListAgentDecisions"]}]}
    signal = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Resource": "*", "Action": "ssm:SendAutomationSignal"}]}
    for name in ("approver1", "outsider"):
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password=PASSWORD)
        iam.put_user_policy(UserName=name, PolicyName="read", PolicyDocument=json.dumps(read))
    # A new user whose first sign-in must change the password (AWS's IAMUserChangePassword grant).
    iam.create_user(UserName="newcomer")
    iam.create_login_profile(UserName="newcomer", Password=PASSWORD, PasswordResetRequired=True)
    iam.put_user_policy(UserName="newcomer", PolicyName="change-password", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "iam:ChangePassword",
            "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"}]}))
    # The outsider may call SendAutomationSignal but is no approver: SSM refuses the decision.
    iam.put_user_policy(UserName="outsider", PolicyName="signal", PolicyDocument=json.dumps(signal))
    outsider_key = iam.create_access_key(UserName="outsider")["AccessKey"]
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/approver1"}}]}
    role = iam.create_role(RoleName="approvers", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.put_role_policy(RoleName="approvers", PolicyName="read", PolicyDocument=json.dumps(read))
    iam.put_role_policy(RoleName="approvers", PolicyName="signal", PolicyDocument=json.dumps(signal))
    iam.put_user_policy(UserName="approver1", PolicyName="assume", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Resource": role["Arn"]}]}))

    cfn = client(endpoint, "cloudformation", key, secret)
    with open(seed) as f:
        body = f.read()
    cfn.create_stack(StackName="seed", TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": "SsmApprovers", "ParameterValue": role["Arn"]},
                                 {"ParameterKey": "EmailForNotification",
                                  "ParameterValue": "approver@example.test"},
                                 {"ParameterKey": "SsmMinRequiredApprovals", "ParameterValue": "1"}])

    def created():
        s = cfn.describe_stacks(StackName="seed")["Stacks"][0]
        if s["StackStatus"].endswith("_FAILED") or "ROLLBACK" in s["StackStatus"]:
            raise SystemExit(f"stack failed: {s['StackStatus']} {s.get('StackStatusReason')}")
        return s if s["StackStatus"] == "CREATE_COMPLETE" else None
    stack = wait_for(created, 300, "the seed stack")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    example = json.loads(outputs["StepFunctionsInputExample"])

    sfn = client(endpoint, "stepfunctions", key, secret)
    ssm = client(endpoint, "ssm", key, secret)
    machine = [m for m in sfn.list_state_machines()["stateMachines"]
               if m["name"] == "StepFunctionsWithSsmAutomationApproval"][0]["stateMachineArn"]
    runs = []
    for name in ("approve-in-console", "outsider-looks"):
        seen = {e["AutomationExecutionId"] for e in
                ssm.describe_automation_executions()["AutomationExecutionMetadataList"]}
        arn = sfn.start_execution(stateMachineArn=machine, name=name,
                                  input=json.dumps(example))["executionArn"]

        def waiting():
            for e in ssm.describe_automation_executions()["AutomationExecutionMetadataList"]:
                if e["AutomationExecutionId"] not in seen and \
                        e["AutomationExecutionStatus"] == "Waiting":
                    return e["AutomationExecutionId"]
            return None
        runs.append({"executionArn": arn, "automationId": wait_for(waiting, 120, "the approval")})

    print(json.dumps({"account": ACCOUNT, "password": PASSWORD, "roleArn": role["Arn"],
                      "machineArn": machine, "runs": runs,
                      "outsiderKey": [outsider_key["AccessKeyId"],
                                      outsider_key["SecretAccessKey"]]}))


if __name__ == "__main__":
    main()
