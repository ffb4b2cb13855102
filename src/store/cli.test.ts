// ingest, query and analyze --store as a user runs them: real store files, exit codes, one-sentence errors.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generate.js';
import { ROOT, runCli, ttyStream } from '../../test/helpers.js';
import { runCliProcess } from '../../test/support/cli-child.js';
import { parseByteSize } from '../cli/ingest.js';
import { EXIT, run } from '../cli/main.js';
import { stripAnsi } from '../report/text.js';
import { leaveSummariesPending, netfilterLine } from './contract.js';

const SAMPLE = join(ROOT, 'examples', 'sample.log');

/** The newest event time of each input in a store, read with SQL through the CLI. */
async function inputsLastTimes(store: string): Promise<number[]> {
  const r = await runCli(['query', '--store', store, '--json', '--sql', 'SELECT last_ts FROM inputs']);
  return (JSON.parse(r.out) as { last_ts: number | string }[]).map((row) => Number(row.last_ts));
}
const tmp = () => mkdtempSync(join(tmpdir(), 'fwlens-store-cli-'));

/** One clear sentence: a single line, prefixed, and no stack trace. */
function expectOneSentence(err: string) {
  const lines = err.trim().split('\n');
  expect(lines.length).toBe(1);
  expect(lines[0]).toMatch(/^fwlens: /);
  expect(err).not.toMatch(/\n\s+at /);
}

/** Run the CLI from source in a real child process. */
const runProcess = runCliProcess;

