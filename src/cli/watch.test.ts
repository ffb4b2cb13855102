// `fwlens watch` in-process: stdin as a source, English and Chinese alert lines, hostile text made visible, usage errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;
/** Each run its own state directory: announced findings are remembered per state directory. */
const env = (lang = 'en_US.UTF-8') => ({ LANG: lang, XDG_STATE_HOME: join(dir, `run-${++runs}`) });

const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
const scan = Array.from(
  { length: 12 },
  (_, k) =>
    `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.66 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${6000 + k} WINDOW=1024 SYN URGP=0`,
).join('\n');

describe('fwlens watch -', () => {
  it('reads stdin to its end, announces once, and tells unparsed lines with their line number, made visible', async () => {
    const r = await runCli(['watch', '-'], { stdin: `${scan}\n\x1b[2Jhostile\n`, env: env() });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.filter((l) => l.includes('Vertical port scan'))).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^fwlens \[3 medium\] new vertical-scan: Vertical port scan.*; from 203\.0\.113\.66; 12 events/,
    );
    expect(r.err).toContain('(stdin):13: no known firewall log format: ␛[2Jhostile');
    expect(r.err).not.toContain('\x1b');
    expect(r.err).toMatch(/stopped: 13 lines, 12 events, 1 unparsed/);
  });

  it('speaks Chinese with --lang zh, and writes ECS NDJSON with --json', async () => {
    const zh = await runCli(['watch', '-', '--lang', 'zh'], { stdin: `${scan}\n`, env: env() });
    expect(zh.out).toMatch(
      /^fwlens \[3 中\] 新告警 vertical-scan:纵向端口扫描.*来源 203\.0\.113\.66;12 条事件/,
    );
    const json = await runCli(['watch', '-', '--json'], { stdin: `${scan}\n`, env: env() });
    const docs = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const vs = docs.find((d) => d.rule.id === 'vertical-scan');
    expect(vs.event.kind).toBe('alert');
    expect(vs.fwlens.alert.kind).toBe('new');
    expect(vs.source.ip).toBe('203.0.113.66');
  });

  it('--ndjson and --exec given twice each make two sinks (the last alone was kept)', async () => {
    const a = join(dir, 'twice-a.ndjson');
    const b = join(dir, 'twice-b.ndjson');
    const hits = join(dir, 'twice-hits.txt');
    const script = join(dir, 'twice-hook.sh');
    writeFileSync(script, `#!/bin/sh\necho "$1" >> '${hits}'\n`, { mode: 0o755 });
    const hook = (tag: string) => `${script} ${tag}`;
    const r = await runCli(
      ['watch', '-', '--quiet', '--ndjson', a, '--ndjson', b, '--exec', hook('one'), '--exec', hook('two')],
      { stdin: `${scan}\n`, env: env() },
    );
    expect(r.code).toBe(0);
    for (const f of [a, b])
      expect(JSON.parse(readFileSync(f, 'utf8').split('\n')[0]!).rule.id).toBe('vertical-scan');
    expect(readFileSync(hits, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['one', 'two']);
  });

  it('--ndjson - puts the documents on stdout and the alert lines on stderr; --quiet silences the lines', async () => {
    const both = await runCli(['watch', '-', '--ndjson', '-'], { stdin: `${scan}\n`, env: env() });
    expect(JSON.parse(both.out.trim().split('\n')[0]!).rule.id).toBe('vertical-scan');
    expect(both.err).toMatch(/fwlens \[3 medium\] new vertical-scan/);
    const quiet = await runCli(['watch', '-', '--quiet', '--ndjson', '-'], {
      stdin: `${scan}\n`,
      env: env(),
    });
    expect(quiet.err).not.toMatch(/new vertical-scan/);
    expect(quiet.out).toContain('"vertical-scan"');
  });

  it('a bad alert flag is one sentence with exit code 2', async () => {
    const r = await runCli(['watch', '-', '--apply'], { stdin: `${scan}\n`, env: env() });
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^fwlens: .*--apply/);
  });

  it('tells a damaged line as analyze does: its line number, the reason and the limit, the text cut', async () => {
    const long = `x${'y'.repeat(70_000)}`;
    const r = await runCli(['watch', '-', '--max-line-bytes', '65536'], {
      stdin: `${scan}\n${long}\nab\0\0cd\n`,
      env: env(),
    });
    expect(r.err).toMatch(
      /\(stdin\):13: line too long: 70,001 bytes, over the limit of 65536 \(--max-line-bytes\): xy+…/,
    );
    expect(r.err).toContain('(stdin):14: NUL bytes in line: ab␀cd');
    expect(r.err.length).toBeLessThan(2000);
  });

  it('--min-severity keeps weaker findings quiet', async () => {
    const r = await runCli(['watch', '-', '--min-severity', 'critical'], { stdin: `${scan}\n`, env: env() });
    expect(r.out).toBe('');
  });
});

