"""CloudFormation end to end: `aws cloudformation deploy` with both CLIs (change sets and their
waiters), stack events, updates, deletion, rollback on a failing resource, `signoff deploy`,
and validation of the seed template."""
import json
import os
import subprocess

import pytest

from conftest import ROOT, SHARED, boto3_client

EXAMPLE = os.path.join(ROOT, "examples", "release-gate.cfn.yaml")
SEED = os.path.join(SHARED, "seed", "SfnApprovalCFnSfnWithSsmApprovalAndEventBridge.yml")

BROKEN = """
Resources:
  Queue:
    Type: AWS::StepFunctions::Activity
    Properties:
      Name: broken-queue
  Machine:
    Type: AWS::StepFunctions::StateMachine
    DependsOn: Queue
    Properties:
      RoleArn: arn:aws:iam::000000000000:role/x
      DefinitionString: '{"StartAt": "Nowhere", "States": {}}'
"""


def outputs(stack):
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def test_deploy_update_delete_with_cli(aws, server, tmp_data):
    cli = _raw_cli(aws)
    name = "gate-" + aws.version
    cli("cloudformation", "deploy", "--template-file", EXAMPLE, "--stack-name", name,
        "--parameter-overrides", "GateName=gate-" + aws.version)
    stack = aws("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = outputs(stack)
    machine = out["GateArn"]
    assert machine.endswith(":stateMachine:gate-%s-staging" % aws.version)
    assert out["AuditName"].startswith("Audit-")
    described = aws("stepfunctions", "describe-state-machine", "--state-machine-arn", machine)
    definition = json.loads(described["definition"])
    assert definition["States"]["Review"]["Resource"] == out["ReviewActivityArn"]
    assert definition["Comment"] == "Staging release gate"

    events = aws("cloudformation", "describe-stack-events", "--stack-name", name)["StackEvents"]
    seq = [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
           for e in reversed(events)]
    assert seq[0] == (name, "REVIEW_IN_PROGRESS", "User Initiated")
    assert seq[1] == (name, "CREATE_IN_PROGRESS", "User Initiated")
    assert seq[-1][:2] == (name, "CREATE_COMPLETE")
    assert ("Gate", "CREATE_IN_PROGRESS", "Resource creation Initiated") in seq
    # Dependencies first: the activity before the gate, the gate before the audit machine.
    done = [s[0] for s in seq if s[1] == "CREATE_COMPLETE"]
    assert done.index("ReviewQueue") < done.index("Gate") < done.index("Audit")

    resources = aws("cloudformation", "list-stack-resources", "--stack-name", name)
    assert {r["LogicalResourceId"]: r["ResourceStatus"]
            for r in resources["StackResourceSummaries"]} == {
        "ReviewQueue": "CREATE_COMPLETE", "Gate": "CREATE_COMPLETE", "Audit": "CREATE_COMPLETE"}
    one = aws("cloudformation", "describe-stack-resource", "--stack-name", name,
              "--logical-resource-id", "Gate")["StackResourceDetail"]
    assert one["PhysicalResourceId"] == machine
    body = aws("cloudformation", "get-template", "--stack-name", name)["TemplateBody"]
    assert "Release gate" in (body if isinstance(body, str) else json.dumps(body))
    exports = aws("cloudformation", "list-exports")["Exports"]
    assert {"Name": name + "-GateArn", "Value": machine} in [
        {"Name": e["Name"], "Value": e["Value"]} for e in exports]

    # Nothing changed: the CLI reports it (and succeeds when told an empty change set is fine).
    cli("cloudformation", "deploy", "--template-file", EXAMPLE, "--stack-name", name,
        "--parameter-overrides", "GateName=gate-" + aws.version, "--no-fail-on-empty-changeset")

    # Update: a new stage renames the machine and the activity (replacement), and the audit
    # machine that reads the gate's name is updated in place.
    cli("cloudformation", "deploy", "--template-file", EXAMPLE, "--stack-name", name,
        "--parameter-overrides", "Stage=production")
    stack = aws("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    new_machine = outputs(stack)["GateArn"]
    assert new_machine.endswith(":stateMachine:gate-%s-production" % aws.version)
    assert outputs(stack)["AuditName"] == out["AuditName"]
    aws("stepfunctions", "describe-state-machine", "--state-machine-arn", machine,
        expect_error="StateMachineDoesNotExist")
    events = aws("cloudformation", "describe-stack-events", "--stack-name", name)["StackEvents"]
    reasons = [e.get("ResourceStatusReason", "") for e in events]
    assert ("Requested update requires the creation of a new physical resource; hence creating "
            "one.") in reasons
    statuses = [e["ResourceStatus"] for e in events if e["LogicalResourceId"] == name]
    assert statuses[:3] == ["UPDATE_COMPLETE", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
                            "UPDATE_IN_PROGRESS"]

    # Delete removes everything.
    stack_id = stack["StackId"]
    aws("cloudformation", "delete-stack", "--stack-name", name)
    aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", name)
    gone = aws("cloudformation", "describe-stacks", "--stack-name", stack_id)["Stacks"][0]
    assert gone["StackStatus"] == "DELETE_COMPLETE"
    aws("stepfunctions", "describe-state-machine", "--state-machine-arn", new_machine,
        expect_error="StateMachineDoesNotExist")
    assert aws("stepfunctions", "list-activities")["activities"] == []
    aws("cloudformation", "describe-stacks", "--stack-name", name,
        expect_error="Stack with id %s does not exist" % name)


def _raw_cli(aws):
    def run(*args):
        try:
            return aws(*args)
        except json.JSONDecodeError:
            return None
    return run


def test_failing_resource_rolls_back(aws, server, tmp_data):
    path = os.path.join(tmp_data, "broken.yaml")
    with open(path, "w") as f:
        f.write(BROKEN)
    name = "broken-" + aws.version
    err = aws("cloudformation", "deploy", "--template-file", path, "--stack-name", name,
              expect_error="Failed to create/update the stack")
    assert "describe-stack-events" in err
    stack = aws("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = aws("cloudformation", "describe-stack-events", "--stack-name", name)["StackEvents"]
    rollback = [e for e in events if e["ResourceStatus"] == "ROLLBACK_IN_PROGRESS"]
    assert rollback[0]["ResourceStatusReason"] == (
        "The following resource(s) failed to create: [Machine]. Rollback requested by user.")
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert len(failed) == 1 and failed[0]["LogicalResourceId"] == "Machine"
    assert "Invalid State Machine Definition" in failed[0]["ResourceStatusReason"]
    assert "HandlerErrorCode: InvalidRequest" in failed[0]["ResourceStatusReason"]
    queue = [e["ResourceStatus"] for e in events if e["LogicalResourceId"] == "Queue"]
    assert queue[:2] == ["DELETE_COMPLETE", "DELETE_IN_PROGRESS"]
    assert aws("stepfunctions", "list-activities")["activities"] == []
    # A stack that rolled back cannot be updated, only deleted.
    aws("cloudformation", "update-stack", "--stack-name", name, "--template-body",
        "file://" + path, expect_error="ROLLBACK_COMPLETE state and can not be updated")
    aws("cloudformation", "delete-stack", "--stack-name", name)


def test_template_errors_are_validation_errors(server):
    cfn = boto3_client(server, "cloudformation")
    import botocore.exceptions
    cases = [
        ("Resources:\n  A:\n    Type: AWS::StepFunctions::Activity\n    Properties:\n"
         "      Name: !GetAtt Nope.Arn\n",
         "Template error: instance of Fn::GetAtt references undefined resource Nope"),
        ("Resources:\n  A:\n    Type: AWS::StepFunctions::Activity\n    Properties:\n"
         "      Name: !Ref Nope\n",
         "Template format error: Unresolved resource dependencies [Nope] in the Resources "
         "block of the template"),
        ("Resources:\n  A:\n    Type: AWS::StepFunctions::Activity\n    DependsOn: B\n"
         "  B:\n    Type: AWS::StepFunctions::Activity\n    DependsOn: A\n",
         "Circular dependency between resources: [A, B]"),
        ("Resources:\n  A:\n    Type: AWS::Nope::Thing\n",
         "Template format error: Unrecognized resource types: [AWS::Nope::Thing]"),
    ]
    for body, message in cases:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            cfn.create_stack(StackName="bad", TemplateBody=body)
        assert e.value.response["Error"]["Code"] == "ValidationError"
        assert e.value.response["Error"]["Message"] == message
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cfn.create_stack(StackName="p", TemplateBody=open(EXAMPLE).read(),
                         Parameters=[{"ParameterKey": "Stage", "ParameterValue": "qa"}])
    assert e.value.response["Error"]["Message"] == "Parameter 'Stage' must be one of AllowedValues"
    iam = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: x\n"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        cfn.create_stack(StackName="iam", TemplateBody=iam)
    assert e.value.response["Error"]["Code"] in ("InsufficientCapabilitiesException",
                                                  "ValidationError")


def test_create_stack_is_asynchronous_and_boto3_waiter_works(server):
    cfn = boto3_client(server, "cloudformation")
    sid = cfn.create_stack(StackName="async", TemplateBody=open(EXAMPLE).read(),
                           Parameters=[{"ParameterKey": "GateName", "ParameterValue": "async"}])[
        "StackId"]
    assert sid.startswith("arn:aws:cloudformation:us-east-1:000000000000:stack/async/")
    cfn.get_waiter("stack_create_complete").wait(StackName="async",
                                                 WaiterConfig={"Delay": 1})
    with pytest.raises(Exception) as e:
        cfn.create_stack(StackName="async", TemplateBody=open(EXAMPLE).read())
    assert "AlreadyExistsException" in str(e.value)
    summary = cfn.get_template_summary(StackName="async")
    assert [p["ParameterKey"] for p in summary["Parameters"]] == [
        "GateName", "ReviewTimeoutSeconds", "Stage"]
    assert [s["StackName"] for s in cfn.list_stacks()["StackSummaries"]] == ["async"]


def test_signoff_deploy_prints_events_and_outputs(server):
    binary = os.environ.get("SIGNOFF_BIN", os.path.join(ROOT, "build", "release", "signoff"))
    p = subprocess.run([binary, "deploy", EXAMPLE, "--stack-name", "cli-gate", "--param",
                        "GateName=cli-gate", "--endpoint", server.endpoint],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert any("Gate" in l and "CREATE_COMPLETE" in l for l in lines)
    assert any("cli-gate" in l and "CREATE_IN_PROGRESS" in l and "User Initiated" in l
               for l in lines)
    assert "Outputs:" in lines
    assert any(l.strip().startswith("GateArn = arn:aws:states:") for l in lines)
    assert lines[-1] == "Stack cli-gate: CREATE_COMPLETE"
    again = subprocess.run([binary, "deploy", EXAMPLE, "--stack-name", "cli-gate", "--param",
                            "GateName=cli-gate", "--endpoint", server.endpoint],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_signoff_deploy_signs_with_the_data_dirs_credentials(secure_server, tmp_path):
    """Against a server that checks signatures (as `make run` starts it), `signoff deploy` signs
    with the administrator's key from DATA/credentials, or with the AWS_* variables."""
    binary = secure_server.binary
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    p = subprocess.run([binary, "deploy", EXAMPLE, "--stack-name", "signed-gate", "--param",
                        "GateName=signed-gate", "--endpoint", secure_server.endpoint, "--data",
                        secure_server.data_dir], capture_output=True, text=True, timeout=60,
                       env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "Stack signed-gate: CREATE_COMPLETE"
    key, secret = secure_server.admin_credentials()[:2]
    again = subprocess.run([binary, "deploy", EXAMPLE, "--stack-name", "signed-gate", "--param",
                            "GateName=signed-gate", "--endpoint", secure_server.endpoint,
                            "--data", str(tmp_path / "none")], capture_output=True, text=True,
                           timeout=60, env={**env, "AWS_ACCESS_KEY_ID": key,
                                            "AWS_SECRET_ACCESS_KEY": secret})
    assert again.returncode == 0 and "up to date" in again.stdout, again.stderr
    # No credentials at all: the request goes unsigned and the server refuses it.
    unsigned = subprocess.run([binary, "deploy", EXAMPLE, "--stack-name", "other", "--endpoint",
                               secure_server.endpoint, "--data", str(tmp_path / "none")],
                              capture_output=True, text=True, timeout=60, env=env)
    assert unsigned.returncode != 0
    assert "MissingAuthenticationToken" in unsigned.stderr or "denied" in unsigned.stderr.lower(), \
        unsigned.stderr


def test_seed_template_validates(aws):
    if not os.path.exists(SEED):
        pytest.skip("seed template not present")
    r = aws("cloudformation", "validate-template", "--template-body", "file://" + SEED)
    keys = [p["ParameterKey"] for p in r["Parameters"]]
    assert "SsmApprovers" in keys and "EventRuleForAutomationResultState" in keys
    assert r["Capabilities"] == ["CAPABILITY_NAMED_IAM"]


# ---- the seed template and the service-backed providers ----

SEED_PARAMS = ["SsmApprovers=arn:aws:iam::000000000000:role/approvers",
               "EmailForNotification=approver@example.test"]


def test_seed_template_deploys_and_deletes(aws, server):
    if not os.path.exists(SEED):
        pytest.skip("seed template not present")
    name = "seed-" + aws.version
    _raw_cli(aws)("cloudformation", "deploy", "--template-file", SEED, "--stack-name", name,
                  "--capabilities", "CAPABILITY_NAMED_IAM", "--parameter-overrides", *SEED_PARAMS)
    stack = aws("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    resources = aws("cloudformation", "list-stack-resources", "--stack-name", name)[
        "StackResourceSummaries"]
    assert len(resources) == 12
    assert {r["ResourceStatus"] for r in resources} == {"CREATE_COMPLETE"}
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    acct, region = "000000000000", "us-east-1"

    example = json.loads(outputs(stack)["StepFunctionsInputExample"])
    assert example == {
        "region": region,
        "ssm_automation_assume_role": "arn:aws:iam::%s:role/SsmAutomationAssumeRole-%s" % (
            acct, region),
        "ssm_doc_name": "SsmDocumentForApprovalAction",
        "ssm_description": "Automation Approval Action For AWS Step Functions.",
        "ssm_notification_arn": "arn:aws:sns:%s:%s:AutomationApprovalNotification" % (
            region, acct),
        "ssm_approvers": "arn:aws:iam::000000000000:role/approvers",
        "ssm_min_required_approvals": "1",
        "confirmation_url": "https://hidekazu-konishi.com/",
        "confirmation_file": "index.html",
    }
    assert outputs(stack)["Region"] == region

    # IAM: the roles, their inline policies and the AWS managed policy from the catalog.
    role = aws("iam", "get-role", "--role-name", "SsmAutomationAssumeRole-" + region)["Role"]
    assert role["MaxSessionDuration"] == 43200 and role["Path"] == "/"
    assert "ssm.amazonaws.com" in role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"][
        "Service"]
    assert aws("iam", "list-role-policies", "--role-name", role["RoleName"])["PolicyNames"] == [
        "IAMPolicy-AdditionalPolicyForAutomationRole-" + region]
    attached = aws("iam", "list-attached-role-policies", "--role-name", role["RoleName"])
    assert [p["PolicyArn"] for p in attached["AttachedPolicies"]] == [
        "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole"]
    sfn_role = "IAMRole-StepFunctionsWithSsmAutomationApproval-" + region
    assert sorted(aws("iam", "list-role-policies", "--role-name", sfn_role)["PolicyNames"]) == [
        "CloudWatchLogsDeliveryFullAccessPolicy",
        "IAMPolicy-StepFunctionsWithSsmAutomationApproval-" + region, "XRayAccessPolicy"]
    for r in ("IAMRole-LambdaForReceivingAutomationResult-", "EventRuleForAutomationResultRole-"):
        aws("iam", "get-role", "--role-name", r + region)

    # Lambda: both functions as configured, the permission for the rule.
    fn = aws("lambda", "get-function-configuration", "--function-name",
             "LambdaForSsmStartAutomationExecution")
    assert (fn["Runtime"], fn["Handler"], fn["MemorySize"], fn["Timeout"]) == (
        "python3.9", "index.lambda_handler", 10240, 900)
    assert fn["Role"] == example["ssm_automation_assume_role"]
    receiver = aws("lambda", "get-function-configuration", "--function-name",
                   "AutomationResultReceivedByLambda")
    policy = json.loads(aws("lambda", "get-policy", "--function-name",
                            "AutomationResultReceivedByLambda")["Policy"])
    [statement] = policy["Statement"]
    assert statement["Sid"] == physical["LambdaForReceivingAutomationResultPermission"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    rule_arn = "arn:aws:events:%s:%s:rule/EventRuleForAutomationResult" % (region, acct)
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == rule_arn

    # EventBridge: the rule, its pattern and its target.
    rule = aws("events", "describe-rule", "--name", "EventRuleForAutomationResult")
    assert rule["Arn"] == rule_arn and rule["State"] == "ENABLED"
    assert json.loads(rule["EventPattern"])["detail"] == {
        "Definition": ["SsmDocumentForApprovalAction"], "Status": ["Success", "Failed"],
        "Action": ["aws:approve"]}
    targets = aws("events", "list-targets-by-rule", "--rule", "EventRuleForAutomationResult")
    assert targets["Targets"] == [{"Id": "EventRuleForAutomationResultTarget",
                                   "Arn": receiver["FunctionArn"]}]

    # SSM: the document, in YAML, version name 1.
    doc = aws("ssm", "describe-document", "--name", "SsmDocumentForApprovalAction")["Document"]
    assert (doc["DocumentType"], doc["DocumentFormat"], doc["VersionName"]) == (
        "Automation", "YAML", "1")
    assert "Approvers" in [p["Name"] for p in doc["Parameters"]]

    # SNS: the topic and its email subscription, pending confirmation.
    topic = example["ssm_notification_arn"]
    attrs = aws("sns", "get-topic-attributes", "--topic-arn", topic)["Attributes"]
    assert attrs["DisplayName"] == "AutomationApprovalNotification"
    assert attrs["SubscriptionsPending"] == "1"
    [sub] = aws("sns", "list-subscriptions-by-topic", "--topic-arn", topic)["Subscriptions"]
    assert (sub["Protocol"], sub["Endpoint"], sub["SubscriptionArn"]) == (
        "email", "approver@example.test", "PendingConfirmation")

    # Logs and Step Functions: the state machine logs to the group's ARN.
    group = "/aws/vendedlogs/states/Logs-StepFunctionsWithSsmAutomationApproval"
    groups = aws("logs", "describe-log-groups", "--log-group-name-prefix", group)["logGroups"]
    assert [g["logGroupName"] for g in groups] == [group]
    machine = aws("stepfunctions", "describe-state-machine", "--state-machine-arn",
                  physical["StepFunctionsWithSsmAutomationApproval"])
    assert machine["roleArn"].endswith(":role/" + sfn_role)
    assert machine["loggingConfiguration"]["destinations"][0]["cloudWatchLogsLogGroup"][
        "logGroupArn"] == groups[0]["arn"]
    definition = json.loads(machine["definition"])
    assert definition["States"]["InvokeLambdaForSsmStartAutomationExecution"]["Parameters"][
        "FunctionName"] == fn["FunctionArn"] + ":$LATEST"

    # Deletion removes every resource from its service.
    aws("cloudformation", "delete-stack", "--stack-name", name)
    aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", name)
    assert aws("iam", "list-roles")["Roles"] == []
    assert aws("lambda", "list-functions")["Functions"] == []
    assert aws("events", "list-rules")["Rules"] == []
    aws("ssm", "describe-document", "--name", "SsmDocumentForApprovalAction",
        expect_error="InvalidDocument")
    assert aws("sns", "list-topics")["Topics"] == []
    assert aws("sns", "list-subscriptions")["Subscriptions"] == []
    assert aws("logs", "describe-log-groups")["logGroups"] == []
    assert aws("stepfunctions", "list-state-machines")["stateMachines"] == []


LIFECYCLE = """
Parameters:
  Suffix: {Type: String, Default: a}
  Timeout: {Type: Number, Default: 3}
  Retention: {Type: Number, Default: 7}
  Display: {Type: String, Default: first}
  Source: {Type: String, Default: app.one}
  Greeting: {Type: String, Default: hello}
  CodeVersion: {Type: String, Default: v1}
  Session: {Type: Number, Default: 3600}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      MaxSessionDuration: !Ref Session
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: !Sub 'logs-${Suffix}'
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Action: 'logs:*', Resource: '*'}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Timeout: !Ref Timeout
      Environment: {Variables: {GREETING: !Ref Greeting}}
      Code:
        ZipFile: !Sub |
          import os
          def handler(event, context):
              return os.environ["GREETING"] + " ${CodeVersion}"
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Name: !Sub 'rule-${Suffix}'
      EventPattern: {source: [!Ref Source]}
      Targets: [{Id: fn, Arn: !GetAtt Fn.Arn}]
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: events.amazonaws.com
      SourceArn: !GetAtt Rule.Arn
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Display
      Subscription: [{Protocol: email, Endpoint: !Sub '${Display}@example.test'}]
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/test/${Suffix}'
      RetentionInDays: !Ref Retention
  Doc:
    Type: AWS::SSM::Document
    Properties:
      DocumentType: Automation
      Content:
        schemaVersion: '0.3'
        description: !Ref Greeting
        mainSteps: [{name: Nap, action: 'aws:sleep', inputs: {Duration: PT1S}}]
Outputs:
  FnName: {Value: !Ref Fn}
  FnArn: {Value: !GetAtt Fn.Arn}
  RoleName: {Value: !Ref Role}
  RoleId: {Value: !GetAtt Role.RoleId}
  RuleRef: {Value: !Ref Rule}
  RuleArn: {Value: !GetAtt Rule.Arn}
  PermRef: {Value: !Ref Perm}
  TopicRef: {Value: !Ref Topic}
  TopicName: {Value: !GetAtt Topic.TopicName}
  GroupArn: {Value: !GetAtt Group.Arn}
  DocRef: {Value: !Ref Doc}
"""


def _stack(cfn, name, body, waiter, **params):
    kw = dict(StackName=name, TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
              Parameters=[{"ParameterKey": k, "ParameterValue": str(v)}
                          for k, v in params.items()])
    (cfn.create_stack if waiter == "stack_create_complete" else cfn.update_stack)(**kw)
    try:
        cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    except Exception:
        pass  # the caller checks the status (rollbacks are expected in some tests)
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def _invoke(lam, name):
    r = lam.invoke(FunctionName=name, Payload=b"{}")
    return json.loads(r["Payload"].read())


def test_providers_update_in_place_then_replace_then_delete(server):
    cfn = boto3_client(server, "cloudformation")
    iam, lam = boto3_client(server, "iam"), boto3_client(server, "lambda")
    events, sns = boto3_client(server, "events"), boto3_client(server, "sns")
    logs, ssm = boto3_client(server, "logs"), boto3_client(server, "ssm")
    stack = _stack(cfn, "life", LIFECYCLE, "stack_create_complete")
    assert stack["StackStatus"] == "CREATE_COMPLETE", cfn.describe_stack_events(
        StackName="life")["StackEvents"][:3]
    out = outputs(stack)
    # Names CloudFormation generates: Stack-Logical-SUFFIX.
    assert out["FnName"].startswith("life-Fn-") and out["RoleName"].startswith("life-Role-")
    assert out["TopicRef"].endswith(":" + out["TopicName"]) and out["TopicName"].startswith(
        "life-Topic-")
    assert out["PermRef"].startswith("life-Perm-")
    assert out["RuleRef"] == "rule-a"
    assert out["GroupArn"] == "arn:aws:logs:us-east-1:000000000000:log-group:/test/a:*"
    assert _invoke(lam, out["FnName"]) == "hello v1"
    assert logs.describe_log_groups(logGroupNamePrefix="/test/a")["logGroups"][0][
        "retentionInDays"] == 7

    # In place: every physical id stays, the services see the new values.
    stack = _stack(cfn, "life", LIFECYCLE, "stack_update_complete", Timeout=5, Retention=14,
                   Display="second", Source="app.two", Greeting="bonjour", CodeVersion="v2",
                   Session=7200)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    new = outputs(stack)
    for k in ("FnName", "RoleId", "RuleArn", "PermRef", "TopicRef", "GroupArn", "DocRef"):
        assert new[k] == out[k], k
    assert iam.get_role(RoleName=out["RoleName"])["Role"]["MaxSessionDuration"] == 7200
    config = lam.get_function_configuration(FunctionName=out["FnName"])
    assert config["Timeout"] == 5 and config["Environment"]["Variables"] == {"GREETING": "bonjour"}
    assert _invoke(lam, out["FnName"]) == "bonjour v2"
    assert json.loads(events.describe_rule(Name="rule-a")["EventPattern"]) == {
        "source": ["app.two"]}
    assert logs.describe_log_groups(logGroupNamePrefix="/test/a")["logGroups"][0][
        "retentionInDays"] == 14
    assert sns.get_topic_attributes(TopicArn=out["TopicRef"])["Attributes"][
        "DisplayName"] == "second"
    assert [s["Endpoint"] for s in sns.list_subscriptions_by_topic(
        TopicArn=out["TopicRef"])["Subscriptions"]] == ["second@example.test"]
    doc = ssm.describe_document(Name=out["DocRef"])["Document"]
    assert doc["DefaultVersion"] == "2" and doc["Description"] == "bonjour"

    # Replacement: new rule and log group names; the permission follows the rule's ARN; the
    # inline policy is renamed in place.
    stack = _stack(cfn, "life", LIFECYCLE, "stack_update_complete", Suffix="b", Timeout=5,
                   Retention=14, Display="second", Source="app.two", Greeting="bonjour",
                   CodeVersion="v2", Session=7200)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    rep = outputs(stack)
    assert rep["RuleRef"] == "rule-b" and rep["RuleArn"].endswith(":rule/rule-b")
    assert rep["PermRef"] != out["PermRef"] and rep["FnName"] == out["FnName"]
    assert rep["RoleId"] == out["RoleId"]
    assert [r["Name"] for r in events.list_rules()["Rules"]] == ["rule-b"]
    # (The function's own /aws/lambda group is not the stack's, as on AWS.)
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/test/")[
        "logGroups"]] == ["/test/b"]
    [statement] = json.loads(lam.get_policy(FunctionName=out["FnName"])["Policy"])["Statement"]
    assert statement["Sid"] == rep["PermRef"]
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == rep["RuleArn"]
    assert iam.list_role_policies(RoleName=out["RoleName"])["PolicyNames"] == ["logs-b"]

    cfn.delete_stack(StackName="life")
    cfn.get_waiter("stack_delete_complete").wait(StackName="life", WaiterConfig={"Delay": 1})
    assert iam.list_roles()["Roles"] == [] and lam.list_functions()["Functions"] == []
    assert events.list_rules()["Rules"] == [] and sns.list_topics()["Topics"] == []
    assert logs.describe_log_groups(logGroupNamePrefix="/test/")["logGroups"] == []
    assert [d["Name"] for d in ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])[
        "DocumentIdentifiers"]] == []


def _failed_reasons(cfn, name):
    return {e["LogicalResourceId"]: e.get("ResourceStatusReason", "")
            for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
            if e["ResourceStatus"].endswith("_FAILED")}


def test_failing_lambda_rolls_back_its_role(server):
    cfn, iam = boto3_client(server, "cloudformation"), boto3_client(server, "iam")
    body = LIFECYCLE.split("  Rule:")[0].replace("python3.11", "python2.7")
    stack = _stack(cfn, "badfn", body, "stack_create_complete")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    reason = _failed_reasons(cfn, "badfn")["Fn"]
    assert "Value python2.7 at 'runtime' failed to satisfy constraint" in reason
    assert "HandlerErrorCode: InvalidRequest" in reason
    assert iam.list_roles()["Roles"] == []
    assert boto3_client(server, "lambda").list_functions()["Functions"] == []


def test_failing_rule_rolls_back_and_failed_update_restores(server):
    cfn = boto3_client(server, "cloudformation")
    events, logs = boto3_client(server, "events"), boto3_client(server, "logs")
    sns = boto3_client(server, "sns")
    bad = """
Resources:
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: keep-me-not}}
  Rule:
    Type: AWS::Events::Rule
    DependsOn: Topic
    Properties: {EventPattern: {source: not-a-list}, Targets: [{Id: t, Arn: !Ref Topic}]}
"""
    stack = _stack(cfn, "badrule", bad, "stack_create_complete")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "Rule" in _failed_reasons(cfn, "badrule")
    assert sns.list_topics()["Topics"] == [] and events.list_rules()["Rules"] == []

    # An update that fails half way (an invalid retention) is rolled back everywhere.
    stack = _stack(cfn, "undo", LIFECYCLE, "stack_create_complete")
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    topic = outputs(stack)["TopicRef"]
    stack = _stack(cfn, "undo", LIFECYCLE, "stack_update_complete", Retention=13,
                   Display="second", Source="app.two")
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert "retentionInDays" in _failed_reasons(cfn, "undo")["Group"]
    assert logs.describe_log_groups(logGroupNamePrefix="/test/")["logGroups"][0][
        "retentionInDays"] == 7
    assert json.loads(events.describe_rule(Name="rule-a")["EventPattern"]) == {
        "source": ["app.one"]}
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"] == "first"
    cfn.delete_stack(StackName="undo")
    cfn.get_waiter("stack_delete_complete").wait(StackName="undo", WaiterConfig={"Delay": 1})


MORE = """
Parameters:
  Action: {Type: String, Default: 'logs:GetLogEvents'}
  Color: {Type: String, Default: red}
  AttachToUser: {Type: String, Default: 'no', AllowedValues: ['yes', 'no']}
Conditions:
  ToUser: !Equals [!Ref AttachToUser, 'yes']
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: more-role
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]
  User:
    Type: AWS::IAM::User
    Properties:
      UserName: more-user
      Policies:
        - PolicyName: own
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sns:Publish', Resource: '*'}]}
  Inline:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: shared
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: !Ref Action, Resource: '*'}]}
      Roles: [!Ref Role]
      Users: [!Ref User]
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: more-managed
      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'states:*', Resource: '*'}]}
      Roles: [!Ref Role]
      Users: !If [ToUser, [!Ref User], !Ref 'AWS::NoValue']
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: more-bus}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: more-topic}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Name: on-bus
      EventBusName: !Ref Bus
      EventPattern: {source: [more]}
      Targets: [{Id: topic, Arn: !Ref Topic, InputPath: '$.detail'}]
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: email
      Endpoint: more@example.test
      FilterPolicy: {color: [!Ref Color]}
Outputs:
  RuleRef: {Value: !Ref Rule}
  BusArn: {Value: !GetAtt Bus.Arn}
  ManagedRef: {Value: !Ref Managed}
  SubRef: {Value: !Ref Sub}
  UserArn: {Value: !GetAtt User.Arn}
"""


def test_more_providers_users_policies_buses_subscriptions(server):
    cfn, iam = boto3_client(server, "cloudformation"), boto3_client(server, "iam")
    events, sns = boto3_client(server, "events"), boto3_client(server, "sns")
    kw = dict(StackName="more", TemplateBody=MORE, Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.create_stack(**kw)
    cfn.get_waiter("stack_create_complete").wait(StackName="more", WaiterConfig={"Delay": 1})
    out = outputs(cfn.describe_stacks(StackName="more")["Stacks"][0])
    assert out["RuleRef"] == "more-bus|on-bus"
    assert out["BusArn"] == "arn:aws:events:us-east-1:000000000000:event-bus/more-bus"
    assert out["ManagedRef"] == "arn:aws:iam::000000000000:policy/more-managed"
    assert out["UserArn"] == "arn:aws:iam::000000000000:user/more-user"
    assert out["SubRef"].startswith("arn:aws:sns:us-east-1:000000000000:more-topic:")
    assert iam.list_role_policies(RoleName="more-role")["PolicyNames"] == ["shared"]
    assert sorted(iam.list_user_policies(UserName="more-user")["PolicyNames"]) == ["own", "shared"]
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="more-role")[
        "AttachedPolicies"]] == [out["ManagedRef"]]
    [target] = events.list_targets_by_rule(Rule="on-bus", EventBusName="more-bus")["Targets"]
    assert target["InputPath"] == "$.detail"
    attrs = sns.get_subscription_attributes(SubscriptionArn=out["SubRef"])["Attributes"]
    assert json.loads(attrs["FilterPolicy"]) == {"color": ["red"]}

    # In place: the inline policy's document, the managed policy's attachments, the filter.
    cfn.update_stack(Parameters=[{"ParameterKey": "Action", "ParameterValue": "logs:*"},
                                 {"ParameterKey": "Color", "ParameterValue": "blue"},
                                 {"ParameterKey": "AttachToUser", "ParameterValue": "yes"}], **kw)
    cfn.get_waiter("stack_update_complete").wait(StackName="more", WaiterConfig={"Delay": 1})
    assert cfn.describe_stacks(StackName="more")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    doc = iam.get_role_policy(RoleName="more-role", PolicyName="shared")["PolicyDocument"]
    assert doc["Statement"][0]["Action"] == "logs:*"
    assert [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="more-user")[
        "AttachedPolicies"]] == [out["ManagedRef"]]
    attrs = sns.get_subscription_attributes(SubscriptionArn=out["SubRef"])["Attributes"]
    assert json.loads(attrs["FilterPolicy"]) == {"color": ["blue"]}

    cfn.delete_stack(StackName="more")
    cfn.get_waiter("stack_delete_complete").wait(StackName="more", WaiterConfig={"Delay": 1})
    assert iam.list_roles()["Roles"] == [] and iam.list_users()["Users"] == []
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]
    assert sns.list_topics()["Topics"] == [] and sns.list_subscriptions()["Subscriptions"] == []
    import botocore.exceptions
    with pytest.raises(botocore.exceptions.ClientError):
        iam.get_policy(PolicyArn=out["ManagedRef"])


