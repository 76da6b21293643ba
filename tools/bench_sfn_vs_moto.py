#!/usr/bin/env python3
"""Step Functions over HTTP, side by side: Signoff (durable, SQLite with fsync) and moto's server
(in memory, with state machine execution enabled), in one run, on the same workload.

  tools/bench_sfn_vs_moto.py [--signoff build/release/signoff] [--seconds 10] [--connections 64]

Measures, on each server:
  1. executions/s: wrk POSTs StartExecution of the shared 5-state workload (W4) for --seconds at
     --connections; the count is executions that reached SUCCEEDED by the end (for Signoff every
     StartExecution has already run the machine to its end and committed it when it returns).
  2. DescribeExecution requests/s under wrk.
  3. Signoff only: SendTaskSuccess → next state entered, p50/p99 over 1,000 parked activity
     tasks, one request at a time (the worst case for group commit: every call waits for its own
     fsync).
Prints a table and the ratios. Needs wrk (Debian) and moto (`moto_server` on PATH).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = os.path.join(os.path.dirname(ROOT), "shared", "bench", "sfn-workloads")
ROLE = "arn:aws:iam::123456789012:role/bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited early with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit("server did not start")


def call(port, op, body):
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/", data=json.dumps(body).encode(), method="POST",
        headers={"X-Amz-Target": f"AWSStepFunctions.{op}",
                 "Content-Type": "application/x-amz-json-1.0",
                 "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261201/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


def wrk(port, op, body, seconds, connections, threads=2, unique_names=False):
    """unique_names: every request gets its own execution name (moto names every unnamed
    execution "None", so without names its second StartExecution would collide)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\n'
                 f'wrk.headers["X-Amz-Target"] = "AWSStepFunctions.{op}"\n'
                 'wrk.headers["Content-Type"] = "application/x-amz-json-1.0"\n'
                 'wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261201/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00"\n')
    if unique_names:
        prefix = json.dumps(body)[:-1] + ', "name": "'
        script.write('local threads = 0\n'
                     'function setup(thread) threads = threads + 1; thread:set("tid", threads) end\n'
                     'local n = 0\n'
                     'request = function()\n'
                     '  n = n + 1\n'
                     f'  local body = {json.dumps(prefix)} .. tid .. "-" .. n .. \'"}}\'\n'
                     '  return wrk.format(nil, nil, nil, body)\n'
                     'end\n')
    else:
        script.write(f'wrk.body = {json.dumps(json.dumps(body))}\n')
    script.close()
    threads = min(threads, connections)  # wrk needs a connection per thread
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", script.name, f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    return rps, int(non2xx.group(1)) if non2xx else 0, (p99.group(1) + p99.group(2)) if p99 else "?"


def count_succeeded(port, machine):
    n, token = 0, None
    while True:
        body = {"stateMachineArn": machine, "statusFilter": "SUCCEEDED", "maxResults": 1000}
        if token:
            body["nextToken"] = token
        page = call(port, "ListExecutions", body)
        n += len(page.get("executions", []))
        token = page.get("nextToken")
        if not token:
            return n


def measure_executions(name, port, seconds, connections):
    definition = open(os.path.join(WORKLOADS, "w4_many_small.asl.json")).read()
    exec_input = open(os.path.join(WORKLOADS, "w4_many_small.input.json")).read()
    machine = call(port, "CreateStateMachine", {"name": "w4", "definition": definition,
                                                "roleArn": ROLE})["stateMachineArn"]
    t0 = time.time()
    rps, errors, p99 = wrk(port, "StartExecution", {"stateMachineArn": machine, "input": exec_input},
                           seconds, connections, unique_names=True)
    # Executions still running when wrk stops get a grace period to finish; the rate counts only
    # what completed within the measured window plus that grace.
    grace_end = time.time() + 30
    started = int(rps * seconds)
    done = count_succeeded(port, machine)
    while done < started * 0.99 and time.time() < grace_end:
        time.sleep(0.5)
        done = count_succeeded(port, machine)
    elapsed = time.time() - t0
    sample = call(port, "ListExecutions", {"stateMachineArn": machine, "maxResults": 1})
    arn = sample["executions"][0]["executionArn"]
    d_rps, d_err, d_p99 = wrk(port, "DescribeExecution", {"executionArn": arn}, seconds, connections)
    return {"name": name, "start_rps": rps, "start_errors": errors, "start_p99": p99,
            "succeeded": done, "exec_per_s": done / elapsed, "describe_rps": d_rps,
            "describe_errors": d_err, "describe_p99": d_p99}


