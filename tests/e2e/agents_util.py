"""Helpers for the agent approver tests: the SignoffAgents API (AWS JSON 1.1, signed SigV4 for
service "signoff"), roles for agents, and the deterministic chat server process."""
import json
import os
import socket
import subprocess
import sys
import time

from conftest import boto3_client, free_port
from sigv4_client import send, sign

ACCOUNT = "000000000000"
HERE = os.path.dirname(os.path.abspath(__file__))


class AgentsApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


def agents_call(server, operation, body, credentials=None):
    key, secret = credentials[:2] if credentials else server.admin_credentials()
    token = credentials[2] if credentials and len(credentials) > 2 else None
    text = json.dumps(body)
    headers = sign("POST", server.endpoint, text,
                   {"content-type": "application/x-amz-json-1.1",
                    "x-amz-target": f"SignoffAgents.{operation}"},
                   key, secret, "signoff", token=token)
    status, out = send("POST", server.endpoint + "/", text, headers)
    parsed = json.loads(out) if out else {}
    if status != 200:
        raise AgentsApiError(status, parsed.get("__type", "").split("#")[-1],
                             parsed.get("message", ""))
    return parsed


def agent_role(server, name, allow_signal=True):
    """An IAM role for an agent: SSM may assume it (as a webhook agent would be given it), and
    it may send automation signals."""
    iam = boto3_client(server, "iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    if allow_signal:
        iam.put_role_policy(RoleName=name, PolicyName="signal", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "ssm:SendAutomationSignal", "Resource": "*"}]}))
    return arn


class ChatServer:
    def __init__(self, directory):
        self.port = free_port()
        self.requests_path = os.path.join(directory, "chat-requests.jsonl")
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "chat_server.py"),
                                      str(self.port), self.requests_path])
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("chat server did not start")

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}/v1"

    def requests(self):
        if not os.path.exists(self.requests_path):
            return []
        with open(self.requests_path) as f:
            return [json.loads(line) for line in f]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def approval_document(approvers, min_required=1, timeout=600, message="Pay {{ Amount }}"):
    return json.dumps({
        "schemaVersion": "0.3",
        "parameters": {"Amount": {"type": "String"}, "Note": {"type": "String", "default": ""}},
        "mainSteps": [{
            "name": "Review", "action": "aws:approve", "timeoutSeconds": timeout,
            "inputs": {"Approvers": approvers, "MinRequiredApprovals": min_required,
                       "Message": message},
        }],
    })


def wait_status(ssm, execution_id, statuses, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        e = ssm.get_automation_execution(AutomationExecutionId=execution_id)[
            "AutomationExecution"]
        if e["AutomationExecutionStatus"] in statuses:
            return e
        time.sleep(0.1)
    raise AssertionError(f"execution {execution_id} stayed {e['AutomationExecutionStatus']}")


def wait_decisions(server, execution_id, count=1, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = agents_call(server, "ListAgentDecisions",
                        {"AutomationExecutionId": execution_id})["Decisions"]
        if len(d) >= count:
            return d
        time.sleep(0.1)
    raise AssertionError(f"no agent decision for {execution_id}")
