"""Fixtures for end-to-end tests: a real `signoff serve` on loopback, real AWS clients.

The server binary comes from SIGNOFF_BIN (ctest sets it) or build/release/signoff.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("SIGNOFF_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One signoff process on a data dir; can be stopped, killed and restarted on the same dir."""

    def __init__(self, data_dir, extra_args=()):
        self.binary = os.environ.get("SIGNOFF_BIN", os.path.join(ROOT, "build", "release", "signoff"))
        self.data_dir = data_dir
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.proc = None
        self.log_path = data_dir.rstrip("/") + ".log"

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--data", self.data_dir,
             "--insecure-open", *self.extra_args],
            stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"signoff exited with {self.proc.returncode}: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("signoff did not start listening: " + self.log())

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()


@pytest.fixture
def tmp_data():
    d = tempfile.mkdtemp(prefix="signoff-e2e-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def server_args():
    """Extra `signoff serve` arguments; a test module overrides this fixture (e.g. --smtp-url)."""
    return []


@pytest.fixture
def server(tmp_data, server_args):
    s = Server(os.path.join(tmp_data, "data"), extra_args=server_args).start()
    yield s
    s.stop()


def boto3_client(server, service, region="us-east-1"):
    import boto3
    from botocore.config import Config
    return boto3.client(
        service, endpoint_url=server.endpoint, region_name=region,
        aws_access_key_id="AKIDSIGNOFFTEST", aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}, read_timeout=70))


@pytest.fixture
def sfn(server):
    return boto3_client(server, "stepfunctions")


# The two AWS CLIs a user may have: Debian's v2 and the pip-installed v1 first on PATH.
def _cli_candidates():
    found = []
    if os.path.exists("/usr/bin/aws"):
        found.append(("v2", "/usr/bin/aws"))
    other = shutil.which("aws")
    if other and os.path.realpath(other) != os.path.realpath("/usr/bin/aws"):
        found.append(("v1", other))
    return found


@pytest.fixture(params=["v2", "v1"])
def aws(request, server, tmp_data):
    """Runs the AWS CLI against the server; returns parsed JSON output (or None)."""
    paths = dict(_cli_candidates())
    if request.param not in paths:
        pytest.skip(f"AWS CLI {request.param} is not installed on this machine")
    binary = paths[request.param]
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIDSIGNOFFTEST", "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
        "AWS_CONFIG_FILE": os.path.join(tmp_data, "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp_data, "aws-credentials"),
    })

    def run(*args, expect_error=None):
        cmd = [binary, "--endpoint-url", server.endpoint, "--output", "json", *args]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if expect_error is not None:
            assert p.returncode != 0, f"expected {expect_error}, got success: {p.stdout}"
            assert expect_error in p.stderr, p.stderr
            return p.stderr
        assert p.returncode == 0, f"{' '.join(args)} failed: {p.stderr}"
        return json.loads(p.stdout) if p.stdout.strip() else None

    run.version = request.param
    run.endpoint = server.endpoint
    return run
