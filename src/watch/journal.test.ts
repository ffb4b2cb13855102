// The journal source: journalctl started with the right cursor (a fake journalctl first in PATH), and replayed `journalctl -o json` fixtures.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFiles, ROOT } from '../../test/helpers.js';
import { knowledgeBase } from '../knowledge/index.js';
import { JournalSource, lastCursor } from './journal.js';
import { StateDir } from './state.js';
import { Watcher } from './watcher.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'netfilter', 'lab-nft-log-journald-json.log');
const RECORDS = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'fwlens-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for journalctl: records its arguments, then follows a file of JSON records like `-f`,
 * printing those after `--after-cursor` (or, with `-n 0`, only those added after it started).
 */
const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const src = process.env.FAKE_JOURNAL_SOURCE;
const read = () => fs.readFileSync(src, 'utf8').split('\\n').filter(Boolean);
const after = args.find((a) => a.startsWith('--after-cursor='));
let printed = 0;
if (after) {
  const cursor = after.slice('--after-cursor='.length);
  printed = read().findIndex((l) => JSON.parse(l).__CURSOR === cursor) + 1;
} else if (args.includes('-n')) printed = read().length;
// Told once it knows where it starts, so a test can wait for that before the journal grows.
fs.appendFileSync(process.env.FAKE_JOURNAL_ARGS, JSON.stringify(args) + '\\n');
setInterval(() => {
  const lines = read();
  for (; printed < lines.length; printed++) process.stdout.write(lines[printed] + '\\n');
}, 20);
`;

function fakeJournal(name: string) {
  const bin = join(dir, `${name}-bin`);
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'journalctl'), FAKE);
  chmodSync(join(bin, 'journalctl'), 0o755);
  const source = join(dir, `${name}-journal.json`);
  const args = join(dir, `${name}-args.ndjson`);
  writeFileSync(source, '');
  writeFileSync(args, '');
  process.env.FAKE_JOURNAL_SOURCE = source;
  process.env.FAKE_JOURNAL_ARGS = args;
  return {
    command: join(bin, 'journalctl'),
    bin,
    source,
    argsOf: () =>
      readFileSync(args, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
  };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

const spooled = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean) : []);

describe('lastCursor', () => {
  it('takes the cursor of the last complete line, never of an unfinished one', () => {
    const tail = `${RECORDS[0]}\n${RECORDS[1]}\n${RECORDS[2]!.slice(0, 200)}`;
    expect(lastCursor(tail)).toBe(JSON.parse(RECORDS[1]!).__CURSOR);
    expect(lastCursor('no json here\n')).toBeUndefined();
  });
});

describe('JournalSource with a fake journalctl first in PATH', () => {
  it('starts at the end the first time, then resumes after the last spooled cursor', {
    timeout: 20_000,
  }, async () => {
    const fake = fakeJournal('resume');
    const oldPath = process.env.PATH;
    process.env.PATH = `${fake.bin}:${oldPath}`;
    try {
      appendFileSync(fake.source, `${RECORDS.slice(0, 10).join('\n')}\n`);
      const spool = join(dir, 'resume-spool', 'journal.log');
      const one = new JournalSource({ spoolPath: spool });
      await one.start();
      await until(() => fake.argsOf().length === 1);
      appendFileSync(fake.source, `${RECORDS.slice(10, 20).join('\n')}\n`);
      await until(() => spooled(spool).length >= 10);
      await one.stop();
      // While stopped, the journal goes on.
      appendFileSync(fake.source, `${RECORDS.slice(20, 30).join('\n')}\n`);
      const two = new JournalSource({ spoolPath: spool });
      await two.start();
      appendFileSync(fake.source, `${RECORDS.slice(30).join('\n')}\n`);
      await until(() => spooled(spool).length >= RECORDS.length - 10);
      await sleep(100);
      await two.stop();
      expect(spooled(spool)).toEqual(RECORDS.slice(10));
      const [first, second] = fake.argsOf();
      expect(first).toEqual(expect.arrayContaining(['-f', '-o', 'json', '-n', '0', '_TRANSPORT=kernel']));
      expect(second).toContain(`--after-cursor=${JSON.parse(RECORDS[19]!).__CURSOR}`);
      expect(second).not.toContain('-n');
    } finally {
      process.env.PATH = oldPath;
    }
  });

  it('feeds a replayed `journalctl -o json` capture through the journald envelope: the events analyze finds', {
    timeout: 20_000,
  }, async () => {
    const fake = fakeJournal('replay');
    appendFileSync(fake.source, `${RECORDS.join('\n')}\n`);
    const state = new StateDir(join(dir, 'replay-state'));
    const journal = new JournalSource({
      spoolPath: join(state.dir, 'spool', 'journal.log'),
      command: fake.command,
      fromStart: true,
    });
    const w = new Watcher({
      files: [],
      spools: [journal],
      pollMs: 20,
      records: {},
      kb: knowledgeBase(),
      state,
      alerter: { announce: async () => {}, flush: async () => {}, close: async () => {}, stats: () => ({}) },
      onNotice: () => {},
    });
    await w.start();
    await until(() => w.records.counts.lines >= RECORDS.length);
    await w.stop();
    const analyzed = await ingestFiles([FIXTURE]);
    expect(w.records.counts.events).toBe(analyzed.stats.events);
    expect(w.records.counts.unrecognized + w.records.counts.malformed).toBe(
      analyzed.stats.unrecognized + analyzed.stats.malformed,
    );
    expect(w.records.counts.events).toBeGreaterThan(30);
  });
});

// A real journal is read only where one exists (not on build machines without systemd).
const realJournal = ['/run/log/journal', '/var/log/journal'].some((p) => existsSync(p));
if (!realJournal)
  console.warn('[fwlens tests] no systemd journal on this machine: the real journalctl test is skipped');
describe.skipIf(!realJournal)('the real journal', () => {
  it('journalctl -o json gives records the journald envelope reads', () => {
    const out = execFileSync('journalctl', ['-n', '5', '-o', 'json', '--no-pager'], { encoding: 'utf8' });
    for (const line of out.split('\n').filter(Boolean))
      expect(JSON.parse(line).__CURSOR).toBeTypeOf('string');
  });
});
