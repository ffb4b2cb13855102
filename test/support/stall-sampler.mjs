// Preloaded into a watcher under measurement (`node --import ./stall-sampler.mjs`): a 50 ms timer of its own
// notes how much later than due each tick came (the event loop held by synchronous work meanwhile), and at
// exit writes the stalls of 0.5 s or more, the longest and their sum as JSON to $FWLENS_STALL_REPORT. Plain
// JavaScript, so it loads before any build of the CLI (one without the status's own figure too).
import { writeFileSync } from 'node:fs';

const report = process.env.FWLENS_STALL_REPORT;
if (report) {
  const TICK = 50;
  let last = performance.now();
  let longest = 0;
  const over = [];
  setInterval(() => {
    const now = performance.now();
    const stall = now - last - TICK;
    last = now;
    if (stall > longest) longest = stall;
    if (stall >= 500) over.push(Math.round(stall));
  }, TICK).unref();
  process.on('exit', () => {
    writeFileSync(report, JSON.stringify({ longest: Math.round(longest), over }));
  });
}
