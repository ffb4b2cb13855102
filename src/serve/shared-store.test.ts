import { appendFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../../test/support/cli-child.js';
import { EXIT } from '../cli/main.js';
import { netfilterLine } from '../store/contract.js';

/** Start the CLI from source in a real child process. */
const start = startCli;

const lines = (from: number, n: number, src: string) =>
  Array.from({ length: n }, (_, i) => netfilterLine(from + i, { src, port: 22 + ((from + i) % 50) }));

describe('serve and ingest on one DuckDB file, two real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-shared-'));
  const store = join(dir, 's.duckdb');
  const log = join(dir, 'kern.log');
  let serve: ReturnType<typeof start> | undefined;
  afterAll(async () => {
    serve?.child.kill('SIGTERM');
    await serve?.done;
  });

  it('the console answers throughout an ingest and sees its events afterwards; ingest waits for it, never fails', async () => {
    writeFileSync(log, `${lines(0, 100, '203.0.113.7').join('\n')}\n`);
    const first = start(['ingest', '--store', store, log]);
    expect((await first.done).code).toBe(EXIT.ok);

    serve = start(['serve', '--store', store, '--port', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('serve did not start')), 60_000);
      let text = '';
      serve!.child.stdout!.on('data', (d) => {
        text += d;
        const m = /on (http:\/\/\S+\/)/.exec(text);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const api = async (path: string) => {
      const r = await fetch(new URL(path, url));
      return { status: r.status, json: (await r.json()) as unknown };
    };
    const events = async () => ((await api('/api/meta')).json as { span: { events: number } }).span.events;
    expect(await events()).toBe(100);

    // A large append from another source, so the ingest takes a while (with detection); the console is
    // asked all along.
    appendFileSync(log, `${lines(100, 40_000, '198.51.100.9').join('\n')}\n`);
    const ingest = start(['ingest', '--store', store, log]);
    let running = true;
    void ingest.done.then(() => {
      running = false;
    });
    const statuses: number[] = [];
    let sawMarker = false;
    while (running) {
      sawMarker ||= readdirSync(dir).some((f) => f.startsWith('s.duckdb.writer.'));
      const r = await api('/api/top?by=src');
      statuses.push(r.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = await ingest.done;
    expect(done.err).toMatch(/40,000 lines new since the last run/);
    expect(done.code).toBe(EXIT.ok);
    expect(sawMarker).toBe(true);
    expect(statuses.length).toBeGreaterThan(3);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Gone once the writer is done.
    expect(readdirSync(dir).filter((f) => f.startsWith('s.duckdb.writer.'))).toEqual([]);

    // The new events, the answers kept from before dropped.
    expect(await events()).toBe(40_100);
    const top = (await api('/api/top?by=src')).json as { key: string; count: number }[];
    expect(top[0]).toMatchObject({ key: '198.51.100.9', count: 40_000 });

    // And again, a small cron-sized run.
    appendFileSync(log, `${lines(40_100, 5, '192.0.2.55').join('\n')}\n`);
    const small = await start(['ingest', '--store', store, log]).done;
    expect(small.code).toBe(EXIT.ok);
    expect(await events()).toBe(40_105);
    serve.child.kill('SIGTERM');
    expect((await serve.done).code).toBe(EXIT.ok);
    serve = undefined;
  }, 300_000);
});
