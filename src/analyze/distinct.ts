// Distinct counting with bounded memory: exact while small, HyperLogLog (Flajolet et al. 2007) after.
import { hash32, hashNumber } from '../util/hash.js';
import { detach } from '../util/strings.js';

/** Hash of a counted element, number or string. */
export function hashKey(k: number | string): number {
  return typeof k === 'number' ? hashNumber(k) : hash32(k);
}

/** HyperLogLog sketch with 2^precision registers (standard error ~1.04/sqrt(2^precision)). */
export class HyperLogLog {
  private readonly registers: Uint8Array;
  private readonly p: number;

  constructor(precision = 14) {
    this.p = precision;
    this.registers = new Uint8Array(1 << precision);
  }

  /** Add an element by its 32-bit hash. */
  addHash(h: number): void {
    const idx = h >>> (32 - this.p);
    const rest = (h << this.p) | (1 << (this.p - 1)); // sentinel bit bounds the rank
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
  }

  /** Merge another sketch of the same precision (the union of both sets). */
  absorb(other: HyperLogLog): void {
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < r.length; i++) if (o[i]! > r[i]!) r[i] = o[i]!;
  }

  /** The registers as base64 text (see DistinctCounter.toPlain). */
  toBase64(): string {
    return Buffer.from(this.registers).toString('base64');
  }

  /** A sketch of `precision` with the registers of toBase64(); undefined when the text does not fit it. */
  static fromBase64(text: string, precision: number): HyperLogLog | undefined {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length !== 1 << precision) return undefined;
    const h = new HyperLogLog(precision);
    h.registers.set(bytes);
    return h;
  }

  /** Estimated number of distinct elements added. */
  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // Small range: linear counting is more accurate while registers are still empty.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}

/** A DistinctCounter as plain JSON: its members while exact, else its sketch's registers as base64. */
export type DistinctCounterPlain = { members: (number | string)[] } | { registers: string };

/**
 * Counts distinct elements (strings, or numbers such as IPv4 addresses from `ipKey`): an exact Set up to
 * `exactLimit`, then a HyperLogLog of the given precision (the Set's members are moved into it). Memory
 * is bounded either way.
 */
export class DistinctCounter {
  private set: Set<number | string> | undefined = new Set();
  private hll: HyperLogLog | undefined;

  constructor(
    private readonly exactLimit: number,
    private readonly precision = 12,
  ) {}

  /** Count one element. */
  add(s: number | string): void {
    if (this.set) {
      // A string member (an IPv6 address) is detached once, so it does not pin the log line it was cut from.
      if (typeof s === 'number') this.set.add(s);
      else if (!this.set.has(s)) this.set.add(detach(s));
      if (this.set.size <= this.exactLimit) return;
      this.hll = new HyperLogLog(this.precision);
      for (const x of this.set) this.hll.addHash(hashKey(x));
      this.set = undefined;
      return;
    }
    this.hll!.addHash(hashKey(s));
  }

  /** Count the union with another counter of the same limits (exact while the union fits). */
  absorb(other: DistinctCounter): void {
    if (other.set) {
      for (const x of other.set) this.add(x);
      return;
    }
    if (this.set) {
      this.hll = new HyperLogLog(this.precision);
      for (const x of this.set) this.hll.addHash(hashKey(x));
      this.set = undefined;
    }
    this.hll!.absorb(other.hll!);
  }

  /** Give a structured-clone copy (from a worker thread) its classes back. */
  static revive(plain: DistinctCounter): DistinctCounter {
    const d = Object.setPrototypeOf(plain, DistinctCounter.prototype) as DistinctCounter;
    if (d.hll) Object.setPrototypeOf(d.hll, HyperLogLog.prototype);
    return d;
  }

  /** The counter as plain JSON, to be kept beside the counts it goes with (a store's input accounting). */
  toPlain(): DistinctCounterPlain {
    return this.set ? { members: [...this.set] } : { registers: this.hll!.toBase64() };
  }

  /** A counter of the given limits holding what `plain` (from toPlain with the same limits) held. */
  static fromPlain(plain: DistinctCounterPlain, exactLimit: number, precision = 12): DistinctCounter {
    const d = new DistinctCounter(exactLimit, precision);
    if ('members' in plain) for (const x of plain.members) d.add(x);
    else {
      const hll = HyperLogLog.fromBase64(plain.registers, precision);
      if (hll) {
        d.set = undefined;
        d.hll = hll;
      }
    }
    return d;
  }

  /** Number of distinct elements (exact while `exact` is true). */
  get size(): number {
    return this.set ? this.set.size : this.hll!.estimate();
  }

  /** True while the count is exact. */
  get exact(): boolean {
    return this.set !== undefined;
  }
}
