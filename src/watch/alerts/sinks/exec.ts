// Exec hook sink: runs a command (argument array, no shell) with the alert JSON on stdin; timeout, exit status counted.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { type Lang, t } from '../../../i18n.js';
import type { QueuedSink } from '../types.js';

/** Default time the command may run before it (and its process group) is killed: 30 s. */
export const EXEC_TIMEOUT_MS = 30_000;
/** Default attempts per alert before it is given up and counted as failed (a broken hook must not loop forever). */
export const EXEC_MAX_ATTEMPTS = 3;
/** Bytes of the command's stderr kept for the one-sentence problem report. */
export const EXEC_STDERR_LIMIT = 2_048;

/**
 * Runs `argv` once per alert. The alert document is written to the command's standard input as one JSON
 * line; the environment adds FWLENS_ALERT_ID, FWLENS_ALERT_KIND, FWLENS_DETECTOR and FWLENS_SEVERITY (values
 * fwlens makes itself, never log text). No shell is involved: log text can only ever be data on stdin.
 */
export function execSink(argv: string[], timeoutMs = EXEC_TIMEOUT_MS): QueuedSink {
  if (argv.length === 0 || argv[0] === '') throw new Error('the exec hook needs a command');
  const counts = { exit_0: 0, exit_nonzero: 0, timeouts: 0, spawn_errors: 0 };
  const program = argv[0]!;
  return {
    name: `exec-${createHash('sha256').update(JSON.stringify(argv)).digest('hex').slice(0, 12)}`,
    kind: 'exec',
    label: basename(program),
    counters: () => Object.fromEntries(Object.entries(counts).map(([k, v]) => [`exec.${k}`, v])),
    deliver(body, id) {
      const doc = body as {
        event?: { severity?: number };
        rule?: { id?: string };
        fwlens?: { alert?: { kind?: string } };
      };
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FWLENS_ALERT_ID: id,
        FWLENS_ALERT_KIND: String(doc.fwlens?.alert?.kind ?? ''),
        FWLENS_DETECTOR: String(doc.rule?.id ?? ''),
        FWLENS_SEVERITY: String(doc.event?.severity ?? ''),
      };
      return new Promise((resolve) => {
        let settled = false;
        let timedOut = false;
        let stderr = '';
        const child = spawn(program, argv.slice(1), {
          stdio: ['pipe', 'ignore', 'pipe'],
          env,
          shell: false,
          // Own process group, so a timeout kills what the hook started too (a shell script's children).
          detached: true,
        });
        const timer = setTimeout(() => {
          timedOut = true;
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, timeoutMs);
        const done = (r: Awaited<ReturnType<QueuedSink['deliver']>>) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(r);
        };
        child.stderr.on('data', (chunk: Buffer) => {
          if (stderr.length < EXEC_STDERR_LIMIT) stderr += chunk.toString('utf8').slice(0, EXEC_STDERR_LIMIT);
        });
        child.on('error', (e: NodeJS.ErrnoException) => {
          counts.spawn_errors++;
          done({ ok: false, reason: `cannot run ${program} (${e.code ?? e.message})`, retry: true });
        });
        child.on('close', (code, signal) => {
          if (timedOut) {
            counts.timeouts++;
            return done({
              ok: false,
              reason: `${program} did not finish within ${timeoutMs} ms`,
              retry: true,
            });
          }
          if (code === 0) {
            counts.exit_0++;
            return done({ ok: true });
          }
          counts.exit_nonzero++;
          const first = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
          const status = code === null ? `signal ${signal}` : `exit status ${code}`;
          done({
            ok: false,
            reason: `${program} ended with ${status}${first ? `: ${first.slice(0, 200)}` : ''}`,
            retry: true,
          });
        });
        // A hook that does not read its stdin closes the pipe early: that is its choice, not an error.
        child.stdin.on('error', () => {});
        child.stdin.end(`${JSON.stringify(body)}\n`);
      });
    },
  };
}

/**
 * Split a command line given by the user (`--exec "notify --to ops"`) into an argument array: words
 * separated by blanks, '…' and "…" group words, backslash escapes the next character. Nothing is expanded
 * ($, `, *, ~ stay as written); throws one sentence (in `lang`) on an unclosed quote.
 */
export function splitCommand(text: string, lang: Lang = 'en'): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(t('alert.usage.execQuote', lang, { quote }));
  if (inWord) out.push(word);
  return out;
}
