// Types of the alerting side of `fwlens watch`: the alert events the watcher hands over, the Alerter, its options and sinks.
import type { DetectionConfig, DetectorId, Finding } from '../../detect/types.js';
import type { Lang } from '../../i18n.js';
import type { ResponderOptions } from '../respond.js';
import type { Clock } from './clock.js';

/** One finding the watcher decided on: `new` the first time, `update` when it grew or changed. */
export interface AlertEvent {
  kind: 'new' | 'update';
  finding: Finding;
  /**
   * Stable id of the episode, the same for its `new` and every `update` (from the watcher's detection);
   * carried as `fwlens.alert.episode`. Each alert still gets its own id (`fwlens.alert.id`), so a receiver
   * dropping duplicates by alert id never drops an update.
   */
  id?: string;
}

/** The watcher's name for an AlertEvent (the same type). */
export type AlertAnnouncement = AlertEvent;

/** What the watcher calls: announce findings, deliver what is queued, close, and read counters. */
export interface Alerter {
  /** Resolves once the alert is written or durably queued (a queued alert survives a restart). */
  announce(a: AlertEvent): Promise<void>;
  /** Try to deliver everything queued now (one attempt per queued alert, in order; stops at a failing sink's first failure). */
  flush(): Promise<void>;
  /**
   * Write what must survive a restart before the watcher's checkpoint (what was announced, for the repeat rules);
   * queued deliveries go on in the background, so a slow webhook holds up only its own queue.
   */
  persist?(): Promise<void>;
  /** Flush what can be, persist the rest and the policy state, stop every timer. */
  close(): Promise<void>;
  /**
   * Counters: announced, alerts, sent, queued, retried, dropped, failed, suppressed and suppressed.<rule>, per
   * sink `<sink>.<counter>`, respond.*, and last_alert_at / last_digest_at (epoch ms) once there was one.
   */
  stats(): Record<string, number>;
  /**
   * A reloaded detection config: its trusted and own networks are from now on never blocked (the only
   * alert setting that comes from the config file; the others are command-line flags).
   */
  reconfigure?(config: Pick<DetectionConfig, 'trustedNetworks' | 'ownNetworks' | 'ownAddresses'>): void;
}

/** One alert as it travels to the sinks: a finding alert or a periodic digest, with its stable id. */
export type AlertMessage =
  | { type: 'finding'; id: string; kind: 'new' | 'update'; finding: Finding; at: number; episode?: string }
  | { type: 'digest'; id: string; digest: DigestSummary; at: number };

/** What a digest tells: the period it covers and the alerts of that period counted per detector and severity. */
export interface DigestSummary {
  /** Epoch ms the period started and ended (the clock's time, not event time). */
  from: number;
  to: number;
  /** Alerts the period held (after min-severity, dedup and rate limits). */
  total: number;
  byDetector: Partial<Record<DetectorId, number>>;
  /** Keyed by severity 1-5 as text. */
  bySeverity: Record<string, number>;
  /** The most frequent sources (at most DIGEST_TOP_SOURCES), most alerts first. */
  topSources: { ip: string; alerts: number }[];
  /** The highest severity seen in the period (0 when empty). */
  maxSeverity: number;
}

/** A sink that writes at once and cannot be down (terminal, NDJSON). */
export interface ImmediateSink {
  readonly name: string;
  write(m: AlertMessage): Promise<void>;
  close(): Promise<void>;
}

/** Outcome of one delivery attempt of a queued sink. */
export type DeliveryResult = { ok: true } | { ok: false; reason: string; retry: boolean };

/** A sink that may fail and is fed from a durable queue with retries (webhook, exec hook). */
export interface QueuedSink {
  /** Stable name: also names its queue file in the state dir (e.g. `webhook-3f2a…`). */
  readonly name: string;
  /** Counter prefix in stats (`webhook`, `exec`). */
  readonly kind: string;
  /** Text that identifies the sink in messages (URL without credentials, command name). */
  readonly label: string;
  deliver(body: unknown, id: string): Promise<DeliveryResult>;
  /** Extra counters of this sink (exit codes, timeouts ...). */
  counters(): Record<string, number>;
}

/** Terminal lines: one human line per alert in `lang`, log text made visible. */
export interface TerminalSinkConfig {
  type: 'terminal';
  /** Where lines go (default process.stderr). */
  stream?: NodeJS.WritableStream;
}

