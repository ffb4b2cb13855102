// `fwlens watch --store clickhouse://...` against a real local clickhouse-server: SIGKILLs of the watcher and
// a server that goes away and comes back; every line stored exactly once.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseServerBinary,
  type LocalCluster,
  startLocalCluster,
} from '../../test/support/clickhouse-servers.js';
import {
  checkpointLine,
  exited,
  scanLine as line,
  type Run,
  startWatch,
  statusPid,
} from '../../test/support/watch-child.js';
import { openStore } from '../store/open.js';

const binary = clickhouseServerBinary();
const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-ch-'));
let cluster: LocalCluster | undefined;

describe.skipIf(!binary)('fwlens watch --store on ClickHouse', () => {
  beforeAll(async () => {
    cluster = await startLocalCluster(1);
  }, 90_000);
  afterAll(async () => {
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('SIGKILLs and a server outage: every line stored once', { timeout: 240_000 }, async () => {
    const db = `fw_watch_${process.pid}`;
    const address = `clickhouse://127.0.0.1:${cluster!.servers[0]!.httpPort}/${db}`;
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    const total = 2400;
    writeFileSync(log, '');
    const flags = [`--store=${address}`, '--store-every', '1', '--store-batch', '200'];
    const runs: Run[] = [startWatch(log, state, flags)];
    let written = 0;
    const append = (n: number) => {
      appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
      written += n;
    };
    const writer = (async () => {
      while (written < total / 2) {
        append(100);
        await sleep(100);
      }
    })();
    for (const atLeast of [total * 0.15, total * 0.35]) {
      while (checkpointLine(state) < atLeast) await sleep(20);
      await sleep(Math.random() * 500);
      const r = runs[runs.length - 1]!;
      r.child.kill('SIGKILL');
      expect(await exited(r.child)).toBe(null);
      runs.push(startWatch(log, state, flags));
    }
    await writer;
    const last = runs[runs.length - 1]!;
    while (statusPid(state) !== last.child.pid || checkpointLine(state) < written) await sleep(50);
    // The server goes away: the watch reads on, says so once, holds its checkpoint back.
    await cluster!.stop(0, true);
    append(total / 2);
    while (!/cannot write the store/.test(last.err)) await sleep(50);
    const held = checkpointLine(state);
    expect(held).toBeLessThan(written);
    await cluster!.restart(0);
    while (checkpointLine(state) < written) await sleep(100);
    expect(last.err).toMatch(/can be written again/);
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);
    expect(last.err.match(/cannot write the store/g)).toHaveLength(1);

    const store = await openStore(address, { readOnly: true });
    try {
      // Through the store's reads: only committed generations count.
      const events = await store.eventCount();
      const unparsed = (await store.problems(1_000_000)).length;
      const seen = new Set<string>();
      for await (const ev of store.events()) seen.add(`${ev.file}:${ev.line}`);
      expect(events + unparsed).toBe(total);
      expect(seen.size).toBe(events);
    } finally {
      await store.close();
    }
  });
});
