// Child process of test/long-lines.test.ts: a detection engine fed one-shot packets whose log lines are each
// ~60 KB (a valid netfilter line padded with an unknown key), under the heap cap the test starts it with.
// Prints the heap used afterwards. Without a cap on the lines packets keep, the source gate alone would hold
// ~10,000 of them (~600 MB).
import { createDetectionEngine } from '../../src/detect/index.js';
import { makeContext } from '../../src/formats/envelope/time.js';
import { isParseError, isParseSkip } from '../../src/formats/types.js';
import { parseOneLine } from '../../src/ingest/parse-line.js';
import { knowledgeBase } from '../../src/knowledge/index.js';

const n = Number(process.argv[2] ?? 12_000);
const engine = createDetectionEngine({ kb: knowledgeBase() });
const ctx = makeContext(Date.UTC(2026, 11, 1), { year: 2026 });
for (let i = 0; i < n; i++) {
  const src = `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::9`;
  // A new flat string per line, as the line splitter makes them.
  const pad = Buffer.alloc(60_000, 65 + (i % 26)).toString('latin1');
  const raw = `Nov 20 00:00:00 edge kernel: filter_IN_public_REJECT: IN=eth0 OUT= SRC=${src} DST=2001:db8::10 LEN=80 PROTO=TCP SPT=40000 DPT=22 SYN URGP=0 PAD=${pad}`;
  // Parsed as any line is: the event's texts (the 24-character prefix) are cut from the line.
  const ev = parseOneLine(raw, ctx);
  if (ev === null || isParseError(ev) || isParseSkip(ev)) throw new Error('not an event');
  ev.file = 'long.log';
  ev.line = i + 1;
  engine.push(ev, raw);
}
const sizes = engine.stateSizes();
process.stdout.write(
  `${JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, held: sizes['gate-held'] })}\n`,
);