describe('fwlens ingest → query → analyze --store on the sample', async () => {
  const dir = tmp();
  const store = join(dir, 'fwlens.duckdb');
  const first = await runCli(['ingest', '--store', store, SAMPLE]);
  // What the store must agree with: the report of the file itself (the sample grows now and then).
  const fileReport = JSON.parse((await runCli(['analyze', '--json', '--workers', '1', SAMPLE])).out) as {
    totals: { lines: number; events: number; malformed: number; unrecognized: number };
    topPorts: { transport: string; port: number; events: number }[];
  };
  const { totals } = fileReport;
  const [port1, port2] = fileReport.topPorts as [
    { transport: string; port: number; events: number },
    { transport: string; port: number; events: number },
  ];
  const portKey = (p: { transport: string; port: number }) => `${p.port}/${p.transport}`;

  it('ingest says what it stored; again, that nothing is new', async () => {
    expect(first.code).toBe(EXIT.ok);
    expectOneSentence(first.err);
    expect(first.err).toMatch(
      new RegExp(
        `sample\\.log: ${totals.lines.toLocaleString('en-US')} lines, ${totals.events.toLocaleString('en-US')} events, ${totals.malformed + totals.unrecognized} unparsed, \\d+ findings? stored`,
      ),
    );
    const again = await runCli(['ingest', '--store', store, SAMPLE]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.err).toBe(`fwlens: ${SAMPLE}: nothing new since the last run\n`);
  });

  it('analyze --store gives the same JSON report as analyze of the file', async () => {
    const fromFile = await runCli(['analyze', '--json', '--workers', '1', SAMPLE]);
    const fromStore = await runCli(['analyze', '--json', `--store=${store}`]);
    expect(fromStore.code).toBe(fromFile.code);
    expect(JSON.parse(fromStore.out)).toEqual(JSON.parse(fromFile.out));
    // The text report too.
    const textFile = await runCli(['analyze', '--workers', '1', SAMPLE]);
    const textStore = await runCli(['analyze', `--store=${store}`]);
    expect(textStore.out).toBe(textFile.out);
  });

  it('analyze --store --since keeps the window and says what it left out', async () => {
    const r = await runCli(['analyze', '--json', `--store=${store}`, '--since', '2026-11-21T16:20:00Z']);
    const doc = JSON.parse(r.out);
    expect(doc.filters.applied.length).toBeGreaterThan(0);
    expect(doc.filters.excluded).toBeGreaterThan(0);
  });

  it('query ip: counts, ports, findings and the explanation of its most common port', async () => {
    const r = await runCli(['query', '--store', store, 'ip', '203.0.113.66']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toBe('');
    expect(r.out).toMatch(
      /^203\.0\.113\.66\nevents\s+first seen\s+last seen\n200\s+2026-11-21T16:20:03\.000Z/,
    );
    expect(r.out).toContain('vertical-scan');
    expect(r.out).toContain('Port 21/TCP: FTP');
    const j = JSON.parse((await runCli(['query', '--store', store, '--json', 'ip', '203.0.113.66'])).out);
    expect(j).toMatchObject({ ip: '203.0.113.66', events: 200, firstSeen: '2026-11-21T16:20:03.000Z' });
    expect(j.findings[0].detector).toBe('vertical-scan');
  });

  it('query ip says who is behind the address, as explain does: owner, country, research scanner, special range', async () => {
    // The sample's Shadowserver source (known by its AS number) and a documentation address.
    const r = await runCli(['query', '--store', store, 'ip', '45.143.160.27']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^45\.143\.160\.27 belongs to AS22168 \(The Shadowserver Foundation, Inc\.\)/m);
    expect(r.out).toContain('45.143.160.27 is a known research scanner: Shadowserver Foundation.');
    const zh = await runCli(['query', '--store', store, '--lang', 'zh', 'ip', '45.143.160.27']);
    expect(zh.out).toContain('45.143.160.27 是已知的研究型扫描器:Shadowserver 基金会。');
    const j = JSON.parse((await runCli(['query', '--store', store, '--json', 'ip', '45.143.160.27'])).out);
    expect(j.context).toMatchObject({ as: { number: 22168 }, scanner: { id: 'shadowserver', by: 'asn' } });
    const doc = await runCli(['query', '--store', store, 'ip', '203.0.113.66']);
    expect(doc.out).toContain('203.0.113.66 is in a documentation range');
    // A network has no one owner: no such lines, no context in JSON.
    const net = JSON.parse((await runCli(['query', '--store', store, '--json', 'ip', '203.0.113.0/24'])).out);
    expect(net.context).toBeUndefined();
    // --geoip-db is the country data of `ip` too: a damaged one is said, as analyze says it, and the owner stays.
    const damaged = join(mkdtempSync(join(tmpdir(), 'fwlens-query-geo-')), 'damaged.mmdb');
    writeFileSync(damaged, 'not a MaxMind database\n');
    const geo = await runCli(['query', '--store', store, '--geoip-db', damaged, 'ip', '45.143.160.27']);
    expect(geo.code).toBe(EXIT.ok);
    expect(geo.err).toMatch(
      new RegExp(
        `^fwlens: The country database ${damaged} cannot be read \\(.+\\), so the report goes on without countries\\.\n$`,
      ),
    );
    expect(geo.out).toMatch(
      /^45\.143\.160\.27 belongs to AS22168 \(The Shadowserver Foundation, Inc\.\)\.$/m,
    );
  });

  it('query ip of a network: the findings of its sources, the most severe first, as many as --limit', async () => {
    const j = JSON.parse((await runCli(['query', '--store', store, '--json', 'ip', '203.0.113.0/24'])).out);
    const all = j.findings as { severity: number; sources: string[]; title: { en: string } }[];
    expect(all.length).toBeGreaterThan(3);
    for (const f of all) expect(f.sources.some((s) => s.startsWith('203.0.113.'))).toBe(true);
    const r = await runCli(['query', '--store', store, 'ip', '203.0.113.0/24', '--limit', '2']);
    expect(r.code).toBe(EXIT.ok);
    const table = r.out.slice(r.out.indexOf('\nfindings')).split('\n').slice(1, 6);
    expect(table[0]).toBe(`findings (2 of ${all.length}; --limit ${all.length} or --json for all)`);
    const top = Math.max(...all.map((f) => f.severity));
    expect(table[2]).toMatch(new RegExp(`^\\S+\\s+${top}\\s`));
    expect(table[3]).toMatch(/^\S+\s+\d\s/);
    expect(table[4]).toBe('');
  });

  it('query ip --csv: one cell per line, every line of four fields, the same figures as --json', async () => {
    const csv = (await runCli(['query', '--store', store, '--csv', 'ip', '203.0.113.66'])).out;
    const j = JSON.parse((await runCli(['query', '--store', store, '--json', 'ip', '203.0.113.66'])).out);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,row,column,value');
    // Four fields each (no field here holds a comma: the titles are quoted when they do).
    for (const l of lines.filter((x) => !x.includes('"'))) expect(l.split(',')).toHaveLength(4);
    expect(lines).toContain(`203.0.113.66,1,events,${j.events}`);
    expect(lines).toContain(`ports,1,port,${j.ports[0].key}`);
    expect(lines).toContain(`ports,1,events,${j.ports[0].count}`);
    expect(lines).toContain(`findings,1,detector,${j.findings[0].detector}`);
  });

  it('query port 22/tcp counts one transport, and --limit shortens every list of ip and port', async () => {
    const all = JSON.parse((await runCli(['query', '--store', store, '--json', 'port', '22'])).out);
    const tcp = JSON.parse((await runCli(['query', '--store', store, '--json', 'port', '22/tcp'])).out);
    const want = all.transports.find((x: { key: string }) => x.key === 'tcp').count;
    expect(tcp.events).toBe(want);
    expect(tcp.transports).toEqual([{ key: 'tcp', count: want }]);
    const short = JSON.parse(
      (await runCli(['query', '--store', store, '--json', '--limit', '2', 'port', '22'])).out,
    );
    expect([short.sources.length, short.targets.length]).toEqual([
      Math.min(2, all.sources.length),
      Math.min(2, all.targets.length),
    ]);
    expect(short.sources).toEqual(all.sources.slice(0, 2));
    const ip = JSON.parse(
      (await runCli(['query', '--store', store, '--json', '--limit', '1', 'ip', '203.0.113.66'])).out,
    );
    expect([ip.ports.length, ip.targets.length]).toEqual([1, 1]);
    const bad = await runCli(['query', '--store', store, 'port', '22/']);
    expect([bad.code, bad.err]).toEqual([
      2,
      'fwlens: 22/ is not a port number (0-65535), optionally with its transport (22/tcp; tcp, udp, sctp, udplite or dccp)\n',
    ]);
  });

  it('query port, top (table, JSON, CSV), new-sources', async () => {
    const port = await runCli(['query', '--store', store, '--json', 'port', '22']);
    const p = JSON.parse(port.out);
    expect(p.events).toBe(p.transports.reduce((n: number, t: { count: number }) => n + t.count, 0));
    expect(port1.port).toBe(22);
    expect(p.transports).toContainEqual({ key: 'tcp', count: port1.events });
    const top = await runCli(['query', '--store', store, '--json', 'top', '--by', 'port', '--limit', '2']);
    expect(JSON.parse(top.out)).toEqual([
      { key: portKey(port1), count: port1.events },
      { key: portKey(port2), count: port2.events },
    ]);
    const csv = await runCli(['query', '--store', store, '--csv', 'top', '--by', 'port', '--limit', '2']);
    expect(csv.out).toBe(
      `port,events\r\n${portKey(port1)},${port1.events}\r\n${portKey(port2)},${port2.events}\r\n`,
    );
    const text = await runCli(['query', '--store', store, 'top', '--by', 'rule', '--limit', '1']);
    expect(text.out).toMatch(/^top rules\nrule\s+events\n\S/);
    // The sample is from the past: nothing of it is new in the last day, everything since 2020.
    const none = await runCli(['query', '--store', store, '--json', 'new-sources', '--since', '1d']);
    expect(JSON.parse(none.out)).toEqual([]);
    const all = await runCli([
      'query',
      '--store',
      store,
      '--json',
      'new-sources',
      '--since',
      '2020-01-01',
      '--limit',
      '3',
    ]);
    expect(JSON.parse(all.out).length).toBe(3);
    // The table says what it counts: a source's events with a time (query ip counts the untimed ones too).
    const table = await runCli([
      'query',
      '--store',
      store,
      'new-sources',
      '--since',
      '2020-01-01',
      '--limit',
      '1',
    ]);
    // And who the source is (its owner, country and labels, as the report's top sources say it).
    expect(table.out.split('\n')[1]).toMatch(/^source\s+first seen\s+events with a time\s+who$/);
  });

  it('a --since window after every stored event: says when the newest is and which --since reaches it', async () => {
    for (const args of [
      ['top', '--by', 'port'],
      ['port', '22'],
      ['ip', '203.0.113.66'],
    ]) {
      const r = await runCli(['query', '--store', store, '--json', ...args, '--since', '1d']);
      expect(r.code).toBe(EXIT.ok);
      expectOneSentence(r.err);
      const newest = Math.max(...(await inputsLastTimes(store)));
      expect(r.err).toContain(`the newest stored event is from ${new Date(newest).toISOString()}`);
      const suggest = /--since (\d+d) reaches it/.exec(r.err)?.[1];
      expect(suggest).toBeDefined();
      // The age it suggests reaches the newest events: a ranking of them has rows, and nothing more is said.
      const reached = await runCli([
        'query',
        '--store',
        store,
        '--json',
        'top',
        '--by',
        'port',
        '--since',
        suggest!,
      ]);
      expect(reached.err).toBe('');
      expect(JSON.parse(reached.out).length).toBeGreaterThan(0);
    }
    // An empty answer inside the stored span is an answer, not a mistake: nothing is said.
    const quiet = await runCli(['query', '--store', store, 'port', '65000', '--since', '2020-01-01']);
    expect(quiet.out).toContain('(none)');
    expect(quiet.err).toBe('');
  });

  it('speaks Chinese with --lang zh, the data as it is', async () => {
    const r = await runCli([
      'query',
      '--store',
      store,
      '--lang',
      'zh',
      'top',
      '--by',
      'port',
      '--limit',
      '1',
    ]);
    expect(r.out).toMatch(new RegExp(`^端口排行\n端口\\s+事件数\n22/tcp\\s+${port1.events}\n$`));
  });

  it('query --sql reads; a write is refused with one sentence and exit 2', async () => {
    const ok = await runCli([
      'query',
      '--store',
      store,
      '--csv',
      '--sql',
      'SELECT count(*) AS n FROM events',
    ]);
    expect(ok.out).toBe(`n\r\n${totals.events}\r\n`);
    const bad = await runCli(['query', '--store', store, '--sql', "DELETE FROM events; --'"]);
    expect(bad.code).toBe(EXIT.usage);
    expectOneSentence(bad.err);
    const still = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT count(*) AS n FROM events',
    ]);
    expect(JSON.parse(still.out)).toEqual([{ n: String(totals.events) }]);
  });

  it('a preset without its value, and an empty --sql, say what they need', async () => {
    for (const [args, said] of [
      [
        ['ip'],
        'fwlens: query ip needs an address or network: fwlens query ip 203.0.113.7 (or 203.0.113.0/24)\n',
      ],
      [['port'], 'fwlens: query port needs a port: fwlens query port 22 (or 22/tcp)\n'],
      // It was "the SQL query failed: Error in native callback".
      [['--sql', '  '], 'fwlens: --sql needs a query (SELECT ... FROM events_v ...)\n'],
    ] as const) {
      const r = await runCli(['query', '--store', store, ...args]);
      expect([r.code, r.err], args.join(' ')).toEqual([EXIT.usage, said]);
    }
  });

  it('usage mistakes: one sentence and exit 2', async () => {
    for (const args of [
      ['query', '--store', store, 'ip', 'not-an-ip'],
      ['query', '--store', store, 'port', '70000'],
      ['query', '--store', store, 'top', '--by', 'nope'],
      ['query', '--store', store, 'new-sources'],
      ['query', '--store', store, 'whatever'],
      ['query', '--store', store, '--json', '--csv', 'top'],
      ['ingest', '--store', store, '--keep', 'forever', SAMPLE],
      ['analyze', `--store=${store}`, SAMPLE],
      ['analyze'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expectOneSentence(r.err);
    }
  });

  it('inputs that cannot be read and a store folder that cannot be made: one sentence each, in the language asked', async () => {
    const where = tmp();
    const missing = join(where, 'nonexist.log');
    const r = await runCli(['ingest', '--store', join(where, 's.duckdb'), missing, where]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toBe(
      `fwlens: cannot read ${missing}: no such file\nfwlens: cannot read ${where}: it is a directory, not a log file\n`,
    );
    const zh = await runCli(['ingest', '--lang', 'zh', '--store', join(where, 's.duckdb'), missing]);
    expect(zh.err).toBe(`fwlens: 无法读取 ${missing}:文件不存在\n`);
    // The store's folder would be a file: said, not "unexpected failure: EEXIST".
    const inTheWay = join(where, 'file');
    writeFileSync(inTheWay, 'x');
    const folder = await runCli(['ingest', '--store', join(inTheWay, 's.duckdb'), SAMPLE]);
    expect([folder.code, folder.err]).toEqual([
      EXIT.inputError,
      `fwlens: cannot make the folder ${inTheWay} for the store ${join(inTheWay, 's.duckdb')}: a file of that name is in the way\n`,
    ]);
  });

  it('keeps absolute paths: a relative name is read back from another directory, and is no rename of itself', () => {
    const where = tmp();
    const logs = join(where, 'logs');
    mkdirSync(logs);
    copyFileSync(SAMPLE, join(logs, 'kern.log'));
    const store = join(where, 's.duckdb');
    const cli = (cwd: string, ...args: string[]) =>
      // tsx by its resolved address: from another directory the bare name does not resolve.
      spawnSync(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), join(ROOT, 'test', 'support', 'cli-process.ts'), ...args],
        { cwd, encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } },
      );
    expect(cli(where, 'ingest', '--store', store, 'logs/kern.log').status).toBe(EXIT.ok);
    // The same file by its absolute name: nothing new, and not "the same file as logs/kern.log (renamed)".
    const again = cli(ROOT, 'ingest', '--store', store, join(logs, 'kern.log'));
    expect(again.stderr).toBe(`fwlens: ${join(logs, 'kern.log')}: nothing new since the last run\n`);
    // Elsewhere, the report from the store still quotes its lines.
    const doc = JSON.parse(cli(ROOT, 'analyze', '--json', `--store=${store}`).stdout);
    expect(doc.findings.length).toBeGreaterThan(0);
    for (const f of doc.findings)
      for (const e of f.evidence) {
        expect(e.file).toBe(join(logs, 'kern.log'));
        expect(e.text.length).toBeGreaterThan(0);
      }
  });

  it('a query on a store that does not exist: one sentence, exit 1', async () => {
    const r = await runCli(['query', '--store', join(dir, 'none.duckdb'), 'top']);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toBe(
      `fwlens: there is no store at ${join(dir, 'none.duckdb')}; fill it first with fwlens ingest --store ${join(dir, 'none.duckdb')} <files>\n`,
    );
  });

  it('a query on a store a stopped run left with summaries unwritten says so; the next ingest writes them', async () => {
    const path = join(tmp(), 'pending.duckdb');
    expect((await runCli(['ingest', '--store', path, SAMPLE])).code).toBe(EXIT.ok);
    await leaveSummariesPending(path);
    const top = await runCli(['query', '--store', path, '--json', 'top', '--by', 'src', '--limit', '1']);
    expect(top.code).toBe(EXIT.ok);
    expect(top.err).toBe(
      `fwlens: the store ${path} holds events whose summaries a stopped run did not write; top lists, new sources and countries leave them out until the next fwlens ingest\n`,
    );
    expect(JSON.parse(top.out)).toEqual([]);
    // The next ingest counts them, even one that finds nothing new (here: the same file).
    expect((await runCli(['ingest', '--store', path, SAMPLE])).code).toBe(EXIT.ok);
    const again = await runCli(['query', '--store', path, '--json', 'top', '--by', 'src', '--limit', '1']);
    expect(again.err).toBe('');
    expect(JSON.parse(again.out)[0].count).toBeGreaterThan(0);
  });
});

