// `--listen udp://HOST:0` asks the kernel for a port: the watcher says which one it got, and listens there.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { exited } from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-listen-port-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--listen on port 0', () => {
  it('says the port the kernel gave, and that port is the receiver', { timeout: 30_000 }, async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test', 'support', 'cli-process.ts'),
        'watch',
        '--listen',
        'udp://127.0.0.1:0',
        '--state-dir',
        join(dir, 'state'),
      ],
      { cwd: ROOT, env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    try {
      for (const end = Date.now() + 20_000; !/listening on/.test(err) && Date.now() < end; ) await sleep(50);
      const m = /^fwlens: listening on udp:\/\/127\.0\.0\.1:(\d+)$/m.exec(err);
      expect(m, err).not.toBeNull();
      const port = Number(m![1]);
      expect(port).toBeGreaterThan(0);
      // The port is taken: by the receiver.
      const probe = createSocket('udp4');
      const code = await new Promise<string>((resolve) => {
        probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        probe.bind(port, '127.0.0.1', () => resolve('bound'));
      });
      probe.close();
      expect(code).toBe('EADDRINUSE');
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
});
