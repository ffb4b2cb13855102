// The analyze command at its edges: all-damaged input still gets its report, untimed events and cut lists are
// said in every output, output write errors end in one sentence, and pipes, FIFOs and /dev/stdin are read.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../test/helpers.js';
import { schemaValidator } from '../../test/support/schemas.js';
import { EXIT } from './main.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');
const dir = mkdtempSync(join(tmpdir(), 'fwlens-io-'));
const UFW =
  'Nov 20 00:05:11 edge kernel: [1.0] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TTL=51 ID=4242 DF PROTO=TCP SPT=40404 DPT=22 WINDOW=64240 SYN URGP=0';
/** A netfilter line whose port is out of range: recognised, but damaged. */
const DAMAGED = UFW.replace('DPT=22', 'DPT=70000');

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * Run the CLI from source in a child process (the way bin/fwlens.js runs the built one) through a shell,
 * so real pipes, process substitution and redirections are used. Returns exit code and stdio.
 */
function runShell(
  command: string,
  stdout: 'pipe' | number = 'pipe',
): Promise<{ code: number; out: string; err: string }> {
  const cli = `node --import tsx ${JSON.stringify(join(ROOT, 'test', 'support', 'cli-process.ts'))}`;
  const child = spawn('bash', ['-c', command.replaceAll('FWLENS', cli)], {
    cwd: ROOT,
    env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
    stdio: ['ignore', stdout, 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, out, err })));
}

