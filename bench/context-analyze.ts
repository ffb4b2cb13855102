// Cost of context in `analyze`: the built CLI on a generated log with and without `--no-context`, runs
// alternated, medians compared (target: context at most 10 % slower). Usage: npm run bench:context-analyze -- [200k]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureLog } from './logs.js';
import { parseSize } from './options.js';

const lines = parseSize(process.argv[2] ?? '200k');
const runs = Number(process.argv[3] ?? 3);
const log = await ensureLog(lines);
if (typeof log === 'string') throw new Error(`cannot generate ${lines} lines: ${log}`);
const cli = join(import.meta.dirname, '..', 'bin', 'fwlens.js');
const time = (extra: string[]) => {
  const t0 = process.hrtime.bigint();
  const out = execFileSync(
    process.execPath,
    [cli, 'analyze', '--json', '--workers', '1', ...extra, log.path],
    {
      maxBuffer: 1 << 28,
    },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const report = JSON.parse(out.toString()) as { context?: { sourcesCounted: number; addresses: object } };
  return {
    seconds,
    counted: report.context?.sourcesCounted ?? 0,
    shown: Object.keys(report.context?.addresses ?? {}).length,
  };
};
const without: number[] = [];
const withContext: number[] = [];
let last = { counted: 0, shown: 0 };
for (let i = 0; i < runs; i++) {
  without.push(time(['--no-context']).seconds);
  const r = time([]);
  withContext.push(r.seconds);
  last = r;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const a = median(without);
const b = median(withContext);
console.log(
  `log: ${lines.toLocaleString('en-US')} lines (${(log.bytes / 1e6).toFixed(0)} MB), ${runs} runs each, medians`,
);
console.log(`analyze --no-context  ${a.toFixed(2)} s  (${without.map((x) => x.toFixed(2)).join(', ')})`);
console.log(`analyze (context)     ${b.toFixed(2)} s  (${withContext.map((x) => x.toFixed(2)).join(', ')})`);
console.log(
  `context: ${(((b - a) / a) * 100).toFixed(1)} % (${last.counted.toLocaleString('en-US')} sources counted for organisations/countries, ${last.shown} addresses in the context table)`,
);
