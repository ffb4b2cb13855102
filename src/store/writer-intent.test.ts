// The writer's announcement next to a DuckDB store: seen while its process lives, ignored once it is gone,
// withdrawn when the store is closed, and the wait for a held store bounded.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbStore } from './duckdb.js';
import { StoreError } from './types.js';
import { announceWriter, openForWriting, writerWaiting } from './writer-intent.js';

describe('writer announcements', () => {
  it('a live process’s marker is seen, a dead one’s is not, this process’s own is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-intent-'));
    const store = join(dir, 's.duckdb');
    expect(writerWaiting(store)).toBe(false);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const marker = join(dir, `s.duckdb.writer.${child.pid}`);
    writeFileSync(marker, `${child.pid}\n`);
    // Another store in the same folder is not concerned.
    expect(writerWaiting(join(dir, 'other.duckdb'))).toBe(false);
    expect(writerWaiting(store)).toBe(true);
    child.kill();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(writerWaiting(store)).toBe(false);
    const withdraw = announceWriter(store);
    expect(existsSync(join(dir, `s.duckdb.writer.${process.pid}`))).toBe(true);
    expect(writerWaiting(store)).toBe(false);
    withdraw();
    expect(existsSync(join(dir, `s.duckdb.writer.${process.pid}`))).toBe(false);
  });

  it('openForWriting announces until the store is closed, and gives up on a held store after the wait', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-intent-'));
    const path = join(dir, 's.duckdb');
    const store = await openForWriting(path, 0);
    expect(readdirSync(dir).filter((f) => f.includes('.writer.'))).toEqual([
      `s.duckdb.writer.${process.pid}`,
    ]);
    await store.close();
    expect(readdirSync(dir).filter((f) => f.includes('.writer.'))).toEqual([]);
    // Held by another process: a bounded wait, then the usual sentence, and no marker left behind.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' }); await i.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
        path,
      ],
      { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) =>
        holder.stdout!.on('data', (d) => String(d).includes('ready') && resolve()),
      );
      const began = Date.now();
      const e = await openForWriting(path, 500).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).kind).toBe('locked');
      expect(Date.now() - began).toBeGreaterThanOrEqual(500);
      expect(readdirSync(dir).filter((f) => f.includes('.writer.'))).toEqual([]);
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // Free again: it opens.
    await (await openDuckDbStore(path)).close();
  });
});