describe('a report whenever something was read', () => {
  it('a .gz with bytes after its compressed data: every line is read, the bytes are said, exit 1 (as gzip warns)', async () => {
    const { gzipSync } = await import('node:zlib');
    const sample = readFileSync(SAMPLE);
    const gz = join(dir, 'trailing.log.gz');
    writeFileSync(gz, Buffer.concat([gzipSync(sample), Buffer.from('trailing garbage\n')]));
    const r = await runCli(['analyze', '--json', '--no-context', gz]);
    expect(r.code).toBe(EXIT.inputError);
    const report = JSON.parse(r.out) as { totals: { lines: number; unrecognized: number } };
    // Every line of the sample, none cut (zlib's own gunzip lost the last ~80 lines and cut one).
    expect(report.totals.lines).toBe(sample.toString('utf8').split('\n').length - 1);
    expect(report.totals.unrecognized).toBe(3);
    expect(r.err.trim()).toBe(
      `fwlens: ${gz}: 17 bytes after the end of its compressed data are not gzip and were left out (everything before them was read)`,
    );
  });

  const path = write('all-damaged.log', `${DAMAGED}\n${DAMAGED.replace('SPT=40404', 'SPT=99999')}\n`);

  it('all lines damaged: the text report lists them, and the exit code still says the run failed', async () => {
    const { code, out, err } = await runCli(['analyze', path]);
    expect(code).toBe(EXIT.inputError);
    expect(err).toContain(
      'every firewall line was damaged (2 lines); see the unparsed lines listed in the report',
    );
    expect(out).toContain('Lines that could not be used');
    // The report wraps at 80 columns, and where depends on how long the temporary folder's path is.
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain('all-damaged.log:1: DPT=70000 is out of range (0-65535)');
    expect(flat).toContain('all-damaged.log:2: SPT=99999 is out of range (0-65535)');
    expect(out).toContain('\n2 damaged firewall lines\n');
  });

  it('names standard input (stdin) in the inputs and unparsed lines of the text report, not `-`', async () => {
    const { out } = await runShell(`printf '%s\\nnot a firewall line\\n' '${UFW}' | FWLENS analyze -`);
    expect(out).toMatch(/^\(stdin\) {2}\[netfilter\]$/m);
    expect(out).toContain('(stdin):2: no known firewall log format');
    expect(out).not.toMatch(/^-:|^- {2}\[/m);
  });

  it("says the kernel's overload warnings (SYN flood, connection table full) in every output, without failing the run", async () => {
    const log = write(
      'kernel-warnings.log',
      [
        UFW,
        'Nov 20 00:05:12 edge kernel: [130001.1] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.',
        'Nov 20 00:05:13 edge kernel: [130002.1] TCP: Possible SYN flooding on port 80. Dropping request.  Check SNMP counters.',
        'Nov 20 00:05:14 edge kernel: nf_conntrack: nf_conntrack: table full, dropping packet',
        '',
      ].join('\n'),
    );
    const text = await runCli(['analyze', log]);
    expect(text.code).toBe(EXIT.ok);
    expect(text.err).toContain('the kernel warned 2 times of a possible SYN flood on ports 443, 80');
    expect(text.err).toContain('connection-tracking table was full 1 time, so it dropped packets');
    expect(text.out.replace(/\s+/g, ' ')).toContain('a possible SYN flood on ports 443, 80');
    const json = await runCli(['analyze', '--json', log]);
    expect(json.code).toBe(EXIT.ok);
    const report = JSON.parse(json.out);
    expect(report.notices.map((n: { kind: string; failed: boolean }) => [n.kind, n.failed])).toEqual([
      ['kernel-warning', false],
      ['kernel-warning', false],
    ]);
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    const html = join(dir, 'kernel-warnings.html');
    expect((await runCli(['analyze', '--html', html, log])).code).toBe(EXIT.ok);
    expect(readFileSync(html, 'utf8')).toContain('possible SYN flood on ports 443, 80');
  });

  it("says once per input that a Windows Firewall log's local times were read as UTC when no --tz is given", async () => {
    const fixture = join(ROOT, 'test', 'fixtures', 'windows-pfirewall', 'win10-layouts.log');
    const copy = write('pfirewall-copy.log', readFileSync(fixture));
    const sentence =
      'its header says its times are the local time of the machine that wrote it (#Time Format: Local), in a zone the log does not name; they were read as UTC: give the zone with --tz (e.g. --tz Europe/Berlin)';
    const text = await runCli(['analyze', fixture, copy]);
    expect(text.code).toBe(EXIT.ok);
    expect(text.err.split(sentence).length - 1).toBe(2);
    expect(text.err).toContain(`${fixture}: ${sentence}`);
    expect(text.err).toContain(`${copy}: ${sentence}`);
    expect(text.out.replace(/\s+/g, ' ')).toContain(sentence);
    const json = await runCli(['analyze', '--json', fixture]);
    expect(json.code).toBe(EXIT.ok);
    const report = JSON.parse(json.out);
    expect(report.span.first).toBe('2026-11-26T09:20:00.000Z');
    expect(report.notices).toEqual([
      {
        kind: 'local-time',
        path: fixture,
        failed: false,
        text: { en: `${fixture}: ${sentence}`, zh: expect.stringContaining('已按 UTC 读取') },
      },
    ]);
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    const zh = await runCli(['analyze', '--lang', 'zh', fixture]);
    expect(zh.err).toContain(
      '文件头表明其时间为写入日志的机器的本地时间(#Time Format: Local),日志未注明时区;这些时间已按 UTC 读取',
    );
    // With the zone given, or a header saying UTC, there is nothing to say.
    const zoned = JSON.parse((await runCli(['analyze', '--json', '--tz', 'Europe/Berlin', fixture])).out);
    expect(zoned.span.first).toBe('2026-11-26T08:20:00.000Z');
    expect(zoned.notices).toBeUndefined();
    const utc = write(
      'pfirewall-utc.log',
      readFileSync(fixture, 'utf8').replace('#Time Format: Local', '#Time Format: UTC'),
    );
    const utcRun = await runCli(['analyze', '--json', utc]);
    expect(utcRun.err).toBe('');
    expect(JSON.parse(utcRun.out).notices).toBeUndefined();
  });

  it('counts one unparsed line in the singular, in English and Chinese', async () => {
    const one = write('one-damaged.log', `${DAMAGED}\nnot a firewall line\n`);
    const en = await runCli(['analyze', one]);
    expect(en.out).toContain('1 damaged firewall line, 1 line of no known format');
    const zh = await runCli(['analyze', '--lang', 'zh', one]);
    expect(zh.out).toContain('1 行损坏的防火墙日志, 1 行无法识别格式');
  });

  it('with --json: a document with zero events and its unparsed lines', async () => {
    const { code, out } = await runCli(['analyze', '--json', path]);
    expect(code).toBe(EXIT.inputError);
    const report = JSON.parse(out);
    expect(report.totals).toMatchObject({ lines: 2, events: 0, malformed: 2 });
    expect(report.unparsed.malformed.map((p: { line: number }) => p.line)).toEqual([1, 2]);
  });

  it('with --html: the page is written and lists the damaged lines', async () => {
    const html = join(dir, 'all-damaged.html');
    const { code } = await runCli(['analyze', '--html', html, path]);
    expect(code).toBe(EXIT.inputError);
    const page = readFileSync(html, 'utf8');
    expect(page.includes('SPT=99999 is out of range (0-65535)')).toBe(true);
  });

  it('with --ndjson, which lists no unparsed lines: the sentence names the first damaged line', async () => {
    const { code, out, err } = await runCli(['analyze', '--ndjson', path]);
    const sentence = `${path}: every firewall line was damaged (2 lines); the first, line 1: DPT=70000 is out of range (0-65535)`;
    expect(err.trim()).toBe(`fwlens: ${sentence}`);
    // The output is still NDJSON: its one metric line carries the same sentence, and the exit code the failure.
    expect(code).toBe(EXIT.inputError);
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([
      { event: { kind: 'metric', dataset: 'fwlens.inputs', outcome: 'failure' }, message: sentence },
    ]);
  });

  it('nothing read (an empty file): the sentence alone, no report', async () => {
    const { code, out, err } = await runCli(['analyze', write('empty.log', '')]);
    expect([code, out]).toEqual([EXIT.inputError, '']);
    expect(err).toContain('empty.log is empty');
  });
});

describe('events without a usable time and cut lists are said in every output', () => {
  const good = readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 30);
  // A kernel line without its syslog header (as `dmesg` prints it): an event with no time. (An impossible stamp,
  // Nov 99 25:61:61, made one too; since session 25 it makes the line damaged, with its reason.)
  const impossible = good[0]!.slice(good[0]!.indexOf('kernel: ') + 'kernel: '.length);
  const lines = [
    ...good,
    impossible,
    ...Array(13).fill(DAMAGED),
    ...Array(13).fill('just some daemon chatter'),
  ];
  const path = write('untimed.log', `${lines.join('\n')}\n`);

  it('text (en and zh), JSON, NDJSON and HTML count the event whose stamp is impossible', async () => {
    const text = await runCli(['analyze', path]);
    expect(text.out).toContain('1 event without a usable time (their stamp is missing or impossible)');
    const zh = await runCli(['analyze', '--lang', 'zh', path]);
    expect(zh.out).toContain('1 个事件没有可用的时间(时间戳缺失或不可能)');
    const json = JSON.parse((await runCli(['analyze', '--json', path])).out);
    expect(json.span.untimedEvents).toBe(1);
    const ndjson = (await runCli(['analyze', '--ndjson', path])).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const metric = ndjson.find((d) => d.event.dataset === 'fwlens.untimed_events');
    expect(metric).toMatchObject({ event: { kind: 'metric' }, fwlens: { untimed_events: 1 } });
    const schemas = schemaValidator();
    expect(schemas.validate('untimed-events.schema.json', metric), schemas.errors()).toBe(true);
    // The untimed event carries the read time as @timestamp (ECS requires one), and says so.
    const untimed = ndjson.filter((d) => d.event.kind === 'event' && d.fwlens?.timestamp_basis === 'read');
    expect(untimed).toHaveLength(1);
    expect(untimed[0]['@timestamp']).toBe(untimed[0].event.created);
    const html = join(dir, 'untimed.html');
    await runCli(['analyze', '--html', html, path]);
    expect(readFileSync(html, 'utf8').includes('<span lang="en">1 event without a time</span>')).toBe(true);
  });

  it('the unparsed lists say how many more there are: text shows 20 of 26, HTML 10 of 26', async () => {
    const text = await runCli(['analyze', path]);
    expect(text.out).toContain('13 damaged firewall lines, 13 lines of no known format');
    expect(text.out).toContain('… and 6 more not shown');
    const zh = await runCli(['analyze', '--lang', 'zh', path]);
    expect(zh.out).toContain('… 另有 6 条未显示');
    const html = join(dir, 'unparsed.html');
    await runCli(['analyze', '--html', html, path]);
    const page = readFileSync(html, 'utf8');
    // Booleans, so a failure does not print the whole page.
    expect(page.includes('<span lang="zh">无法使用的日志行</span> (26)</summary>')).toBe(true);
    expect(page.includes('<span lang="en">… and 16 more not shown</span>')).toBe(true);
    expect(page.includes('<span lang="zh">… 另有 16 条未显示</span>')).toBe(true);
  });
});

