// Damaged and unusual inputs through the real pipeline: NUL holes, binaries, lone-CR endings, glued records,
// impossible stamps, lines over the cap (plain and .gz), FIFOs, and linear joining of pcap blocks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles, ingestText, ROOT, runCli } from '../../test/helpers.js';
import { ByteQueue } from '../formats/pcap/blocks.js';
import { LONG_LINE_PREFIX_BYTES } from './line-splitter.js';
import { looksBinary } from './lines.js';
import type { InputStats } from './pipeline.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
const sampleLines = readFileSync(SAMPLE, 'utf8').split('\n').slice(0, -1);
const dir = mkdtempSync(join(tmpdir(), 'fwlens-input-'));
const UFW =
  'Nov 20 00:05:11 edge kernel: [1.0] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8a:1e:10:00:1b:21:3c:9d:01:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=4242 DF PROTO=TCP SPT=40404 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0';

/** Events and accounting of the untouched sample, to compare damaged copies against. */
let baseline: { events: number; malformed: number };
beforeAll(async () => {
  const { stats } = await ingestFiles([SAMPLE]);
  baseline = { events: stats.events, malformed: stats.malformed };
  expect(stats.lines).toBe(sampleLines.length);
});

/** Every line in exactly one bucket: lines = events - multiEventExtra + malformed + non-traffic + unrecognized + blank. */
function expectBalanced(s: InputStats): void {
  const nonTraffic = Object.values(s.nonTraffic).reduce((a, b) => a + b, 0);
  expect(s.events - s.multiEventExtra + s.malformed + nonTraffic + s.unrecognized + s.blank).toBe(s.lines);
}

function write(name: string, data: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('NUL bytes', () => {
  it('512 NULs after line 5 cost that one line, named as damaged; the other 3,142 lines are read', async () => {
    const text = `${sampleLines.slice(0, 5).join('\n')}\n${'\0'.repeat(512)}${sampleLines.slice(5).join('\n')}\n`;
    const { stats } = await ingestFiles([write('nul-after-5.log', text)]);
    expect(stats.inputs[0]!.error).toBeUndefined();
    expect(stats.lines).toBe(sampleLines.length);
    expect(stats.events).toBe(baseline.events - 1);
    expect(stats.malformed).toBe(baseline.malformed + 1);
    const nul = stats.malformedSamples.find((p) => p.reason === 'NUL bytes in line')!;
    expect(nul.line).toBe(6);
    expect(nul.text.startsWith(`\u2400${sampleLines[5]!.slice(0, 40)}`)).toBe(true);
    expectBalanced(stats.inputs[0]!);
  });

  it('a log starting with a 1 MB NUL hole (logrotate copytruncate) is read from its next line on', async () => {
    const text = `${'\0'.repeat(1 << 20)}\n${sampleLines.join('\n')}\n`;
    const { stats } = await ingestFiles([write('copytruncate.log', text)]);
    expect(stats.inputs[0]!.error).toBeUndefined();
    expect(stats.lines).toBe(sampleLines.length + 1);
    expect(stats.events).toBe(baseline.events);
    expect(stats.malformedSamples[0]).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/^line too long/),
    });
    expect(stats.malformedSamples[0]!.text).toBe('\u2400…');
    expectBalanced(stats.inputs[0]!);
  });

  it('real binaries are still refused with the binary-file sentence: an executable, a PNG, UTF-16 text', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from('IHDR'),
      Buffer.from([0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66]),
      Buffer.from('IDAT'),
      deflateSync(Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 251))),
    ]);
    for (const [name, bytes] of [
      ['node-binary', readFileSync(process.execPath).subarray(0, 1 << 16)],
      ['image.png', png],
      ['utf16.log', Buffer.from(`${UFW}\n`.repeat(20), 'utf16le')],
    ] as const) {
      expect(looksBinary(bytes), name).toBe(true);
      const { stats } = await ingestFiles([write(name, bytes)]);
      expect(stats.inputs[0]!.error).toMatch(/is a binary file, not a text log$/);
      expect(stats.lines).toBe(0);
    }
    // Text with a NUL hole in its first bytes is text.
    expect(looksBinary(Buffer.from(`${UFW}\n${'\0'.repeat(512)}${UFW}\n`))).toBe(false);
  });
});

