// `fwlens query ip` with analyze's context flags, as a real process over a real store: what it says of an address
// (its context, the severity step that context calls for, its findings' severities) moves with the allow and deny
// lists, the config and --no-context exactly as `fwlens explain --json` of the address's log lines moves.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../test/support/cli-child.js';
import { BAD_ACTOR, consoleStore, PARTNER, SAMPLE, sampleLists } from '../../test/support/serve-store.js';
import { contextText } from '../context/describe.js';
import type { AddressContext } from '../context/enrich.js';
import type { Finding } from '../detect/types.js';
import type { Explanation } from '../explain/types.js';
import type { Localized } from '../knowledge/schema.js';
import type { Report } from '../report/model.js';

const SAMPLE_LINES = readFileSync(SAMPLE, 'utf8').split('\n');

/** The sample's Censys source: a research scanner with a finding of its own (a vertical scan). */
const SCANNER = '162.142.125.214';

let store: string;
let dir: string;
let allowFile: string;
let denyFile: string;

beforeAll(async () => {
  store = await consoleStore();
  ({ dir, allowFile, denyFile } = sampleLists('fwlens-query-context-'));
}, 120_000);

/** What `query ip --json` answers of an address. */
interface IpAnswer {
  context?: { list?: { kind: string; where: string } };
  contextSteps?: Localized[];
  findings: Finding[];
}

/** `fwlens query ip <ip> --json` with `flags` in its own process: the answer, and stderr. */
async function queryIp(ip: string, flags: string[]): Promise<{ answer: IpAnswer; err: string }> {
  const r = await runCliProcess(['query', '--store', store, '--json', 'ip', ip, ...flags]);
  expect(r.code).toBe(0);
  return { answer: JSON.parse(r.out), err: r.err };
}

/** `fwlens explain --json` of the first sample line from `ip` with `flags`: its explanation. */
async function explainOf(ip: string, flags: string[]): Promise<Explanation> {
  const line = SAMPLE_LINES.find((l) => l.includes(` SRC=${ip} `))!;
  const r = await runCliProcess(['explain', line, '--json', ...flags]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out).explanation;
}

/** The severity steps the context of `flags` adds to explain's reasons of a line from `ip`. */
async function explainSteps(ip: string, flags: string[]): Promise<Localized[]> {
  const [plain, withFlags] = await Promise.all([explainOf(ip, ['--no-context']), explainOf(ip, flags)]);
  expect(withFlags.severity.reasons.slice(0, plain.severity.reasons.length)).toEqual(plain.severity.reasons);
  return withFlags.severity.reasons.slice(plain.severity.reasons.length).map((r) => r.text);
}

