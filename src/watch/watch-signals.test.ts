import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BASE,
  checkpointLine,
  exited,
  scanLine as line,
  startWatch,
  statusPid,
} from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A scan split by a restart: `noise` lines of one-off sources, six probes of one scanner (below the threshold
 * of ten ports), a stop; six more probes while it is down, a start. The second run must announce the scan once,
 * with all twelve probes: it re-reads the open window quietly and reads the new probes after it.
 */
async function scanSplitByRestart(name: string, noise: number): Promise<void> {
  const log = join(dir, `${name}.log`);
  const state = join(dir, `${name}-state`);
  const at = (k: number) => new Date(BASE + k * 100).toISOString();
  const background = (k: number) =>
    `${at(k)} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.${(k >> 8) & 255}.${k & 255} DST=192.0.2.10 LEN=40 TTL=52 ID=${k} PROTO=TCP SPT=51000 DPT=3389 WINDOW=1024 SYN URGP=0 pad=${'x'.repeat(80)}\n`;
  const probe = (k: number) =>
    `${at(noise + k)} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.60 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${3000 + k} WINDOW=1024 SYN URGP=0\n`;
  const probes = (from: number) => Array.from({ length: 6 }, (_, k) => probe(from + k)).join('');
  const scansOf = (out: string[]) =>
    out.map((l) => JSON.parse(l)).filter((d) => d.rule.id === 'vertical-scan');
  writeFileSync(log, Array.from({ length: noise }, (_, k) => background(k)).join('') + probes(0));
  const first = startWatch(log, state);
  while (statusPid(state) !== first.child.pid || checkpointLine(state) < noise + 6) await sleep(50);
  first.child.kill('SIGTERM');
  expect(await exited(first.child)).toBe(0);
  expect(scansOf(first.out)).toEqual([]);
  appendFileSync(log, probes(6));
  const second = startWatch(log, state);
  while (statusPid(state) !== second.child.pid || checkpointLine(state) < noise + 12) await sleep(50);
  second.child.kill('SIGTERM');
  expect(await exited(second.child)).toBe(0);
  const scans = scansOf(second.out);
  expect(scans).toHaveLength(1);
  expect(scans[0].fwlens.alert.kind).toBe('new');
  expect(scans[0].fwlens.finding.counts.events).toBe(12);
}

describe('fwlens watch detection across a restart', () => {
  it('re-reads the open window, so a scan split by a restart is still announced', { timeout: 30_000 }, () =>
    scanSplitByRestart('split', 0),
  );

  // ~3 MB before the probes: the re-read comes in several chunks, polled quietly at most every 250 ms; the new
  // probes must reach the detector only after that quiet poll, or it would take their scan for an old one.
  it('announces a scan completed by lines read right after a long re-read', { timeout: 60_000 }, () =>
    scanSplitByRestart('long', 12_000),
  );
});

describe('fwlens watch signals', () => {
  it('SIGHUP reopens the files and reads on without repeating; SIGTERM exits 0', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'hup.log');
    const state = join(dir, 'hup-state');
    writeFileSync(log, `${Array.from({ length: 100 }, (_, i) => line(i)).join('\n')}\n`);
    const run = startWatch(log, state);
    while (statusPid(state) !== run.child.pid || checkpointLine(state) < 100) await sleep(50);
    run.child.kill('SIGHUP');
    await sleep(200);
    appendFileSync(log, `${Array.from({ length: 100 }, (_, i) => line(100 + i)).join('\n')}\n`);
    while (checkpointLine(state) < 200) await sleep(50);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.totals.lines).toBe(200);
    expect(run.err).toMatch(/stopped: 200 lines/);
  });
});

describe('fwlens watch --config and SIGHUP', () => {
  const probe = (src: string, k: number, port: number) =>
    `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${port} WINDOW=1024 SYN URGP=0\n`;
  const scan = (src: string, from: number, ports: number) =>
    Array.from({ length: ports }, (_, k) => probe(src, from + k, 3000 + k)).join('');
  const scansOf = (run: { out: string[] }) =>
    run.out
      .map((l) => JSON.parse(l))
      .filter((d) => d.rule.id === 'vertical-scan')
      .map((d) => ({ ip: d.source.ip, events: d.fwlens.finding.counts.events }));
  const status = (state: string) => JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));

  it('reloads the detection config on SIGHUP (windows rebuilt by re-reading); a broken one keeps the old, said once', {
    timeout: 45_000,
  }, async () => {
    const log = join(dir, 'cfg.log');
    const state = join(dir, 'cfg-state');
    const cfg = join(dir, 'fwlens.yaml');
    writeFileSync(cfg, 'detectors:\n  vertical-scan:\n    minPorts: 50\n');
    writeFileSync(log, scan('203.0.113.60', 0, 30));
    const run = startWatch(log, state, ['--config', cfg]);
    while (statusPid(state) !== run.child.pid || checkpointLine(state) < 30) await sleep(50);
    await sleep(600); // two detection polls: 30 ports stay below 50
    expect(scansOf(run)).toEqual([]);

    // A lower threshold: the 30 ports already read cross it, once the window is rebuilt from the log.
    writeFileSync(cfg, 'detectors:\n  vertical-scan:\n    minPorts: 20\n');
    run.child.kill('SIGHUP');
    while (scansOf(run).length === 0) await sleep(50);
    expect(scansOf(run)).toEqual([{ ip: '203.0.113.60', events: 30 }]);
    expect(run.err).toMatch(/detection config .*fwlens\.yaml was reloaded/);
    while (status(state).config?.reloads !== 1) await sleep(50);

    // A config that does not load: one sentence, the status says it, minPorts 20 stays in use (not the default 10).
    writeFileSync(cfg, 'detectors:\n  vertical-scan:\n    minPorts: [\n');
    run.child.kill('SIGHUP');
    while (!/not reloaded/.test(run.err)) await sleep(50);
    while (!status(state).config?.problem) await sleep(50);
    expect(status(state).config).toMatchObject({ path: cfg, reloads: 1 });
    expect(status(state).config.problem).toMatch(
      /not reloaded, the one loaded before stays in use: .*fwlens\.yaml/,
    );
    appendFileSync(log, scan('203.0.113.61', 100, 15) + scan('203.0.113.62', 200, 25));
    while (!scansOf(run).some((s) => s.ip === '203.0.113.62')) await sleep(50);
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    // 15 ports: announced under the default 10, not under the 20 still in use; the first scan not repeated.
    expect(scansOf(run)).toEqual([
      { ip: '203.0.113.60', events: 30 },
      { ip: '203.0.113.62', events: 25 },
    ]);
    expect(run.err.match(/not reloaded/g)).toHaveLength(1);
    expect(run.err).not.toMatch(/\n\s+at /); // no stack trace
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.totals.lines).toBe(70); // the re-read lines are not counted twice
  });
});