describe('line ends and glued records', () => {
  it('CR-only line ends make 20 records 20 events; mixed CR, LF and CRLF split the same', async () => {
    const twenty = sampleLines.slice(0, 20);
    const { stats } = await ingestText(`${twenty.join('\r')}\r`);
    expect(stats.lines).toBe(20);
    const lf = await ingestText(`${twenty.join('\n')}\n`);
    expect(stats.events).toBe(lf.stats.events);
    expect(lf.stats.events).toBeGreaterThanOrEqual(18);
    const mixed = twenty.map((l, i) => l + ['\r', '\n', '\r\n'][i % 3]).join('');
    const m = await ingestText(mixed);
    expect([m.stats.lines, m.stats.events]).toEqual([20, lf.stats.events]);
  });

  it('two netfilter records glued on one line are one damaged line that says so, not one event', async () => {
    const second = UFW.replace('SRC=203.0.113.7', 'SRC=198.51.100.9');
    const { stats, events } = await ingestText(`${UFW}\n${UFW} ${second}\n${UFW}\n`);
    expect([stats.lines, stats.events, stats.malformed]).toEqual([3, 2, 1]);
    expectBalanced(stats.inputs[0]!);
    expect(events.map((e) => e.line)).toEqual([1, 3]);
    expect(stats.malformedSamples[0]).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/^two records on one line/),
    });
  });

  it('a netfilter record quoting the packet of an ICMP error (a second SRC= in brackets) is not glued', async () => {
    const icmp =
      'Nov 20 00:05:11 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.10 LEN=88 TTL=64 ID=1 PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.10 DST=192.0.2.1 LEN=60 TTL=64 ID=2 PROTO=UDP SPT=53 DPT=33434 LEN=40 ]';
    const { stats } = await ingestText(`${icmp}\n`);
    expect([stats.events, stats.malformed]).toEqual([1, 0]);
  });
});

describe('line-length cap', () => {
  const fifty = 50 << 20;

  it('a 50 MB line without newline is one "line too long" with its number and a short prefix', async () => {
    const path = write('one-long-line.log', Buffer.alloc(fifty, 'a'));
    const { stats } = await ingestFiles([path]);
    expect([stats.lines, stats.events, stats.malformed]).toEqual([1, 0, 1]);
    expect(stats.malformedSamples[0]).toMatchObject({
      line: 1,
      reason: `line too long: ${fifty.toLocaleString('en-US')} bytes, over the limit of 65536 (--max-line-bytes)`,
      text: `${'a'.repeat(LONG_LINE_PREFIX_BYTES)}…`,
    });
  });

  it('the same inside a .gz, between two good lines', async () => {
    const path = write(
      'long.log.gz',
      gzipSync(Buffer.concat([Buffer.from(`${UFW}\n`), Buffer.alloc(fifty, 'b'), Buffer.from(`\n${UFW}\n`)])),
    );
    const { stats } = await ingestFiles([path]);
    expect([stats.lines, stats.events, stats.malformed]).toEqual([3, 2, 1]);
    expectBalanced(stats.inputs[0]!);
    expect(stats.malformedSamples[0]).toMatchObject({
      line: 2,
      text: `${'b'.repeat(LONG_LINE_PREFIX_BYTES)}…`,
    });
  });

  it('the cap is configurable: 300-byte lines are damaged under a 256-byte cap, read under the default', async () => {
    const long = `${UFW} ${'x'.repeat(300 - UFW.length - 1)}`;
    const text = `${UFW}\n${long}\n`;
    const capped = await ingestText(text, { maxLineBytes: 256 });
    expect([capped.stats.events, capped.stats.malformed]).toEqual([1, 1]);
    expect(capped.stats.malformedSamples[0]!.reason).toBe(
      'line too long: 300 bytes, over the limit of 256 (--max-line-bytes)',
    );
    expect((await ingestText(text)).stats.events).toBe(2);
  });

  it('pcap blocks arriving in small chunks are joined in linear work', async () => {
    const copied = async (size: number) => {
      const chunks = Array.from({ length: size / 1024 }, () => new Uint8Array(1024));
      const q = new ByteQueue(chunks[Symbol.iterator]() as unknown as AsyncIterator<Uint8Array>);
      expect(await q.fill(size)).toBe(true);
      expect(q.take(size).length).toBe(size);
      return q.copiedBytes;
    };
    // Joining chunk by chunk copied size²/2048 bytes: 512 MB for 1 MiB.
    expect(await copied(1 << 20)).toBeLessThanOrEqual(2 << 20);
  });
});

describe('inputs that cannot seek', () => {
  it('reads a named FIFO as a stream (its first bytes cannot be read at offset 0)', async () => {
    const fifo = join(dir, 'fifo.log');
    execFileSync('mkfifo', [fifo]);
    const writer = import('node:fs/promises').then((fs) => fs.writeFile(fifo, readFileSync(SAMPLE)));
    const { stats } = await ingestFiles([fifo]);
    await writer;
    expect(stats.inputs[0]!.error).toBeUndefined();
    expect([stats.lines, stats.events]).toEqual([sampleLines.length, baseline.events]);
  });
});