describe('fwlens query ip with the context flags of analyze', () => {
  it('words an allow-listed partner and a deny-listed bad actor as explain --json with the same lists', async () => {
    const lists = ['--allow-list', allowFile, '--deny-list', denyFile];
    for (const [ip, kind, where] of [
      [PARTNER, 'allow', `${allowFile}:2`],
      [BAD_ACTOR, 'deny', `${denyFile}:1`],
    ] as const) {
      const steps = await explainSteps(ip, lists);
      expect(steps).toHaveLength(1);
      const [plain, listed] = await Promise.all([queryIp(ip, []), queryIp(ip, lists)]);
      expect([plain.err, listed.err]).toEqual(['', '']);
      expect(plain.answer.contextSteps).toEqual([]);
      expect(plain.answer.context?.list).toBeUndefined();
      expect(listed.answer.contextSteps).toEqual(steps);
      expect(listed.answer.context?.list).toEqual({ kind, where });
      // The findings of the address move as analyze moves them with the same lists: to info for a partner, one
      // step up for a bad actor, each with explain's sentence.
      expect(listed.answer.findings.length).toBe(plain.answer.findings.length);
      expect(plain.answer.findings.length).toBeGreaterThan(0);
      for (const [i, f] of listed.answer.findings.entries()) {
        const before = plain.answer.findings[i]!;
        expect(f.severity).toBe(kind === 'allow' ? 1 : Math.min(5, before.severity + 1));
        expect(f.adjustments?.map((a) => a.text)).toEqual(steps);
      }
      // The text answer says it in the chosen language.
      const text = await runCliProcess(['query', '--store', store, 'ip', ip, ...lists]);
      expect(text.out).toContain(`\nIts findings and events count this: ${steps[0]!.en}.\n`);
      const zh = await runCliProcess(['query', '--store', store, '--lang', 'zh', 'ip', ip, ...lists]);
      expect(zh.out).toContain(`\n它的发现与事件计入这一点:${steps[0]!.zh}。\n`);
    }
  }, 180_000);

  it("counts the config's lists and research-scanner policy as explain --config does", async () => {
    const config = join(dir, 'fwlens.yaml');
    writeFileSync(config, `researchScanners: noise\ndenyList:\n  - ${BAD_ACTOR}\n`);
    for (const ip of [SCANNER, BAD_ACTOR]) {
      const steps = await explainSteps(ip, ['--config', config]);
      expect(steps).toHaveLength(1);
      const { answer, err } = await queryIp(ip, ['--config', config]);
      expect(err).toBe('');
      expect(answer.contextSteps).toEqual(steps);
      for (const f of answer.findings) expect(f.adjustments?.map((a) => a.text)).toEqual(steps);
    }
    expect((await queryIp(BAD_ACTOR, ['--config', config])).answer.context?.list?.where).toBe(
      `${config} denyList[0]`,
    );
    // Research scanners as noise: the scanner's findings at info.
    const scanner = (await queryIp(SCANNER, ['--config', config])).answer;
    expect(scanner.findings.length).toBeGreaterThan(0);
    for (const f of scanner.findings) expect(f.severity).toBe(1);
  }, 180_000);

  it('shows no context under --no-context, as explain --no-context shows none', async () => {
    const flags = ['--no-context', '--allow-list', allowFile];
    // explain: the lists and the owner lines are gone, as without any context.
    const explained = await explainOf(PARTNER, flags);
    expect(JSON.stringify(explained)).not.toMatch(/allow list|documentation range/);
    const { answer, err } = await queryIp(PARTNER, flags);
    expect(err).toBe('');
    expect(answer).not.toHaveProperty('context');
    expect(answer).not.toHaveProperty('contextSteps');
    // The findings as the store keeps them: as detection gave them, without a step.
    const plain = (await queryIp(PARTNER, [])).answer;
    expect(answer.findings).toEqual(plain.findings);
    for (const f of answer.findings) expect(f).not.toHaveProperty('adjustments');
    const text = await runCliProcess(['query', '--store', store, 'ip', PARTNER, ...flags]);
    expect(text.out).not.toMatch(/documentation range|allow list/);
    expect((await runCliProcess(['query', '--store', store, 'ip', PARTNER])).out).toMatch(
      /documentation range/,
    );
  }, 180_000);

  it('says a missing list file and a malformed list line as analyze says them, and answers', async () => {
    const missing = join(dir, 'no-such-list.txt');
    const damaged = join(dir, 'damaged.txt');
    writeFileSync(damaged, `${BAD_ACTOR}\nnot-an-address\n`);
    const flags = ['--allow-list', missing, '--deny-list', damaged];
    const analyzed = await runCliProcess(['analyze', '--json', '--workers', '1', ...flags, SAMPLE]);
    const sentences = analyzed.err.split('\n').filter((l) => / list |\.txt:\d+:/.test(l));
    expect(sentences).toEqual([
      `fwlens: The allow list ${missing} cannot be read (ENOENT), so the run goes on without it.`,
      `fwlens: ${damaged}:2: "not-an-address" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
    ]);
    const { answer, err } = await queryIp(BAD_ACTOR, flags);
    expect(err).toBe(`${sentences.join('\n')}\n`);
    // The good line still counts.
    expect(answer.context?.list).toEqual({ kind: 'deny', where: `${damaged}:1` });
  }, 180_000);

  it("top --by src and new-sources say who each address is, as analyze's report does with the same lists", async () => {
    const lists = ['--allow-list', allowFile, '--deny-list', denyFile];
    const analyzed = await runCliProcess(['analyze', '--json', '--workers', '1', ...lists, SAMPLE]);
    const addresses = (JSON.parse(analyzed.out) as Report).context!.addresses;
    type Row = { key: string; context?: AddressContext };
    for (const preset of [
      ['top', '--by', 'src'],
      ['new-sources', '--since', '3650d'],
    ]) {
      const args = ['query', '--store', store, ...preset, '--limit', '50'];
      const json = await runCliProcess([...args, '--json', ...lists]);
      expect([json.code, json.err]).toEqual([0, '']);
      const rows = JSON.parse(json.out) as Row[];
      const byKey = new Map(rows.map((r) => [r.key, r]));
      expect(byKey.get(PARTNER)?.context?.list?.kind, preset[0]).toBe('allow');
      expect(byKey.get(BAD_ACTOR)?.context?.list?.kind, preset[0]).toBe('deny');
      expect(byKey.get(SCANNER)?.context?.scanner?.name.en, preset[0]).toMatch(/Censys/);
      let compared = 0;
      for (const r of rows) {
        if (!addresses[r.key]) continue;
        compared++;
        expect(contextText(r.context, 'en'), r.key).toBe(contextText(addresses[r.key], 'en'));
      }
      expect(compared).toBeGreaterThan(5);
      // The table says it in a column of its own, in the language asked for.
      const zh = await runCliProcess([...args, '--lang', 'zh', ...lists]);
      const partnerLine = zh.out.split('\n').find((l) => l.startsWith(`${PARTNER} `))!;
      expect(partnerLine).toContain('允许名单');
      expect(zh.out).toContain('身份');
      // No context: no column, no context in the JSON.
      const none = await runCliProcess([...args, '--csv', '--no-context', ...lists]);
      expect(none.out.split('\n')[0]).not.toContain('who');
      const noneJson = JSON.parse((await runCliProcess([...args, '--json', '--no-context'])).out) as Row[];
      expect(noneJson.every((r) => r.context === undefined)).toBe(true);
    }
  }, 180_000);

  it('says once which context flags a preset does not read, and answers as without them', async () => {
    const base = ['query', '--store', store];
    for (const [args, flags, said] of [
      [['port', '22'], ['--deny-list', denyFile], '--deny-list changes nothing for query port 22'],
      [
        ['top', '--by', 'rule'],
        ['--no-context', '--config', join(dir, 'none.yaml')],
        '--config, --no-context',
      ],
      [
        ['--sql', 'SELECT 1 AS one'],
        ['--allow-list', allowFile],
        '--allow-list changes nothing for query --sql',
      ],
      [['top', '--by', 'country'], ['--deny-list', denyFile, '--geoip-db', join(dir, 'x.mmdb')], null],
    ] as const) {
      const plain = await runCliProcess([...base, ...args]);
      const flagged = await runCliProcess([...base, ...args, ...flags]);
      if (said === null) {
        // --geoip-db is read there (a missing database is its own sentence); --deny-list is not.
        expect(flagged.err).toContain('--deny-list changes nothing for query top --by country');
        expect(flagged.err).not.toContain('--geoip-db changes nothing');
        continue;
      }
      expect([plain.code, flagged.code]).toEqual([0, 0]);
      expect(flagged.out).toBe(plain.out);
      expect(flagged.err.trimEnd().split('\n')).toHaveLength(1);
      expect(flagged.err).toContain(said);
    }
    // Presets that read them say nothing of the kind.
    for (const args of [['top'], ['new-sources', '--since', '3650d'], ['ip', PARTNER]]) {
      const r = await runCliProcess([...base, ...args, '--deny-list', denyFile, '--no-context']);
      expect(r.err, args.join(' ')).toBe('');
    }
  }, 180_000);
});
