// `fwlens serve` with analyze's context flags, as a real process on loopback over a real store: each explanation
// of the console counts the allow and deny lists, the config's research-scanner policy or no context at all,
// exactly as `fwlens explain` with the same flags does; missing or damaged data is said at start, as analyze says it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { startCli } from '../../test/support/cli-child.js';
import { HOSTILE_COUNTRY, HOSTILE_COUNTRY_SHOWN, hostileCountryDb } from '../../test/support/mmdb.js';
import { BAD_ACTOR, consoleStore, PARTNER, SAMPLE, sampleLists } from '../../test/support/serve-store.js';
import { contextEnricher } from '../cli/context-enricher.js';
import { contextText } from '../context/describe.js';
import type { Explanation } from '../explain/types.js';
import { knowledgeBase } from '../knowledge/index.js';
import type { Report } from '../report/model.js';
import type { EventRow } from './queries.js';
import { startConsole } from './server.js';

const SAMPLE_LINES = readFileSync(SAMPLE, 'utf8').split('\n');

/** The sample's Shadowserver source (a research scanner known by its AS number). */
const SCANNER = '45.143.160.27';

let store: string;
let dir: string;
let allowFile: string;
let denyFile: string;

beforeAll(async () => {
  store = await consoleStore();
  ({ dir, allowFile, denyFile } = sampleLists('fwlens-serve-context-'));
}, 120_000);

/** GET a console path: its status and JSON body. */
type Get = (path: string) => Promise<{ status: number; json: unknown }>;

