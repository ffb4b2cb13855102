// The text report's Inputs section over many files: the inputs with something to say first, at most
// MAX_LISTED_INPUTS listed, the rest summed in one line (`analyze /var/log/fw/*.log` of 3,000 one-line files
// printed 6,000 lines of inputs before "What happened").
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { MAX_LISTED_INPUTS } from './text.js';

const FILES = MAX_LISTED_INPUTS + 15;

function line(i: number): string {
  const s = String(i % 60).padStart(2, '0');
  return `Dec  5 10:00:${s} fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.${(i % 200) + 1} DST=192.0.2.10 LEN=60 TTL=51 ID=1 PROTO=TCP SPT=40000 DPT=${1000 + i} WINDOW=1024 SYN URGP=0`;
}

/** FILES logs of two lines each; the last one also holds a damaged line. */
function logs(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-inputs-'));
  return Array.from({ length: FILES }, (_, i) => {
    const path = join(dir, `fw-${String(i).padStart(3, '0')}.log`);
    const damaged =
      i === FILES - 1 ? 'Dec  5 10:00:59 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=\n' : '';
    writeFileSync(path, `${line(i)}\n${line(i + 1)}\n${damaged}`);
    return path;
  });
}

describe('text report inputs', () => {
  it('lists the inputs with something to say first, then sums the ones it has no room for', async () => {
    const paths = logs();
    const r = await runCli(['analyze', ...paths, '--year', '2026']);
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf('Inputs'), r.out.indexOf('What happened'));
    const listed = paths.filter((p) => section.includes(p.slice(p.lastIndexOf('/') + 1)));
    expect(listed).toHaveLength(MAX_LISTED_INPUTS);
    // The file with the damaged line is listed although it comes last.
    expect(listed).toContain(paths[FILES - 1]);
    expect(section.replace(/\s+/g, ' ')).toContain(
      `${FILES - MAX_LISTED_INPUTS} more inputs not listed: ${2 * (FILES - MAX_LISTED_INPUTS)} lines, ${2 * (FILES - MAX_LISTED_INPUTS)} events, 0 unparsed in all (--json lists every input)`,
    );
    const zh = await runCli(['analyze', ...paths, '--year', '2026', '--lang', 'zh']);
    expect(zh.out.replace(/\s+/g, '')).toContain(`另有${FILES - MAX_LISTED_INPUTS}个输入未列出`);
    const json = await runCli(['analyze', ...paths, '--year', '2026', '--json']);
    expect((JSON.parse(json.out) as { inputs: unknown[] }).inputs).toHaveLength(FILES);
  });

  it('lists every input while they fit', async () => {
    const paths = logs().slice(0, MAX_LISTED_INPUTS);
    const r = await runCli(['analyze', ...paths, '--year', '2026']);
    for (const p of paths) expect(r.out).toContain(p.slice(p.lastIndexOf('/') + 1));
    expect(r.out).not.toContain('not listed');
  });
});
