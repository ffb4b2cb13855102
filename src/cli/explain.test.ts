// `fwlens explain`: port, port/proto, source port and log-line queries; one-sentence errors with exit 2.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../formats/index.js';
import { type ExplainOptions, readQuery, runExplain } from './explain.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(query: string, opts: Partial<ExplainOptions> = {}) {
  const out = sink();
  const err = sink();
  const code = await runExplain(query, { lang: 'en', ...opts }, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

const UFW_LINE =
  'Nov 25 16:47:13 vm kernel: [ 5950.659152] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.60 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58600 DF PROTO=TCP SPT=57626 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0 ';

describe('readQuery', () => {
  it('tells ports, port/proto and log lines apart', () => {
    expect(readQuery('31337')).toEqual({ kind: 'port', port: 31337, proto: undefined });
    expect(readQuery(' 6970/UDP ')).toEqual({ kind: 'port', port: 6970, proto: 'udp' });
    expect(readQuery('SRC=1.2.3.4').kind).toBe('line');
    expect(readQuery('a b').kind).toBe('line');
    expect(readQuery('65536')).toMatchObject({ kind: 'error', key: 'cli.explain.badPort' });
    expect(readQuery('80/icmp')).toMatchObject({ kind: 'error', key: 'cli.explain.badPort' });
    expect(readQuery('abc')).toMatchObject({ kind: 'error', key: 'cli.explain.badQuery' });
    // One word that is not a port: a JSON or CSV record.
    expect(readQuery('{"flow.0":"1,203.0.113.6,192.0.2.4,55188,22,6,I,D"}').kind).toBe('line');
    expect(readQuery('5,,,1000000103,em0,match,block,in,4,0x0').kind).toBe('line');
  });
});

describe('an ICMP code the RFC does not define', () => {
  const ping = (code: number) =>
    UFW_LINE.replace(
      'PROTO=TCP SPT=57626 DPT=23 WINDOW=64240 RES=0x00 SYN URGP=0',
      `PROTO=ICMP TYPE=8 CODE=${code} ID=4242 SEQ=1`,
    );
  it("an echo request of code 9 (nmap's OS probe) is crafted; of code 0 it is a ping", async () => {
    const odd = await run(ping(9), { context: false });
    expect(odd.stdout).toContain(
      '+1  ICMP type 8 with code 9, which the RFC does not define: a crafted packet.',
    );
    expect(odd.stdout).toContain('defines code 0 only');
    const plain = await run(ping(0), { context: false });
    expect(plain.stdout).not.toContain('does not define');
  });
});

describe('the web ports', () => {
  it('80 and 443 have their own story (80 had none, 443 was named after SSL-VPN portals)', async () => {
    const http = await run('80');
    expect(http.stdout).toMatch(/^Port 80: HTTP \(the web, unencrypted\)\n/);
    expect(http.stdout).not.toContain('fwlens knows no story');
    const https = await run('443');
    expect(https.stdout).toMatch(/^Port 443: HTTPS \(the web over TLS or QUIC\) \/ SSL-VPN portals/);
    expect(https.stdout).toContain('RFC 9110');
  });
});

describe('a web server as the source', () => {
  it('80/443 to a high port is read as an answer; to a service port it is not', async () => {
    const answer = await run(
      UFW_LINE.replace('SPT=57626 DPT=23', 'SPT=443 DPT=51515').replace(' SYN ', ' ACK RST '),
      { context: false },
    );
    // It was "+1 Source port 443: Reserved low port used as a source".
    expect(answer.stdout).toContain('-1  Looks like an answer from a server (source port 443)');
    expect(answer.stdout).not.toMatch(/\+1 +Source port 443/);
    const probe = await run(UFW_LINE.replace('SPT=57626 DPT=23', 'SPT=80 DPT=22'), { context: false });
    expect(probe.stdout).not.toContain('Looks like an answer');
  });
});

describe("ufw's rate limit", () => {
  it('[UFW LIMIT BLOCK] is a reject after 6 connections in 30 s (it was a silent drop)', async () => {
    const r = await run(UFW_LINE.replace('[UFW BLOCK]', '[UFW LIMIT BLOCK]').replace('DPT=23', 'DPT=22'), {
      context: false,
    });
    expect(r.stdout).toMatch(/^Rejected TCP from 198\.51\.100\.60/);
    expect(r.stdout).toContain(
      "That is ufw's rate limit (ufw limit): this source had opened 6 or more connections",
    );
    expect(r.stdout).not.toContain('dropped it silently');
  });
});

describe('what a reject told the sender', () => {
  it('AWS flow logs: REJECT drops without an answer; a netfilter REJECT answers', async () => {
    const aws = await run(
      '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
      { context: false },
    );
    expect(aws.stdout).toContain('they drop without answering, so the sender got no reply');
    expect(aws.stdout).not.toContain('the sender was told');
    const nf = await run(UFW_LINE.replace('[UFW BLOCK]', '[REJECT]'), { context: false });
    expect(nf.stdout).toContain('the sender was told the port is closed');
  });
});

describe('protocols without ports', () => {
  it('a PIM packet gets no ports from numbers written in port columns (ASA, VPC flow log)', async () => {
    // Logstash's grok spec wrote ports beside protocol 103; a flow log writes 0 for them.
    const asa = await run(
      'Jun 02 2026 09:00:00 asa-edge : %ASA-4-106023: Deny protocol 103 src outside:198.51.100.7/50240 dst inside:192.0.2.2/23 by access-group "OUTSIDE_IN" [0x54c7fa80, 0x0]',
      { context: false },
    );
    expect(asa.code).toBe(0);
    expect(asa.stdout).toContain('PIM packet from 198.51.100.7 to 192.0.2.2.');
    expect(asa.stdout).not.toMatch(/port 23|port 50240/);
    const vpc = await run(
      '2 123456789010 eni-1235b8ca123456789 198.51.100.7 224.0.0.13 0 0 103 1 58 1795686000 1795686060 REJECT OK',
      { context: false },
    );
    expect(vpc.code).toBe(0);
    // A flow log's line is a record of the 5-tuple's traffic over an interval, not a packet (it counted one).
    expect(vpc.stdout).toContain('Flow record of PIM traffic from 198.51.100.7 to 224.0.0.13:');
    expect(vpc.stdout).not.toMatch(/\bport 0\b/);
  });
});

describe('the example of every format', () => {
  // What `fwlens formats` shows as an example is a line `explain` reads (a capture file is not a line).
  for (const f of FORMATS.filter((x) => x.id !== 'pcap'))
    it(`explains ${f.id}'s example`, async () => {
      const r = await run(f.example, { context: false });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/Severity \d\/5/);
    });
});

