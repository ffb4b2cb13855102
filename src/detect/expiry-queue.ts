// A FIFO of (key, time) tokens used to expire and evict groups in O(1) amortised, without scanning maps.

/** Slots a queue starts with (grows by doubling; never shrinks, like the groups it serves). */
const INITIAL_SLOTS = 16;

/**
 * Tokens in push order; stale tokens (key gone or touched since) are skipped by the caller. A ring of
 * slots: a steady stream of pushes and shifts reuses the same two arrays (times unboxed in a
 * Float64Array) instead of regrowing and copying them.
 */
export class ExpiryQueue {
  private keys: (string | number | undefined)[] = new Array<string | number | undefined>(INITIAL_SLOTS).fill(
    undefined,
  );
  private times = new Float64Array(INITIAL_SLOTS);
  /** Slot of the oldest token. */
  private head = 0;
  /** Tokens held. */
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(key: string | number, time: number): void {
    if (this.count === this.keys.length) this.grow();
    const slot = (this.head + this.count) & (this.keys.length - 1);
    this.keys[slot] = key;
    this.times[slot] = time;
    this.count++;
  }

  /**
   * True when the oldest token is more than `windowMs` older than `now` (`now - time > windowMs`): the
   * expiry loop's test, without boxing the time it would otherwise return.
   */
  headExpired(now: number, windowMs: number): boolean {
    return this.count > 0 && now - this.times[this.head]! > windowMs;
  }

  /** Time of the oldest token, or undefined when empty. */
  peekTime(): number | undefined {
    return this.count > 0 ? this.times[this.head] : undefined;
  }

  /** Remove and return the oldest token's key. */
  shift(): string | number | undefined {
    if (this.count === 0) return undefined;
    const key = this.keys[this.head];
    this.keys[this.head] = undefined; // the key string may be the only thing keeping its text alive
    this.head = (this.head + 1) & (this.keys.length - 1);
    this.count--;
    return key;
  }

  /** Twice the slots, the tokens moved to the front in order. */
  private grow(): void {
    const size = this.keys.length;
    const keys = new Array<string | number | undefined>(size * 2).fill(undefined);
    const times = new Float64Array(size * 2);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & (size - 1);
      keys[i] = this.keys[from];
      times[i] = this.times[from]!;
    }
    this.keys = keys;
    this.times = times;
    this.head = 0;
  }
}
