// Ingest pipeline on real and damaged inputs: plain, gzip (also concatenated and truncated), stdin,
// binary, empty, missing, .pcap.gz, records of several flows, and honest accounting of every line.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestFiles, ingestText, ROOT } from '../../test/helpers.js';

const FIX = join(ROOT, 'test', 'fixtures', 'netfilter');
const UFW = readFileSync(join(FIX, 'lab-ufw-rsyslog.log'));
const tmp = mkdtempSync(join(tmpdir(), 'fwlens-ingest-'));

function accountingHolds(s: {
  lines: number;
  events: number;
  malformed: number;
  unrecognized: number;
  blank: number;
  multiEventExtra: number;
  nonTraffic: Record<string, number>;
}): boolean {
  const skipped = Object.values(s.nonTraffic).reduce((a, b) => a + b, 0);
  return s.lines === s.events - s.multiEventExtra + s.malformed + s.unrecognized + s.blank + skipped;
}

describe('ingest', () => {
  it('reads a plain file and accounts for every line', async () => {
    const { events, stats } = await ingestFiles([join(FIX, 'lab-ufw-rsyslog.log')]);
    expect(events.length).toBe(79);
    expect(stats.inputs[0]!.lines).toBe(79);
    expect(accountingHolds(stats.inputs[0]!)).toBe(true);
    expect(events[0]!.file).toBe(join(FIX, 'lab-ufw-rsyslog.log'));
    expect(events[0]!.line).toBe(1);
    expect(events[78]!.line).toBe(79);
  });

  it('reads gzip by its magic bytes, whatever the name, including concatenated members (rotated logs)', async () => {
    const path = join(tmp, 'rotated.log.1');
    writeFileSync(path, Buffer.concat([gzipSync(UFW), gzipSync(UFW)]));
    const { events, stats } = await ingestFiles([path]);
    expect(events.length).toBe(158);
    expect(stats.inputs[0]!.error).toBeUndefined();
  });

  it('reports a truncated .gz after keeping the lines it could read', async () => {
    // Varied lines (a random-ish ID and port per line) so the compressed stream is not mostly back-references.
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++)
      lines.push(
        `Nov 25 16:47:${String(i % 60).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.${i % 250} DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=${30 + (i % 200)} ID=${(i * 7919) % 65536} PROTO=TCP SPT=${1024 + ((i * 104729) % 60000)} DPT=${(i * 31) % 65536} WINDOW=1024 RES=0x00 SYN URGP=0 `,
      );
    const gz = gzipSync(`${lines.join('\n')}\n`);
    const path = join(tmp, 'cut.log.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.5)));
    const { events, stats } = await ingestFiles([path]);
    expect(events.length).toBeGreaterThan(500);
    expect(events.length).toBeLessThan(2000);
    expect(stats.inputs[0]!.error).toMatch(/truncated/);
  });

  it('reads a stream (stdin) and handles CRLF line ends and a missing final newline', async () => {
    const text = UFW.toString('utf8').replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const { events, stats } = await ingestText(text);
    expect(events.length).toBe(79);
    expect(events.every((e) => e.sourceIp && !e.sourceIp.includes('\r'))).toBe(true);
    expect(accountingHolds(stats.inputs[0]!)).toBe(true);
  });

  it('splits lines correctly when multi-byte characters straddle chunk borders', async () => {
    const line =
      'Nov 25 16:47:51 vm kernel: [UFW BLOCK] 防火墙 IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0 \n';
    const buf = Buffer.from(line.repeat(3000));
    const { Readable } = await import('node:stream');
    const { ingest } = await import('./pipeline.js');
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 7777) chunks.push(buf.subarray(i, i + 7777));
    let n = 0;
    let prefixOk = true;
    await ingest([{ path: '-', stream: Readable.from(chunks) }], {
      year: 2026,
      onEvent: (ev) => {
        n++;
        if (ev.prefix !== '[UFW BLOCK] 防火墙') prefixOk = false;
      },
    });
    expect(n).toBe(3000);
    expect(prefixOk).toBe(true);
  });

  it('counts damaged and foreign lines with their line numbers and never stops', async () => {
    const text = [
      'Nov 25 16:47:01 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=1 DF PROTO=TCP SPT=70000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 ',
      'Nov 25 16:47:02 edge sshd[99]: Accepted publickey for alice from 198.51.100.2 port 50022 ssh2',
      '',
      'Nov 25 16:47:03 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=2 DF PROTO=TCP SPT=7000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    ].join('\n');
    const { events, stats } = await ingestText(text);
    expect(events.length).toBe(1);
    expect(events[0]!.line).toBe(4);
    expect(stats.malformed).toBe(1);
    expect(stats.malformedSamples[0]).toMatchObject({
      line: 1,
      reason: 'SPT=70000 is out of range (0-65535)',
    });
    expect(stats.unrecognized).toBe(1);
    expect(stats.unrecognizedSamples[0]!.line).toBe(2);
    expect(accountingHolds(stats.inputs[0]!)).toBe(true);
  });

  it('says so, in one sentence, for missing paths, directories, binary and empty files', async () => {
    const bin = join(tmp, 'blob.bin');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const { stats } = await ingestFiles([join(tmp, 'nope.log'), tmp, bin, empty, join(FIX, 'dialects.log')]);
    const [missing, dir, binary, emptyStats, good] = stats.inputs;
    expect(missing!.error).toBe(`cannot read ${join(tmp, 'nope.log')}: no such file`);
    expect(dir!.error).toMatch(/is a directory/);
    expect(binary!.error).toMatch(/binary file/);
    expect(emptyStats!.error).toBeUndefined();
    expect(emptyStats!.lines).toBe(0);
    expect(good!.events).toBeGreaterThan(10);
  });

  it('reads a journald export file (multi-line records) with the record start as line number', async () => {
    const { events, stats } = await ingestFiles([join(FIX, 'dialects.log')], { year: 2026 });
    const journal = events.filter((e) => e.line === 18 || e.line === 29);
    expect(journal.map((e) => e.destinationIp)).toEqual(['10.0.0.255', '198.51.100.53']);
    expect(journal[0]!.observerHost).toBe('edge');
    expect(accountingHolds(stats.inputs[0]!)).toBe(true);
  });
});

