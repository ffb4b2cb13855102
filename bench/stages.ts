// Stage profile: throughput of each pipeline stage in this process on the same generated log, as ratios
// against fwlens's own line splitting (wc -l as the floor). Usage: npm run bench:stages -- [100k|1m|10m]
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { SummaryBuilder } from '../src/analyze/summary.js';
import { Dictionary, EventBatch } from '../src/core/batch.js';
import { NetfilterBytes } from '../src/core/netfilter-bytes.js';
import { explainEvent, severityOf } from '../src/explain/index.js';
import { makeContext } from '../src/formats/envelope/time.js';
import { openInput, textLines } from '../src/ingest/lines.js';
import { ingest } from '../src/ingest/pipeline.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { ensureLog } from './logs.js';
import { parseSize } from './options.js';

const lines = parseSize(process.argv[2] ?? '1m');
const log = await ensureLog(lines);
if (typeof log === 'string') throw new Error(`cannot generate ${lines} lines: ${log}`);
const { path, bytes } = log;

interface Row {
  stage: string;
  seconds: number;
  /** CPU seconds of this process (user + system): on a shared machine the wall clock also counts waiting. */
  cpu: number;
}
const rows: Row[] = [];
let fastDeclined = 0;
async function measure(stage: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  rows.push({ stage, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 });
}

await measure('wc -l (floor)', async () => execFileSync('wc', ['-l', path]));
await measure('read + split lines', async () => {
  const opened = await openInput({ path });
  let n = 0;
  for await (const batch of textLines(opened.stream, path)) n += batch.lines.length;
  return n;
});
await measure('fast path: bytes -> columns', async () => {
  // Netfilter lines straight into column batches; declined lines are only counted here (the readable path
  // would take them).
  const batch = new EventBatch(new Dictionary());
  const reader = new NetfilterBytes(batch, makeContext(Date.now()));
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk: Buffer = carry.length ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer);
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (batch.full) batch.clear();
      reader.readLine(chunk, start, nl, 0, ++line);
      start = nl + 1;
    }
    carry = chunk.subarray(start);
  }
  fastDeclined = reader.declined;
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
  `${'stage'.padEnd(32)} ${'seconds'.padStart(8)} ${'lines/s'.padStart(12)} ${'MB/s'.padStart(8)} ${'vs split'.padStart(9)} ${'cpu s'.padStart(7)} ${'lines/cpu s'.padStart(12)}\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${r.stage.padEnd(32)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(lines / r.seconds)
      .toLocaleString('en-US')
      .padStart(
        12,
      )} ${(bytes / 1e6 / r.seconds).toFixed(0).padStart(8)} ${(r.seconds / base).toFixed(2).padStart(8)}x ${r.cpu.toFixed(2).padStart(7)} ${Math.round(
      lines / r.cpu,
    )
      .toLocaleString('en-US')
      .padStart(12)}\n`,
  );
}
process.stdout.write(
  `fast path declined ${fastDeclined.toLocaleString('en-US')} lines (left to the readable path)\n`,
);
process.stdout.write(`peak-ish RSS now: ${(mem.rss / 1e6).toFixed(0)} MB\n`);