describe('standard input and retention', () => {
  it('ingest - reads standard input as a new input each time', async () => {
    const store = join(tmp(), 's.duckdb');
    const text = `${netfilterLine(1)}\n${netfilterLine(2)}\n`;
    const r = await runCli(['ingest', '--store', store, '-'], { stdin: text });
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toMatch(/^fwlens: standard input: 2 lines, 2 events, 0 unparsed, \d+ findings? stored\n$/);
    await runCli(['ingest', '--store', store, '-'], { stdin: text });
    const n = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT count(*) AS n FROM events',
    ]);
    expect(JSON.parse(n.out)).toEqual([{ n: '4' }]);
  });

  it('--keep drops what is older, never the newest day', async () => {
    const store = join(tmp(), 's.duckdb');
    const r = await runCli(['ingest', '--store', store, '--keep', '1d', SAMPLE]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toMatch(
      /retention: [\d,]+ events?, [\d,]+ findings? and [\d,]+ unparsed lines? before 2026-11-2\dT00:00:00\.000Z dropped/,
    );
    const days = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      "SELECT DISTINCT strftime(time, '%Y-%m-%d') AS d FROM events_v",
    ]);
    expect(JSON.parse(days.out).length).toBe(1);
  });
});

describe('a journald export log still being written', () => {
  it('holds back a record without its end, says so, and reads it whole once it is complete', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(dir, 'journal.export');
    const record = (i: number) =>
      [
        `__CURSOR=s=1;i=${i}`,
        `__REALTIME_TIMESTAMP=${1_764_900_000_000_000 + i * 1_000_000}`,
        '_TRANSPORT=kernel',
        `MESSAGE=[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.${i} DST=192.0.2.10 LEN=60 TTL=51 ID=${i} PROTO=TCP SPT=4000 DPT=22 WINDOW=1024 SYN URGP=0`,
        '_HOSTNAME=edge',
      ].join('\n');
    // Two whole records, then the first lines of a third (its fields so far end with a line end).
    const third = record(3).split('\n');
    writeFileSync(log, `${record(1)}\n\n${record(2)}\n\n${third.slice(0, 3).join('\n')}\n`);
    const first = await runCli(['ingest', '--no-detect', '--store', store, log]);
    expect(first.code).toBe(EXIT.ok);
    expect(first.err).toContain('2 events');
    expect(first.err).toMatch(/journal\.export: [\d.]+ \w+ at the end hold a record still being written/);
    // The rest of the record arrives: the next run reads it from its first line, as one record.
    appendFileSync(log, `${third.slice(3).join('\n')}\n\n`);
    const second = await runCli(['ingest', '--no-detect', '--store', store, log]);
    expect(second.code).toBe(EXIT.ok);
    expect(second.err).not.toContain('still being written');
    const rows = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT line, src_ip FROM events_v ORDER BY line',
    ]);
    expect(JSON.parse(rows.out)).toEqual([
      { line: 1, src_ip: '203.0.113.1' },
      { line: 7, src_ip: '203.0.113.2' },
      { line: 13, src_ip: '203.0.113.3' },
    ]);
    const bad = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT count(*) AS n FROM unparsed',
    ]);
    expect(JSON.parse(bad.out)).toEqual([{ n: '0' }]);
  });
});

