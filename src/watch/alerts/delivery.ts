// Feeds one queued sink (webhook, exec hook) from its durable queue: in order, with exponential backoff and jitter.
import type { Lang } from '../../i18n.js';
import { t } from '../../i18n.js';
import type { Clock, TimerHandle } from './clock.js';
import { DurableQueue, queuedBody } from './queue.js';
import type { QueuedSink, QueueLimits, RetryPolicy } from './types.js';

/** Default first retry wait: 1 s. */
export const RETRY_BASE_MS = 1_000;
/** Default longest retry wait: 5 min (a webhook that is down for a day is tried every 5 min). */
export const RETRY_MAX_MS = 5 * 60_000;

/**
 * Wait before retry number `attempt` (1 = first retry): base·2^(attempt-1), capped at max, with "equal
 * jitter" (half fixed, half random) so many watchers do not hammer a recovering endpoint in step.
 */
export function backoffMs(
  attempt: number,
  policy: Required<Pick<RetryPolicy, 'baseMs' | 'maxMs'>>,
  random: () => number,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Runs one queued sink: a queue file in the state dir, a pump that delivers the head, timers for retries. */
export class Delivery {
  readonly queue: DurableQueue;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  /** True while the sink fails (so a failure is said once, and the recovery once). */
  private failing = false;
  private readonly base: number;
  private readonly max: number;
  private readonly maxAttempts: number;
  sent = 0;
  retried = 0;

  constructor(
    readonly sink: QueuedSink,
    stateDir: string,
    limits: QueueLimits | undefined,
    retry: RetryPolicy | undefined,
    defaultAttempts: number,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly lang: Lang,
    private readonly problem: (sentence: string) => void,
  ) {
    this.queue = new DurableQueue(`${stateDir}/${sink.name}.queue`, limits?.maxAlerts, limits?.maxBytes);
    this.base = retry?.baseMs ?? RETRY_BASE_MS;
    this.max = retry?.maxMs ?? RETRY_MAX_MS;
    this.maxAttempts = retry?.maxAttempts ?? defaultAttempts;
  }

  /** Queue an alert durably, then start delivering in the background. */
  async enqueue(id: string, body: unknown, at: number): Promise<void> {
    const dropped = await this.queue.add(id, body, at);
    if (dropped > 0)
      this.problem(
        t('alert.problem.overflow', this.lang, {
          sink: this.sink.label,
          n: dropped,
          total: this.queue.dropped,
        }),
      );
    if (!this.timer) this.kick();
  }

  /**
   * Try every queued alert now, in order; stops at the first failure (the rest waits for the retry timer it
   * sets). A sink already failing and waiting for its retry is left to its backoff: the watcher flushes after
   * every batch, and must neither hammer a down endpoint nor wait a timeout each time.
   */
  async flush(): Promise<void> {
    // A pass already going (started by announce) is this flush's first attempt.
    await this.running;
    if (this.failing && this.timer) return;
    if (this.timer) {
      this.clock.clearTimer(this.timer);
      this.timer = undefined;
    }
    await this.run();
  }

  /** Stop retrying; what is queued stays on disk for the next start. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.running;
    await this.queue.close();
  }

  /** Start a background run unless one is going. */
  private kick(): void {
    if (this.closed) return;
    void this.run();
  }

  private run(): Promise<void> {
    // One run at a time: a second caller waits for the one going, then runs its own pass.
    const prev = this.running ?? Promise.resolve();
    const next = prev.then(() => this.pass());
    this.running = next.finally(() => {
      if (this.running === next) this.running = undefined;
    });
    return next;
  }

  private async pass(): Promise<void> {
    for (;;) {
      const head = this.queue.head();
      if (!head || this.closed) return;
      let result: Awaited<ReturnType<QueuedSink['deliver']>>;
      try {
        result = await this.sink.deliver(queuedBody(head), head.id);
      } catch (e) {
        result = { ok: false, reason: (e as Error).message, retry: true };
      }
      if (result.ok) {
        await this.queue.ack(head.id);
        this.sent++;
        if (this.failing) {
          this.failing = false;
          this.problem(
            t('alert.problem.recovered', this.lang, { sink: this.sink.label, n: this.queue.size }),
          );
        }
        continue;
      }
      head.attempts++;
      if (!result.retry || head.attempts >= this.maxAttempts) {
        await this.queue.giveUp(head.id);
        this.problem(
          t('alert.problem.gaveUp', this.lang, {
            sink: this.sink.label,
            reason: result.reason,
            n: head.attempts,
          }),
        );
        continue;
      }
      this.retried++;
      const wait = backoffMs(head.attempts, { baseMs: this.base, maxMs: this.max }, this.random);
      if (!this.failing) {
        this.failing = true;
        this.problem(
          t('alert.problem.failing', this.lang, {
            sink: this.sink.label,
            reason: result.reason,
            n: this.queue.size,
            seconds: (wait / 1000).toFixed(1),
          }),
        );
      }
      if (!this.closed && !this.timer)
        this.timer = this.clock.setTimer(() => {
          this.timer = undefined;
          this.kick();
        }, wait);
      return;
    }
  }
}