describe('runExplain', () => {
  it('explains 31337 as Back Orifice in English and Chinese', async () => {
    const en = await run('31337');
    expect(en.code).toBe(0);
    expect(en.stderr).toBe('');
    expect(en.stdout).toMatch(/^Port 31337: Back Orifice/);
    // A trojan of 1998-2001: a probe alone only shows someone looking for infected machines.
    expect(en.stdout).toContain('Severity 2/5');
    const zh = await run('31337', { lang: 'zh' });
    expect(zh.stdout).toMatch(/^端口 31337:Back Orifice/);
    expect(zh.stdout).toContain('严重度 2/5');
    expect(zh.stdout).toContain('资料来源');
  });

  it('explains 6970/udp and a source port', async () => {
    const ra = await run('6970/udp');
    expect(ra.code).toBe(0);
    expect(ra.stdout).toMatch(/RealAudio/);
    const src = await run('53', { source: true });
    expect(src.code).toBe(0);
    expect(src.stdout).toMatch(/^Source port 53:/);
    expect(src.stdout).toMatch(/DNS/);
  });

  it('explains a whole log line', async () => {
    const r = await run(UFW_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dropped TCP from 198\.51\.100\.60 to 192\.0\.2\.10 port 23/);
  });

  it('prints JSON with both languages kept and the parsed event', async () => {
    const r = await run(UFW_LINE, { json: true, lang: 'zh' });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.lang).toBe('zh');
    expect(doc.event.destinationPort).toBe(23);
    expect(doc.explanation.headline.en).toMatch(/^Dropped/);
    expect(doc.explanation.headline.zh).toMatch(/^已丢弃/);
    expect(doc.explanation.severity.score).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['70000', 'en', /^fwlens: "70000" is not a port/],
    ['80/icmp', 'en', /is not a port/],
    ['abc', 'en', /^fwlens: "abc" is neither a port/],
    // A pasted block of 100,000 characters is quoted back cut to 60, not whole.
    ['<'.repeat(100_000), 'en', /^fwlens: "<{59}…" is neither a port/],
    ['hello world', 'en', /No log format recognises this line/],
    [
      'IN=eth0 OUT= SRC=203.0.113.5 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=',
      'en',
      /^fwlens: The line could not be read: DPT=[^\n]*[^.]\.\n$/,
    ],
    [
      '<30>1 2026-03-14T10:00:31.000Z srx-edge rpd 1800 BGP_NLRI_MISMATCH [junos@2636.1.1.1.2.129 peer-name="198.51.100.9"]',
      'en',
      /^fwlens: This line is a record of a known firewall whose message id fwlens does not understand yet \(BGP_NLRI_MISMATCH\)/,
    ],
    [
      '<29>1 2026-03-14T10:00:26.000Z srx-edge mgd 4711 UI_COMMIT [junos@2636.1.1.1.2.129 username="admin" command="commit"]',
      'en',
      /^fwlens: This line is not a packet but what the log calls "configuration"/,
    ],

    ['70000', 'zh', /^fwlens: “70000”不是有效端口/],
    ['hello world', 'zh', /没有任何日志格式能识别这一行/],
  ] as const)('rejects %j (%s) with one sentence and exit 2', async (query, lang, message) => {
    const r = await run(query, { lang });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
