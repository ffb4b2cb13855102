// Webhook delivery against a real HTTP server on 127.0.0.1 that fails, hangs, recovers and restarts, across alerter restarts.
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Alerter, alertId, createAlerter } from './index.js';
import { makeFinding, Receiver, waitFor } from './test-support.js';
import type { WebhookSinkConfig } from './types.js';

let dir: string;
const receivers: Receiver[] = [];
const alerters: Alerter[] = [];
const problems: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-webhook-'));
  problems.length = 0;
});
afterEach(async () => {
  for (const a of alerters.splice(0)) await a.close().catch(() => {});
  for (const r of receivers.splice(0)) await r.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function receiver(port = 0): Promise<Receiver> {
  const r = new Receiver();
  await r.start(port);
  receivers.push(r);
  return r;
}

function alerter(url: string, extra: Partial<WebhookSinkConfig> = {}): Alerter {
  const a = createAlerter({
    lang: 'en',
    stateDir: dir,
    sinks: [{ type: 'webhook', url, timeoutMs: 300, retry: { baseMs: 40, maxMs: 200 }, ...extra }],
    // Dedup and rate limits are tested elsewhere; here every announced alert must go out.
    policy: { dedupMs: 0, perSourceBurst: 1e6, perDetectorBurst: 1e6 },
    random: () => 0.5,
    onProblem: (s) => problems.push(s),
  });
  alerters.push(a);
  return a;
}

/** Alert number i: a distinct finding (its own source) so each has its own id. */
const finding = (i: number) => makeFinding({ sources: [`203.0.113.${i}`], counts: { events: 10 + i } });
const idOf = (i: number) => alertId('new', finding(i));

describe('webhook sink', () => {
  it('delivers every alert exactly once by id through 500s, timeouts, a receiver restart and an alerter restart', async () => {
    const r = await receiver();
    const port = r.port;
    r.mode = 'fail500';
    const a1 = alerter(r.url);
    for (let i = 1; i <= 4; i++) await a1.announce({ kind: 'new', finding: finding(i) });
    await waitFor(() => r.requests >= 2, 5000, 'the failing endpoint to be tried');
    expect(a1.stats().queued).toBe(4);
    expect(problems.some((p) => p.includes('HTTP status 500'))).toBe(true);

    // The endpoint now takes the body but never answers: the client times out and must send it again.
    r.mode = 'recordThenHang';
    await waitFor(() => r.received.length >= 2, 5000, 'a request taken but not answered');
    r.mode = 'hang';
    for (let i = 5; i <= 6; i++) await a1.announce({ kind: 'new', finding: finding(i) });
    await waitFor(() => (a1.stats()['webhook.timeouts'] ?? 0) >= 2, 5000, 'timeouts');

    // The alerter stops while the endpoint is down: the queue stays on disk.
    await a1.close();
    expect(readdirSync(join(dir, 'alerts')).some((f) => f.endsWith('.queue'))).toBe(true);
    await r.stop();

    // A new alerter (a restart) on the same state dir, the receiver still down: connection refused.
    const a2 = alerter(r.url);
    expect(a2.stats().queued).toBe(6);
    for (let i = 7; i <= 8; i++) await a2.announce({ kind: 'new', finding: finding(i) });
    await waitFor(() => (a2.stats()['webhook.errors'] ?? 0) >= 1, 5000, 'a refused connection');

    // The receiver comes back on the same port and answers.
    const r2 = await receiver(port);
    await waitFor(() => a2.stats().queued === 0, 10_000, 'the queue to drain');
    expect(problems.some((p) => p.includes('delivered again'))).toBe(true);

    // The receiver restarts once more; new alerts go through.
    await r2.stop();
    const r3 = await receiver(port);
    await a2.announce({ kind: 'new', finding: finding(9) });
    await a2.flush();
    await waitFor(() => r3.accepted.length === 1, 5000, 'alert 9');
    await a2.close();

    // A third start sends nothing again.
    const a3 = alerter(r.url);
    await a3.flush();
    expect(a3.stats().queued).toBe(0);
    await a3.close();

    const all = [...r.received, ...r2.received, ...r3.received];
    const unique = new Set(all);
    const expected = new Set(Array.from({ length: 9 }, (_, i) => idOf(i + 1)));
    expect(unique).toEqual(expected);
    // Duplicates happen (a request taken but not answered is sent again) and carry the same id.
    expect(all.length).toBeGreaterThan(unique.size);
    // Once accepted with a 2xx, an alert is never sent again.
    const accepted = [...r2.accepted, ...r3.accepted];
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(r.mismatches + r2.mismatches + r3.mismatches).toBe(0);
  });

  it('bounds the queue by count, drops the oldest with a count that survives a restart', async () => {
    const r = await receiver();
    const port = r.port;
    await r.stop();
    const a1 = alerter(`http://127.0.0.1:${port}/hook`, { queue: { maxAlerts: 3 } });
    for (let i = 1; i <= 5; i++) await a1.announce({ kind: 'new', finding: finding(i) });
    expect(a1.stats()).toMatchObject({ queued: 3, dropped: 2, 'webhook.dropped': 2 });
    expect(problems.filter((p) => p.includes('oldest'))).toHaveLength(2);
    await a1.close();
    const a2 = alerter(`http://127.0.0.1:${port}/hook`, { queue: { maxAlerts: 3 } });
    expect(a2.stats()).toMatchObject({ queued: 3, dropped: 2 });
    const back = await receiver(port);
    await a2.flush();
    await waitFor(() => back.accepted.length === 3, 5000, 'the three newest');
    expect(back.accepted).toEqual([idOf(3), idOf(4), idOf(5)]);
  });

  it('bounds the queue by bytes', async () => {
    const r = await receiver();
    r.mode = 'fail500';
    const a = alerter(r.url, { queue: { maxBytes: 4000 }, retry: { baseMs: 60_000, maxMs: 60_000 } });
    for (let i = 1; i <= 10; i++) await a.announce({ kind: 'new', finding: finding(i) });
    const s = a.stats();
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.queued + s.dropped).toBe(10);
    expect(s['webhook.queued_bytes']).toBeLessThanOrEqual(4000);
  });

  it('reads a queue whose last line was torn by a crash, and queues an alert announced twice once', async () => {
    const r = await receiver();
    r.mode = 'fail500';
    const a1 = alerter(r.url, { retry: { baseMs: 60_000, maxMs: 60_000 } });
    await a1.announce({ kind: 'new', finding: finding(1) });
    await a1.announce({ kind: 'new', finding: finding(1) });
    expect(a1.stats().queued).toBe(1);
    await a1.close();
    const file = readdirSync(join(dir, 'alerts')).find((f) => f.endsWith('.queue'))!;
    appendFileSync(join(dir, 'alerts', file), '{"op":"add","id":"torn","at":1,"bo');
    r.mode = 'ok';
    const a2 = alerter(r.url);
    await a2.flush();
    expect(r.accepted).toEqual([idOf(1)]);
    expect(a2.stats().queued).toBe(0);
  });

  it('gives an alert up on a status that cannot succeed (400) and counts it as failed', async () => {
    const r = await receiver();
    await r.stop();
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.writeHead(400).end()).listen(r.port, '127.0.0.1');
    await new Promise((res) => server.once('listening', res));
    try {
      const a = alerter(r.url);
      await a.announce({ kind: 'new', finding: finding(1) });
      await a.flush();
      expect(a.stats()).toMatchObject({ failed: 1, queued: 0, 'webhook.status_400': 1 });
      expect(problems.some((p) => p.includes('given up'))).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((res) => server.close(res));
    }
  });

  it('flush leaves a failing endpoint to its backoff: no extra request, no wait', async () => {
    const r = await receiver();
    r.mode = 'fail500';
    const a = alerter(r.url, { retry: { baseMs: 60_000, maxMs: 60_000 } });
    await a.announce({ kind: 'new', finding: finding(1) });
    await a.flush();
    expect(r.requests).toBe(1);
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      await a.announce({ kind: 'new', finding: finding(i + 2) });
      await a.flush();
    }
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.requests).toBe(1);
    expect(a.stats().queued).toBe(6);
  });

  it('refuses a URL that is not http(s) in one sentence', () => {
    expect(() => alerter('ftp://192.0.2.1/x')).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(() => alerter('not a url')).toThrow(/is not a URL/);
  });
});
