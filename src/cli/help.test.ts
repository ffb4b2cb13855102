// --help of every command (examples, exit codes, both languages), shell completion run in a real bash, and
// the man page: all three come from the one command definition.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAN_PAGE_PATH } from '../../scripts/gen-man.js';
import { ROOT, runCli } from '../../test/helpers.js';
import { packageVersion } from '../util/package-root.js';
import { bashScript, fishScript, zshScript } from './completion.js';
import { renderManPage } from './man.js';

const run = promisify(execFile);
const COMMANDS = ['explain', 'analyze', 'watch', 'formats', 'completion', 'serve'];

describe('--help', () => {
  for (const cmd of [undefined, ...COMMANDS])
    it(`${cmd ?? 'fwlens'} --help shows examples and the exit codes, in English and Chinese`, async () => {
      const args = cmd ? [cmd, '--help'] : ['--help'];
      const en = await runCli(args);
      expect(en.code).toBe(0);
      expect(en.out).toMatch(/\nExamples:\n {2}.*fwlens/);
      expect(en.out).toMatch(
        /\nExit codes:\n {2}0 {2}the run worked\n {2}1 .*\n {2}2 {2}wrong flags or arguments\n {2}3 {2}analyze --html\/--csv: .*\n {2}4 /,
      );
      const zh = await runCli([...args, '--lang', 'zh']);
      expect(zh.out).toContain('示例:');
      expect(zh.out).toContain('退出码:');
      // A repeatable option that is absent holds no list: help shows no empty default for it.
      expect(en.out).not.toContain('(default: [])');
    });
});

/** COMPREPLY of the bash completion for the words typed so far (the last one being completed). */
async function complete(typed: string[]): Promise<string[]> {
  const script = `${bashScript('en')}\nCOMP_WORDS=(${typed.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${typed.length - 1}; _fwlens; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['-c', script], { cwd: ROOT });
  return stdout.split('\n').filter(Boolean);
}

describe('fwlens completion', () => {
  it('completes commands, options, option values and files in a real bash', async () => {
    expect(await complete(['fwlens', 'an'])).toEqual(['analyze']);
    expect(await complete(['fwlens', 'analyze', '--for'])).toEqual(['--format']);
    expect(await complete(['fwlens', 'analyze', '--format', 'net'])).toEqual(['netfilter', 'netscreen']);
    expect(await complete(['fwlens', 'analyze', '--fail-on', 'h'])).toEqual(['high']);
    expect(await complete(['fwlens', 'explain', '--lang', ''])).toEqual(['en', 'zh']);
    expect(await complete(['fwlens', 'analyze', 'examples/sam'])).toContain('examples/sample.log');
    expect(await complete(['fwlens', 'completion', 'f'])).toEqual(['fish']);
    expect(await complete(['fwlens', 'se'])).toEqual(['serve']);
    expect(await complete(['fwlens', 'serve', '--to'])).toEqual(['--token']);
    // The context flags of analyze on explain and serve too, a list completing as a file name.
    for (const cmd of ['analyze', 'explain', 'serve']) {
      expect(await complete(['fwlens', cmd, '--al'])).toEqual(['--allow-list']);
      expect(await complete(['fwlens', cmd, '--deny-list', 'examples/sam'])).toContain('examples/sample.log');
    }
  });

  it('writes zsh and fish scripts naming every command and option', async () => {
    const zsh = zshScript('en');
    expect(zsh).toMatch(/^#compdef fwlens\n/);
    expect(zsh).toContain('bashcompinit');
    const fish = fishScript('en');
    for (const word of ['explain', 'analyze', 'formats', '-l fail-on', '-l max-line-bytes', "-x -a 'en zh'"])
      expect(fish).toContain(word);
    // Checked by the shells themselves where they are installed.
    if (existsSync('/usr/bin/zsh')) await run('zsh', ['-n', '-c', zsh]);
    if (existsSync('/usr/bin/fish')) await run('fish', ['--no-execute', '-c', fish]);
  });

  it('prints the script on stdout and refuses an unknown shell in one sentence', async () => {
    const ok = await runCli(['completion', 'bash']);
    expect([ok.code, ok.out]).toEqual([0, bashScript('en')]);
    const bad = await runCli(['completion', 'powershell']);
    expect([bad.code, bad.err]).toEqual([
      2,
      'fwlens: completion knows bash, zsh and fish, not "powershell"\n',
    ]);
  });
});

describe('docs/fwlens.1', () => {
  it('is up to date with the command definitions (run `npm run docs:man` when this fails)', () => {
    const committed = readFileSync(join(ROOT, MAN_PAGE_PATH), 'utf8');
    expect(
      committed === renderManPage(packageVersion()),
      'docs/fwlens.1 is stale: run `npm run docs:man`',
    ).toBe(true);
  });

  it('names every command and option, and the exit codes', () => {
    const page = renderManPage(packageVersion());
    for (const s of [
      '.SH EXPLAIN',
      '.SH ANALYZE',
      '.SH WATCH',
      '.SH FORMATS',
      '.SH COMPLETION',
      '.SH EXIT STATUS',
      '\\-\\-fail\\-on',
    ])
      expect(page).toContain(s);
  });
});
