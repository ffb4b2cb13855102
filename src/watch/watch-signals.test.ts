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

describe('fwlens watch detection across a restart', () => {
  it('re-reads the open window, so a scan split by a restart is still announced', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'split.log');
    const state = join(dir, 'split-state');
    const probe = (k: number) =>
      `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.50 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${3000 + k} WINDOW=1024 SYN URGP=0\n`;
    writeFileSync(log, Array.from({ length: 6 }, (_, k) => probe(k)).join(''));
    const first = startWatch(log, state);
    while (statusPid(state) !== first.child.pid || checkpointLine(state) < 6) await sleep(50);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.out).toEqual([]); // six ports: below the threshold of ten
    appendFileSync(log, Array.from({ length: 6 }, (_, k) => probe(6 + k)).join(''));
    const second = startWatch(log, state);
    while (statusPid(state) !== second.child.pid || checkpointLine(state) < 12) await sleep(50);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    const scans = second.out.map((l) => JSON.parse(l)).filter((d) => d.rule.id === 'vertical-scan');
    expect(scans).toHaveLength(1);
    expect(scans[0].fwlens.alert.kind).toBe('new');
    expect(scans[0].fwlens.finding.counts.events).toBe(12);
  });
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
