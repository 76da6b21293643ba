"""SSM Parameter Store through boto3 and both AWS CLIs, on a server that checks signatures:
versions, paths, SecureString sealed at rest, AWS's errors, and IAM permissions per parameter."""
import json
import os

import pytest
from botocore.exceptions import ClientError

from conftest import boto3_client

ACCOUNT = "000000000000"


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    return e.value.response["Error"]


def db_bytes(server):
    out = b""
    for name in ("signoff.db", "signoff.db-wal"):
        path = os.path.join(server.data_dir, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out += f.read()
    return out


def test_put_get_versions_and_errors(secure_server):
    ssm = boto3_client(secure_server, "ssm")
    r = ssm.put_parameter(Name="/app/db/host", Value="db1.local", Type="String",
                          Description="database host")
    assert r["Version"] == 1 and r["Tier"] == "Standard"
    p = ssm.get_parameter(Name="/app/db/host")["Parameter"]
    assert p["Name"] == "/app/db/host" and p["Value"] == "db1.local" and p["Type"] == "String"
    assert p["ARN"] == f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/db/host"
    assert p["DataType"] == "text" and p["Version"] == 1

    e = error_of(ssm.put_parameter, Name="/app/db/host", Value="x", Type="String")
    assert e["Code"] == "ParameterAlreadyExists"
    assert e["Message"] == ("The parameter already exists. To overwrite this value, set the "
                            "overwrite option in the request to true.")
    assert ssm.put_parameter(Name="/app/db/host", Value="db2.local", Overwrite=True)["Version"] == 2
    assert ssm.get_parameter(Name="/app/db/host")["Parameter"]["Value"] == "db2.local"
    old = ssm.get_parameter(Name="/app/db/host:1")["Parameter"]
    assert old["Value"] == "db1.local" and old["Selector"] == ":1"
    assert error_of(ssm.get_parameter, Name="/app/db/host:7")["Code"] == "ParameterVersionNotFound"

    history = ssm.get_parameter_history(Name="/app/db/host")["Parameters"]
    assert [h["Version"] for h in history] == [1, 2]
    assert history[1]["Description"] == "database host"  # carried over to the new version
    assert history[0]["LastModifiedUser"] == f"arn:aws:iam::{ACCOUNT}:root"

    assert error_of(ssm.get_parameter, Name="/nope")["Code"] == "ParameterNotFound"
    e = error_of(ssm.put_parameter, Name="/app/port", Value="abc", Type="String",
                 AllowedPattern="^[0-9]+$")
    assert e["Code"] == "ParameterPatternMismatchException"
    assert e["Message"] == "Parameter value, cannot be validated against allowedPattern: ^[0-9]+$"
    e = error_of(ssm.put_parameter, Name="/app/new", Value="v")
    assert e["Code"] == "ValidationException"
    e = error_of(ssm.put_parameter, Name="/aws/reserved", Value="v", Type="String")
    assert e["Code"] == "ValidationException" and "can't be prefixed" in e["Message"]
    e = error_of(ssm.put_parameter, Name="a/b", Value="v", Type="String")
    assert e["Message"] == "Parameter name must be a fully qualified name."
    e = error_of(ssm.put_parameter, Name="/app/t", Value="v", Type="String", Overwrite=True,
                 Tags=[{"Key": "k", "Value": "v"}])
    assert e["Code"] == "ValidationException" and "tags and overwrite" in e["Message"]
    e = error_of(ssm.put_parameter, Name="/app/big", Value="x" * 5000, Type="String")
    assert e["Code"] == "ValidationException" and "Standard tier" in e["Message"]
    assert ssm.put_parameter(Name="/app/big", Value="x" * 5000, Type="String",
                             Tier="Advanced")["Tier"] == "Advanced"


def test_paths_pagination_describe_delete(secure_server):
    ssm = boto3_client(secure_server, "ssm")
    for i in range(12):
        ssm.put_parameter(Name=f"/svc/a/p{i:02d}", Value=str(i), Type="String")
    ssm.put_parameter(Name="/svc/a/deep/x", Value="deep", Type="String")
    ssm.put_parameter(Name="/svc/list", Value="a,b,c", Type="StringList")
    ssm.put_parameter(Name="plain", Value="root", Type="String")

    one_level = ssm.get_parameters_by_path(Path="/svc/a", MaxResults=5)
    assert len(one_level["Parameters"]) == 5 and "NextToken" in one_level
    names = []
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path="/svc/a")
    for page in pages:
        names += [p["Name"] for p in page["Parameters"]]
    assert names == [f"/svc/a/p{i:02d}" for i in range(12)]
    recursive = []
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path="/svc", Recursive=True):
        recursive += [p["Name"] for p in page["Parameters"]]
    assert "/svc/a/deep/x" in recursive and "/svc/list" in recursive and len(recursive) == 14
    typed = ssm.get_parameters_by_path(Path="/svc", Recursive=True, ParameterFilters=[
        {"Key": "Type", "Values": ["StringList"]}])["Parameters"]
    assert [p["Name"] for p in typed] == ["/svc/list"]

    got = ssm.get_parameters(Names=["/svc/list", "/missing", "plain"])
    assert sorted(p["Name"] for p in got["Parameters"]) == ["/svc/list", "plain"]
    assert got["InvalidParameters"] == ["/missing"]

    described = ssm.describe_parameters(ParameterFilters=[
        {"Key": "Name", "Option": "BeginsWith", "Values": ["/svc/a/p0"]}])["Parameters"]
    assert len(described) == 10
    assert described[0]["Tier"] == "Standard" and described[0]["Version"] == 1
    assert "Value" not in described[0]
    e = error_of(ssm.describe_parameters, ParameterFilters=[{"Key": "Bogus", "Values": ["x"]}])
    assert e["Code"] == "InvalidFilterKey"

    deleted = ssm.delete_parameters(Names=["/svc/list", "/missing"])
    assert deleted["DeletedParameters"] == ["/svc/list"]
    assert deleted["InvalidParameters"] == ["/missing"]
    ssm.delete_parameter(Name="plain")
    assert error_of(ssm.delete_parameter, Name="plain")["Code"] == "ParameterNotFound"


