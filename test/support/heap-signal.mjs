// Preloaded into a watcher under measurement (`node --expose-gc --import ./heap-signal.mjs`): on SIGUSR2 it
// collects garbage fully and writes process.memoryUsage() and the peak RSS so far (`maxRss`, bytes) as JSON to
// $FWLENS_HEAP_REPORT, so a harness can read the live heap of a real `fwlens watch` process without a heap
// snapshot, and its true peak RSS without sampling. Plain JavaScript, so it
// loads before the built CLI as well as before tsx.
import { writeFileSync } from 'node:fs';

const report = process.env.FWLENS_HEAP_REPORT;
const gc = globalThis.gc;
if (report && gc) {
  process.on('SIGUSR2', () => {
    gc();
    gc();
    const maxRss = process.resourceUsage().maxRSS * 1024;
    writeFileSync(report, JSON.stringify({ ...process.memoryUsage(), maxRss }));
  });
}
