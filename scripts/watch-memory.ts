// Long memory run of `fwlens watch`: endless generated lines on stdin (new IPv6 sources, scans, sweeps) for N seconds; RSS over time.
//
//   node --import tsx scripts/watch-memory.ts [--seconds 600] [--config fwlens.yaml] [--store PATH] [--node-flags '--max-old-space-size=300'] [--input endless|wide|spoofed]
//
// `--input wide` feeds a spoofed sweep (every packet from a new source, to one of 4,096 targets, ever new ports)
// instead of the default mix of one-off sources, scans and sweeps; `--input spoofed` a flood of forged private
// sources, one spoofing and one trojan-probe finding per packet.
//
// `--store PATH` also writes what is read into that store (`fwlens watch --store PATH`): a new DuckDB file, kept
// after the run so its events can be counted.
//
// Prints an RSS sample every 10 s and, at the end, the peak RSS of each fifth of the run. Not part of `npm test`
// (src/watch/watch-memory.test.ts is the short version).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endlessLine, peakRss, runWatchMemory, spoofedLine, wideLine } from '../test/support/watch-memory.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = Number(arg('seconds') ?? 600);
const config = arg('config');
const store = arg('store');
const input = arg('input') ?? 'endless';
const lines = { endless: endlessLine, wide: wideLine, spoofed: spoofedLine };
if (!Object.hasOwn(lines, input)) throw new Error('--input is endless, wide or spoofed');
/** Node.js flags for the watcher, space-separated (e.g. "--max-old-space-size=300"). */
const nodeFlags = arg('node-flags')?.split(' ').filter(Boolean);
const temp = mkdtempSync(join(tmpdir(), 'fwlens-memory-'));
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
try {
  const run = await runWatchMemory({
    seconds,
    stateDir: join(temp, 'state'),
    extra: [...(config ? ['--config', config] : []), ...(store ? [`--store=${store}`] : [])],
    nodeFlags,
    line: lines[input as keyof typeof lines],
    onSample: (s) => {
      if (Math.round(s.at) % 10 === 0)
        console.log(`${Math.round(s.at)} s: RSS ${mb(s.rss)}, ${s.lines.toLocaleString('en')} lines read`);
    },
  });
  console.log(
    `sent ${run.sent.toLocaleString('en')} lines, read ${run.read.toLocaleString('en')}, exit ${run.exitCode}`,
  );
  for (let k = 0; k < 5; k++) {
    const from = (seconds * k) / 5;
    const to = (seconds * (k + 1)) / 5;
    console.log(`peak RSS ${Math.round(from)}-${Math.round(to)} s: ${mb(peakRss(run.samples, from, to))}`);
  }
  try {
    const status = JSON.parse(readFileSync(join(temp, 'state', 'status.json'), 'utf8'));
    console.log(
      `last status: heap used ${mb(status.heapUsedBytes)}, groups closed early at a detection bound ${status.detectionClosedEarly}`,
    );
  } catch {
    console.log('no status file');
  }
  if (run.exitCode !== 0) console.log(run.stderr);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