describe('query top --by country', () => {
  it('counts events and sources per country (table, JSON, CSV, --lang zh); bad country data: one sentence, exit 1', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    // The context fixture: a Censys scanner, Hurricane Electric, Google's resolver (US) and documentation addresses.
    const log = join(ROOT, 'test', 'fixtures', 'context', 'providers.log');
    expect((await runCli(['ingest', '--store', store, '--no-detect', log])).code).toBe(EXIT.ok);
    const report = JSON.parse((await runCli(['analyze', '--json', '--workers', '1', log])).out) as {
      context: { topCountries: { country: string; events: number; addresses: number }[] };
    };
    const json = await runCli(['query', '--store', store, '--json', 'top', '--by', 'country']);
    expect(json.code).toBe(EXIT.ok);
    const rows = JSON.parse(json.out) as { key: string; count: number; sources: number }[];
    // The same countries and counts as the report's context of the file (which leaves out addresses without one).
    const us = report.context.topCountries.find((c) => c.country === 'US')!;
    expect(rows.find((r) => r.key === 'US')).toEqual({ key: 'US', count: us.events, sources: us.addresses });
    for (const c of report.context.topCountries)
      expect(rows.find((r) => r.key === c.country)).toMatchObject({ count: c.events });
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(37);
    const csv = await runCli(['query', '--store', store, '--csv', 'top', '--by', 'country', '--limit', '1']);
    expect(csv.out).toBe(
      `country,events,sources\r\n${rows[0]!.key},${rows[0]!.count},${rows[0]!.sources}\r\n`,
    );
    // Addresses without a country are the row '-', written as a plain dash (not defused into "'-").
    const none = rows.find((r) => r.key === '-');
    expect(none).toBeDefined();
    const all = await runCli(['query', '--store', store, '--csv', 'top', '--by', 'country']);
    expect(all.out.split('\r\n')).toContain(`-,${none!.count},${none!.sources}`);
    const text = await runCli(['query', '--store', store, 'top', '--by', 'country']);
    expect(text.out).toMatch(/^top countries\ncountry\s+events\s+sources\nUS\s+\d+\s+\d+\n/);
    const zh = await runCli(['query', '--store', store, 'top', '--by', 'country', '--lang', 'zh']);
    expect(zh.out).toMatch(/^国家排行\n国家/);
    const bad = await runCli([
      'query',
      '--store',
      store,
      'top',
      '--by',
      'country',
      '--geoip-db',
      join(dir, 'none.mmdb'),
    ]);
    expect(bad.code).toBe(EXIT.inputError);
    expectOneSentence(bad.err);
    expect(bad.err).toContain('none.mmdb');
  });
});

