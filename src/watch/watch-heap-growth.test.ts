// Memory of a real `fwlens watch` under a flood of findings: its peak RSS stays near what is alive, not several times it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { exited, waitFor } from '../../test/support/watch-child.js';
import { spoofedLine } from '../../test/support/watch-memory.js';
import { limitHeapGrowth } from './heap.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-heap-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Forged sources, two findings per packet: every poll announces hundreds, and their garbage is old by then. */
const LINES = 50_000;
const MB = 1048576;

describe('fwlens watch heap under a flood of findings', () => {
  it('keeps its peak RSS within a bound of its live heap', { timeout: 120_000 }, async () => {
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    const report = join(dir, 'heap.json');
    let text = '';
    for (let i = 0; i < LINES; i++) text += `${spoofedLine(i)}\n`;
    writeFileSync(log, text);
    const { FWLENS_WATCH_HEAP_GROWTH: _, NODE_OPTIONS: __, ...env } = process.env;
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        join(ROOT, 'test', 'support', 'heap-signal.mjs'),
        '--import',
        'tsx',
        join(ROOT, 'test', 'support', 'cli-process.ts'),
        'watch',
        log,
        '--from',
        'start',
        '--state-dir',
        state,
        '--quiet',
      ],
      {
        cwd: ROOT,
        env: { ...env, LANG: 'en_US.UTF-8', NO_COLOR: '1', FWLENS_HEAP_REPORT: report },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
    });
    const linesRead = () => {
      try {
        return JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).counts.lines as number;
      } catch {
        return 0;
      }
    };
    const read = await waitFor(() => linesRead() >= LINES || child.exitCode !== null, 100_000);
    // The watcher collects fully and reports its live heap and the peak RSS of its whole run.
    child.kill('SIGUSR2');
    await waitFor(() => existsSync(report), 10_000);
    child.kill('SIGTERM');
    expect(await exited(child), stderr).toBe(0);
    expect(read, stderr).toBe(true);
    const heap = JSON.parse(readFileSync(report, 'utf8')) as { heapUsed: number; maxRss: number };
    const slack = heap.maxRss - heap.heapUsed;
    console.log(
      `watch heap growth: ${LINES} forged packets, live heap ${Math.round(heap.heapUsed / MB)} MB, peak RSS ${Math.round(heap.maxRss / MB)} MB`,
    );
    // Measured on this input: live heap ~70 MB; peak RSS ~400 MB when V8 chose the heap's growth itself (up to
    // 4x its live size), ~250 MB with src/watch/heap.ts's 30 %. Beyond the live heap: code, the knowledge
    // base, tsx's loader, the young generation, and what V8 lets grow between collections.
    expect(slack).toBeLessThan(280 * MB);
  });

  it('leaves a growth given to Node.js, or FWLENS_WATCH_HEAP_GROWTH=0, to V8 (nothing set)', () => {
    expect(limitHeapGrowth({ NODE_OPTIONS: '--max-old-space-size=512 --heap-growing-percent=20' }, [])).toBe(
      undefined,
    );
    expect(limitHeapGrowth({}, ['--heap_growing_percent=20'])).toBe(undefined);
    expect(limitHeapGrowth({ FWLENS_WATCH_HEAP_GROWTH: '0' }, [])).toBe(undefined);
    expect(limitHeapGrowth({ FWLENS_WATCH_HEAP_GROWTH: 'lots' }, [])).toBe(undefined);
  });
});