def test_secure_string_sealed_at_rest(secure_server):
    ssm = boto3_client(secure_server, "ssm")
    secret = "hunter2-correct-horse-battery"
    ssm.put_parameter(Name="/app/secret", Value=secret, Type="SecureString")
    hidden = ssm.get_parameter(Name="/app/secret")["Parameter"]
    assert hidden["Type"] == "SecureString" and hidden["Value"] != secret
    assert ssm.get_parameter(Name="/app/secret", WithDecryption=True)["Parameter"]["Value"] == secret
    meta = ssm.describe_parameters()["Parameters"]
    assert meta[0]["KeyId"] == "alias/aws/ssm"
    assert secret.encode() not in db_bytes(secure_server)
    # Opened again after a restart, with the master key in DATA/master.key.
    secure_server.restart()
    ssm = boto3_client(secure_server, "ssm")
    assert ssm.get_parameter(Name="/app/secret", WithDecryption=True)["Parameter"]["Value"] == secret


def test_permissions_per_parameter(secure_server):
    iam = boto3_client(secure_server, "iam")
    ssm = boto3_client(secure_server, "ssm")
    ssm.put_parameter(Name="/team/a/key", Value="a", Type="String")
    ssm.put_parameter(Name="/team/b/key", Value="b", Type="String")
    iam.create_user(UserName="reader")
    iam.put_user_policy(UserName="reader", PolicyName="read-a", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
            "Resource": f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/team/a/*"}]}))
    key = iam.create_access_key(UserName="reader")["AccessKey"]
    reader = boto3_client(secure_server, "ssm",
                          credentials=(key["AccessKeyId"], key["SecretAccessKey"]))
    assert reader.get_parameter(Name="/team/a/key")["Parameter"]["Value"] == "a"
    e = error_of(reader.get_parameter, Name="/team/b/key")
    assert e["Code"] == "AccessDeniedException"
    assert e["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: "
        f"ssm:GetParameter on resource: arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/team/b/key "
        "because no identity-based policy allows the ssm:GetParameter action")
    # Every name of GetParameters is checked, not only the first.
    e = error_of(reader.get_parameters, Names=["/team/a/key", "/team/b/key"])
    assert e["Code"] == "AccessDeniedException" and "parameter/team/b/key" in e["Message"]
    assert error_of(reader.put_parameter, Name="/team/a/key", Value="x", Type="String",
                    Overwrite=True)["Code"] == "AccessDeniedException"


def test_cli(secure_aws):
    run = secure_aws
    r = run("ssm", "put-parameter", "--name", "/cli/greeting", "--value", "hello",
            "--type", "String")
    assert r["Version"] == 1
    r = run("ssm", "put-parameter", "--name", "/cli/token", "--value", "s3cr3t",
            "--type", "SecureString")
    assert r["Tier"] == "Standard"
    got = run("ssm", "get-parameter", "--name", "/cli/token", "--with-decryption")
    assert got["Parameter"]["Value"] == "s3cr3t"
    listed = run("ssm", "get-parameters-by-path", "--path", "/cli")
    assert sorted(p["Name"] for p in listed["Parameters"]) == ["/cli/greeting", "/cli/token"]
    run("ssm", "put-parameter", "--name", "/cli/greeting", "--value", "x",
        "--type", "String", expect_error="ParameterAlreadyExists")
    run("ssm", "get-parameter", "--name", "/cli/none", expect_error="ParameterNotFound")
    described = run("ssm", "describe-parameters")
    assert len(described["Parameters"]) == 2
    run("ssm", "delete-parameter", "--name", "/cli/greeting")
    history = run("ssm", "get-parameter-history", "--name", "/cli/token")
    assert history["Parameters"][0]["Version"] == 1
