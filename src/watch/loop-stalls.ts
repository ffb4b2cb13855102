// How long the watcher's event loop was held (no line read, no alert sent meanwhile), for `watch --status`.

/** How often (ms) the loop is looked at: a stall is how much later than this a tick came. */
export const STALL_TICK_MS = 50;

/** A stall at least this long (ms) is counted (`stallsOver500ms`). */
export const COUNTED_STALL_MS = 500;

/** The window (ms) of the recent figure, kept in slices of RECENT_SLICE_MS. */
export const RECENT_WINDOW_MS = 60_000;
const RECENT_SLICE_MS = 10_000;

/** What `watch --status` shows of the event loop. */
export interface LoopStallStatus {
  /** Longest stall (ms) since the watcher started. */
  longestStallMs: number;
  /** Longest stall (ms) in the last minute (RECENT_WINDOW_MS). */
  longestStallLastMinuteMs: number;
  /** Stalls of at least COUNTED_STALL_MS since start. */
  stallsOver500ms: number;
}

/**
 * Measures the event loop's stalls with a timer of its own: a tick due every STALL_TICK_MS that comes late
 * came after the loop was held by synchronous work (a parse of a large chunk, a store's synchronous calls, a
 * long collection) for that long. A timer, not `monitorEventLoopDelay`: the count of stalls over a bound needs
 * each stall, not a histogram of them. The timer does not keep the process alive.
 */
export class LoopStalls {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private longest = 0;
  private counted = 0;
  /** Longest stall per slice of the recent window: [slice start, longest]. */
  private readonly slices: [number, number][] = [];

  constructor(
    private readonly tickMs = STALL_TICK_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.timer) return;
    this.last = this.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One tick of the timer (exposed for tests with their own clock). */
  tick(): void {
    const at = this.now();
    this.note(at - this.last - this.tickMs, at);
    this.last = at;
  }

  private note(stall: number, at: number): void {
    const ms = Math.max(0, Math.round(stall));
    if (ms > this.longest) this.longest = ms;
    if (ms >= COUNTED_STALL_MS) this.counted++;
    const slice = Math.floor(at / RECENT_SLICE_MS) * RECENT_SLICE_MS;
    const current = this.slices.at(-1);
    if (current && current[0] === slice) current[1] = Math.max(current[1], ms);
    else this.slices.push([slice, ms]);
    while (this.slices.length > 0 && this.slices[0]![0] <= at - RECENT_WINDOW_MS - RECENT_SLICE_MS)
      this.slices.shift();
  }

  status(): LoopStallStatus {
    // A stall going on now (the status is written right after one) counts too: the tick has not come yet.
    const at = this.now();
    const pending = this.timer ? Math.max(0, Math.round(at - this.last - this.tickMs)) : 0;
    let recent = pending;
    for (const [start, ms] of this.slices)
      if (start + RECENT_SLICE_MS > at - RECENT_WINDOW_MS) recent = Math.max(recent, ms);
    return {
      longestStallMs: Math.max(this.longest, pending),
      longestStallLastMinuteMs: recent,
      stallsOver500ms: this.counted,
    };
  }
}
