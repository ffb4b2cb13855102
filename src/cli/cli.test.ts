// The CLI as a user drives it: real arguments, real files, bad input; exit codes and one-sentence errors.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../test/helpers.js';
import { EXIT } from './main.js';

const FIX = join(ROOT, 'test', 'fixtures', 'netfilter');
const tmp = mkdtempSync(join(tmpdir(), 'fwlens-cli-'));

function cli(args: string[], stdin?: string) {
  return runCli(args, { stdin });
}

/** One clear sentence: a single line, prefixed, and no stack trace. */
function expectOneSentence(err: string) {
  const lines = err.trim().split('\n');
  expect(lines.length).toBe(1);
  expect(lines[0]).toMatch(/^fwlens: /);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('fwlens analyze', () => {
  it('reports a real log: inputs, counts, notable events', async () => {
    const { code, out, err } = await cli(['analyze', join(FIX, 'lab-ufw-rsyslog.log')]);
    expect(err).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(out).toContain('79 lines, 79 events, 0 unparsed');
    expect(out).toMatch(/Top destination ports/);
  });

  it('--json gives the same report as one JSON document', async () => {
    const { code, out } = await cli(['analyze', '--json', join(FIX, 'lab-ufw-rsyslog.log')]);
    expect(code).toBe(EXIT.ok);
    const doc = JSON.parse(out);
    expect(doc.totals.events).toBe(79);
    expect(doc.inputs[0].formats).toEqual({ netfilter: 79 });
    expect(doc.topPorts.length).toBeGreaterThan(0);
  });

  it('reads standard input with -', async () => {
    const line =
      'Nov 25 16:47:51 vm kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=1 PROTO=TCP SPT=1000 DPT=27374 WINDOW=1024 RES=0x00 SYN URGP=0 \n';
    const { code, out } = await cli(['analyze', '--json', '-'], line.repeat(3));
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out).totals.events).toBe(3);
  });

  it('lists damaged lines with their numbers and still reports the rest', async () => {
    const { code, out, err } = await cli(['analyze', join(FIX, 'dialects.log'), join(FIX, 'reject.log')]);
    expect(code).toBe(EXIT.inputError);
    expect(err).toMatch(/reject\.log: every firewall line was damaged \(8 lines\)/);
    // The report wraps long lines at 80 columns (where depends on the checkout's path length).
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/reject\.log:1: SPT=70000 is out of range/);
    expect(flat).toMatch(/reject\.log:3: TTL=999 is out of range/);
  });

  it('a missing file: one sentence, exit 1', async () => {
    const r = await cli(['analyze', join(tmp, 'missing.log')]);
    expect(r.code).toBe(EXIT.inputError);
    expectOneSentence(r.err);
    expect(r.err).toMatch(/no such file/);
  });

  it('an empty file, a binary file and a file that is not a firewall log', async () => {
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const bin = join(tmp, 'a.out');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    const prose = join(tmp, 'notes.txt');
    writeFileSync(prose, 'Dear diary,\nthe firewall was quiet today.\n');
    for (const [path, msg] of [
      [empty, /is empty/],
      [bin, /binary file/],
      [prose, /does not look like a firewall log/],
    ] as const) {
      const r = await cli(['analyze', path]);
      expect(r.code).toBe(EXIT.inputError);
      expectOneSentence(r.err);
      expect(r.err).toMatch(msg);
    }
  });

  it('wrong flags and values: one sentence, exit 2', async () => {
    for (const args of [
      ['analyze', '--bogus', 'x.log'],
      ['analyze', '--top', '0', join(FIX, 'dialects.log')],
      ['analyze', '--tz', 'Mars/Olympus', join(FIX, 'dialects.log')],
      ['analyze', '--format', 'nope', join(FIX, 'dialects.log')],
      ['analyze'],
      ['frobnicate'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expect(r.err, args.join(' ')).toMatch(/^fwlens: /);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('a hostile detection config (garbage, alias bomb, deep nesting, escapes in a key, a 50 MB line): one sentence, exit 2', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => {
        const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
        return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`;
      }),
      'allowList: *i',
    ].join('\n');
    const cases: [string, string | Buffer, RegExp][] = [
      ['garbage', garbage, /detection config/],
      ['laughs', laughs, /is not valid YAML \(Excessive alias count/],
      ['deep', `allowList: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /is not valid YAML/],
      ['key', '"\u001b[2J\u009b\u202e<b>": 1\n', /Unrecognized key: "␛\[2J<U\+009B><U\+202E><b>"$/],
      ['long', `allowList: [${'1'.repeat(50_000_000)}]\n`, /at allowList\.0: /],
    ];
    for (const [name, text, why] of cases) {
      const path = join(tmp, `hostile-${name}.yaml`);
      writeFileSync(path, text);
      const started = performance.now();
      const r = await cli(['analyze', join(FIX, 'dialects.log'), '--config', path]);
      expect(performance.now() - started, name).toBeLessThan(20_000);
      expect(r.code, name).toBe(EXIT.usage);
      expectOneSentence(r.err);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: raw controls are what must not be printed
      expect(r.err, name).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(r.err.trim(), name).toMatch(why);
      expect(r.err.length, name).toBeLessThan(1000);
    }
  }, 120_000);

  it('a bad detection config: one sentence naming the file once and the setting, exit 2', async () => {
    const cases: [string, RegExp][] = [
      ['maxFindingsPerDetector: 3\n', /at maxFindingsPerDetector: Too small: expected number to be >=10$/],
      ['detectors: {portscan: {}}\n', /at detectors\.portscan: unknown detector/],
      ['trustedNetworks: [\n', /is not valid YAML/],
    ];
    for (const [text, why] of cases) {
      const path = join(tmp, `bad-${cases.findIndex((c) => c[0] === text)}.yaml`);
      writeFileSync(path, text);
      const r = await cli(['analyze', join(FIX, 'dialects.log'), '--config', path]);
      expect(r.code, text).toBe(EXIT.usage);
      expectOneSentence(r.err);
      expect(r.err.trim()).toMatch(why);
      expect(r.err.split(path).length - 1, r.err).toBe(1);
    }
    const missing = await cli(['analyze', join(FIX, 'dialects.log'), '--config', join(tmp, 'none.yaml')]);
    expect(missing.code).not.toBe(0);
    expectOneSentence(missing.err);
    expect(missing.err).toMatch(/none\.yaml: cannot read detection config/);
    // ingest and watch read --config the same way and say the same sentence before touching a store or a source.
    const bad = join(tmp, 'bad-0.yaml');
    const analyzed = await cli(['analyze', join(FIX, 'dialects.log'), '--config', bad]);
    for (const args of [
      ['ingest', '--store', join(tmp, 'never.duckdb'), join(FIX, 'dialects.log'), '--config', bad],
      ['watch', '--state-dir', join(tmp, 'never-state'), join(FIX, 'dialects.log'), '--config', bad],
    ]) {
      const r = await cli(args);
      expect([r.code, r.err], args[0]).toEqual([EXIT.usage, analyzed.err]);
    }
    expect(existsSync(join(tmp, 'never.duckdb'))).toBe(false);
  });
});

describe('fwlens explain', () => {
  it('explains a seed port and a source port', async () => {
    const bo = await cli(['explain', '31337']);
    expect(bo.code).toBe(EXIT.ok);
    expect(bo.out).toMatch(/Back Orifice/);
    const dns = await cli(['explain', '53', '--source']);
    expect(dns.code).toBe(EXIT.ok);
    expect(dns.out).toMatch(/DNS/);
  });

  it('answers in Chinese with --lang zh', async () => {
    const r = await cli(['explain', '6970/udp', '--lang', 'zh']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/[\u4e00-\u9fff]/);
    expect(r.out).toMatch(/RealAudio/);
  });

  it('rejects impossible ports in one sentence', async () => {
    const r = await cli(['explain', '70000']);
    expect(r.code).toBe(EXIT.usage);
    expectOneSentence(r.err);
  });
});

describe('fwlens formats', () => {
  it('lists every format with an example', async () => {
    const r = await cli(['formats', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const list = JSON.parse(r.out);
    expect(list.map((f: { id: string }) => f.id)).toContain('netfilter');
    expect(list[0].fields).toContain('source.ip');
  });

  it('shows an example written over several lines as lines, aligned and ready to paste into explain', async () => {
    const r = await cli(['formats']);
    const block = r.out.slice(r.out.indexOf('nftables-trace  ')).split('\n\n')[0]!.split('\n');
    const at = block.findIndex((l) => l.startsWith('  example: '));
    const first = block[at]!.slice('  example: '.length);
    const second = block[at + 1]!;
    expect(second).toMatch(/^ {11}trace id /);
    const pasted = await cli(['explain', `${first}\n${second.trim()}`]);
    expect([pasted.code, pasted.err]).toEqual([EXIT.ok, '']);
    expect(pasted.out).toMatch(/^Dropped TCP from 198\.51\.100\.60 to 192\.0\.2\.10 port 22/);
  });
});

describe('long paths in the terminal report', () => {
  it('keep the file name and line number readable', async () => {
    const { displayPath } = await import('../report/text.js');
    const long = '/srv/archive/firewalls/edge-01/2026/11/25/rotated/kern.log.3';
    expect(displayPath(long, '/home/me')).toMatch(/….*\/kern\.log\.3$/);
    expect(displayPath(long, '/home/me').length).toBeLessThanOrEqual(44);
    expect(displayPath('/home/me/fw/test/a.log', '/home/me/fw')).toBe('test/a.log');
  });
});
