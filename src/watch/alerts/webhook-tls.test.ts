// An https:// webhook on 127.0.0.1 with a certificate of a private CA made by the test: refused until that CA is trusted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alerterOptionsFromFlags, alertId, createAlerter } from './index.js';
import { makeFinding } from './test-support.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!HAS_OPENSSL)
  console.warn('SKIPPED webhook-tls: openssl is not installed; https webhooks are not tested');

describe.skipIf(!HAS_OPENSSL)('https webhook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers to an endpoint whose certificate only the given CA vouches for, and not without it', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status, made.stderr.toString()).toBe(0);
    const received: string[] = [];
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      received.push(String(req.headers['x-fwlens-alert-id']));
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const f = makeFinding();
    try {
      const problems: string[] = [];
      const untrusted = createAlerter({
        lang: 'en',
        stateDir: join(dir, 'a'),
        sinks: [{ type: 'webhook', url, retry: { baseMs: 60_000 } }],
        onProblem: (s) => problems.push(s),
      });
      await untrusted.announce({ kind: 'new', finding: f });
      await untrusted.flush();
      expect(untrusted.stats()).toMatchObject({ queued: 1, sent: 0 });
      expect(problems.join(' ')).toMatch(/SELF_SIGNED|certificate/i);
      await untrusted.close();

      // The same state dir, now with the CA given the way the command line gives it: the queued alert goes out.
      const opts = alerterOptionsFromFlags({
        stateDir: join(dir, 'a'),
        webhook: url,
        webhookCa: cert,
        quiet: true,
      });
      const trusted = createAlerter({ ...opts, onProblem: () => {} });
      await trusted.flush();
      expect(trusted.stats()).toMatchObject({ queued: 0, sent: 1 });
      await trusted.close();
      expect(received).toEqual([alertId('new', f)]);
      expect(() =>
        alerterOptionsFromFlags({ stateDir: dir, webhook: url, webhookCa: join(dir, 'none.pem') }),
      ).toThrow(/--webhook-ca: cannot read .*none\.pem/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