describe('fwlens watch usage', () => {
  it('says what is wrong in one sentence with exit code 2', async () => {
    expect(await runCli(['watch'], { env: env() })).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^fwlens: nothing to watch/),
    });
    const bad = await runCli(['watch', '--listen', 'http://x:1'], { env: env() });
    expect(bad).toMatchObject({
      code: 2,
      err: 'fwlens: --listen http://x:1 is not udp://HOST:PORT or tcp://HOST:PORT\n',
    });
    const tls = await runCli(['watch', '--listen', 'tcp://:6514', '--tls-cert', 'c.pem'], { env: env() });
    expect(tls.code).toBe(2);
    // An unknown format is the user's to fix, as in analyze (it was an "unexpected failure" with exit 1).
    expect(await runCli(['watch', '--format', 'nosuch', '-'], { stdin: '', env: env() })).toMatchObject({
      code: 2,
      err: 'fwlens: unknown format "nosuch"; run `fwlens formats` to see the formats fwlens reads\n',
    });
  });

  it('refuses a log that --store took for its store, and leaves the log as it was', async () => {
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${scan}\n`);
    for (const args of [
      ['watch', '--store', log],
      ['watch', join(dir, 'other.log'), '--store', log],
    ]) {
      const r = await runCli(args, { env: env() });
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `fwlens: --store took ${log} for the store to write, but it is not a store: name the store with --store=PATH, or put --store after the files to watch\n`,
      );
    }
    expect(readFileSync(log, 'utf8')).toBe(`${scan}\n`);
  });

  it('--status shows what the watcher last wrote: positions, counts, alert times as times', async () => {
    const state = join(dir, 'status-run');
    const r = await runCli(['watch', '-', '--state-dir', state], { stdin: `${scan}\n`, env: env() });
    expect(r.code).toBe(0);
    const status = await runCli(['watch', '--status', '--state-dir', state], { env: env() });
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/counts: lines 12, events 12/);
    expect(status.out).toMatch(/last_alert_at \d{4}-\d\d-\d\dT/);
    expect(status.out).toMatch(/last alert: .* new Vertical port scan/);
  });

  it('--status of a watcher that is gone says so with exit code 1, and still shows what it wrote last', async () => {
    const state = join(dir, 'gone-run');
    expect(
      (await runCli(['watch', '-', '--state-dir', state], { stdin: `${scan}\n`, env: env() })).code,
    ).toBe(0);
    // The status as a watcher process that has exited left it: its pid is no process now.
    const file = join(state, 'status.json');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: dead }));
    const r = await runCli(['watch', '--status', '--state-dir', state], { env: env() });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^fwlens: the watcher of .*gone-run \\(pid ${dead}\\) is not running;`));
    expect(r.out).toMatch(new RegExp(`^pid ${dead} \\(not running\\), status written `));
    expect(r.out).toMatch(/counts: lines 12, events 12/);
    const j = await runCli(['watch', '--status', '--json', '--state-dir', state], { env: env() });
    expect([j.code, JSON.parse(j.out).running]).toEqual([1, false]);
  });

  it('--status without a running watcher says so with exit code 1', async () => {
    const r = await runCli(['watch', '--status', '--state-dir', join(dir, 'nothing')], { env: env() });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no status in .*nothing/);
  });
});