describe('journald export without its closing blank line', () => {
  it('keeps the record and the line after it', async () => {
    const text = [
      '__CURSOR=s=1',
      '__REALTIME_TIMESTAMP=1642033008518660',
      'MESSAGE=iptables DROP_INPUT: IN=eth1 OUT= SRC=203.0.113.5 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1000 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0 ',
      'Nov 25 16:47:03 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=2 DF PROTO=TCP SPT=7000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    ].join('\n');
    const { events, stats } = await ingestText(text);
    expect(events.map((e) => [e.line, e.destinationPort])).toEqual([
      [1, 23],
      [4, 22],
    ]);
    const s = stats.inputs[0]!;
    expect(s.lines).toBe(4);
    expect(s.events + s.blank + s.malformed + s.unrecognized).toBe(4);
    expect(accountingHolds(s)).toBe(true);
  });
});

describe('records holding several flows', () => {
  it('counts an Azure flow log document once as a line and each of its tuples as an event', async () => {
    const path = join(ROOT, 'test', 'fixtures', 'azure-nsg-flow', 'native-multi-flow.log');
    const text = `${readFileSync(path, 'utf8')}\nnot a firewall line\n`;
    const { events, stats } = await ingestText(text);
    const s = stats.inputs[0]!;
    // 10 NSG v2 tuples on line 1 (3 rules), 3 VNet v4 tuples on line 2, 2 flow.N tuples on line 3.
    expect(events.map((e) => e.line)).toEqual([...Array(10).fill(1), 2, 2, 2, 3, 3]);
    expect(s.lines).toBe(5);
    expect(s.events).toBe(15);
    expect(s.multiEventExtra).toBe(12);
    expect(s.unrecognized).toBe(1);
    expect(s.blank).toBe(1);
    expect(accountingHolds(s)).toBe(true);
    expect(stats.multiEventExtra).toBe(12);
    expect(new Set(events.filter((e) => e.line === 1).map((e) => e.ruleName))).toEqual(
      new Set([
        'DefaultRule_DenyAllInBound',
        'DefaultRule_AllowInternetOutBound',
        'UserRule_AllowWebInBound',
      ]),
    );
    const rdp = events.filter((e) => e.destinationPort === 3389 && e.line === 1);
    expect(rdp.map((e) => [e.sourceIp, e.sourcePort, e.action, e.direction, e.timestamp])).toEqual([
      ['198.51.100.94', 50571, 'deny', 'inbound', 1542110402000],
      ['198.51.100.94', 50590, 'deny', 'inbound', 1542110466000],
    ]);
  });
});

describe('gzip-compressed packet captures', () => {
  const PCAP_DIR = join(ROOT, 'test', 'fixtures', 'pcap');
  const captures = readdirSync(PCAP_DIR).filter((f) => /\.pcap(ng)?$/.test(f));

  for (const capture of captures) {
    it(`reads ${capture}.gz as the capture it holds, packet for packet`, async () => {
      const plain = await ingestFiles([join(PCAP_DIR, capture)]);
      const path = join(tmp, `${capture}.gz`);
      writeFileSync(path, gzipSync(readFileSync(join(PCAP_DIR, capture))));
      const { events, stats } = await ingestFiles([path]);
      const s = stats.inputs[0]!;
      expect(s.error).toBeUndefined();
      expect(s.formats).toEqual({ pcap: plain.events.length });
      expect(events.length).toBeGreaterThan(0);
      expect(s.lines).toBe(plain.stats.inputs[0]!.lines);
      expect(accountingHolds(s)).toBe(true);
      const strip = (evs: typeof events) => evs.map(({ file: _f, ...rest }) => rest);
      expect(strip(events)).toEqual(strip(plain.events));
    });
  }

  it('keeps the packets of a truncated .pcap.gz and says it was cut', async () => {
    const capture = join(PCAP_DIR, 'lab-veth-ethernet.pcap');
    const plain = await ingestFiles([capture]);
    const gz = gzipSync(readFileSync(capture));
    const path = join(tmp, 'cut.pcap.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.7)));
    const { events, stats } = await ingestFiles([path]);
    expect(stats.inputs[0]!.error).toMatch(/truncated/);
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(plain.events.length);
    const strip = (evs: typeof events) => evs.map(({ file: _f, ...rest }) => rest);
    expect(strip(events)).toEqual(strip(plain.events.slice(0, events.length)));
  });

  it('still refuses a .gz holding binary data that is no capture', async () => {
    const path = join(tmp, 'blob.bin.gz');
    writeFileSync(path, gzipSync(Buffer.from([0, 1, 2, 3, 0, 0, 7, 8, 9, 0, 255, 254])));
    const { events, stats } = await ingestFiles([path]);
    expect(events.length).toBe(0);
    expect(stats.inputs[0]!.error).toMatch(/binary/);
  });

  it('reports a .gz damaged before its first block', async () => {
    const path = join(tmp, 'damaged.log.gz');
    const gz = gzipSync(UFW);
    writeFileSync(path, Buffer.concat([gz.subarray(0, 10), Buffer.from('this is not deflate data')]));
    const { events, stats } = await ingestFiles([path]);
    expect(events.length).toBe(0);
    expect(stats.inputs[0]!.error).toMatch(/damaged|truncated|stopped/i);
  });
});
