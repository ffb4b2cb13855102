// ingest, query and serve on DuckDB store files meeting what they should refuse: files that are no firewall
// log, damaged stores, devices, odd arguments. Real store files, real exit codes, one sentence each.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { EXIT } from '../cli/main.js';
import { netfilterLine } from './contract.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'fwlens-store-guards-'));

describe('fwlens ingest of a file that is not a firewall log', () => {
  it('says what analyze says of it and exits 1; a firewall log beside it is stored as usual', async () => {
    const dir = tmp();
    const store = join(dir, 'fw.duckdb');
    const junk = join(dir, 'junk.log');
    writeFileSync(junk, 'garbage\nmore garbage\n');
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i)).join('\n')}\n`);
    const analyzed = await runCli(['analyze', junk]);
    expect(analyzed.code).toBe(EXIT.inputError);
    const sentence = `${junk} does not look like a firewall log fwlens knows (none of its 2 lines matched a format; see \`fwlens formats\`)`;
    expect(analyzed.err).toContain(sentence);
    const r = await runCli(['ingest', '--no-detect', '--store', store, log, junk]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toContain(`fwlens: ${sentence}\n`);
    expect(r.err).toContain(`${log}: 3 lines, 3 events`);
    const ok = await runCli(['ingest', '--no-detect', '--store', store, log]);
    expect(ok.code).toBe(EXIT.ok);
  });

  it('a firewall log every line of which is damaged: said, and exit 1, as analyze (the lines are stored unparsed)', async () => {
    const dir = tmp();
    const store = join(dir, 'fw.duckdb');
    const damaged = join(dir, 'damaged.log');
    // Netfilter records with ports out of range: recognised as firewall lines, but damaged.
    writeFileSync(
      damaged,
      `${[0, 1].map((i) => netfilterLine(i).replace(/DPT=\d+/, 'DPT=70000')).join('\n')}\n`,
    );
    expect((await runCli(['analyze', damaged])).code).toBe(EXIT.inputError);
    const r = await runCli(['ingest', '--no-detect', '--store', store, damaged]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toContain(
      `fwlens: ${damaged}: every firewall line read was damaged (2 lines); they are stored as unparsed lines`,
    );
    const rows = await runCli([
      'query',
      '--store',
      store,
      '--json',
      '--sql',
      'SELECT count(*) AS n FROM unparsed',
    ]);
    expect(JSON.parse(rows.out)).toEqual([{ n: '2' }]);
  });
});

describe('a DuckDB store damaged past its header', async () => {
  const dir = tmp();
  const store = join(dir, 'fw.duckdb');
  const log = join(dir, 'kern.log');
  writeFileSync(
    log,
    `${Array.from({ length: 30_000 }, (_, i) =>
      netfilterLine(i, {
        src: `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`,
        port: 1 + ((i * 131) % 60_000),
        day: `2026-0${1 + (i % 9)}-1${i % 10}`,
      }),
    ).join('\n')}\n`,
  );
  const first = await runCli(['ingest', '--no-detect', '--store', store, log]);
  const fresh = join(dir, 'new.log');
  writeFileSync(fresh, `${netfilterLine(1, { src: '198.51.100.1' })}\n`);
  const commands = (damaged: string) => [
    ['query', '--store', damaged, 'top'],
    ['query', '--store', damaged, 'top', '--by', 'port'],
    ['query', '--store', damaged, 'ip', '10.0.5.35'],
    ['query', '--store', damaged, 'new-sources', '--since', '100000d'],
    ['query', '--store', damaged, '--sql', 'SELECT count(*), sum(dst_port) FROM events_v'],
    ['analyze', `--store=${damaged}`],
    ['ingest', '--no-detect', '--store', damaged, fresh],
  ];
  const sentence = (damaged: string) => `fwlens: the store ${damaged} is damaged or is not a fwlens store (`;

  it('cut to half: every command says the one sentence and exits 1', async () => {
    expect(first.code).toBe(EXIT.ok);
    const damaged = join(dir, 'half.duckdb');
    copyFileSync(store, damaged);
    truncateSync(damaged, Math.floor(statSync(store).size / 2));
    for (const args of commands(damaged)) {
      const r = await runCli(args);
      expect(r.err, args.join(' ')).not.toContain('unexpected failure');
      expect(r.code, args.join(' ')).toBe(EXIT.inputError);
      expect(r.err.startsWith(sentence(damaged)), `${args.join(' ')}: ${r.err}`).toBe(true);
      expect(r.err.trim().split('\n').length).toBe(1);
    }
  });

  it('blocks overwritten in the middle: a command that meets them says the sentence, none fails unexpectedly', async () => {
    const damaged = join(dir, 'overwritten.duckdb');
    copyFileSync(store, damaged);
    const size = statSync(store).size;
    const fd = openSync(damaged, 'r+');
    writeSync(fd, randomBytes(Math.floor(size / 3)), 0, Math.floor(size / 3), Math.floor(size / 3));
    closeSync(fd);
    let met = 0;
    for (const args of commands(damaged)) {
      const r = await runCli(args);
      expect(r.err, args.join(' ')).not.toContain('unexpected failure');
      if (r.code === EXIT.ok) continue;
      met++;
      expect(r.code, args.join(' ')).toBe(EXIT.inputError);
      expect(r.err.startsWith(sentence(damaged)), `${args.join(' ')}: ${r.err}`).toBe(true);
    }
    expect(met).toBeGreaterThan(0);
  });
});

describe('odd arguments', async () => {
  const dir = tmp();
  const store = join(dir, 'fw.duckdb');
  const log = join(dir, 'kern.log');
  writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i, { src: '203.0.113.133' })).join('\n')}\n`);
  await runCli(['ingest', '--no-detect', '--store', store, log]);

  it('ingest of a device says it is no regular file, not that it is a directory', async () => {
    const r = await runCli(['ingest', '--store', store, '/dev/null']);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toBe(
      'fwlens: cannot read /dev/null: it is not a regular file (a device, a pipe or a socket); the store reads log files, and - for standard input\n',
    );
    const d = await runCli(['ingest', '--store', store, dir]);
    expect(d.err).toContain('it is a directory');
  });

  it('query ip of an IPv4-mapped IPv6 address or network finds the IPv4 source', async () => {
    for (const ip of [
      '::ffff:203.0.113.133',
      '::FFFF:203.0.113.133',
      '0:0:0:0:0:ffff:203.0.113.133',
      '::ffff:203.0.113.0/120',
    ]) {
      const r = await runCli(['query', '--store', store, '--json', 'ip', ip]);
      expect(r.code, ip).toBe(EXIT.ok);
      expect((JSON.parse(r.out) as { events: number }).events, ip).toBe(3);
    }
  });

  it('query port with a transport that has no ports, and words after --sql, are refused', async () => {
    for (const value of ['22/xyz', '22/icmp']) {
      const r = await runCli(['query', '--store', store, 'port', value]);
      expect(r.code, value).toBe(EXIT.usage);
      expect(r.err, value).toMatch(new RegExp(`^fwlens: ${value} is not a port number`));
    }
    expect((await runCli(['query', '--store', store, 'port', '22/TCP'])).code).toBe(EXIT.ok);
    const r = await runCli(['query', '--store', store, '--sql', 'SELECT count(*) FROM', 'events_v']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toBe(
      'fwlens: --sql takes the whole query as its one value (quote it); left over: events_v\n',
    );
  });
});
