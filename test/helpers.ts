// Shared test helpers: run the real pipeline over files or text, and locate the shared corpus.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../src/cli/main.js';
import type { FwEvent } from '../src/event.js';
import { type IngestOptions, type IngestStats, ingest } from '../src/ingest/pipeline.js';

/** Repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shared corpus of real logs written by others (absent on machines without ../shared). */
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');
/** True when the shared corpus is there; tests using it skip visibly otherwise. */
export const HAVE_CORPUS = existsSync(CORPUS);
if (!HAVE_CORPUS) console.warn(`[fwlens tests] ${CORPUS} is absent: corpus tests are skipped`);

/** Parse files through the real pipeline; returns events (with raw lines) and stats. */
export async function ingestFiles(
  paths: string[],
  opts: Omit<IngestOptions, 'onEvent'> = {},
): Promise<{ events: FwEvent[]; raws: string[]; stats: IngestStats }> {
  const events: FwEvent[] = [];
  const raws: string[] = [];
  const stats = await ingest(
    paths.map((path) => ({ path })),
    {
      ...opts,
      onEvent: (ev, raw) => {
        events.push(ev);
        raws.push(raw);
      },
    },
  );
  return { events, raws, stats };
}

/** Parse text (as if it were a file named `name`) through the real pipeline. */
export async function ingestText(
  text: string | Buffer,
  opts: Omit<IngestOptions, 'onEvent'> = {},
  name = 'input.log',
): Promise<{ events: FwEvent[]; raws: string[]; stats: IngestStats }> {
  const events: FwEvent[] = [];
  const raws: string[] = [];
  const stats = await ingest([{ path: name, stream: Readable.from([Buffer.from(text)]) }], {
    year: 2026,
    ...opts,
    onEvent: (ev, raw) => {
      events.push(ev);
      raws.push(raw);
    },
  });
  return { events, raws, stats };
}

/** Two streams for a command's stdout and stderr, and what was written to each so far. */
export function capturedStreams(): {
  stdout: PassThrough;
  stderr: PassThrough;
  out: () => string;
  err: () => string;
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => {
    out += d;
  });
  stderr.on('data', (d) => {
    err += d;
  });
  return { stdout, stderr, out: () => out, err: () => err };
}

/** A stream that says it is a terminal (100 columns), and what was written to it: for the progress bar. */
export function ttyStream(): { s: PassThrough & { isTTY: boolean; columns: number }; text: () => string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
  s.isTTY = true;
  s.columns = 100;
  let out = '';
  s.on('data', (d) => {
    out += d;
  });
  return { s, text: () => out };
}

/** Run the CLI in-process with captured output (and optional stdin text); LANG defaults to English. */
export async function runCli(
  args: string[],
  opts: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; out: string; err: string }> {
  const { stdout, stderr, out: outText, err: errText } = capturedStreams();
  const code = await run(args, {
    stdout,
    stderr,
    stdin: opts.stdin === undefined ? undefined : Readable.from([Buffer.from(opts.stdin)]),
    env: opts.env ?? { LANG: 'en_US.UTF-8' },
  });
  return { code, out: outText(), err: errText() };
}