/** A console in its own `fwlens serve` process with `flags`, while `use` runs; its exit code and stderr after. */
async function withServe(
  flags: string[],
  use: (get: Get) => Promise<void>,
): Promise<{ code: number; err: string }> {
  const { child, done } = startCli(['serve', '--store', store, '--port', '0', ...flags]);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  for (let i = 0; i < 400 && !/http:\/\/\S+\//.test(out) && child.exitCode === null; i++)
    await new Promise((r) => setTimeout(r, 50));
  const url = /http:\/\/\S+\//.exec(out)?.[0];
  try {
    if (!url) throw new Error(`no console address; stderr: ${(await done).err}`);
    await use(async (path) => {
      const r = await fetch(new URL(path, url));
      return { status: r.status, json: await r.json() };
    });
  } finally {
    child.kill('SIGTERM');
  }
  const { code, err } = await done;
  return { code, err };
}

/** The console's explanation of each of the first `n` stored events of `src`, with the event's stored line. */
async function explained(
  get: Get,
  src: string,
  n: number,
): Promise<{ line: string; explanation: Explanation }[]> {
  const rows = (await get(`/api/events?limit=${n}&f=${encodeURIComponent(`src:${src}`)}`)).json as EventRow[];
  expect(rows.length).toBe(n);
  const out = [];
  for (const row of rows) {
    expect(row.file).toBe(SAMPLE);
    const x = await get(`/api/event?input=${row.input}&line=${row.line}`);
    expect(x.status).toBe(200);
    out.push({
      line: SAMPLE_LINES[row.line - 1]!,
      explanation: (x.json as { explanation: Explanation }).explanation,
    });
  }
  return out;
}

/** `fwlens explain --json` of a log line with `flags`: its explanation. */
async function cliExplanation(line: string, flags: string[]): Promise<Explanation> {
  const r = await runCli(['explain', line, '--json', ...flags]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out).explanation;
}

describe('fwlens serve with the context flags of analyze', () => {
  it('explains an allow-listed and a deny-listed source as `fwlens explain` with the same lists', async () => {
    const lists = ['--allow-list', allowFile, '--deny-list', denyFile];
    const { code, err } = await withServe(lists, async (get) => {
      for (const { line, explanation } of await explained(get, PARTNER, 8)) {
        const cli = await cliExplanation(line, lists);
        expect(explanation.severity).toEqual(cli.severity);
        expect(explanation.severity.score).toBe(1);
        expect(explanation.severity.reasons.at(-1)!.text.en).toBe(
          `trusted: ${PARTNER} is on your allow list (${allowFile}:2), never above info`,
        );
      }
      for (const { line, explanation } of await explained(get, BAD_ACTOR, 8)) {
        const cli = await cliExplanation(line, lists);
        expect(explanation.severity).toEqual(cli.severity);
        // One level up from the same line without lists: +1, or more where the line's own steps sum to 0 or less.
        const without = (await cliExplanation(line, [])).severity;
        const plain = without.reasons;
        const sum = plain.reduce((t, r) => t + r.delta, 0);
        expect(explanation.severity.score).toBe(Math.min(5, without.score + 1));
        expect(explanation.severity.reasons).toEqual([
          ...plain,
          {
            delta: Math.max(1, 2 - sum),
            text: {
              en: `listed bad actor: ${BAD_ACTOR} is on your deny list (${denyFile}:1)`,
              zh: `已列入的恶意来源:${BAD_ACTOR} 在你的拒绝名单上(${denyFile}:1)`,
            },
          },
        ]);
      }
    });
    expect([code, err]).toEqual([0, '']);
  }, 120_000);

  it("counts the config's lists and research-scanner policy as explain --config does", async () => {
    const config = join(dir, 'fwlens.yaml');
    writeFileSync(config, `researchScanners: block\ndenyList:\n  - ${BAD_ACTOR}\n`);
    const { code, err } = await withServe(['--config', config], async (get) => {
      for (const { line, explanation } of await explained(get, SCANNER, 2)) {
        const cli = await cliExplanation(line, ['--config', config]);
        expect(explanation.severity).toEqual(cli.severity);
        expect(explanation.severity.reasons.at(-1)).toMatchObject({
          delta: 1,
          text: {
            en: 'known research scanner: Shadowserver Foundation (the config treats research scanners as worth blocking)',
          },
        });
      }
      const [denied] = await explained(get, BAD_ACTOR, 1);
      expect(denied!.explanation.severity.reasons.at(-1)!.text.en).toBe(
        `listed bad actor: ${BAD_ACTOR} is on your deny list (${config} denyList[0])`,
      );
    });
    expect([code, err]).toEqual([0, '']);
  }, 120_000);

  it('refuses a config it cannot use with the sentence and exit code of analyze, before it listens', async () => {
    const config = join(dir, 'wrong.yaml');
    writeFileSync(config, 'researchScanners: maybe\n');
    const analyzed = await runCli(['analyze', '--config', config, SAMPLE]);
    const served = await runCli(['serve', '--store', store, '--port', '0', '--config', config]);
    expect(served).toEqual({ code: 2, out: '', err: analyzed.err });
    expect(served.err).toMatch(/^fwlens: .*wrong\.yaml: invalid detection config at researchScanners: /);
  });

  it("says who each top address is, in both languages, as analyze's report does with the same lists", async () => {
    const lists = ['--allow-list', allowFile, '--deny-list', denyFile];
    const analyzed = await runCli(['analyze', SAMPLE, '--json', ...lists]);
    expect(analyzed.code).toBe(0);
    const addresses = (JSON.parse(analyzed.out) as Report).context!.addresses;
    type Row = { key: string; count: number; context?: { en: string; zh: string } };
    let sources: Row[] = [];
    let targets: Row[] = [];
    let ports: Row[] = [];
    const { code } = await withServe(lists, async (get) => {
      sources = (await get('/api/top?by=src&limit=100')).json as Row[];
      targets = (await get('/api/top?by=dst&limit=10')).json as Row[];
      ports = (await get('/api/top?by=port&limit=10')).json as Row[];
    });
    expect(code).toBe(0);
    const bySource = new Map(sources.map((r) => [r.key, r]));
    expect(bySource.get(PARTNER)?.context?.en).toContain('allow-listed');
    expect(bySource.get(PARTNER)?.context?.zh).toContain('允许名单');
    expect(bySource.get(BAD_ACTOR)?.context?.en).toContain('deny-listed');
    // Censys's published prefix: the sample's one research scanner among its busiest sources.
    expect(bySource.get('162.142.125.214')?.context?.en).toContain('research scanner: Censys');
    // Every address the report describes too gets the report's words (owner, country, labels).
    let compared = 0;
    for (const r of [...sources, ...targets]) {
      const ctx = addresses[r.key];
      if (!ctx) continue;
      compared++;
      const words = { en: contextText(ctx, 'en'), zh: contextText(ctx, 'zh') };
      expect(r.context ?? { en: '', zh: '' }, r.key).toEqual(words);
    }
    expect(compared).toBeGreaterThan(5);
    // Ports and rules are not addresses.
    expect(ports.length).toBeGreaterThan(0);
    for (const r of ports) expect(r.context).toBeUndefined();
    // And nothing of it under --no-context.
    await withServe(['--no-context', ...lists], async (get) => {
      const rows = (await get('/api/top?by=src&limit=100')).json as Row[];
      expect(rows.length).toBe(sources.length);
      for (const r of rows) expect(r.context, r.key).toBeUndefined();
    });
  }, 120_000);

  it('explains without context under --no-context, as explain --no-context does', async () => {
    const { code } = await withServe(['--no-context', '--allow-list', allowFile], async (get) => {
      for (const src of [SCANNER, PARTNER]) {
        const { line, explanation } = (await explained(get, src, 1))[0]!;
        expect(explanation).toEqual(await cliExplanation(line, ['--no-context']));
        expect(JSON.stringify(explanation)).not.toMatch(/Shadowserver Foundation|allow list/);
      }
    });
    expect(code).toBe(0);
  }, 120_000);

  it('shows a hostile country name from --geoip-db in the top sources as visible text', async () => {
    // Censys's prefix: the sample's one public IPv4 address among its busiest sources.
    const db = hostileCountryDb(join(dir, 'hostile.mmdb'), { '162.142.125.0/24': HOSTILE_COUNTRY });
    // In process, as `fwlens serve --geoip-db hostile.mmdb` makes its context.
    const context = contextEnricher(knowledgeBase(), { geoipDb: db }, undefined, Date.now());
    const app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en', context });
    try {
      const body = await (await fetch(new URL('/api/top?by=src&limit=100', app.url))).text();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: raw controls are what must not be sent
      expect(body).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
      const rows = new Map(
        (JSON.parse(body) as { key: string; context?: { en: string; zh: string } }[]).map((r) => [r.key, r]),
      );
      const censys = rows.get('162.142.125.214')!.context!;
      expect(censys.en).toContain(`, ${HOSTILE_COUNTRY_SHOWN}, research scanner: Censys`);
      expect(censys.zh).toContain(HOSTILE_COUNTRY_SHOWN);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('says at start, as analyze does, what data it lacks, and still serves', async () => {
    const damaged = join(dir, 'damaged.mmdb');
    writeFileSync(damaged, 'not a MaxMind database\n');
    const missingList = join(dir, 'no-such-list.txt');
    const flags = ['--geoip-db', damaged, '--allow-list', missingList];
    const analyzed = await runCli(['analyze', '--json', '--workers', '1', ...flags, SAMPLE]);
    const sentences = analyzed.err.split('\n').filter((l) => l.startsWith('fwlens: The '));
    expect(sentences).toEqual([
      `fwlens: The allow list ${missingList} cannot be read (ENOENT), so the run goes on without it.`,
      expect.stringMatching(
        new RegExp(`^fwlens: The country database ${damaged} cannot be read \\(.+\\), so the report goes on`),
      ),
    ]);
    const { code, err } = await withServe(flags, async (get) => {
      const { line, explanation } = (await explained(get, SCANNER, 1))[0]!;
      // Owners still come from the ASN data; only the countries are missing, as for explain.
      expect(explanation).toEqual(await cliExplanation(line, ['--geoip-db', damaged]));
      expect(JSON.stringify(explanation.sections)).toMatch(/45\.143\.160\.27 belongs to AS\d+/);
    });
    expect(code).toBe(0);
    expect(err).toBe(`${sentences.join('\n')}\n`);
  }, 120_000);
});