describe('line-length cap in the outputs', () => {
  it('a 50 MB line is one damaged line in --json, its text a short prefix, not the line', async () => {
    const path = write(
      'huge-line.log',
      Buffer.concat([Buffer.from(`${UFW}\n`), Buffer.alloc(50 << 20, 'z')]),
    );
    const { code, out } = await runCli(['analyze', '--json', path]);
    expect(code).toBe(EXIT.ok);
    expect(out.length).toBeLessThan(64 * 1024);
    const report = JSON.parse(out);
    expect(report.totals).toMatchObject({ lines: 2, events: 1, malformed: 1 });
    expect(report.unparsed.malformed[0]).toMatchObject({
      line: 2,
      text: `${'z'.repeat(160)}…`,
      reasonText: { zh: '行过长:52,428,800 字节,超过上限 65536(--max-line-bytes)' },
    });
    const schemas = schemaValidator();
    expect(schemas.validate('report.schema.json', report), schemas.errors()).toBe(true);
    const zh = await runCli(['analyze', '--lang', 'zh', path]);
    expect(zh.out).toContain('huge-line.log:2: 行过长:52,428,800 字节');
  });

  it('--max-line-bytes sets the cap; a value under 256 is a usage error', async () => {
    const path = write('cap.log', `${UFW}\n${UFW} ${'x'.repeat(200)}\n`);
    const capped = JSON.parse((await runCli(['analyze', '--json', '--max-line-bytes', '300', path])).out);
    expect(capped.totals).toMatchObject({ events: 1, malformed: 1 });
    expect(capped.unparsed.malformed[0].reason).toMatch(/^line too long: \d+ bytes, over the limit of 300/);
    // Worker threads get the same cap: the report is the same on two threads.
    const threaded = await runCli(['analyze', '--json', '--workers', '2', '--max-line-bytes', '300', path]);
    expect(JSON.parse(threaded.out).totals).toEqual(capped.totals);
    const bad = await runCli(['analyze', '--max-line-bytes', '10', path]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toMatch(/--max-line-bytes/);
  });
});

describe('write errors end with one sentence and an exit code', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'stdout on a full disk (/dev/full): one sentence, exit 1, no stack trace',
    async () => {
      for (const [flags, sentence] of [
        ['', 'fwlens: cannot write to standard output: ENOSPC'],
        ['--json', 'fwlens: cannot write to standard output: ENOSPC'],
        ['--lang zh', 'fwlens: 无法写入标准输出:ENOSPC'],
      ]) {
        const { code, err } = await runShell(
          `FWLENS analyze ${flags} examples/sample.log`,
          openSync('/dev/full', 'w'),
        );
        expect(code).toBe(1);
        expect(err.trim().split('\n')).toHaveLength(1);
        expect(err).toContain(sentence);
      }
    },
  );

  it('a reader that stops early (EPIPE) stays quiet', async () => {
    const { code, err } = await runShell(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash expansion, not a template
      'FWLENS analyze --ndjson examples/sample.log | head -c 100 >/dev/null; exit ${PIPESTATUS[0]}',
    );
    expect([code, err]).toEqual([0, '']);
  });

  it('--html and --csv paths that cannot be written: one sentence each before the run, exit 3', async () => {
    const missing = join(dir, 'no-such-dir', 'report.html');
    const html = await runCli(['analyze', '--html', missing, SAMPLE]);
    expect(html.code).toBe(EXIT.outputError);
    expect(html.err.trim()).toBe(
      `fwlens: cannot write the HTML report to ${missing}: the folder ${join(dir, 'no-such-dir')} does not exist`,
    );
    // Said before the run: no report was made only to be thrown away.
    expect(html.out).toBe('');
    const csv = await runCli(['analyze', '--csv', dir, SAMPLE]);
    expect(csv.code).toBe(EXIT.outputError);
    expect(csv.err.trim()).toBe(
      `fwlens: cannot write the CSV of findings to ${dir}: it is a directory; give a file name`,
    );
    const zh = await runCli(['analyze', '--lang', 'zh', '--csv', dir, SAMPLE]);
    expect(zh.err.trim()).toBe(`fwlens: 无法把发现列表 CSV 写入 ${dir}:这是一个目录,请给出文件名`);
    if (existsSync('/sys/kernel/notes')) {
      const denied = await runCli(['analyze', '--html', '/sys/kernel/notes', SAMPLE]);
      expect(denied.code).toBe(EXIT.outputError);
      expect(denied.err.trim()).toBe(
        'fwlens: cannot write the HTML report to /sys/kernel/notes: permission denied',
      );
    }
  });

  it('a report file that fails while written (a full disk) still prints the report, exit 3', async () => {
    // /dev/full accepts the open and fails every write with ENOSPC, as a disk that filled up during the run.
    const full = await runCli(['analyze', '--json', '--html', '/dev/full', SAMPLE]);
    expect(full.code).toBe(EXIT.outputError);
    expect(full.err.trim()).toBe('fwlens: cannot write the HTML report to /dev/full: the disk is full');
    expect(JSON.parse(full.out).totals.events).toBeGreaterThan(1000);
  });

  it('a report written again keeps its file permissions', async () => {
    const { chmodSync, statSync } = await import('node:fs');
    const csv = join(dir, 'private-findings.csv');
    writeFileSync(csv, 'old');
    chmodSync(csv, 0o600);
    const r = await runCli(['analyze', '--no-context', '--csv', csv, SAMPLE]);
    expect(r.code).toBe(EXIT.ok);
    expect(readFileSync(csv, 'utf8')).toMatch(/^severity,detector,/);
    expect(statSync(csv).mode & 0o777).toBe(0o600);
  });

  it.runIf(process.getuid?.() === 0)(
    'a write that fails on a full file system leaves the old report whole and no temporary file',
    async () => {
      const { execFileSync } = await import('node:child_process');
      const { readdirSync } = await import('node:fs');
      const mnt = mkdtempSync(join(tmpdir(), 'fwlens-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', mnt]);
      try {
        const report = join(mnt, 'report.html');
        writeFileSync(report, 'yesterday');
        // Fill what is left, so the new report (hundreds of KB) cannot be written.
        writeFileSync(join(mnt, 'fill'), Buffer.alloc(100 * 1024));
        const r = await runCli(['analyze', '--html', report, SAMPLE]);
        expect(r.code).toBe(EXIT.outputError);
        expect(r.err.trim()).toBe(`fwlens: cannot write the HTML report to ${report}: the disk is full`);
        expect(r.out).toContain('fwlens report');
        expect(readFileSync(report, 'utf8')).toBe('yesterday');
        expect(readdirSync(mnt).sort()).toEqual(['fill', 'report.html']);
      } finally {
        execFileSync('umount', [mnt]);
      }
    },
  );
});

describe('inputs that cannot seek are read as streams', () => {
  it('/dev/stdin from a pipe, process substitution and a named FIFO', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').length - 1;
    const fifo = join(dir, 'fifo');
    for (const command of [
      'cat examples/sample.log | FWLENS analyze --json /dev/stdin',
      'FWLENS analyze --json <(cat examples/sample.log)',
      `mkfifo ${fifo}; cat examples/sample.log > ${fifo} & FWLENS analyze --json --workers 2 ${fifo}`,
    ]) {
      const { code, out, err } = await runShell(command);
      expect(err, command).toBe('');
      expect(code, command).toBe(0);
      expect(JSON.parse(out).totals.lines, command).toBe(lines);
    }
  });
});
