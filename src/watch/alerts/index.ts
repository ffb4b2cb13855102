// The alerter of `fwlens watch`: policy (severity, dedup, rate limits, digest), sinks, durable queues and the optional response.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { say } from '../../cli/say.js';
import { t } from '../../i18n.js';
import { createResponder, type Responder } from '../respond.js';
import { type Clock, systemClock, type TimerHandle } from './clock.js';
import { Delivery } from './delivery.js';
import { addToDigest, type DigestState, emptyDigest, summarizeDigest } from './digest.js';
import { alertDocument, alertId, digestId } from './message.js';
import { AlertPolicy, type PolicyState } from './policy.js';
import { EXEC_MAX_ATTEMPTS, execSink } from './sinks/exec.js';
import { ndjsonSink } from './sinks/ndjson.js';
import { terminalSink } from './sinks/terminal.js';
import { webhookSink } from './sinks/webhook.js';
import { readState, writeState } from './state-file.js';
import type {
  AlertEvent,
  Alerter,
  AlerterOptions,
  AlertMessage,
  DigestSummary,
  ImmediateSink,
  SinkConfig,
} from './types.js';

/** What digest.json holds: the period being counted and a finished period not yet handed to every sink. */
interface DigestFile {
  current: DigestState | undefined;
  unsent: DigestSummary[];
}

export { type Clock, ManualClock, systemClock } from './clock.js';
export { backoffMs, RETRY_BASE_MS, RETRY_MAX_MS } from './delivery.js';
export { alertDocument, alertId } from './message.js';
export { type AlertFlags, alerterOptionsFromFlags, parseDuration } from './options.js';
export {
  DEDUP_MS,
  PER_DETECTOR_BURST,
  PER_DETECTOR_REFILL_MS,
  PER_SOURCE_BURST,
  PER_SOURCE_REFILL_MS,
} from './policy.js';
export { QUEUE_MAX_ALERTS, QUEUE_MAX_BYTES } from './queue.js';
export { EXEC_TIMEOUT_MS, splitCommand } from './sinks/exec.js';
export { terminalLine } from './sinks/terminal.js';
export { WEBHOOK_TIMEOUT_MS } from './sinks/webhook.js';
export type * from './types.js';

/** Sub-directory of the state dir holding the alerter's queues and state files. */
export const ALERTS_DIR = 'alerts';

/**
 * Build the alerter. Sinks are opened and queues replayed here (a queue left by the last run is delivered
 * from the start); throws one sentence when the state dir cannot be used or a sink is misconfigured.
 */