GROUP_AND_PARAMETER = """
Parameters:
  Endpoint:
    Type: String
    Default: https://one.example
Resources:
  Approvers:
    Type: AWS::IAM::Group
    Properties:
      GroupName: cfn-approvers
      Path: /teams/
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: approve
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ssm:SendAutomationSignal
                Resource: "*"
  Alice:
    Type: AWS::IAM::User
    Properties:
      UserName: cfn-alice
      Groups: [!Ref Approvers]
  Url:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /cfn/endpoint
      Type: String
      Value: !Ref Endpoint
      Description: where the service lives
      Tags: {team: approvals}
  Generated:
    Type: AWS::SSM::Parameter
    Properties:
      Type: StringList
      Value: a,b
Outputs:
  GroupRef: {Value: !Ref Approvers}
  GroupArn: {Value: !GetAtt Approvers.Arn}
  UrlRef: {Value: !Ref Url}
  UrlValue: {Value: !GetAtt Url.Value}
  UrlType: {Value: !GetAtt Url.Type}
  GeneratedRef: {Value: !Ref Generated}
"""


def test_group_and_parameter_providers(server):
    cfn, iam, ssm = (boto3_client(server, s) for s in ("cloudformation", "iam", "ssm"))
    kw = dict(StackName="gp", TemplateBody=GROUP_AND_PARAMETER,
              Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.create_stack(**kw)
    cfn.get_waiter("stack_create_complete").wait(StackName="gp", WaiterConfig={"Delay": 1})
    out = outputs(cfn.describe_stacks(StackName="gp")["Stacks"][0])
    assert out["GroupRef"] == "cfn-approvers"
    assert out["GroupArn"] == "arn:aws:iam::000000000000:group/teams/cfn-approvers"
    assert (out["UrlRef"], out["UrlValue"], out["UrlType"]) == (
        "/cfn/endpoint", "https://one.example", "String")
    assert out["GeneratedRef"].startswith("CFN-Generated-")
    group = iam.get_group(GroupName="cfn-approvers")
    assert [u["UserName"] for u in group["Users"]] == ["cfn-alice"]
    assert ssm.get_parameter(Name="/cfn/endpoint")["Parameter"]["Value"] == "https://one.example"
    assert ssm.get_parameter(Name=out["GeneratedRef"])["Parameter"]["Type"] == "StringList"

    # Value changes in place: a new version of the same parameter.
    cfn.update_stack(Parameters=[{"ParameterKey": "Endpoint",
                                  "ParameterValue": "https://two.example"}], **kw)
    cfn.get_waiter("stack_update_complete").wait(StackName="gp", WaiterConfig={"Delay": 1})
    p = ssm.get_parameter(Name="/cfn/endpoint")["Parameter"]
    assert (p["Value"], p["Version"]) == ("https://two.example", 2)
    out = outputs(cfn.describe_stacks(StackName="gp")["Stacks"][0])
    assert out["UrlValue"] == "https://two.example"

    cfn.delete_stack(StackName="gp")
    cfn.get_waiter("stack_delete_complete").wait(StackName="gp", WaiterConfig={"Delay": 1})
    assert ssm.describe_parameters()["Parameters"] == []
    import botocore.exceptions
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.get_group(GroupName="cfn-approvers")
    assert e.value.response["Error"]["Code"] == "NoSuchEntity"
    assert iam.list_users()["Users"] == []


def test_ssm_dynamic_references(server):
    cfn, ssm = boto3_client(server, "cloudformation"), boto3_client(server, "ssm")
    ssm.put_parameter(Name="/base/value", Value="one", Type="String")
    ssm.put_parameter(Name="/base/value", Value="two", Overwrite=True)
    ssm.put_parameter(Name="/base/secret", Value="pw", Type="SecureString")
    template = """
Resources:
  Latest:
    Type: AWS::SSM::Parameter
    Properties: {Name: /copy/latest, Type: String, Value: "v={{resolve:ssm:/base/value}}"}
  First:
    Type: AWS::SSM::Parameter
    Properties: {Name: /copy/first, Type: String, Value: "{{resolve:ssm:/base/value:1}}"}
"""
    cfn.create_stack(StackName="refs", TemplateBody=template)
    cfn.get_waiter("stack_create_complete").wait(StackName="refs", WaiterConfig={"Delay": 1})
    assert ssm.get_parameter(Name="/copy/latest")["Parameter"]["Value"] == "v=two"
    assert ssm.get_parameter(Name="/copy/first")["Parameter"]["Value"] == "one"

    for name, ref, reason in [
            ("missing", "{{resolve:ssm:/nope}}", "Parameters: [ssm:/nope] cannot be found."),
            ("secure", "{{resolve:ssm:/base/secret}}", "not supported by CloudFormation"),
            ("other", "{{resolve:secretsmanager:x}}", "only {{resolve:ssm:...}}")]:
        cfn.create_stack(StackName=name, TemplateBody=(
            "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n"
            f"    Properties: {{Name: /copy/{name}, Type: String, Value: \"{ref}\"}}\n"))
        with pytest.raises(Exception):
            cfn.get_waiter("stack_create_complete").wait(StackName=name,
                                                         WaiterConfig={"Delay": 1})
        events = cfn.describe_stack_events(StackName=name)["StackEvents"]
        failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
        assert failed and reason in failed[0]["ResourceStatusReason"], failed
