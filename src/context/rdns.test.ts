// Reverse DNS against a tiny DNS server on 127.0.0.1 started by the test (no real name is ever resolved):
// names found, "no name" cached, a silent server cut by the timeout, the deadline, the cache file.
import { createSocket, type Socket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedStreams } from '../../test/helpers.js';
import { resolveNames } from './rdns.js';

/** PTR answers of the test server by query name; names absent here get NXDOMAIN, SILENT ones no answer. */
const ANSWERS: Record<string, string> = {
  '10.2.0.192.in-addr.arpa': 'scan-01.censys-scanner.com',
  '7.100.51.198.in-addr.arpa': 'host7.example.net',
  '66.113.0.203.in-addr.arpa': 'scan-3.stretchoid.com',
};
const SILENT = new Set(['99.113.0.203.in-addr.arpa']);

function readName(msg: Buffer, at: number): [string, number] {
  const labels: string[] = [];
  let i = at;
  while (msg[i]! > 0) {
    labels.push(msg.toString('latin1', i + 1, i + 1 + msg[i]!));
    i += msg[i]! + 1;
  }
  return [labels.join('.'), i + 1];
}

function encodeName(name: string): Buffer {
  const parts = name
    .split('.')
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** Answer one query: PTR record, NXDOMAIN, or nothing at all. */
function respond(msg: Buffer): Buffer | undefined {
  const [qname, end] = readName(msg, 12);
  if (SILENT.has(qname)) return undefined;
  const question = msg.subarray(12, end + 4);
  const target = ANSWERS[qname];
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8180 | (target ? 0 : 3), 2); // response, recursion available, NOERROR / NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(target ? 1 : 0, 6);
  if (!target) return Buffer.concat([header, question]);
  const rdata = encodeName(target);
  const answer = Buffer.alloc(12);
  answer.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  answer.writeUInt16BE(12, 2); // PTR
  answer.writeUInt16BE(1, 4); // IN
  answer.writeUInt32BE(60, 6);
  answer.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, question, answer, rdata]);
}

let server: Socket;
let port = 0;
let queries = 0;

beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (msg, rinfo) => {
    queries++;
    const reply = respond(msg);
    if (reply) server.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  port = server.address().port;
});
afterAll(() => server.close());

function localResolver() {
  const r = new dns.Resolver({ timeout: 300, tries: 1 });
  r.setServers([`127.0.0.1:${port}`]);
  return r;
}

describe('resolveNames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-rdns-'));

  it('finds names, skips private addresses, and caches answers (also "no name")', async () => {
    const cachePath = join(dir, 'cache.json');
    const before = queries;
    const r = await resolveNames(['192.0.2.10', '198.51.100.7', '203.0.113.5', '10.0.0.1'], {
      resolver: localResolver(),
      cachePath,
      now: Date.UTC(2026, 11, 5),
    });
    expect([...r.names]).toEqual([
      ['192.0.2.10', 'scan-01.censys-scanner.com'],
      ['198.51.100.7', 'host7.example.net'],
    ]);
    expect(r.problems).toEqual([]);
    expect(queries - before).toBe(3); // the private address is never asked about
    const cache = JSON.parse(readFileSync(cachePath, 'utf8'));
    expect(cache.entries['203.0.113.5']).toEqual({ name: null, at: Date.UTC(2026, 11, 5) });
    const again = await resolveNames(['192.0.2.10', '203.0.113.5'], {
      resolver: localResolver(),
      cachePath,
      now: Date.UTC(2026, 11, 6),
    });
    expect(again.asked).toBe(0);
    expect(again.names.get('192.0.2.10')).toBe('scan-01.censys-scanner.com');
    expect(queries - before).toBe(3);
  });

  it('a damaged cache file: entries that are not a name (or null) and a time are asked again', async () => {
    const now = Date.UTC(2026, 11, 5);
    const cachePath = join(dir, 'damaged.json');
    writeFileSync(
      cachePath,
      JSON.stringify({
        version: 1,
        entries: {
          // Before: the scanner match called toLowerCase on it ("unexpected failure", exit 1).
          '192.0.2.10': { name: { toString: 'x' }, at: now },
          '198.51.100.7': { name: 42, at: now },
          '203.0.113.5': { name: 'x'.repeat(100_000), at: now },
          '203.0.113.6': { name: 'no-time.example' },
          '203.0.113.77': { name: 'kept.example', at: now },
        },
      }),
    );
    const r = await resolveNames(
      ['192.0.2.10', '198.51.100.7', '203.0.113.5', '203.0.113.6', '203.0.113.77'],
      {
        resolver: localResolver(),
        cachePath,
        now,
      },
    );
    expect(r.asked).toBe(4);
    expect(Object.fromEntries(r.names)).toEqual({
      '192.0.2.10': 'scan-01.censys-scanner.com',
      '198.51.100.7': 'host7.example.net',
      '203.0.113.77': 'kept.example',
    });
  });

  it('never waits past its deadline for a silent server, and says how many answered', async () => {
    const t0 = Date.now();
    const r = await resolveNames(['203.0.113.99', '192.0.2.10'], {
      resolver: localResolver(),
      timeoutMs: 200,
      deadlineMs: 600,
      concurrency: 1,
    });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.names.get('192.0.2.10')).toBe('scan-01.censys-scanner.com');
    expect(r.problems[0]?.en).toBe(
      'Reverse DNS: 1 of 2 addresses answered within 600 ms; the others are shown without names.',
    );
  });

  it('keeps to the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const resolver = {
      async reverse() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return ['x.example.net'];
      },
      cancel() {},
    };
    const ips = Array.from({ length: 20 }, (_, i) => `198.51.100.${i + 1}`);
    const r = await resolveNames(ips, { resolver, concurrency: 3 });
    expect(r.names.size).toBe(20);
    expect(peak).toBe(3);
  });

  it('goes on with an unreadable cache and says when it cannot write one', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    const ok = await resolveNames(['192.0.2.10'], { resolver: localResolver(), cachePath: bad });
    expect(ok.names.size).toBe(1);
    const r = await resolveNames(['198.51.100.7'], {
      resolver: localResolver(),
      cachePath: join(dir, 'no-such-dir', 'cache.json'),
    });
    expect(r.names.size).toBe(1);
    expect(r.problems[0]?.en).toMatch(/cannot be written \(ENOENT\)/);
  });
});

describe('analyze --rdns', () => {
  it("names the report's addresses and labels a scanner known by its reverse name", async () => {
    const { runAnalyze } = await import('../cli/analyze.js');
    const { stdout, stderr, out, err } = capturedStreams();
    const code = await runAnalyze(
      [join(process.cwd(), 'test/fixtures/context/providers.log')],
      {
        format: 'auto',
        lang: 'en',
        top: 10,
        json: true,
        workers: 1,
        rdns: true,
        rdnsResolver: localResolver(),
      },
      { stdout, stderr },
    );
    expect(code).toBe(0);
    const report = JSON.parse(out());
    expect(report.context.addresses['203.0.113.66']).toMatchObject({
      range: 'documentation',
      name: 'scan-3.stretchoid.com',
      scanner: { id: 'stretchoid', by: 'ptr' },
    });
    // 8.8.8.8 is in the report but the local server knows no name for it: it is asked (locally) and left blank.
    expect(report.context.addresses['8.8.8.8'].name).toBeUndefined();
    expect(err()).toBe('');
  });
});
