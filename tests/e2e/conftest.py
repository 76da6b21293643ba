"""Fixtures for end-to-end tests: a real `signoff serve` on loopback, real AWS clients.

The server binary comes from SIGNOFF_BIN (ctest sets it) or build/release/signoff. `server` runs
with --insecure-open (any signature, acting as the administrator); `secure_server` checks
signatures and its clients sign with the administrator's key from DATA/credentials.
"""
import configparser
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

    def __init__(self, data_dir, extra_args=(), insecure=True):
        self.binary = os.environ.get("SIGNOFF_BIN", os.path.join(ROOT, "build", "release", "signoff"))
        self.data_dir = data_dir
        self.port = free_port()
        self.extra_args = list(extra_args)
        self.insecure = insecure
        self.wrapper = []  # a command prefix, e.g. ["faketime", "-f", "+20m"]
        self.proc = None
        self.log_path = data_dir.rstrip("/") + ".log"

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [*self.wrapper, self.binary, "serve", "--port", str(self.port), "--data",
             self.data_dir, *(["--insecure-open"] if self.insecure else []), *self.extra_args],
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

    @property
    def credentials_file(self):
        return os.path.join(self.data_dir, "credentials")

    def admin_credentials(self):
        """(access key id, secret) of profile [signoff] in DATA/credentials, written on first start."""
        parser = configparser.ConfigParser()
        parser.read(self.credentials_file)
        return (parser["signoff"]["aws_access_key_id"], parser["signoff"]["aws_secret_access_key"])

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


@pytest.fixture
def secure_server(tmp_data):
    s = Server(os.path.join(tmp_data, "data"), insecure=False).start()
    yield s
    s.stop()


def boto3_client(server, service, region="us-east-1", credentials=None):
    """A client signing as `credentials` (key, secret[, token]); else the administrator on a
    secure server, or any key on an insecure one."""
    import boto3
    from botocore.config import Config
    if credentials is None:
        credentials = ("AKIDSIGNOFFTEST", "secret") if server.insecure else server.admin_credentials()
    return boto3.client(
        service, endpoint_url=server.endpoint, region_name=region,
        aws_access_key_id=credentials[0], aws_secret_access_key=credentials[1],
        aws_session_token=credentials[2] if len(credentials) > 2 else None,
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
    return _cli_runner(request, server, tmp_data)


@pytest.fixture(params=["v2", "v1"])
def secure_aws(request, secure_server, tmp_data):
    """The AWS CLI against a server that checks signatures, as the administrator (profile
    "signoff" of DATA/credentials); run(..., credentials=(key, secret[, token])) signs as
    someone else."""
    return _cli_runner(request, secure_server, tmp_data)


def _cli_runner(request, server, tmp_data):
    paths = dict(_cli_candidates())
    if request.param not in paths:
        pytest.skip(f"AWS CLI {request.param} is not installed on this machine")
    binary = paths[request.param]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
        "AWS_CONFIG_FILE": os.path.join(tmp_data, "aws-config"),
    })
    if server.insecure:
        env.update({"AWS_ACCESS_KEY_ID": "AKIDSIGNOFFTEST", "AWS_SECRET_ACCESS_KEY": "secret",
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp_data, "aws-credentials")})
    else:
        env.update({"AWS_SHARED_CREDENTIALS_FILE": server.credentials_file,
                    "AWS_PROFILE": "signoff"})

    def run(*args, expect_error=None, credentials=None):
        cmd = [binary, "--endpoint-url", server.endpoint, "--output", "json", *args]
        run_env = env
        if credentials is not None:
            run_env = {k: v for k, v in env.items() if k != "AWS_PROFILE"}
            run_env.update({"AWS_ACCESS_KEY_ID": credentials[0],
                            "AWS_SECRET_ACCESS_KEY": credentials[1],
                            "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
            if len(credentials) > 2:
                run_env["AWS_SESSION_TOKEN"] = credentials[2]
        p = subprocess.run(cmd, env=run_env, capture_output=True, text=True, timeout=120)
        if expect_error is not None:
            assert p.returncode != 0, f"expected {expect_error}, got success: {p.stdout}"
            assert expect_error in p.stderr, p.stderr
            return p.stderr
        assert p.returncode == 0, f"{' '.join(args)} failed: {p.stderr}"
        return json.loads(p.stdout) if p.stdout.strip() else None

    run.version = request.param
    run.endpoint = server.endpoint
    return run
