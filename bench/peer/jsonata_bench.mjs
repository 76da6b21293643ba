// The npm package jsonata (the reference implementation) on the expressions of
// ../jsonata_expressions.json over the same datasets as bench/jsonata_bench.cc. Each expression is
// compiled once; only evaluation is timed. Prints one JSON line per expression:
// {"id", "evalsPerS"} (median of --reps runs of at least --min-ms of CPU time each).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const datasets = opt('datasets', join(here, '../../../shared/conformance/jsonata/datasets'));
const minMs = Number(opt('min-ms', '500'));
const reps = Number(opt('reps', '3'));
const cases = JSON.parse(readFileSync(join(here, '../jsonata_expressions.json'), 'utf8'));

for (const c of cases) {
  const expr = jsonata(c.expr);
  const data = JSON.parse(readFileSync(join(datasets, c.dataset), 'utf8'));
  // jsonata 2.x evaluates asynchronously; each evaluation is awaited, as a caller would.
  for (let i = 0; i < 200; i++) await expr.evaluate(data);
  const rates = [];
  for (let r = 0; r < reps; r++) {
    // CPU time (user + system), as Google Benchmark reports for the C++ side: the machine is
    // shared, and wall time would charge the peer for other processes.
    let n = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < minMs) {
      for (let i = 0; i < 50; i++) await expr.evaluate(data);
      n += 50;
      const used = process.cpuUsage(start);
      elapsed = (used.user + used.system) / 1000;
    }
    rates.push((n * 1000) / elapsed);
  }
  rates.sort((a, b) => a - b);
  console.log(JSON.stringify({ id: c.id, evalsPerS: rates[Math.floor(rates.length / 2)] }));
}
