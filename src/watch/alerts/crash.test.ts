// kill -9 in the middle of announcing: every alert whose announce had resolved is delivered after the restart.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from './index.js';
import { Receiver, waitFor } from './test-support.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('alerter killed with SIGKILL', () => {
  it('loses no alert whose announce had resolved, and delivers each once by id after the restart', async () => {
    const r = new Receiver();
    await r.start();
    r.mode = 'fail500';
    // The child announces alerts as fast as it can to a failing webhook and says which ones were queued.
    const child = join(dir, 'child.mts');
    writeFileSync(
      child,
      `import { createAlerter, alertId } from ${JSON.stringify(join(ROOT, 'src/watch/alerts/index.ts'))};
import { makeFinding } from ${JSON.stringify(join(ROOT, 'src/watch/alerts/test-support.ts'))};
const a = createAlerter({
  lang: 'en',
  stateDir: ${JSON.stringify(join(dir, 'state'))},
  sinks: [{ type: 'webhook', url: ${JSON.stringify(r.url)}, timeoutMs: 500, retry: { baseMs: 20, maxMs: 50 } }],
  policy: { dedupMs: 0, perSourceBurst: 1e9, perDetectorBurst: 1e9 },
  onProblem: () => {},
});
for (let i = 0; ; i++) {
  const f = makeFinding({ sources: ['203.0.113.' + (i % 250)], counts: { events: i } });
  await a.announce({ kind: 'new', finding: f });
  process.stdout.write('queued ' + alertId('new', f) + '\\n');
}
`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let exited = false;
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.once('exit', () => {
      exited = true;
    });
    await waitFor(
      () => exited || (out.match(/\n/g) ?? []).length >= 150,
      20_000,
      'the child to queue 150 alerts',
    );
    expect(exited, 'the child ended by itself').toBe(false);
    proc.kill('SIGKILL');
    await waitFor(() => exited, 5000, 'the child to die');
    const queued = out
      .split('\n')
      .filter((l) => l.startsWith('queued '))
      .map((l) => l.slice(7));
    expect(queued.length).toBeGreaterThanOrEqual(150);

    r.mode = 'ok';
    const a = createAlerter({
      lang: 'en',
      stateDir: join(dir, 'state'),
      sinks: [{ type: 'webhook', url: r.url, timeoutMs: 2000 }],
      onProblem: () => {},
    });
    await a.flush();
    const s = a.stats();
    await a.close();
    await r.stop();
    const received = new Set(r.accepted);
    // Every alert the child saw queued arrived; an alert announced but killed before its announce resolved may arrive too.
    expect(queued.filter((id) => !received.has(id))).toEqual([]);
    expect(r.accepted.length).toBe(received.size);
    expect(s.queued).toBe(0);
  });
});
