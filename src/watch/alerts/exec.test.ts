// The exec hook with real small scripts: the finding arrives as JSON on stdin, hostile text stays data, timeouts and exit codes count.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertId, createAlerter, splitCommand, terminalLine } from './index.js';
import { makeFinding } from './test-support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-exec-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const noLimits = { dedupMs: 0, perSourceBurst: 1e6, perDetectorBurst: 1e6 };

describe('exec hook', () => {
  it('passes the finding as JSON on stdin; quotes, $(...), backticks, newlines and ESC sequences stay data', async () => {
    const marker = join(dir, 'pwned');
    const hostile = `x"; touch ${marker}; echo "$(touch ${marker})\`touch ${marker}\`\n$HOME \x1b]0;title\x07\x1b[2J' || touch ${marker} '`;
    const out = join(dir, 'stdin.json');
    const env = join(dir, 'env.txt');
    const hook = script(
      'hook.sh',
      `cat > "$1"\nprintf '%s|%s|%s|%s' "$FWLENS_ALERT_ID" "$FWLENS_ALERT_KIND" "$FWLENS_DETECTOR" "$FWLENS_SEVERITY" > "$2"`,
    );
    const f = makeFinding({
      title: { en: hostile, zh: hostile },
      sources: ['203.0.113.9'],
      evidence: [{ text: hostile }],
    });
    const lines: string[] = [];
    const a = createAlerter({
      lang: 'en',
      stateDir: dir,
      sinks: [
        { type: 'exec', argv: [hook, out, env], timeoutMs: 5000 },
        {
          type: 'terminal',
          stream: { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream,
        },
      ],
      policy: noLimits,
      onProblem: () => {},
    });
    await a.announce({ kind: 'new', finding: f });
    await a.flush();
    await a.close();
    const doc = JSON.parse(readFileSync(out, 'utf8')) as {
      event: { id: string };
      fwlens: { finding: { title: { en: string }; evidence: { text: string }[] } };
    };
    expect(doc.fwlens.finding.title.en).toBe(hostile);
    expect(doc.fwlens.finding.evidence[0]!.text).toBe(hostile);
    expect(doc.event.id).toBe(alertId('new', f));
    expect(readFileSync(env, 'utf8')).toBe(`${alertId('new', f)}|new|vertical-scan|4`);
    expect(existsSync(marker)).toBe(false);
    expect(a.stats()).toMatchObject({ 'exec.exit_0': 1, 'exec.sent': 1, sent: 2, queued: 0 });
    // The same text on the terminal: one line, no control characters left raw.
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.endsWith('\n')).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking none are left
    expect(line.slice(0, -1)).not.toMatch(/[\x00-\x1f\x7f]/);
    expect(line).toContain('␛]0;title␇␛[2J');
    expect(terminalLine({ type: 'finding', id: 'x', kind: 'new', finding: f, at: 0 }, 'zh')).toContain(
      '新告警',
    );
  });

  it('counts a failing exit status, retries up to the attempt limit, then counts the alert as failed', async () => {
    const runs = join(dir, 'runs');
    const hook = script('fail.sh', `echo run >> "${runs}"\necho "no route to ops" >&2\nexit 3`);
    const problems: string[] = [];
    const a = createAlerter({
      lang: 'en',
      stateDir: dir,
      sinks: [{ type: 'exec', argv: [hook], retry: { baseMs: 10, maxMs: 20, maxAttempts: 3 } }],
      policy: noLimits,
      onProblem: (s) => problems.push(s),
    });
    await a.announce({ kind: 'new', finding: makeFinding() });
    for (let i = 0; i < 100 && a.stats().failed === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const s = a.stats();
    await a.close();
    expect(s).toMatchObject({ 'exec.exit_nonzero': 3, failed: 1, queued: 0, retried: 2 });
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(problems.some((p) => p.includes('exit status 3: no route to ops'))).toBe(true);
    expect(problems.some((p) => p.includes('given up after 3 attempts'))).toBe(true);
  });

  it('kills a hook that runs too long, with what it started, and counts the timeout', async () => {
    const pidFile = join(dir, 'child.pid');
    const hook = script('slow.sh', `sleep 20 &\necho $! > "${pidFile}"\nwait`);
    const a = createAlerter({
      lang: 'en',
      stateDir: dir,
      sinks: [{ type: 'exec', argv: [hook], timeoutMs: 300, retry: { maxAttempts: 1 } }],
      policy: noLimits,
      onProblem: () => {},
    });
    const t0 = Date.now();
    await a.announce({ kind: 'new', finding: makeFinding() });
    await a.flush();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(a.stats()).toMatchObject({ 'exec.timeouts': 1, failed: 1 });
    await a.close();
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie waiting for its reaper: either way no longer running.
    const state = existsSync(`/proc/${pid}/stat`)
      ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]
      : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('counts a command that cannot be started', async () => {
    const a = createAlerter({
      lang: 'en',
      stateDir: dir,
      sinks: [{ type: 'exec', argv: [join(dir, 'missing')], retry: { maxAttempts: 1 } }],
      onProblem: () => {},
    });
    await a.announce({ kind: 'new', finding: makeFinding() });
    await a.flush();
    expect(a.stats()).toMatchObject({ 'exec.spawn_errors': 1, failed: 1 });
    await a.close();
  });

  it('splits a user command into words without expanding anything', () => {
    expect(splitCommand(`notify --to 'ops team' "a \\"b\\"" $HOME \`x\` a\\ b`)).toEqual([
      'notify',
      '--to',
      'ops team',
      'a "b"',
      '$HOME',
      '`x`',
      'a b',
    ]);
    expect(() => splitCommand(`notify 'open`)).toThrow(/unclosed ' quote/);
  });
});