/** NDJSON: one ECS document per alert, appended to a file or written to a stream (stdout). */
export interface NdjsonSinkConfig {
  type: 'ndjson';
  /** File to append to; absent means `stream`. */
  path?: string;
  /** Stream when no path is given (default process.stdout). */
  stream?: NodeJS.WritableStream;
}

/** Webhook: a JSON POST per alert, retried with backoff from an on-disk queue. */
export interface WebhookSinkConfig {
  type: 'webhook';
  /** http:// or https:// URL. */
  url: string;
  /** Extra request headers (an Authorization header, for instance). */
  headers?: Record<string, string>;
  /** PEM certificates to trust for an https:// URL instead of the system's (an internal CA). */
  ca?: string;
  /** Milliseconds one POST may take, connection included (default WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Queue bounds and retry timing (defaults in delivery.ts). */
  queue?: QueueLimits;
  retry?: RetryPolicy;
}

/** Exec hook: runs a command (argument array, no shell) with the alert JSON on stdin. */
export interface ExecSinkConfig {
  type: 'exec';
  /** Program and its arguments, e.g. ['/usr/local/bin/notify', '--channel', 'ops']. */
  argv: string[];
  /** Milliseconds the command may run before it is killed (default EXEC_TIMEOUT_MS). */
  timeoutMs?: number;
  queue?: QueueLimits;
  /** Default for exec: EXEC_MAX_ATTEMPTS attempts, then the alert is counted as failed. */
  retry?: RetryPolicy;
}

/** Any sink configuration. */
export type SinkConfig = TerminalSinkConfig | NdjsonSinkConfig | WebhookSinkConfig | ExecSinkConfig;

/** Bounds of one on-disk queue; the oldest alerts are dropped (and counted) beyond them. */
export interface QueueLimits {
  /** Most alerts held (default QUEUE_MAX_ALERTS). */
  maxAlerts?: number;
  /** Most bytes of alert JSON held (default QUEUE_MAX_BYTES). */
  maxBytes?: number;
}

/** Retry timing of a queued sink: exponential backoff with jitter. */
export interface RetryPolicy {
  /** First wait in ms (default RETRY_BASE_MS). */
  baseMs?: number;
  /** Longest wait in ms (default RETRY_MAX_MS). */
  maxMs?: number;
  /** Attempts before an alert is given up and counted as failed; Infinity = until delivered or dropped by the bound. */
  maxAttempts?: number;
}

/** Dedup and rate limits (defaults in policy.ts, each documented there). */
export interface PolicyOptions {
  /** An alert for the same detector and sources within this many ms of the last one is suppressed unless its severity rose. */
  dedupMs?: number;
  /** Token bucket per source address: burst size and ms per refilled token. */
  perSourceBurst?: number;
  perSourceRefillMs?: number;
  /** Token bucket per detector: burst size and ms per refilled token. */
  perDetectorBurst?: number;
  perDetectorRefillMs?: number;
  /** Alert on findings marked `suppressed: 'trusted'` too (default false: they are counted only). */
  includeTrusted?: boolean;
}

/**
 * Everything createAlerter takes. Only `lang` is required; a state directory is needed for webhook and exec
 * sinks (their queues) and digests, and keeps dedup/rate-limit state over restarts. No `sinks` means one
 * sink on `stdout`: NDJSON with `json`, else terminal lines.
 */
export interface AlerterOptions {
  /** Language of terminal lines, messages and ECS `message`. */
  lang: Lang;
  /** Directory for queues, digest and policy state (created when missing; StateDirectory=fwlens in the unit). */
  stateDir?: string;
  /** Findings below this severity (1-5) are not alerted (counted as suppressed.min_severity); default 1. */
  minSeverity?: number;
  /** With no `sinks`: NDJSON documents instead of terminal lines. */
  json?: boolean;
  /** With no `sinks`: where the lines go (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Where one-sentence problems go when no `onProblem` is given (default process.stderr). */
  stderr?: NodeJS.WritableStream;
  sinks?: SinkConfig[];
  policy?: PolicyOptions;
  /** Send a digest every this many ms instead of single alerts (e.g. 15 * 60_000); absent = single alerts. */
  digestMs?: number;
  /** Time and timers (default the system clock); tests inject a ManualClock. */
  clock?: Clock;
  /** Random number in [0, 1) for backoff jitter (default Math.random). */
  random?: () => number;
  /** Where one-sentence problems go (default: `fwlens: <sentence>` on stderr, made visible). */
  onProblem?: (sentence: string) => void;
  /** Optional blocking of sources (see respond.ts); absent = no response at all. */
  respond?: ResponderOptions;
}
