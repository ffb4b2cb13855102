// One contract for every sink: the same alert reaches NDJSON, webhook and exec hook as the very same document.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertId, createAlerter, ManualClock } from './index.js';
import { makeFinding, Receiver } from './test-support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-contract-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sink contract', () => {
  it.each(['en', 'zh'] as const)(
    'every machine sink gets the same document with the alert id (%s)',
    async (lang) => {
      const r = new Receiver();
      await r.start();
      const hook = join(dir, 'hook.sh');
      writeFileSync(hook, '#!/bin/sh\ncat >> "$1"\n');
      chmodSync(hook, 0o755);
      const execOut = join(dir, 'exec.ndjson');
      const fileOut = join(dir, 'file.ndjson');
      const stdout = new PassThrough();
      let streamed = '';
      stdout.on('data', (c: Buffer) => {
        streamed += c.toString();
      });
      const terminal = new PassThrough();
      let lines = '';
      terminal.on('data', (c: Buffer) => {
        lines += c.toString();
      });
      const a = createAlerter({
        stateDir: dir,
        lang,
        clock: new ManualClock(),
        sinks: [
          { type: 'terminal', stream: terminal },
          { type: 'ndjson', stream: stdout },
          { type: 'ndjson', path: fileOut },
          { type: 'webhook', url: r.url },
          { type: 'exec', argv: [hook, execOut] },
        ],
        onProblem: (s) => {
          throw new Error(s);
        },
      });
      const findings = [
        makeFinding(),
        makeFinding({ sources: ['2001:db8::5'], severity: 5, detector: 'trojan-probe' }),
      ];
      for (const f of findings) await a.announce({ kind: 'new', finding: f });
      await a.flush();
      await a.close();
      await r.stop();
      const parse = (text: string) =>
        text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      const fromStream = parse(streamed);
      expect(fromStream.map((d) => (d.event as { id: string }).id)).toEqual(
        findings.map((f) => alertId('new', f)),
      );
      expect(parse(readFileSync(fileOut, 'utf8'))).toEqual(fromStream);
      expect(parse(readFileSync(execOut, 'utf8'))).toEqual(fromStream);
      expect(r.bodies).toEqual(fromStream);
      expect((fromStream[0] as { message: string }).message).toBe(findings[0]!.title[lang]);
      expect(lines.trim().split('\n')).toHaveLength(2);
      expect(a.stats()).toMatchObject({ sent: 10, alerts: 2, queued: 0 });
    },
  );
});
