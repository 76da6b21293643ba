#!/usr/bin/env bash
# Runs the interpreter benchmarks and the npm peer (aws-local-stepfunctions) on the same workloads
# in one run, and prints a Markdown table of transitions/s with ratios (for docs/PERFORMANCE.md).
# The peer is installed in bench/peer (its own package.json, not a project dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SIGNOFF_SHARED:-../shared}
peer=bench/peer
if [ ! -x "$peer/node_modules/.bin/node" ]; then
  (cd "$peer" && npm install --no-audit --no-fund >/dev/null)
fi
out=$(mktemp -d)
taskset -c 0 build/release/bench/asl_bench --benchmark_format=json --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true > "$out/signoff.json"
SFN_PEER_DIR="$peer" taskset -c 0 "$peer/node_modules/.bin/node" --expose-gc "$shared/bench/bench_aws_local_sfn.mjs" \
  --peer-dir "$peer" --jsonl "$out/peer.jsonl" > "$out/peer.txt"
/usr/bin/python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
ours = {}
for b in json.load(open(os.path.join(out, "signoff.json")))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    wid = b["run_name"].split("_")[1]  # BM_W1_PassChain -> W1
    ours[wid] = b
peer = {}
for line in open(os.path.join(out, "peer.jsonl")):
    r = json.loads(line)
    wid = r.get("id") or r.get("workload")
    if wid:
        peer[wid] = r
def peer_rate(r):
    t = r.get("transPerS") or {}
    return t.get("median")
print("| workload | Signoff transitions/s | peer transitions/s | ratio |")
print("|---|---:|---:|---:|")
for wid in sorted(ours):
    s = ours[wid]["transitions/s"]
    p = peer_rate(peer.get(wid, {})) if wid in peer else None
    ratio = f"{s / p:.0f}x" if p else "n/a"
    print(f"| {wid} | {s:,.0f} | {p:,.0f} | {ratio} |" if p else f"| {wid} | {s:,.0f} | n/a | n/a |")
w5 = ours.get("W5", {})
pw5 = peer.get("W5", {}).get("heapPerParkedB", {}).get("median")
if "bytes/parked" in w5:
    line = f"\nParked callback execution: {w5['bytes/parked']:.0f} bytes (Signoff)"
    if pw5:
        line += f", {pw5:.0f} bytes (peer)"
    print(line)
print("\nPeer raw output:")
print(open(os.path.join(out, "peer.txt")).read())
PY
