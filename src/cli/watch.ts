// `fwlens watch`: follow live sources, announce findings as they are decided, checkpoint so restarts are exact.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FilterError, parseSeverity } from '../analyze/filters.js';
import { type DetectionConfig, loadDetectionConfig } from '../detect/index.js';
import { formatById } from '../formats/index.js';
import { type Lang, type MessageKey, t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { isClickHouseAddress } from '../store/clickhouse/url.js';
import { openStore } from '../store/open.js';
import { isOtherFile, storePath } from '../store/path.js';
import { StoreThread } from '../store/store-thread-client.js';
import { StoreError } from '../store/types.js';
import { storeWanted } from '../store/writer-intent.js';
import { duration } from '../util/duration.js';
import { sameProcessAlive } from '../util/process-alive.js';
import { jsonText, visibleText } from '../util/visible.js';
import { type AlertFlags, alerterOptionsFromFlags, createAlerter } from '../watch/alerts/index.js';
import type { Alerter, AlerterOptions } from '../watch/alerts/types.js';
import { type FollowNotice, patternOf } from '../watch/follow.js';
import { limitHeapGrowth } from '../watch/heap.js';
import type { LoopStallStatus } from '../watch/loop-stalls.js';
import { defaultStateDir, StateDir } from '../watch/state.js';
import { type SinkPruned, type SinkRetention, StoreSink, type StoreSinkStatus } from '../watch/store-sink.js';
import { DEFAULT_STATUS_HEARTBEAT_MS, type SpoolSource, Watcher } from '../watch/watcher.js';
import { configOption } from './config-option.js';
import { byteSizeText, parseByteSize, retentionFlags } from './ingest.js';
import { type CliIo, EXIT } from './main.js';
import { say as sayTo } from './say.js';

/** Flags of `fwlens watch`; the alerting and response flags are the alerter's own (src/watch/alerts/options.ts). */
export interface WatchOptions extends Omit<AlertFlags, 'stateDir' | 'lang' | 'minSeverity' | 'config'> {
  from?: 'start' | 'end';
  stateDir?: string;
  format?: string;
  tz?: number | string;
  year?: number;
  lang: Lang;
  minSeverity?: string;
  json?: boolean;
  status?: boolean;
  config?: string;
  poll?: number;
  maxLineBytes?: number;
  listen?: string[];
  tlsCert?: string;
  tlsKey?: string;
  journal?: boolean;
  /** `--store [path]`: also write into the store (true: the default store). */
  store?: string | boolean;
  /** Seconds between store commits at most. */
  storeEvery?: number;
  /** Events waiting that make a store commit. */
  storeBatch?: number;
  /** Seconds a commit waits for a DuckDB store file another process has open. */
  storeWait?: number;
  /** Seconds the watcher keeps a DuckDB store file open between commits when no other process asks for it. */
  storeHold?: number;
  /** `--store-memory`: bytes of read lines kept in memory for the store (`500MB`, `64MiB`). */
  storeMemory?: string;
  /** `--keep`: drop stored events and findings older than this age (90d), as the watcher writes. */
  keep?: string;
  /** `--max-size`: drop the oldest stored days beyond this size (2GB). */
  maxSize?: string;
}

/** How long (s) each commit of `watch --store` waits for a DuckDB file another process has open. */
export const WATCH_STORE_WAIT_S = 10;

/**
 * DuckDB's memory limit in a watcher (its default is 80 % of the machine's memory): the watcher keeps the file
 * open between its commits, and DuckDB keeps what it read cached up to the limit. Its commits' statements
 * (a part's groups, one day's per-day rows, 100,000 per-source rows merged at a time) need far less.
 */
export const WATCH_DUCKDB_MEMORY = '512MB';

/**
 * The store sink `--store` asks for: a DuckDB file is kept open from one commit to the next and let go when
 * another process wants it (or after STORE_HOLD_MS); a ClickHouse store stays connected.
 */
function buildStoreSink(
  opts: WatchOptions,
  env: NodeJS.ProcessEnv,
  say: (s: string) => void,
  memoryBytes: number | undefined,
  retention: SinkRetention | undefined,
): StoreSink {
  const location = storePath(opts.store, env);
  const clickhouse = isClickHouseAddress(location);
  const waitMs = (opts.storeWait ?? WATCH_STORE_WAIT_S) * 1000;
  // A DuckDB file is opened, written and closed in a thread of its own for the watcher's life: DuckDB's
  // synchronous calls (the appenders' flush, closing the file: 1.4-1.7 s around each let-go) held the reading
  // and the alerts. A watch runs for months: its writer keeps a bounded share of the string table in memory.
  const thread = clickhouse
    ? undefined
    : new StoreThread({ location, waitMs, boundedStrings: true, memoryLimit: WATCH_DUCKDB_MEMORY });
  const sink: StoreSink = new StoreSink({
    location,
    onWaitingAtStart: () => say(t('watch.store.waitingAtStart', opts.lang, { location })),
    open: () => (thread ? thread.open() : openStore(location)),
    ...(thread ? { end: () => thread.end() } : {}),
    // A server-backed store is shared anyway. A DuckDB file is kept open from one commit to the next (closing
    // it checkpoints the file: ~150 ms a commit on a store of millions of events) and let go when another
    // process announces that it wants it (a query, the console, an ingest), so that it can open it.
    release: clickhouse ? false : () => storeWanted(location),
    ...(opts.storeHold === undefined ? {} : { holdMs: opts.storeHold * 1000 }),
    commitMs: opts.storeEvery === undefined ? undefined : opts.storeEvery * 1000,
    commitEvents: opts.storeBatch,
    ...(memoryBytes === undefined ? {} : { memoryBytes }),
    ...(opts.maxLineBytes === undefined ? {} : { maxLineBytes: opts.maxLineBytes }),
    ...(retention
      ? {
          retention,
          onPrune: (pruned: SinkPruned | undefined, error?: unknown) =>
            sayPruned(say, opts.lang, location, retention.maxBytes, pruned, error),
        }
      : {}),
    onHoldBack: (holding, d) =>
      say(
        holding
          ? t('watch.store.holdingBack', opts.lang, { location, size: byteSizeText(d.bytes) })
          : t('watch.store.caughtUp', opts.lang, { location, lines: String(d.lines) }),
      ),
    onProblem: (e) => {
      if (e === undefined)
        return say(
          t(sink.holding() ? 'watch.store.recoveredHolding' : 'watch.store.recovered', opts.lang, {
            location,
          }),
        );
      const error = e instanceof StoreError ? e.text[opts.lang] : (e as Error).message;
      say(t('watch.store.failing', opts.lang, { location, error }));
    },
  });
  return sink;
}

/** What a round of `--keep` / `--max-size` dropped, when it dropped anything or could not keep the bound. */
function sayPruned(
  say: (s: string) => void,
  lang: Lang,
  location: string,
  maxBytes: number | undefined,
  pruned: SinkPruned | undefined,
  error: unknown,
): void {
  if (!pruned) {
    const why = error instanceof StoreError ? error.text[lang] : (error as Error).message;
    say(t('watch.store.pruneFailing', lang, { location, error: why }));
    return;
  }
  const lines: string[] = [];
  const { age, size } = pruned;
  if (age && age.events + age.findings > 0)
    lines.push(
      t('store.ingest.pruned', lang, {
        events: age.events,
        findings: age.findings,
        unparsed: age.unparsed,
        before: new Date(age.before).toISOString(),
      }),
    );
  if (size && maxBytes !== undefined) {
    const sizes = { after: byteSizeText(size.bytesAfter), max: byteSizeText(maxBytes) };
    if (size.before !== undefined)
      lines.push(
        t('store.ingest.prunedSize', lang, {
          events: size.events,
          findings: size.findings,
          unparsed: size.unparsed,
          before: new Date(size.before).toISOString(),
          ...sizes,
        }),
      );
    else if (size.bytesAfter > maxBytes) lines.push(t('store.ingest.overSize', lang, sizes));
  }
  for (const what of lines) say(t('watch.store.retention', lang, { location, what }));
}

/** Whether a repeatable flag was given (at least once). */
const given = (v: string | string[] | undefined): boolean =>
  Array.isArray(v) ? v.length > 0 : v !== undefined;

/** True when any flag asks for more than the default alert lines (or NDJSON with --json) on stdout. */
function customAlerts(o: WatchOptions): boolean {
  return (
    given(o.webhook) ||
    given(o.exec) ||
    given(o.ndjson) ||
    o.quiet === true ||
    o.digest !== undefined ||
    o.dedup !== undefined ||
    o.block !== undefined ||
    o.apply === true
  );
}

/**
 * The alerter the flags ask for. By default one sink on stdout (terminal lines, or NDJSON with --json);
 * with alert flags, their sinks, with terminal lines moved to stderr when NDJSON takes stdout.
 */
function buildAlerter(
  opts: WatchOptions,
  stateDir: string,
  minSeverity: number | undefined,
  config: DetectionConfig | undefined,
  io: CliIo,
): Alerter {
  if (!customAlerts(opts))
    return createAlerter({
      lang: opts.lang,
      json: opts.json,
      stdout: io.stdout,
      stderr: io.stderr,
      minSeverity,
      stateDir,
    });
  const alertOpts: AlerterOptions = alerterOptionsFromFlags({
    stateDir,
    lang: opts.lang,
    minSeverity: opts.minSeverity,
    webhook: opts.webhook,
    webhookHeader: opts.webhookHeader,
    webhookCa: opts.webhookCa,
    exec: opts.exec,
    execTimeout: opts.execTimeout,
    ndjson: given(opts.ndjson) ? opts.ndjson : opts.json ? '-' : undefined,
    quiet: opts.quiet,
    digest: opts.digest,
    dedup: opts.dedup,
    block: opts.block,
    apply: opts.apply,
    blockSeverity: opts.blockSeverity,
    blockTimeout: opts.blockTimeout,
    blockAllow: opts.blockAllow,
    config,
  });
  const ndjsonOnStdout = alertOpts.sinks?.some((s) => s.type === 'ndjson' && s.path === undefined) === true;
  alertOpts.sinks = alertOpts.sinks?.map((s) =>
    s.type === 'terminal'
      ? { ...s, stream: ndjsonOnStdout ? io.stderr : io.stdout }
      : s.type === 'ndjson' && s.path === undefined
        ? { ...s, stream: io.stdout }
        : s,
  );
  alertOpts.stderr = io.stderr;
  if (alertOpts.respond && ndjsonOnStdout) alertOpts.respond.print = (line) => io.stderr.write(`${line}\n`);
  return createAlerter(alertOpts);
}

/** Run `fwlens watch` until SIGTERM/SIGINT (or the end of stdin when it is the only source); returns the exit code. */
export async function runWatch(sources: string[], opts: WatchOptions, io: CliIo): Promise<number> {
  const lang = opts.lang;
  const say = (sentence: string) => sayTo(io.stderr, sentence);
  const env = io.env ?? process.env;
  const state = new StateDir(resolve(opts.stateDir ?? defaultStateDir(env)));
  if (opts.status) return showStatus(state, opts, io);

  let minSeverity: number | undefined;
  try {
    if (opts.minSeverity !== undefined) minSeverity = parseSeverity('--min-severity', opts.minSeverity);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    say(t(e.key, lang, e.vars));
    return EXIT.usage;
  }
  if (opts.format !== undefined && opts.format !== 'auto' && !formatById(opts.format)) {
    const error = t('cli.input.unknownFormat', lang, { format: visibleText(opts.format) });
    say(t('cli.analyze.seeFormats', lang, { error }));
    return EXIT.usage;
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    say(t('watch.tlsNeedsBoth', lang));
    return EXIT.usage;
  }
  if (typeof opts.store === 'string' && !isClickHouseAddress(opts.store) && isOtherFile(opts.store)) {
    // `--store fw.log` took the log for the store to write: refuse before touching it.
    say(t('watch.storeIsNoStore', lang, { path: visibleText(opts.store) }));
    return EXIT.usage;
  }
  const storeMemory = opts.storeMemory === undefined ? undefined : parseByteSize(opts.storeMemory);
  if (opts.storeMemory !== undefined && storeMemory === undefined) {
    say(t('cli.usage.size', lang, { name: '--store-memory', value: visibleText(opts.storeMemory) }));
    return EXIT.usage;
  }
  // Retention while writing the store, as `ingest --keep` / `--max-size` after an ingest.
  let retention: SinkRetention | undefined;
  if (opts.keep !== undefined || opts.maxSize !== undefined) {
    if (opts.store === undefined || opts.store === false) {
      say(t('watch.retentionNeedsStore', lang));
      return EXIT.usage;
    }
    const bounds = retentionFlags(opts, lang, say);
    if (bounds === false) return EXIT.usage;
    retention = bounds;
  }
  const useStdin = sources.includes('-');
  // Absolute names: the checkpoint finds a file again however it is named next time (relative, absolute, from
  // another working directory as under systemd). A name that exists as it is names that file, even with `[`,
  // `*` or `?` in it (patternOf).
  const files = sources.filter((s) => s !== '-').map((s) => patternOf(resolve(s), existsSync));
  if (files.length === 0 && !useStdin && !opts.journal && !(opts.listen?.length ?? 0)) {
    say(t('watch.noSources', lang));
    return EXIT.usage;
  }
  const config = configOption(opts.config, lang, say);
  if (config === false) return EXIT.usage;
  try {
    state.ensure();
  } catch (e) {
    say(t('watch.stateDirError', lang, { path: state.dir, error: (e as Error).message }));
    return EXIT.inputError;
  }

  const spools: SpoolSource[] = [];
  /** Receivers that asked for any port (`:0`): the port the kernel gave is said once they listen. */
  const anyPort: { transport: string; host: string; port: () => number }[] = [];
  for (const url of opts.listen ?? []) {
    const { parseListen, SyslogReceiver } = await import('../watch/syslog.js');
    const target = parseListen(url);
    if (!target) {
      say(t('watch.badListen', lang, { value: url }));
      return EXIT.usage;
    }
    const rx = new SyslogReceiver({
      ...target,
      spoolPath: join(state.dir, 'spool', `syslog-${target.transport}-${target.port}.log`),
      tls: opts.tlsCert && opts.tlsKey ? { cert: opts.tlsCert, key: opts.tlsKey } : undefined,
      // A message is one line: the line cap is its cap.
      ...(opts.maxLineBytes === undefined ? {} : { maxMessageBytes: opts.maxLineBytes }),
      lang: opts.lang,
      onProblem: (s) => say(s),
    });
    if (target.port === 0)
      anyPort.push({ transport: target.transport, host: target.host, port: () => rx.port() });
    spools.push(rx);
  }
  if (opts.journal) {
    const { JournalSource } = await import('../watch/journal.js');
    spools.push(
      new JournalSource({
        spoolPath: join(state.dir, 'spool', 'journal.log'),
        lang: opts.lang,
        onProblem: (s) => say(s),
      }),
    );
  }

  const notice = (n: FollowNotice) => {
    const key = `watch.notice.${n.kind}` as MessageKey;
    say(t(key, lang, { path: n.path, detail: n.detail ?? '' }));
  };
  // The directory is this watcher's from here until it stops (released on every way out below).
  let holder: number | undefined;
  try {
    const claimed = state.claim();
    holder = claimed.holder;
    if (claimed.tookOver !== undefined)
      say(t('watch.staleLock', lang, { pid: claimed.tookOver, path: visibleText(state.dir) }));
  } catch (e) {
    say(t('watch.stateDirError', lang, { path: state.dir, error: (e as Error).message }));
    return EXIT.inputError;
  }
  if (holder !== undefined) {
    say(t('watch.stateDirTaken', lang, { pid: holder, path: visibleText(state.dir) }));
    return EXIT.inputError;
  }
  let alerter: Alerter;
  try {
    alerter = buildAlerter(opts, state.dir, minSeverity, config, io);
  } catch (e) {
    state.release();
    say((e as Error).message);
    return EXIT.usage;
  }
  // A service left running: its heap is kept near what is alive (src/watch/heap.ts).
  limitHeapGrowth(env);
  const watcherStore =
    opts.store === undefined || opts.store === false
      ? undefined
      : buildStoreSink(opts, env, say, storeMemory, retention);
  const watcher = new Watcher({
    files,
    stdin: useStdin ? (io.stdin ?? process.stdin) : undefined,
    spools,
    from: opts.from,
    pollMs: opts.poll,
    maxLineBytes: opts.maxLineBytes,
    records: {
      format: opts.format,
      year: opts.year,
      utcOffsetMinutes: typeof opts.tz === 'number' ? opts.tz : undefined,
      timeZone: typeof opts.tz === 'string' ? opts.tz : undefined,
    },
    kb: knowledgeBase(),
    config,
    state,
    alerter,
    onNotice: notice,
    onStateWrite: (p) => {
      const file = visibleText(p.file);
      if (p.error === undefined)
        return say(
          t(p.what === 'checkpoint' ? 'watch.checkpointRecovered' : 'watch.statusWriteRecovered', lang, {
            file,
          }),
        );
      if (p.what === 'status')
        return say(
          t('watch.statusWriteFailing', lang, {
            file,
            error: p.error,
            seconds: (3 * DEFAULT_STATUS_HEARTBEAT_MS) / 1000,
          }),
        );
      say(
        p.lastWritten === undefined
          ? t('watch.checkpointFailingNever', lang, { file, error: p.error })
          : t('watch.checkpointFailing', lang, {
              file,
              error: p.error,
              since: new Date(p.lastWritten).toISOString(),
            }),
      );
    },
    store: watcherStore,
  });
  // Unparsed lines are told as they come, with file and line (at most a few per second).
  let told = 0;
  const tell = () => {
    const fresh = watcher.records.unparsed.filter((u) => (u.seq ?? 0) > told);
    const last = fresh.at(-1)?.seq ?? told;
    const shown = fresh.slice(-5);
    // Every unparsed line has its number (seq): those not shown one by one are counted, not silently skipped.
    const more = last - told - shown.length;
    if (more > 0) say(t('watch.unparsedMore', lang, { n: more }));
    for (const u of shown)
      say(t('watch.unparsed', lang, { file: u.file, line: u.line, reason: u.reason, text: u.text }));
    told = last;
  };
  const tellUnparsed = setInterval(tell, 1000);
  // Signals are taken before the sources start, so a stop during start-up is a clean one too.
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onStop = () => {
    // A stop while the start waits for a store held by another process ends that wait.
    watcherStore?.abortStart();
    stopRequested();
  };
  watcher.configFrom(opts.config);
  // SIGHUP: files reopened; with --config, the config file read again and, when it loads, put in use.
  let hups: Promise<void> = Promise.resolve();
  const onHup = () => {
    hups = hups
      .then(() => reloadOnHup(opts, watcher, alerter, lang, say))
      .catch((e: Error) => say(e.message));
  };
  process.once('SIGTERM', onStop);
  process.once('SIGINT', onStop);
  process.on('SIGHUP', onHup);
  try {
    await watcher.start();
  } catch (e) {
    state.release();
    clearInterval(tellUnparsed);
    process.off('SIGHUP', onHup);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL')
      say(t('watch.listenError', lang, { url: (opts.listen ?? []).join(', '), error: err.message }));
    else say(t('watch.stateDirError', lang, { path: state.dir, error: err.message }));
    await watcher.stop().catch(() => {});
    return EXIT.inputError;
  }
  for (const r of anyPort) {
    const host = r.host.includes(':') ? `[${r.host}]` : r.host;
    say(t('watch.listening', lang, { url: `${r.transport}://${host}:${r.port()}` }));
  }
  const ended = watcher.stdinEnded();
  if (ended && files.length === 0 && spools.length === 0) void ended.then(() => stopRequested());
  await stopped;
  process.off('SIGTERM', onStop);
  process.off('SIGINT', onStop);
  process.off('SIGHUP', onHup);
  await hups;
  clearInterval(tellUnparsed);
  await watcher.stop();
  state.release();
  tell();
  const c = watcher.records.counts;
  say(
    t('watch.stopped', lang, {
      lines: c.lines,
      events: c.events,
      unparsed: c.malformed + c.unrecognized,
      announced: alerter.stats()['announced'] ?? 0,
    }),
  );
  return EXIT.ok;
}

/**
 * SIGHUP: read the `--config` file again. A config that loads replaces the old one (detection windows are
 * rebuilt by re-reading, the blocker's protected networks follow); one that does not is said in one sentence
 * and the old one stays. Without `--config`, only the files are reopened.
 */
async function reloadOnHup(
  opts: WatchOptions,
  watcher: Watcher,
  alerter: Alerter,
  lang: Lang,
  say: (sentence: string) => void,
): Promise<void> {
  if (!opts.config) return watcher.reopen();
  let config: DetectionConfig;
  try {
    config = loadDetectionConfig(opts.config);
  } catch (e) {
    const sentence = t('watch.configKept', lang, { path: opts.config, error: (e as Error).message });
    say(sentence);
    watcher.configKept(sentence);
    return watcher.reopen();
  }
  await watcher.reload(config);
  alerter.reconfigure?.(config);
  say(t('watch.configReloaded', lang, { path: opts.config }));
}

/** `--status`: print the status file the running watcher rewrites. */
function showStatus(state: StateDir, opts: WatchOptions, io: CliIo): number {
  const status = state.readStatus() as Record<string, unknown> | undefined;
  if (!status) {
    sayTo(io.stderr, t('watch.noStatus', opts.lang, { path: state.dir }));
    return EXIT.inputError;
  }
  // A status file outlives its watcher (stopped, killed, the machine restarted): say so, and exit 1. Its pid
  // may name another process by now (after a reboot): the identity the watcher wrote tells them apart.
  const pid = typeof status.pid === 'number' ? status.pid : undefined;
  const identity = typeof status.processIdentity === 'string' ? status.processIdentity : undefined;
  const running = pid === undefined || sameProcessAlive(pid, identity, 'watch');
  const at = typeof status.writtenAt === 'string' ? visibleText(status.writtenAt) : '?';
  if (!running)
    sayTo(io.stderr, t('watch.notRunning', opts.lang, { path: visibleText(state.dir), pid: pid ?? '?', at }));
  // A running watcher rewrites its status at least every heartbeat: one older than three of them is stuck, or
  // cannot write its state directory (a full disk), and what the status says is old.
  const now = Date.now();
  const period =
    typeof status.statusHeartbeatSeconds === 'number' && status.statusHeartbeatSeconds > 0
      ? status.statusHeartbeatSeconds
      : DEFAULT_STATUS_HEARTBEAT_MS / 1000;
  const writtenMs = typeof status.writtenAt === 'string' ? Date.parse(status.writtenAt) : Number.NaN;
  const ageSeconds = Number.isNaN(writtenMs) ? undefined : Math.max(0, Math.round((now - writtenMs) / 1000));
  const stale = running && ageSeconds !== undefined && ageSeconds > 3 * period;
  if (stale)
    sayTo(
      io.stderr,
      t('watch.statusStale', opts.lang, {
        path: visibleText(state.dir),
        pid: pid ?? '?',
        at,
        ago: ageSeconds,
        period,
      }),
    );
  const failing = status.checkpointFailing as { file?: string; error?: string } | undefined;
  if (running && !stale && failing)
    sayTo(
      io.stderr,
      t('watch.statusCheckpointFailing', opts.lang, {
        path: visibleText(state.dir),
        file: visibleText(String(failing.file ?? '?')),
        error: visibleText(String(failing.error ?? '?')),
      }),
    );
  const code = running && !stale && !failing ? EXIT.ok : EXIT.inputError;
  const newestMs = typeof status.newestEventAt === 'string' ? Date.parse(status.newestEventAt) : Number.NaN;
  const newestAgo = Number.isNaN(newestMs) ? undefined : Math.max(0, Math.round((now - newestMs) / 1000));
  if (opts.json) {
    // jsonText: file names and problems in the status may carry C1 or bidi characters, which JSON.stringify
    // leaves raw.
    io.stdout.write(
      `${jsonText({
        ...status,
        running,
        stale,
        ...(ageSeconds === undefined ? {} : { statusAgeSeconds: ageSeconds }),
        ...(newestAgo === undefined ? {} : { newestEventAgoSeconds: newestAgo }),
      })}\n`,
    );
    return code;
  }
  const lines: string[] = [];
  const s = status as {
    pid?: number;
    writtenAt?: string;
    sources?: {
      path: string;
      offset?: number;
      size?: number;
      line?: number;
      lag?: number;
      linesPerSecond?: number;
      rotated?: boolean;
      problem?: string;
      since?: string;
      stdin?: boolean;
      bytesRead?: number;
      ended?: boolean;
    }[];
    spools?: Record<string, Record<string, number>>;
    linesPerSecond?: number;
    lagBytes?: number;
    checkpointFailing?: { file?: string; error?: string; lastWrittenAt?: string };
    counts?: Record<string, number>;
    alerts?: Record<string, number>;
    lastAlert?: { at: number; kind: string; title: string };
    rssBytes?: number;
    eventLoop?: LoopStallStatus;
    config?: { path?: string; loadedAt?: string; reloads?: number; problem?: string };
    store?: StoreSinkStatus;
  };
  const lang = opts.lang;
  const say = (key: MessageKey, vars?: Record<string, string | number>) => t(key, lang, vars);
  const list = (o: Record<string, number>, show = (_k: string, v: number): string | number => v) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${show(k, v)}`)
      .join(', ');
  lines.push(
    say('watch.status.head', {
      pid: s.pid ?? '?',
      notRunning: running ? '' : say('watch.status.notRunning'),
      at: s.writtenAt ?? '?',
      age:
        ageSeconds === undefined
          ? ''
          : say(stale ? 'watch.status.ageStale' : 'watch.status.age', { ago: ageSeconds }),
    }),
  );
  for (const f of s.sources ?? [])
    if (f.problem !== undefined)
      lines.push(
        say('watch.status.sourceProblem', { path: f.path, problem: f.problem, since: f.since ?? '?' }),
      );
    else if (f.stdin)
      lines.push(
        say('watch.status.stdin', {
          line: f.line ?? 0,
          bytes: f.bytesRead ?? 0,
          state: say(f.ended ? 'watch.status.stdinEnded' : 'watch.status.stdinOpen'),
          rate: f.linesPerSecond ?? 0,
        }),
      );
    else
      lines.push(
        say('watch.status.file', {
          path: f.path,
          rotated: f.rotated ? say('watch.status.rotatedAway') : '',
          offset: f.offset ?? '?',
          size: f.size ?? '?',
          line: f.line ?? '?',
          lag: f.lag ?? '?',
          rate: f.linesPerSecond ?? 0,
        }),
      );
  if (s.checkpointFailing)
    lines.push(
      say('watch.status.checkpointFailing', {
        file: s.checkpointFailing.file ?? '?',
        error: s.checkpointFailing.error ?? '?',
        last: s.checkpointFailing.lastWrittenAt ?? say('watch.status.neverWritten'),
      }),
    );
  for (const [name, st] of Object.entries(s.spools ?? {})) lines.push(`  ${name}  ${list(st)}`);
  lines.push(
    say('watch.status.rates', {
      rate: s.linesPerSecond ?? 0,
      lag: s.lagBytes ?? '?',
      newest:
        newestAgo === undefined
          ? say('watch.status.noneYet')
          : // The newest event's age: for an old log, or a quiet firewall, easier read in days.
            newestAgo >= 120
            ? say('watch.status.agoLong', {
                ago: newestAgo,
                span: duration(newestAgo * 1000, 'decimal')[lang],
              })
            : say('watch.status.ago', { ago: newestAgo }),
      rss: Math.round((s.rssBytes ?? 0) / 1048576),
    }),
  );
  if (s.eventLoop)
    lines.push(
      say('watch.status.eventLoop', {
        longest: s.eventLoop.longestStallMs,
        recent: s.eventLoop.longestStallLastMinuteMs,
        counted: s.eventLoop.stallsOver500ms,
      }),
    );
  if (s.counts) lines.push(say('watch.status.counts', { list: list(s.counts) }));
  if (s.alerts)
    lines.push(
      say('watch.status.alerts', {
        // Counters named *_at are instants (epoch ms): shown as times, not numbers.
        list: list(s.alerts, (k, v) => (k.endsWith('_at') && v > 0 ? new Date(v).toISOString() : v)),
      }),
    );
  if (s.config?.path)
    lines.push(
      say('watch.status.config', {
        path: s.config.path,
        at: s.config.loadedAt ?? '?',
        reloads: s.config.reloads ?? 0,
        problem: s.config.problem ? say('watch.status.problem', { problem: s.config.problem }) : '',
      }),
    );
  if (s.store) {
    const st = s.store;
    lines.push(
      say('watch.status.store', {
        location: st.location,
        last: st.lastCommitAt ?? say('watch.status.noneYet'),
        ms: st.lastCommitMs === undefined ? '' : say('watch.status.commitMs', { ms: st.lastCommitMs }),
        commits: st.commits,
        events: st.eventsWritten,
        unparsed: st.unparsedWritten,
        findings: st.findingsWritten,
        waitingEvents: st.waitingEvents,
        waitingFindings: st.waitingFindings,
        lag: st.commitLagSeconds,
      }),
    );
    if (st.failing)
      lines.push(say('watch.status.storeFailing', { failing: st.failing, retry: st.retryAt ?? '?' }));
    if (st.lastPruneAt !== undefined)
      lines.push(
        say('watch.status.retention', {
          at: st.lastPruneAt,
          events: st.prunedEvents ?? 0,
          findings: st.prunedFindings ?? 0,
          unparsed: st.prunedUnparsed ?? 0,
          failing: st.pruneFailing ? say('watch.status.retentionFailing', { error: st.pruneFailing }) : '',
        }),
      );
    if (st.memoryLimitBytes !== undefined)
      lines.push(
        say('watch.status.storeMemory', {
          waiting: st.waitingBytes,
          limit: st.memoryLimitBytes,
          held: st.heldBackBytes,
          files: st.heldBackFiles,
          times: st.holdBacks,
          reread: st.rereadLines,
          lost: st.findingsNotStored,
        }),
      );
  }
  if (s.lastAlert)
    lines.push(
      say('watch.status.lastAlert', {
        at: new Date(s.lastAlert.at).toISOString(),
        kind: s.lastAlert.kind,
        title: s.lastAlert.title,
      }),
    );
  io.stdout.write(`${lines.map((l) => visibleText(l)).join('\n')}\n`);
  return code;
}
