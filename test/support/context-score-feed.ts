// Child process of test/long-lines.test.ts: an enricher scoring events whose far-end address is a slice of its
// ~60 KB log line (as a parser's substring is), under the heap cap the test starts it with. Prints the heap used
// afterwards. Remembering each address as the slice would keep every line: 12,000 of them are ~720 MB.
import { ContextEnricher } from '../../src/context/enrich.js';
import { knowledgeBase } from '../../src/knowledge/index.js';

const n = Number(process.argv[2] ?? 12_000);
const enricher = new ContextEnricher(knowledgeBase(), { countries: false });
let sum = 0;
for (let i = 0; i < n; i++) {
  const src = `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::9`;
  // A new flat string per line, as the line splitter makes them, and the address cut from it.
  const pad = Buffer.alloc(60_000, 65 + (i % 26)).toString('latin1');
  const raw = `SRC=${src} PAD=${pad}`;
  sum += enricher.scoreOf(3, raw.slice(4, 4 + src.length));
}
(globalThis as { gc?: () => void }).gc?.();
process.stdout.write(`${JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, sum })}\n`);
