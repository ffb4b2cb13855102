// Terminal hygiene: ESC sequences, control and bidi characters from logs, file names and arguments never reach the terminal raw.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/main.js';
import { startConsole } from '../src/serve/server.js';
import { runCli } from './helpers.js';

/** A window-title change, a bell and a screen clear: what the issue saw `explain` print raw. */
const ESCAPES = '\x1b]0;PWNED\x07\x1b[2J';
const ESCAPES_SHOWN = '␛]0;PWNED␇␛[2J';
/** Right-to-left override: would reorder the rest of the line as the reader sees it. */
const RLO = '\u202e';

/** Any character a terminal could act on, or that reorders text: C0 but tab and line feed, DEL, C1, bidi. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectClean(text: string): void {
  const hit = RAW.exec(text);
  expect(hit && `U+${hit[0].charCodeAt(0).toString(16)} at ${hit.index}`).toBeNull();
}

const tmp = mkdtempSync(join(tmpdir(), 'fwlens-hygiene-'));

function ufwLine(second: number, prefix: string, host: string, inIf: string, port: number): string {
  return `Nov 25 16:${String(47 + Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')} ${host} kernel: [ 5950.659152] ${prefix} IN=${inIf} OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=198.51.100.60 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58600 DF PROTO=TCP SPT=57626 DPT=${port} WINDOW=64240 RES=0x00 SYN URGP=0 `;
}

describe('fwlens explain', () => {
  const line = ufwLine(13, `${ESCAPES}${RLO}[UFW BLOCK]`, 'vm', 'eth0', 23);

  it('a log line whose prefix carries ESC sequences and a bidi override: shown, not obeyed', async () => {
    for (const lang of ['en', 'zh']) {
      const { code, out, err } = await runCli(['explain', '--lang', lang, line]);
      expect(code).toBe(EXIT.ok);
      expectClean(out);
      expect(err).toBe('');
      expect(out).toContain(ESCAPES_SHOWN);
      expect(out).toContain('<U+202E>');
    }
  });

  it('a port query or --source value holding escapes: the error quotes it visibly', async () => {
    for (const args of [
      ['explain', `22${ESCAPES}`],
      ['explain', '--source', `${RLO}22`],
    ]) {
      const { code, out, err } = await runCli(args);
      expect(code).toBe(EXIT.usage);
      expect(out).toBe('');
      expectClean(err);
      expect(err).toMatch(/^fwlens: .*(␛\]0;PWNED␇␛\[2J|<U\+202E>22)/);
    }
  });

  it('a line that does not parse: the parser error sentence quotes nothing raw', async () => {
    const bad = ufwLine(13, '[UFW BLOCK]', 'vm', 'eth0', 23).replace('DPT=23', `DPT=99999${ESCAPES}`);
    const { err } = await runCli(['explain', bad]);
    expectClean(err);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('fwlens analyze', () => {
  // A vertical scan whose prefix, host name and interface carry escapes, and one damaged line with them.
  const lines = Array.from({ length: 40 }, (_, i) =>
    ufwLine(i, `${ESCAPES}[UFW ${RLO}BLOCK]`, `fw${RLO}gw`, `eth0${ESCAPES}`, 1000 + i),
  );
  lines.push(ufwLine(50, '[UFW BLOCK]', `fw${ESCAPES}`, 'eth0', 70_000));
  const file = join(tmp, `escapes${RLO}gol.log`);
  writeFileSync(file, `${lines.join('\n')}\n`);

  it('the text report shows the escapes of host names, raw lines and file names; nothing raw gets out', async () => {
    const { out, err } = await runCli(['analyze', file]);
    expectClean(out);
    expectClean(err);
    expect(out).toContain(`fw${ESCAPES_SHOWN} kernel`);
    expect(out).toContain('escapes<U+202E>gol.log');
  });

  it('with colour forced, the only ESC sequences are the report’s own colours', async () => {
    const { out } = await runCli(['analyze', file], { env: { LANG: 'en_US.UTF-8', FORCE_COLOR: '1' } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: our own bold heading
    expect(out).toMatch(/\x1b\[1m/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing our own SGR colour codes
    expectClean(out.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(out).toContain(ESCAPES_SHOWN);
  });

  it('a missing file whose NAME holds escapes: one sentence that shows them', async () => {
    for (const lang of ['en', 'zh']) {
      const name = join(tmp, `missing${ESCAPES}${RLO}.log`);
      const { code, out, err } = await runCli(['analyze', '--lang', lang, name]);
      expect(code).toBe(EXIT.inputError);
      expectClean(out);
      expectClean(err);
      expect(err).toContain(`missing${ESCAPES_SHOWN}<U+202E>.log`);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a bad flag value and an unknown option holding escapes: usage errors show them', async () => {
    for (const lang of ['en', 'zh']) {
      for (const args of [
        ['analyze', '--top', `5${ESCAPES}`, file],
        ['analyze', `--x${ESCAPES}`, file],
        ['analyze', '--src', `10.0.0.0/8${RLO}`, file],
      ]) {
        const { code, err } = await runCli([...args, '--lang', lang]);
        expect(code).toBe(EXIT.usage);
        expectClean(err);
        expect(err).toMatch(/␛\[2J|<U\+202E>/);
      }
    }
  });
});

describe('JSON output', () => {
  // C1 (the 8-bit CSI) and a bidi override, which JSON.stringify would leave raw.
  const line = ufwLine(13, `\u009b2J${RLO}[UFW BLOCK]`, 'vm', 'eth0', 23);
  const file = join(tmp, 'c1.log');
  writeFileSync(file, `${line}\n`);

  it('--ndjson, --json and explain --json escape them, and the data reads back unchanged', async () => {
    const ndjson = await runCli(['analyze', '--ndjson', file]);
    const json = await runCli(['analyze', '--json', file]);
    const explained = await runCli(['explain', '--json', line]);
    for (const r of [ndjson, json, explained]) {
      expect(r.code).toBe(EXIT.ok);
      expectClean(r.out);
    }
    expect(ndjson.out).toContain('\\u009b2J\\u202e[UFW BLOCK]');
    expect(JSON.parse(ndjson.out.split('\n')[0]!).event.original).toBe(line);
    expect(JSON.parse(json.out).notable[0].raw).toBe(line);
    expect(JSON.parse(explained.out).event.prefix).toContain(`\u009b2J${RLO}`);
  });
});

describe('a log file name with escapes, C1, bidi, a line feed and markup, through the store', () => {
  // What an attacker who can name a file under a followed or ingested folder could choose (no `/`, no `[`).
  const NAME = `fw${ESCAPES}\u009b31m${RLO}x\n<img src=x onerror=alert(1)>.log`;
  const NAME_SHOWN = `fw${ESCAPES_SHOWN}<U+009B>31m<U+202E>x␊<img src=x onerror=alert(1)>.log`;
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-hygiene-store-'));
  const log = join(dir, NAME);
  writeFileSync(log, `${ufwLine(1, '[UFW BLOCK]', 'fw', 'eth0', 22)}\nnot a firewall line\n`);
  const store = join(dir, 'store.duckdb');

  it('query shows it visibly in tables and CSV and exactly in JSON; the console likewise in its views and exports', async () => {
    expect((await runCli(['ingest', '--store', store, log])).code).toBe(EXIT.ok);
    const sql = (...flags: string[]) =>
      runCli([
        'query',
        '--store',
        store,
        ...flags,
        '--sql',
        'SELECT i.path, u.text FROM inputs i JOIN unparsed u ON u.file_id = i.id',
      ]);
    const [table, csv, json] = await Promise.all([sql(), sql('--csv'), sql('--json')]);
    for (const r of [table, csv, json]) {
      expect(r.code).toBe(EXIT.ok);
      expectClean(r.out.replace(/\r\n/g, '\n'));
    }
    expect(table.out).toContain(NAME_SHOWN);
    expect(csv.out).toContain(NAME_SHOWN.replace('␊', '\n'));
    expect(JSON.parse(json.out)[0].path).toBe(log);

    const app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en' });
    try {
      const get = async (path: string) => (await fetch(new URL(path, app.url))).text();
      const unparsed = await get('/api/unparsed');
      const events = await get('/api/events');
      const exportCsv = await get('/api/export?format=csv');
      const exportNdjson = await get('/api/export?format=ndjson');
      for (const body of [unparsed, events, exportNdjson]) expectClean(body);
      expectClean(exportCsv.replace(/\r\n/g, '\n'));
      expect(JSON.parse(unparsed).rows[0].file).toBe(visibleFile(log));
      expect(events).toContain(JSON.stringify(visibleFile(log)).slice(1, -1));
      expect(exportCsv).toContain(NAME_SHOWN.replace('␊', '\n'));
      expect(JSON.parse(exportNdjson.split('\n')[0]!).file).toBe(log);
    } finally {
      await app.close();
    }
  });

  /** The path as the console's views show it: made visible (src/util/visible.ts). */
  const visibleFile = (path: string) => path.replace(NAME, NAME_SHOWN);
});

describe('fwlens formats', () => {
  it('prints every format’s example line with nothing a terminal could act on', async () => {
    const { code, out } = await runCli(['formats']);
    expect(code).toBe(EXIT.ok);
    expectClean(out);
  });
});
