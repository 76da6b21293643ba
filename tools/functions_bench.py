#!/usr/bin/python3
"""Warm Lambda invocations against a real `signoff serve`: invocations/s of a trivial python3.9
function (sequential and with N concurrent clients) and the latency Signoff adds on top of the
handler (client-observed round trip minus the REPORT Duration the worker measured).

    tools/functions_bench.py [--bin build/rel/signoff] [--seconds 5] [--clients 4]

Requests are unsigned raw HTTP/1.1 on keep-alive connections (the server runs --insecure-open),
so the figures are Signoff's, not botocore's.
"""
import argparse
import base64
import http.client
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import zipfile

SOURCE = "def lambda_handler(event, context):\n    return event\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, method, path, body=b"", headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, dict(r.getheaders()), r.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build", "rel",
                                                  "signoff"))
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    data = tempfile.mkdtemp(prefix="signoff-fbench-")
    port = free_port()
    proc = subprocess.Popen([args.bin, "serve", "--port", str(port), "--data", data + "/d",
                             "--insecure-open"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("index.py", SOURCE)
        create = {"FunctionName": "bench", "Runtime": "python3.9", "Handler": "index.lambda_handler",
                  "Role": "arn:aws:iam::000000000000:role/bench", "Timeout": 10,
                  "Code": {"ZipFile": base64.b64encode(buf.getvalue()).decode()}}
        st, _, body = request(conn, "POST", "/2015-03-31/functions",
                              json.dumps(create).encode(), {"Content-Type": "application/json"})
        assert st == 201, body
        path = "/2015-03-31/functions/bench/invocations"
        payload = b'{"hello":"world"}'
        t = time.time()
        st, _, body = request(conn, "POST", path, payload)
        cold = time.time() - t
        assert st == 200 and json.loads(body) == json.loads(payload), body

        # Sequential, with the tail log to read the worker-measured Duration.
        lat, dur = [], []
        end = time.time() + args.seconds
        while time.time() < end:
            t0 = time.perf_counter()
            st, h, body = request(conn, "POST", path, payload, {"X-Amz-Log-Type": "Tail"})
            lat.append(time.perf_counter() - t0)
            log = base64.b64decode(h.get("X-Amz-Log-Result", "")).decode()
            m = re.search(r"\tDuration: ([0-9.]+) ms", log)
            if m:
                dur.append(float(m.group(1)) / 1000)
        seq_rate = len(lat) / sum(lat)

        # A baseline through the same router and store read, without a worker.
        base = []
        for _ in range(300):
            t0 = time.perf_counter()
            request(conn, "GET", "/2015-03-31/functions/bench/configuration")
            base.append(time.perf_counter() - t0)

        # Concurrent clients (the pool scales to one worker per client).
        counts = [0] * args.clients
        stop = time.time() + args.seconds

        def client(i):
            c = http.client.HTTPConnection("127.0.0.1", port)
            while time.time() < stop:
                request(c, "POST", path, payload)
                counts[i] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        t0 = time.time()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        conc_rate = sum(counts) / (time.time() - t0)

        def ms(v):
            return f"{v * 1000:.3f} ms"
        lat.sort()
        print(f"cold start (spawn python3 + init + first invoke): {ms(cold)}")
        print(f"sequential warm invocations/s: {seq_rate:.0f}  (n={len(lat)})")
        print(f"  client round trip p50 {ms(statistics.median(lat))}  "
              f"p99 {ms(lat[int(len(lat) * 0.99)])}")
        print(f"  handler Duration (REPORT) p50 {ms(statistics.median(dur))}")
        print(f"  added by Signoff p50 {ms(statistics.median(lat) - statistics.median(dur))}")
        print(f"  GetFunctionConfiguration p50 (HTTP + router + store read, no worker) "
              f"{ms(statistics.median(base))}")
        print(f"{args.clients} concurrent clients: {conc_rate:.0f} invocations/s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
