// Progress bar on stderr for long analyze runs: bytes read, lines/s, ETA; only on a TTY, never in CI.
import cliProgress from 'cli-progress';
import { type Lang, t } from '../i18n.js';

/** Runs shorter than this show no bar at all (milliseconds). */
export const PROGRESS_DELAY_MS = 1000;

/** What analyze tells the bar after each batch of lines. */
export interface ProgressReporter {
  /** Lines and bytes read so far over all inputs. */
  update(lines: number, bytes: number | undefined): void;
  /** Remove the bar (safe to call when it never appeared). */
  stop(): void;
}

/** Where and how to draw. */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  lang: Lang;
  /** Total bytes of all inputs, when known (files only, not stdin): enables the bar and the ETA. */
  totalBytes?: number;
  /** Clock in ms (injected by tests). */
  now?: () => number;
}

/** True when a bar may be drawn: stderr is a terminal, not CI, not a dumb terminal. */
export function progressAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.CI && env.TERM !== 'dumb';
}

/** Human size: 1.5 MB, 730 KB (decimal units, as `ls -h --si` and disk vendors count). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} KB`;
  return `${n} B`;
}

const SILENT: ProgressReporter = { update() {}, stop() {} };

/**
 * A reporter that draws nothing until PROGRESS_DELAY_MS has passed, then a cli-progress bar:
 * `reading [████░░░░] 42% 120.0 MB/285.3 MB 310,000 lines/s ETA 9s` (no bar/ETA for stdin).
 */
export function createProgress(opts: ProgressOptions): ProgressReporter {
  if (!progressAllowed(opts.stream, opts.env)) return SILENT;
  const now = opts.now ?? Date.now;
  const started = now();
  const total = opts.totalBytes && opts.totalBytes > 0 ? opts.totalBytes : undefined;
  const T = (k: Parameters<typeof t>[0]) => t(k, opts.lang);
  let bar: cliProgress.SingleBar | undefined;
  let stopped = false;
  const payload = (lines: number, bytes: number | undefined) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = Math.round(lines / seconds).toLocaleString('en-US');
    // Bytes read when known; a stream that does not count them shows the lines read instead.
    const done = bytes === undefined ? t('cli.progress.lines', opts.lang, { n: lines }) : formatBytes(bytes);
    return { done, size: total ? formatBytes(total) : '', rate };
  };
  return {
    update(lines, bytes) {
      if (stopped) return;
      if (!bar) {
        if (now() - started < PROGRESS_DELAY_MS) return;
        const format = total
          ? `${T('cli.progress.reading')} [{bar}] {percentage}% {done}/{size} {rate} ${T('cli.progress.linesPerSecond')} ${T('cli.progress.eta')} {eta_formatted}`
          : `${T('cli.progress.reading')} {done} {rate} ${T('cli.progress.linesPerSecond')}`;
        bar = new cliProgress.SingleBar({
          stream: opts.stream as NodeJS.WriteStream,
          format,
          barsize: 20,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
        });
        bar.start(total ?? 1, 0, payload(lines, bytes));
      }
      bar.update(total ? Math.min(bytes ?? 0, total) : 0, payload(lines, bytes));
    },
    stop() {
      // Once: a second stop (an error path after the run's own) or a late update draws nothing.
      if (!stopped) bar?.stop();
      stopped = true;
    },
  };
}