describe('impossible stamps', () => {
  it('a flow log record starting before 2000, after its input was written, or past any date is damaged', async () => {
    // Before: 1975 and 2027 were read as such without a word, and a 20-digit start ended analyze with
    // "unexpected failure: Invalid time value".
    const vpc = (start: string) =>
      `2 123456789010 eni-1235b8ca123456789 198.51.100.7 192.0.2.16 20641 22 6 20 4249 ${start} 1795686060 REJECT OK`;
    const lines = [vpc('1795686000'), vpc('164000066'), vpc('1811808000'), vpc('99999999999999999999')];
    const { events, stats } = await ingestText(`${lines.join('\n')}\n`);
    expect(events.map((e) => e.timestamp)).toEqual([Date.UTC(2026, 10, 26, 9, 40)]);
    expect(stats.malformedSamples.map((p) => [p.line, p.reason, p.reasonText?.zh])).toEqual([
      [
        2,
        'start time 164000066 (1975-03-14 03:34:26 UTC) is before 2000: no flow log was written then',
        '开始时间 164000066 (1975-03-14 03:34:26 UTC) 早于 2000 年:那时还没有流日志',
      ],
      [
        3,
        'start time 1811808000 (2027-06-01 00:00:00 UTC) is more than a day after the input was written (2026-12-31 23:59:59 UTC)',
        '开始时间 1811808000 (2027-06-01 00:00:00 UTC) 比输入的写入时间(2026-12-31 23:59:59 UTC)晚一天以上',
      ],
      [
        4,
        'start time "99999999999999999999" is not epoch seconds',
        '开始时间 "99999999999999999999" 不是以秒计的 epoch 时间',
      ],
    ]);
    expectBalanced(stats.inputs[0]!);
    const file = write('vpc-absurd-start.log', `${lines.join('\n')}\n`);
    const r = await runCli(['analyze', '--json', '--year', '2026', file]);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out);
    expect(report.totals).toMatchObject({ events: 1, malformed: 3 });
    expect(report.span.untimedEvents).toBe(0);
  });

  // The same rule for the other formats that read epoch or ISO times (flow-record.ts timeValue): a time after
  // the input was written is damaged, and so is one before 2000 from a cloud flow log. Zeek and Suricata also
  // read old captures (the DARPA 1998/1999 sets): their floor is 1990, and a 1998 record still counts.
  /** [line, reason] of each damaged line, and the times of the events. */
  async function absurdTimes(lines: string[]) {
    const { events, stats } = await ingestText(`${lines.join('\n')}\n`);
    expectBalanced(stats.inputs[0]!);
    return {
      times: events.map((e) => e.timestamp),
      damaged: stats.malformedSamples.map((p) => [p.line, p.reason]),
      zh: stats.malformedSamples.map((p) => p.reasonText?.zh),
    };
  }
  const LATE = 'is more than a day after the input was written (2026-12-31 23:59:59 UTC)';

  it('a Zeek conn record from 1975, 1970 or 2100 is damaged; one from 1998 (an old capture) is not', async () => {
    const zeek = (ts: string) =>
      `{"ts":${ts},"uid":"CAcJw21BbVedgFnYH3","id.orig_h":"192.0.2.167","id.orig_p":38339,"id.resp_h":"192.0.2.1","id.resp_p":53,"proto":"udp","conn_state":"SF","history":"Dd","orig_pkts":1,"orig_ip_bytes":103}`;
    const r = await absurdTimes([
      zeek('1795686000.5'),
      zeek('157766400.25'),
      zeek('0.5'),
      zeek('4102444800'),
      zeek('899000000'),
    ]);
    expect(r.times).toEqual([1795686000500, 899000000000]);
    expect(r.damaged).toEqual([
      [
        2,
        'connection time 157766400.25 (1975-01-01 00:00:00 UTC) is before 1990: a sensor whose clock was never set, or a damaged field, not a capture time',
      ],
      [
        3,
        'connection time 0.5 (1970-01-01 00:00:00 UTC) is before 1990: a sensor whose clock was never set, or a damaged field, not a capture time',
      ],
      [4, `connection time 4102444800 (2100-01-01 00:00:00 UTC) ${LATE}`],
    ]);
    expect(r.zh[0]).toBe(
      '连接时间 157766400.25 (1975-01-01 00:00:00 UTC) 早于 1990 年:传感器时钟从未设置,或字段已损坏,不是抓包时间',
    );
  });

  it('a Suricata EVE record from 1975 or 2100 is damaged; one from 1999 (an old capture) is not', async () => {
    const eve = (ts: string) =>
      `{"timestamp":"${ts}","flow_id":1180240582373922,"in_iface":"eth0","event_type":"alert","src_ip":"198.51.100.66","src_port":41522,"dest_ip":"192.0.2.10","dest_port":23,"proto":"TCP","alert":{"action":"blocked","gid":1,"signature_id":2100001,"rev":1,"signature":"LOCAL telnet from the internet","category":"Attempted Administrator Privilege Gain","severity":1}}`;
    const r = await absurdTimes([
      eve('2026-02-11T08:30:01.100900+0000'),
      eve('1975-01-01T00:00:00.000000+0000'),
      eve('2100-01-01T00:00:00.000000+0000'),
      eve('1999-03-08T12:00:00.000000+0000'),
    ]);
    expect(r.times).toEqual([Date.UTC(2026, 1, 11, 8, 30, 1, 100), Date.UTC(1999, 2, 8, 12)]);
    expect(r.damaged).toEqual([
      [
        2,
        'event time 1975-01-01T00:00:00.000000+0000 (1975-01-01 00:00:00 UTC) is before 1990: a sensor whose clock was never set, or a damaged field, not a capture time',
      ],
      [3, `event time 2100-01-01T00:00:00.000000+0000 (2100-01-01 00:00:00 UTC) ${LATE}`],
    ]);
  });

  it('an Azure NSG flow tuple from 1975 or 2100 is damaged', async () => {
    const nsg = (time: string) =>
      `{"time":"2025-04-30T09:07:40.986182+00:00","flowLogVersion":4,"flowLogGUID":"66aa66aa-6a66-66aa-6a6a-666aa6a66aa6","macAddress":"112233445566","operationName":"FlowLogFlowEvent","aclID":"00000000-1234-abcd-ef00-c1c2c3c4c5c6","rule":"DefaultRule_AllowInternetOutBound","flow.0":"${time},192.0.2.4,203.0.113.180,23956,443,6,O,B,NX,0,0,0,0"}`;
    const r = await absurdTimes([nsg('1663146003599'), nsg('157766400000'), nsg('4102444800')]);
    expect(r.times).toEqual([1663146003599]);
    expect(r.damaged).toEqual([
      [2, 'flow time 157766400000 (1975-01-01 00:00:00 UTC) is before 2000: no flow log was written then'],
      [3, `flow time 4102444800 (2100-01-01 00:00:00 UTC) ${LATE}`],
    ]);
  });

  it('a GCP VPC flow record starting in 1975 or 2100 is damaged', async () => {
    const gcp = (start: string) =>
      `{"insertId":"1a2b3c4d5e6f7g","jsonPayload":{"bytes_sent":"3848","connection":{"dest_ip":"192.0.2.10","dest_port":22,"protocol":6,"src_ip":"198.51.100.40","src_port":40050},"packets_sent":"24","reporter":"DEST","start_time":"${start}"},"logName":"projects/example-project/logs/compute.googleapis.com%2Fvpc_flows","timestamp":"2024-03-05T10:15:08.987654321Z"}`;
    const r = await absurdTimes([
      gcp('2024-03-05T10:14:51.004Z'),
      gcp('1975-01-01T00:00:00Z'),
      gcp('2100-01-01T00:00:00Z'),
    ]);
    expect(r.times).toEqual([Date.UTC(2024, 2, 5, 10, 14, 51, 4)]);
    expect(r.damaged).toEqual([
      [
        2,
        'flow time 1975-01-01T00:00:00Z (1975-01-01 00:00:00 UTC) is before 2000: no flow log was written then',
      ],
      [3, `flow time 2100-01-01T00:00:00Z (2100-01-01 00:00:00 UTC) ${LATE}`],
    ]);
  });

  it('a line whose stamp is no real date and time is damaged, with its line number and the reason', async () => {
    // Before: `Nov 99 25:61:61` made an event without a time, `Feb 30` one on 2 March; neither was counted.
    const lines = [UFW, UFW.replace('Nov 20 00:05:11', 'Nov 99 25:61:61'), UFW.replace('Nov 20', 'Feb 30')];
    const { events, stats } = await ingestText(`${lines.join('\n')}\n`);
    expect(events).toHaveLength(1);
    expect(events[0]!.timestamp).toBe(Date.UTC(2026, 10, 20, 0, 5, 11));
    expect(stats.malformed).toBe(2);
    expect(stats.malformedSamples.map((p) => [p.line, p.reason, p.reasonText?.zh])).toEqual([
      [
        2,
        'time stamp Nov 99 25:61:61 is no real date and time',
        '时间戳 Nov 99 25:61:61 不是真实存在的日期时间',
      ],
      [
        3,
        'time stamp Feb 30 00:05:11 is no real date and time',
        '时间戳 Feb 30 00:05:11 不是真实存在的日期时间',
      ],
    ]);
    expectBalanced(stats.inputs[0]!);
  });
});