describe('retention by size (--max-size)', () => {
  it('drops the oldest days down to the bound, never the newest; a bad size: one sentence, exit 2', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(dir, 'kern.log');
    const days = ['2026-06-01', '2026-06-02', '2026-06-03'];
    writeFileSync(
      log,
      `${days.flatMap((day) => Array.from({ length: 4 }, (_, i) => netfilterLine(i, { day }))).join('\n')}\n`,
    );
    const roomy = await runCli(['ingest', '--store', store, '--max-size', '1GB', log]);
    expect(roomy.code).toBe(EXIT.ok);
    expect(roomy.err).toMatch(/\nfwlens: retention by size: the data takes [\d.]+ [kM]?B, within 1\.0 GB\n$/);
    appendFileSync(log, `${netfilterLine(9, { day: '2026-06-04' })}\n`);
    const tight = await runCli(['ingest', '--store', store, '--max-size', '1kB', log]);
    expect(tight.code).toBe(EXIT.ok);
    expect(tight.err).toMatch(
      /\nfwlens: retention by size: 12 events, \d+ findings and \d+ unparsed lines? before 2026-06-04T00:00:00\.000Z dropped; the data takes [\d.]+ [kM]?B \(at most 1\.0 kB\)\n$/,
    );
    const n = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT count(*) AS n FROM events',
    ]);
    expect(JSON.parse(n.out)).toEqual([{ n: '1' }]);
    const again = await runCli(['ingest', '--store', store, '--max-size', '1kB', log]);
    expect(again.err).toMatch(/more than 1\.0 kB, and only the newest day is left/);
    for (const bad of ['lots', '0', '2XB', '-1GB']) {
      const r = await runCli(['ingest', '--store', store, '--max-size', bad, log]);
      expect(r.code, bad).toBe(EXIT.usage);
      expectOneSentence(r.err);
    }
  });
});