export function createAlerter(opts: AlerterOptions): Alerter {
  const lang = opts.lang ?? 'en';
  const clock: Clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const problem = opts.onProblem ?? ((s: string) => say(opts.stderr ?? process.stderr, s));
  const sinks: SinkConfig[] = opts.sinks ?? [
    opts.json
      ? { type: 'ndjson', stream: opts.stdout ?? process.stdout }
      : { type: 'terminal', stream: opts.stdout ?? process.stdout },
  ];
  const needsDisk =
    sinks.some((s) => s.type === 'webhook' || s.type === 'exec') || opts.digestMs !== undefined;
  if (needsDisk && opts.stateDir === undefined)
    throw new Error('webhook and exec alerts and digests need a state directory (for their queues)');
  const dir = opts.stateDir === undefined ? undefined : join(opts.stateDir, ALERTS_DIR);
  if (dir)
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new Error(`cannot use the state directory ${opts.stateDir} (${(e as Error).message})`);
    }
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1) => {
    counts[k] = (counts[k] ?? 0) + n;
  };

  const immediate: ImmediateSink[] = [];
  const deliveries: Delivery[] = [];
  for (const s of sinks) {
    if (s.type === 'terminal') immediate.push(terminalSink(lang, s.stream));
    else if (s.type === 'ndjson') immediate.push(ndjsonSink(lang, s.path, s.stream));
    else {
      const sink =
        s.type === 'webhook'
          ? webhookSink(s.url, s.headers, s.timeoutMs, s.ca)
          : execSink(s.argv, s.timeoutMs);
      const attempts = s.type === 'webhook' ? Number.POSITIVE_INFINITY : EXEC_MAX_ATTEMPTS;
      deliveries.push(new Delivery(sink, dir!, s.queue, s.retry, attempts, clock, random, lang, problem));
    }
  }

  // Without a state dir, dedup and rate limits start fresh at every start (nothing else is kept).
  const policyPath = dir && join(dir, 'policy.json');
  const policy = new AlertPolicy(
    opts.minSeverity ?? 1,
    opts.policy,
    policyPath ? readState<PolicyState>(policyPath) : undefined,
  );
  const responder: Responder | undefined = opts.respond
    ? createResponder({ clock, onProblem: problem, lang, ...opts.respond })
    : undefined;

  const digestPath = join(dir ?? '', 'digest.json');
  const digestMs = opts.digestMs;
  /** The period being counted, and finished periods' summaries until they are handed to every sink. */
  let digest: DigestState | undefined;
  let unsent: DigestSummary[] = [];
  let sendingDigests: Promise<void> | undefined;
  let digestTimer: TimerHandle | undefined;
  let closed = false;
  const saveDigest = () => writeState(digestPath, { current: digest, unsent } satisfies DigestFile);

  /** Hand one message to every sink: immediate ones write now, queued ones queue durably. */
  async function dispatch(m: AlertMessage): Promise<void> {
    for (const s of immediate) {
      try {
        await s.write(m);
        count(`${s.name}.sent`);
        count('sent');
      } catch (e) {
        count(`${s.name}.errors`);
        problem(t('alert.problem.sink', lang, { sink: s.name, reason: (e as Error).message }));
      }
    }
    if (deliveries.length === 0) return;
    const body = alertDocument(m, lang);
    for (const d of deliveries) await d.enqueue(m.id, body, m.at);
  }

  /** Time the end of the current period. */
  function scheduleDigest(): void {
    if (!digest || digestMs === undefined || closed) return;
    digestTimer = clock.setTimer(
      () => {
        digestTimer = undefined;
        endPeriod();
      },
      Math.max(0, digest.from + digestMs - clock.now()),
    );
  }

  /**
   * End the period: its summary joins the unsent ones and is saved together with the fresh period before
   * any sink sees it; it leaves the unsent list once every sink has it, so a crash in between sends it again
   * at the next start (with the same id). Empty periods send nothing: silence is the digest of a quiet firewall.
   */
  function endPeriod(): void {
    if (!digest) return;
    const now = clock.now();
    const summary = summarizeDigest(digest, now);
    digest = emptyDigest(now);
    if (summary.total > 0) unsent.push(summary);
    saveDigest();
    scheduleDigest();
    sendDigests();
  }

  /** Hand the unsent digests to the sinks, oldest first, one run at a time. */
  function sendDigests(): Promise<void> {
    if (sendingDigests) return sendingDigests;
    if (unsent.length === 0) return Promise.resolve();
    const run = (async () => {
      try {
        while (unsent.length > 0) {
          const d = unsent[0]!;
          await dispatch({ type: 'digest', id: digestId(d), digest: d, at: clock.now() });
          count('digests');
          counts.last_digest_at = clock.now();
          unsent = unsent.slice(1);
          saveDigest();
        }
      } catch (e) {
        problem((e as Error).message);
      }
    })();
    sendingDigests = run.finally(() => {
      sendingDigests = undefined;
    });
    return sendingDigests;
  }

  if (digestMs !== undefined) {
    if (!(digestMs >= 1000)) throw new Error('the digest interval must be at least one second');
    const saved = readState<DigestFile>(digestPath);
    digest = saved?.current ?? emptyDigest(clock.now());
    unsent = saved?.unsent ?? [];
    scheduleDigest();
    if (unsent.length > 0) void sendDigests();
  }

  const savePolicy = () => {
    if (policyPath) writeState(policyPath, policy.state());
  };

  return {
    async announce(a: AlertEvent) {
      if (closed) throw new Error('the alerter is closed');
      count('announced');
      const f = a.finding;
      if (responder && f.suppressed !== 'trusted') await responder.consider(f);
      const reason = policy.decide(f, clock.now());
      if (reason) {
        count(`suppressed.${reason}`);
        count('suppressed');
        return;
      }
      if (digest) {
        addToDigest(digest, f);
        saveDigest();
        count('digested');
        return;
      }
      count('alerts');
      counts.last_alert_at = clock.now();
      await dispatch({
        type: 'finding',
        id: alertId(a.kind, f),
        kind: a.kind,
        finding: f,
        at: clock.now(),
        ...(a.id !== undefined ? { episode: a.id } : {}),
      });
    },
    async persist() {
      savePolicy();
    },
    async flush() {
      await sendingDigests;
      for (const d of deliveries) await d.flush();
      savePolicy();
    },
    async close() {
      if (closed) return;
      if (digestTimer) clock.clearTimer(digestTimer);
      digestTimer = undefined;
      await sendingDigests;
      for (const d of deliveries) await d.close();
      closed = true;
      for (const s of immediate) await s.close();
      if (digest) saveDigest();
      savePolicy();
    },
    reconfigure(config) {
      responder?.protect(config);
    },
    stats() {
      const out: Record<string, number> = {
        announced: 0,
        alerts: 0,
        sent: 0,
        queued: 0,
        retried: 0,
        dropped: 0,
        failed: 0,
        suppressed: 0,
        ...counts,
      };
      for (const d of deliveries) {
        const k = d.sink.kind;
        const add = (name: string, n: number) => {
          out[name] = (out[name] ?? 0) + n;
        };
        add('sent', d.sent);
        add('queued', d.queue.size);
        add('retried', d.retried);
        add('dropped', d.queue.dropped);
        add('failed', d.queue.failed);
        add(`${k}.sent`, d.sent);
        add(`${k}.queued`, d.queue.size);
        add(`${k}.queued_bytes`, d.queue.bytes);
        add(`${k}.retried`, d.retried);
        add(`${k}.dropped`, d.queue.dropped);
        add(`${k}.failed`, d.queue.failed);
        for (const [name, n] of Object.entries(d.sink.counters())) add(name, n);
      }
      if (responder) Object.assign(out, responder.stats());
      return out;
    },
  };
}