def measure_closed_loop(port, seconds, fresh_machine_each_time=False):
    """One client: start an execution, wait until it SUCCEEDED, repeat; returns executions/s.

    moto needs fresh_machine_each_time: its StartExecution deep-copies the state machine with
    its executions, and an execution that has run keeps a thread lock that cannot be copied, so
    every later start on that machine fails with a 500. Creating the machine is not timed."""
    definition = open(os.path.join(WORKLOADS, "w4_many_small.asl.json")).read()
    exec_input = open(os.path.join(WORKLOADS, "w4_many_small.input.json")).read()
    machine = None
    done, busy, deadline = 0, 0.0, time.time() + seconds
    while time.time() < deadline:
        if machine is None or fresh_machine_each_time:
            machine = call(port, "CreateStateMachine", {"name": f"loop{done}", "definition": definition,
                                                        "roleArn": ROLE})["stateMachineArn"]
        t0 = time.perf_counter()
        arn = call(port, "StartExecution", {"stateMachineArn": machine, "input": exec_input,
                                            "name": f"loop-{done}"})["executionArn"]
        while call(port, "DescribeExecution", {"executionArn": arn})["status"] == "RUNNING":
            time.sleep(0.002)
        busy += time.perf_counter() - t0
        done += 1
    return done / busy