describe('query top --by alarm', () => {
  it("ranks the firewall's own alarm names (table, JSON, CSV)", async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(ROOT, 'test', 'fixtures', 'juniper-srx', 'srx-catalog.log');
    expect((await runCli(['ingest', '--store', store, '--no-detect', log])).code).toBe(EXIT.ok);
    const j = await runCli(['query', '--store', store, '--json', 'top', '--by', 'alarm', '--limit', '2']);
    const rows = JSON.parse(j.out) as { key: string; count: number }[];
    expect(rows.length).toBe(2);
    expect(rows[0]!.count).toBeGreaterThanOrEqual(rows[1]!.count);
    expect(rows.map((r) => r.key)).toContain('SYN flood!');
    const csv = await runCli(['query', '--store', store, '--csv', 'top', '--by', 'alarm', '--limit', '2']);
    expect(csv.out).toBe(`alarm,events\r\n${rows.map((r) => `${r.key},${r.count}`).join('\r\n')}\r\n`);
    const text = await runCli(['query', '--store', store, 'top', '--by', 'alarm', '--limit', '1']);
    expect(text.out).toMatch(/^top alarms?\nalarm\s+events\n\S/);
    const bad = await runCli(['query', '--store', store, 'top', '--by', 'screen']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toContain('alarm');
  });
});

