// Heap of an in-process watcher after reading a generated log: live heap after a full GC, and the strings that are slices of longer ones (what they keep alive).
//
//   node --expose-gc --import tsx scripts/watch-heap.ts [--lines 200000] [--input endless|spoofed] [--snapshot]
//
// Reads `--lines` lines of test/support/watch-memory.ts's endless log (or, with `--input spoofed`, its flood of
// forged sources, one finding per packet) from a file with the detection and the alerter of `fwlens watch`
// (terminal alerts to nowhere, dedup and rate-limit tables in use), then prints the live heap, the peak heap
// and RSS while reading, and the findings the engine holds; with `--snapshot` also walks a heap snapshot for
// sliced strings and their parents.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { knowledgeBase } from '../src/knowledge/index.js';
import { createAlerter } from '../src/watch/alerts/index.js';
import { StateDir } from '../src/watch/state.js';
import { Watcher } from '../src/watch/watcher.js';
import { endlessLine, spoofedLine } from '../test/support/watch-memory.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const lines = Number(arg('lines') ?? 200_000);
const input = arg('input') ?? 'endless';
if (input !== 'endless' && input !== 'spoofed') throw new Error('--input is endless or spoofed');
const lineOf = input === 'spoofed' ? spoofedLine : endlessLine;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const temp = mkdtempSync(join(tmpdir(), 'fwlens-heap-'));
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
try {
  const log = join(temp, 'fw.log');
  // Written in pieces, so the peak RSS is the watcher's, not the whole log's text in one string.
  writeFileSync(log, '');
  for (let from = 0; from < lines; from += 10_000) {
    let text = '';
    for (let i = from; i < Math.min(lines, from + 10_000); i++) text += `${lineOf(i)}\n`;
    appendFileSync(log, text);
  }
  const nowhere = new Writable({ write: (_c, _e, cb) => cb() });
  const state = new StateDir(join(temp, 'state'));
  const w = new Watcher({
    files: [log],
    from: 'start',
    pollMs: 50,
    records: {},
    kb: knowledgeBase(),
    state,
    alerter: createAlerter({ lang: 'en', stateDir: state.dir, stdout: nowhere, stderr: nowhere }),
    onNotice: () => {},
  });
  const t0 = Date.now();
  await w.start();
  let peakHeap = 0;
  while (w.records.counts.lines < lines) {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    await sleep(100);
  }
  await sleep(500);
  const seconds = (Date.now() - t0) / 1000;
  gc();
  gc();
  const heap = process.memoryUsage().heapUsed;
  console.log(
    `${lines.toLocaleString('en')} ${input} lines (${mb(readFileSync(log).length)}) in ${seconds.toFixed(1)} s: live heap ${mb(heap)}, peak heap used ${mb(peakHeap)}, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
  );
  console.log(`findings held: ${JSON.stringify(w.detector.engine.findingSizes())}`);
  if (process.argv.includes('--snapshot')) {
    const file = writeHeapSnapshot(join(process.env.FWLENS_SNAPSHOT_DIR ?? temp, 'watch.heapsnapshot'));
    const snap = JSON.parse(readFileSync(file, 'utf8'));
    const f = snap.snapshot.meta.node_fields as string[];
    const ef = snap.snapshot.meta.edge_fields as string[];
    const types = snap.snapshot.meta.node_types[0] as string[];
    const etypes = snap.snapshot.meta.edge_types[0] as string[];
    const N = f.length;
    const E = ef.length;
    const nodes = snap.nodes as number[];
    const edges = snap.edges as number[];
    const strings = snap.strings as string[];
    let sliced = 0;
    const parents = new Map<number, number>();
    let e = 0;
    for (let n = 0; n < nodes.length; n += N) {
      const count = nodes[n + f.indexOf('edge_count')]!;
      if (types[nodes[n]!] === 'sliced string') {
        sliced++;
        for (let k = 0; k < count; k++) {
          const at = e + k * E;
          const name = strings[edges[at + ef.indexOf('name_or_index')]!];
          if (etypes[edges[at]!] === 'internal' && name === 'parent') {
            const to = edges[at + ef.indexOf('to_node')]!;
            parents.set(to, nodes[to + f.indexOf('self_size')]!);
          }
        }
      }
      e += count * E;
    }
    const parentBytes = [...parents.values()].reduce((a, b) => a + b, 0);
    console.log(
      `sliced strings: ${sliced.toLocaleString('en')}, their ${parents.size.toLocaleString('en')} parents: ${mb(parentBytes)}`,
    );
  }
  await w.stop();
} finally {
  rmSync(temp, { recursive: true, force: true });
}
