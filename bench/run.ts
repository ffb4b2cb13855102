// Benchmark: throughput of each pipeline stage on the same generated log, in one run, as ratios
// against a baseline measured in the same run (wc -l, and fwlens's own line splitting).
// Usage: npm run bench -- [lines=1000000]
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SummaryBuilder } from '../src/analyze/summary.js';
import { explainEvent, severityOf } from '../src/explain/index.js';
import { openInput, textLines } from '../src/ingest/lines.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { generate } from './generate.js';

const lines = Number(process.argv[2] ?? 1_000_000);
const dir = join(import.meta.dirname, 'out');
mkdirSync(dir, { recursive: true });
const path = join(dir, `netfilter-${lines}.log`);
if (!existsSync(path)) {
  const out = createWriteStream(path);
  await generate(lines, out);
  out.end();
  await new Promise<void>((r) => out.on('finish', () => r()));
}
const bytes = statSync(path).size;

interface Row {
  stage: string;
  seconds: number;
}
const rows: Row[] = [];
async function measure(stage: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = process.hrtime.bigint();
  await fn();
  rows.push({ stage, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
}

await measure('wc -l (floor)', async () => execFileSync('wc', ['-l', path]));
await measure('read + split lines', async () => {
  const opened = await openInput({ path });
  let n = 0;
  for await (const batch of textLines(opened.stream, opened.magic, path)) n += batch.length;
  return n;
});
await measure('parse (envelope + netfilter)', async () => {
  let n = 0;
  await ingest([{ path }], { onEvent: () => n++ });
});
const kb = knowledgeBase();
await measure('parse + severity + summary', async () => {
  const summary = new SummaryBuilder((ev) => severityOf(ev, kb));
  await ingest([{ path }], { onEvent: (ev, raw) => summary.add(ev, raw) });
  summary.result(10).notable.map((n) => explainEvent(n.event, kb));
});

const base = rows[1]!.seconds;
const mem = process.memoryUsage();
process.stdout.write(
  `fwlens benchmark: ${lines.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(0)} MB, node ${process.version}\n`,
);
process.stdout.write(
  `${'stage'.padEnd(32)} ${'seconds'.padStart(8)} ${'lines/s'.padStart(12)} ${'MB/s'.padStart(8)} ${'vs split'.padStart(9)}\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${r.stage.padEnd(32)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(lines / r.seconds)
      .toLocaleString('en-US')
      .padStart(
        12,
      )} ${(bytes / 1e6 / r.seconds).toFixed(0).padStart(8)} ${(r.seconds / base).toFixed(2).padStart(8)}x\n`,
  );
}
process.stdout.write(`peak-ish RSS now: ${(mem.rss / 1e6).toFixed(0)} MB\n`);