describe('log text printed by query is made visible', () => {
  it('control characters and bidi overrides in a rule name do not reach the terminal raw', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${netfilterLine(1, { prefix: 'EVIL\u001b[2J\u202e' })}\n`);
    expect((await runCli(['ingest', '--store', store, log])).code).toBe(EXIT.ok);
    const r = await runCli(['query', '--store', store, 'top', '--by', 'rule']);
    expect(r.out).not.toContain('\u001b');
    expect(r.out).not.toContain('\u202e');
    expect(r.out).toContain('EVIL␛[2J<U+202E>');
    const j = await runCli(['query', '--store', store, '--json', 'top', '--by', 'rule']);
    expect(j.out).not.toContain('\u001b');
    expect(j.out).not.toContain('\u202e');
    expect(JSON.parse(j.out)[0].key).toBe('EVIL\u001b[2J\u202e');
  });
});

describe('a real second process', () => {
  it('ingest into a store another process holds past --wait: one sentence, exit 1; later it goes through', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${netfilterLine(1)}\n`);
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1]); await i.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
        store,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) =>
        holder.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
      );
      const began = Date.now();
      const r = await runProcess(['ingest', '--store', store, '--wait', '1', log]);
      expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
      expect(r.code).toBe(EXIT.inputError);
      expect(r.err).toBe(
        `fwlens: the store ${store} is in use by another process; try again when it has finished\n`,
      );
    } finally {
      holder.kill();
      await new Promise((r) => holder.once('exit', r));
    }
    appendFileSync(log, `${netfilterLine(2)}\n`);
    const ok = await runProcess(['ingest', '--store', store, log]);
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.err).toMatch(/2 lines, 2 events/);
    // The writer's announcement is gone with it.
    expect(readdirSync(dir).filter((f) => f.includes('.writer.'))).toEqual([]);
  });
});

