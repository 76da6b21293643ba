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
