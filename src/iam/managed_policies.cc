#include "iam/managed_policies.h"

#include <string>

namespace signoff::iam {
namespace {

// ReadOnlyAccess is abridged: AWS's document lists Describe*/Get*/List* (and a few more) for
// every AWS service; this keeps the services Signoff implements, in the same style.
constexpr AwsManagedPolicy kPolicies[] = {
    {"AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1",
     "Provides full access to AWS services and resources.", "2015-02-06T18:39:46Z",
     "2015-02-06T18:39:46Z",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v1",
     "Provides read-only access to AWS services and resources.", "2015-02-06T18:39:48Z",
     "2015-02-06T18:39:48Z",
     R"({"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":[)"
     R"("cloudformation:Describe*","cloudformation:Detect*","cloudformation:Estimate*",)"
     R"("cloudformation:Get*","cloudformation:List*","events:Describe*","events:List*",)"
     R"("events:Test*","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","lambda:Get*",)"
     R"("lambda:List*","logs:Describe*","logs:FilterLogEvents","logs:Get*","logs:List*",)"
     R"("logs:StartQuery","logs:StopQuery","logs:TestMetricFilter","sns:Check*","sns:Get*",)"
     R"("sns:List*","ssm:Describe*","ssm:Get*","ssm:List*","states:Describe*",)"
     R"("states:GetExecutionHistory","states:List*","sts:GetAccessKeyInfo",)"
     R"("sts:GetCallerIdentity","sts:GetSessionToken"],"Resource":"*"}]})"},
    {"AmazonSSMAutomationRole", "/service-role/", "ANPAJIBQCTBCXD2XRNB6W", "v5",
     "Provides permissions for EC2 Automation service to execute activities defined within "
     "Automation documents",
     "2016-12-05T22:09:55Z", "2017-07-24T23:29:12Z",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],)"
     R"("Resource":["arn:aws:lambda:*:*:function:Automation*"]},{"Effect":"Allow","Action":[)"
     R"("ec2:CreateImage","ec2:CopyImage","ec2:DeregisterImage","ec2:DescribeImages",)"
     R"("ec2:DeleteSnapshot","ec2:StartInstances","ec2:RunInstances","ec2:StopInstances",)"
     R"("ec2:TerminateInstances","ec2:DescribeInstanceStatus","ec2:CreateTags","ec2:DeleteTags",)"
     R"("ec2:DescribeTags","cloudformation:CreateStack","cloudformation:DescribeStackEvents",)"
     R"("cloudformation:DescribeStacks","cloudformation:UpdateStack","cloudformation:DeleteStack"],)"
     R"("Resource":["*"]},{"Effect":"Allow","Action":["ssm:*"],"Resource":["*"]},)"
     R"({"Effect":"Allow","Action":["sns:Publish"],"Resource":["arn:aws:sns:*:*:Automation*"]}]})"},
    {"AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK", "v1",
     "Provides write permissions to CloudWatch Logs.", "2015-04-09T15:03:43Z",
     "2015-04-09T15:03:43Z",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup",)"
     R"("logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]})"},
    {"AWSStepFunctionsFullAccess", "/", "ANPAJXKA6VP3UFBVHDPPA", "v2",
     "An access policy for providing a user/role/etc access to the AWS StepFunctions API. For "
     "full access, in addition to this policy, a user MUST have iam:PassRole permission on at "
     "least one IAM role that can be assumed by the service.",
     "2017-01-11T21:51:32Z", "2022-05-03T18:00:21Z",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"states:*",)"
     R"("Resource":"*"}]})"},
};

}  // namespace

std::span<const AwsManagedPolicy> aws_managed_policies() {
  return kPolicies;
}

const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::aws:policy";
  if (arn.substr(0, kPrefix.size()) != kPrefix) {
    return nullptr;
  }
  std::string_view rest = arn.substr(kPrefix.size());  // "/service-role/Name"
  for (const AwsManagedPolicy& p : kPolicies) {
    if (rest.size() == p.path.size() + p.name.size() && rest.substr(0, p.path.size()) == p.path &&
        rest.substr(p.path.size()) == p.name) {
      return &p;
    }
  }
  return nullptr;
}

}  // namespace signoff::iam
