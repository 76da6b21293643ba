#!/usr/bin/env bash
# Runs jsonata_bench and the npm package jsonata (bench/peer/jsonata_bench.mjs) on the same
# expressions and datasets, one after the other, both pinned to core 0, and prints a Markdown table
# of evaluations/s with ratios (for docs/PERFORMANCE.md). Compilation is outside the timing on both.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SIGNOFF_SHARED:-../shared}
build=${SIGNOFF_BUILD:-build/release}
peer=bench/peer
if [ ! -d "$peer/node_modules/jsonata" ]; then
  (cd "$peer" && npm install --no-audit --no-fund >/dev/null)
fi
node_bin=node
if [ -x "$peer/node_modules/.bin/node" ]; then
  node_bin="$peer/node_modules/.bin/node"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SIGNOFF_JSONATA_DATASETS="$shared/conformance/jsonata/datasets" taskset -c 0 \
  "$build/bench/jsonata_bench" --benchmark_format=json --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.5 > "$out/signoff.json"
taskset -c 0 "$node_bin" "$peer/jsonata_bench.mjs" --datasets "$shared/conformance/jsonata/datasets" \
  --min-ms 500 --reps 3 > "$out/peer.jsonl"
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
ours = {}
for b in json.load(open(os.path.join(out, "signoff.json")))["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    cid = b["run_name"].split("/")[1]  # BM_JSONata/<id>/<index>
    ours[cid] = 1e9 / b["cpu_time"] if b.get("time_unit") == "ns" else b["evals/s"]
peer = {}
for line in open(os.path.join(out, "peer.jsonl")):
    r = json.loads(line)
    peer[r["id"]] = r["evalsPerS"]
print("| expression | Signoff evals/s | jsonata (npm) evals/s | ratio |")
print("|---|---:|---:|---:|")
for cid in ours:
    s, p = ours[cid], peer.get(cid)
    ratio = f"{s / p:.1f}x" if p else "n/a"
    print(f"| {cid} | {s:,.0f} | {p:,.0f} | {ratio} |" if p else f"| {cid} | {s:,.0f} | n/a | n/a |")
PY