def measure_callback_latency(port, n=1000):
    act = call(port, "CreateActivity", {"name": "bench"})["activityArn"]
    definition = json.dumps({"StartAt": "Wait", "States": {
        "Wait": {"Type": "Task", "Resource": act, "Next": "After"},
        "After": {"Type": "Pass", "End": True}}})
    machine = call(port, "CreateStateMachine", {"name": "cb", "definition": definition,
                                                "roleArn": ROLE})["stateMachineArn"]
    tokens = []
    for i in range(n):
        call(port, "StartExecution", {"stateMachineArn": machine, "input": "{}"})
        tokens.append(call(port, "GetActivityTask", {"activityArn": act})["taskToken"])
    # One keep-alive connection, as SDK clients keep theirs: the figure is the server's
    # SendTaskSuccess → committed transition (next state entered), not TCP setup.
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"X-Amz-Target": "AWSStepFunctions.SendTaskSuccess",
               "Content-Type": "application/x-amz-json-1.0",
               "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261201/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00"}
    lat = []
    for t in tokens:
        body = json.dumps({"taskToken": t, "output": "{}"})
        t0 = time.perf_counter()
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        lat.append((time.perf_counter() - t0) * 1000)
        assert resp.status == 200, resp.status
    conn.close()
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.99)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--signoff", default=os.path.join(ROOT, "build", "release", "signoff"))
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--moto-processes", type=int, default=5)
    ap.add_argument("--data", default=None, help="Signoff data dir (default: a temp dir on disk)")
    args = ap.parse_args()
    if not shutil.which("wrk") or not shutil.which("moto_server"):
        sys.exit("needs wrk and moto_server on PATH")

    data_parent = tempfile.mkdtemp(prefix="signoff-bench-", dir=args.data or os.path.join(ROOT, "build"))
    concurrency = sorted({1, args.connections})
    signoff_runs = {}
    for c in concurrency:
        sp = free_port()
        signoff = subprocess.Popen([args.signoff, "serve", "--port", str(sp), "--data",
                                    os.path.join(data_parent, f"data-{c}"), "--insecure-open"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(sp, signoff)
            signoff_runs[c] = measure_executions("Signoff", sp, args.seconds, c)
            if c == concurrency[0]:
                p50, p99 = measure_callback_latency(sp)
                loop_signoff = measure_closed_loop(sp, args.seconds)
        finally:
            signoff.send_signal(signal.SIGTERM)
            signoff.wait()
    shutil.rmtree(data_parent, ignore_errors=True)

    # moto 5.x with execute_state_machine runs ONE execution per server process: every later
    # StartExecution (even on another state machine) answers 500, because it deep-copies the
    # state machine with the backend's executions and a thread lock that cannot be copied. So its
    # rate is bounded by 1 / (start → SUCCEEDED latency), measured on fresh processes; its
    # DescribeExecution rate is measured on that one execution.
    moto_latency, moto_describe = [], []
    for _ in range(args.moto_processes):
        mp = free_port()
        moto = subprocess.Popen(["moto_server", "-p", str(mp)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            wait_port(mp, moto)
            req = urllib.request.Request(
                f"http://127.0.0.1:{mp}/moto-api/config", method="POST",
                data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode())
            urllib.request.urlopen(req).read()
            definition = open(os.path.join(WORKLOADS, "w4_many_small.asl.json")).read()
            exec_input = open(os.path.join(WORKLOADS, "w4_many_small.input.json")).read()
            machine = call(mp, "CreateStateMachine", {"name": "w4", "definition": definition,
                                                      "roleArn": ROLE})["stateMachineArn"]
            t0 = time.perf_counter()
            arn = call(mp, "StartExecution", {"stateMachineArn": machine, "input": exec_input,
                                              "name": "one"})["executionArn"]
            while call(mp, "DescribeExecution", {"executionArn": arn})["status"] == "RUNNING":
                time.sleep(0.001)
            moto_latency.append(time.perf_counter() - t0)
            if not moto_describe:
                moto_describe.append(wrk(mp, "DescribeExecution", {"executionArn": arn},
                                         args.seconds, args.connections))
        finally:
            moto.send_signal(signal.SIGTERM)
            moto.wait()
    moto_lat = sorted(moto_latency)[len(moto_latency) // 2]
    moto_rate = 1.0 / moto_lat
    d_rps, d_err, d_p99 = moto_describe[0]

    print(f"{'server':34} {'exec/s':>9} {'Start p99':>10} {'Describe/s':>11} {'Describe p99':>13} "
          f"{'non-2xx':>8}")
    for c in concurrency:
        r = signoff_runs[c]
        print(f"{'Signoff, ' + str(c) + ' connection(s)':34} {r['exec_per_s']:9.0f} {r['start_p99']:>10} "
              f"{r['describe_rps']:11.0f} {r['describe_p99']:>13} "
              f"{r['start_errors'] + r['describe_errors']:8d}")
    print(f"{'Signoff closed loop (1 client)':34} {loop_signoff:9.0f}")
    print(f"{'moto bound: 1/latency (' + str(args.moto_processes) + ' runs)':34} {moto_rate:9.1f} "
          f"{'':>10} {d_rps:11.0f} {d_p99:>13} {d_err:8d}")
    best = max(r["exec_per_s"] for r in signoff_runs.values())
    print(f"moto start -> SUCCEEDED latency (median): {moto_lat * 1000:.0f} ms")
    print(f"ratio executions/s: best Signoff / moto bound {best / moto_rate:.0f}x; closed loop "
          f"{loop_signoff / moto_rate:.0f}x; DescribeExecution req/s "
          f"{signoff_runs[concurrency[-1]]['describe_rps'] / max(d_rps, 1e-9):.0f}x")
    print(f"Signoff SendTaskSuccess -> next state entered (sequential, with fsync): "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