describe('a query while a writer holds the store', () => {
  it('waits for the writer to let go (a watch --store commit, a cron ingest) instead of failing at once', async () => {
    const dir = tmp();
    const store = join(dir, 's.duckdb');
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${netfilterLine(1)}\n${netfilterLine(2)}\n`);
    expect((await runProcess(['ingest', '--store', store, log])).code).toBe(EXIT.ok);
    // A real second process opens the file for writing, holds it 1.5 s, then closes it.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1]); const c = await i.connect(); process.stdout.write('ready\\n'); setTimeout(() => { c.closeSync(); i.closeSync(); process.exit(0); }, 1500);",
        store,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) =>
      holder.stdout.on('data', (d) => String(d).includes('ready') && resolve()),
    );
    const began = Date.now();
    const r = await runProcess(['query', '--store', store, '--json', 'top', '--by', 'port']);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(r.out)[0]).toMatchObject({ count: 2 });
    await new Promise((done) => (holder.exitCode === null ? holder.once('exit', done) : done(undefined)));
  });
});

describe('--max-size values', () => {
  it('reads sizes with and without blanks, in powers of 1000 and of 1024, and refuses anything else', () => {
    expect(parseByteSize('500MB')).toBe(500e6);
    expect(parseByteSize(' 2 GB ')).toBe(2e9);
    expect(parseByteSize('1.5TiB')).toBe(1.5 * 2 ** 40);
    expect(parseByteSize('4096')).toBe(4096);
    for (const bad of ['', 'GB', '2 XB', '-1GB', '0', '1e9', `0${'\t'.repeat(50_000)}0`])
      expect(parseByteSize(bad), JSON.stringify(bad.slice(0, 10))).toBeUndefined();
  });
});

describe('fwlens ingest on a terminal', () => {
  it('shows a progress bar while a long ingest runs, and clears it before saying what was stored', async () => {
    const dir = tmp();
    const log = join(dir, 'busy.log');
    // 200,000 lines with detection: several seconds here, past the bar's first second on a faster machine too.
    await generateFile(200_000, log);
    const stderr = ttyStream();
    const code = await run(['ingest', '--store', join(dir, 'fwlens.duckdb'), log], {
      stdout: new PassThrough(),
      stderr: stderr.s,
      env: { LANG: 'en_US.UTF-8' },
    });
    expect(code).toBe(EXIT.ok);
    const shown = stripAnsi(stderr.text());
    expect(shown).toMatch(/reading \[[=-]+\] \d+% [\d.]+ MB\/[\d.]+ MB [\d,]+ lines\/s/);
    // The outcome comes after the bar, on a line of its own.
    const outcome = shown.lastIndexOf(`fwlens: ${log}: 200,000 lines`);
    expect(outcome).toBeGreaterThan(shown.lastIndexOf('reading ['));
    // Off a terminal (a pipe, CI, cron) there is no bar.
    const piped = await runCli(['ingest', '--store', join(dir, 'other.duckdb'), '--no-detect', log]);
    expect(piped.code).toBe(EXIT.ok);
    expect(piped.err).not.toMatch(/reading/);
  }, 120_000);
});
