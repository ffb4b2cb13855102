// A FIFO of (key, time) tokens used to expire and evict groups in O(1) amortised, without scanning maps.
/** Tokens in push order; stale tokens (key gone or touched since) are skipped by the caller. */
export class ExpiryQueue {
  private keys: string[] = [];
  private times: number[] = [];
  private head = 0;

  get length(): number {
    return this.keys.length - this.head;
  }

  push(key: string, time: number): void {
    this.keys.push(key);
    this.times.push(time);
  }

  /** Time of the oldest token, or undefined when empty. */
  peekTime(): number | undefined {
    return this.head < this.keys.length ? this.times[this.head] : undefined;
  }

  /** Remove and return the oldest token's key. */
  shift(): string | undefined {
    if (this.head >= this.keys.length) return undefined;
    const key = this.keys[this.head]!;
    this.head++;
    // Drop the consumed prefix now and then so the arrays do not grow without end.
    if (this.head > 4096 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return key;
  }
}
