// ingest, query and serve on DuckDB store files meeting what they should refuse: files that are no firewall
// log, damaged stores, devices, odd arguments. Real store files, real exit codes, one sentence each.
import { mkdtempSync, writeFileSync } from 'node:fs';
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
});
