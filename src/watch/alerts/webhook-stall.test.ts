// A webhook that takes the connection and never answers delays only its own queue: the terminal (here NDJSON on
// stdout), reading and checkpoints go on. (The watcher waited for every delivery attempt after each poll, up to
// the webhook's 10 s timeout per try.)
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, scanLine, startWatch, waitFor } from '../../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-webhook-stall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => scanLine(from + k)).join('\n');

describe('a webhook that never answers', () => {
  it('does not hold up the other alerts', { timeout: 60_000 }, async () => {
    const held: Socket[] = [];
    const server = createServer((s) => {
      held.push(s); // read nothing back, answer nothing
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const log = join(dir, 'fw.log');
    writeFileSync(log, `${lines(0, 80)}\n`);
    const run = startWatch(log, join(dir, 'state'), ['--webhook', `http://127.0.0.1:${port}/hook`]);
    const scanOf = (src: string) => () =>
      run.out.some((l) => l.includes('"vertical-scan"') && l.includes(`"${src}"`));
    try {
      expect(await waitFor(scanOf('203.0.113.1'), 20_000)).toBe(true);
      expect(await waitFor(() => held.length > 0, 20_000)).toBe(true);
      // The webhook now holds its first request open; a second scan must still reach stdout at once.
      appendFileSync(log, `${lines(400, 480)}\n`);
      expect(await waitFor(scanOf('203.0.113.2'), 6_000), run.err).toBe(true);
    } finally {
      run.child.kill('SIGTERM');
      await exited(run.child);
      for (const s of held) s.destroy();
      server.close();
    }
  });
});
