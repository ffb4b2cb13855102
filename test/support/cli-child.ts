// fwlens from source in a child process of its own (a real process: its own locks, signals and exit code).
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

/** What a finished CLI process gave: exit code (-1 when killed by a signal), stdout and stderr. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Start the CLI from source with `args` (English, no colour); `done` settles when it exits. */
export function startCli(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'support', 'cli-process.ts'), ...args],
    {
      cwd: ROOT,
      env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, out, err })),
  );
  return { child, done };
}

/** Run the CLI from source to its end. */
export function runCliProcess(args: string[]): Promise<CliResult> {
  return startCli(args).done;
}
