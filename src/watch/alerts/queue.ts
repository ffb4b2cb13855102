// A bounded, append-only on-disk queue of alerts for one sink: survives restarts and kill -9, drops the oldest only with a count.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Default bound on alerts held per queue. */
export const QUEUE_MAX_ALERTS = 10_000;
/** Default bound on bytes of alert JSON held per queue (50 MB). */
export const QUEUE_MAX_BYTES = 50 * 1024 * 1024;
/** The file is rewritten without delivered entries once it holds this many more records than live alerts. */
export const QUEUE_COMPACT_SLACK = 1_000;

/** One queued alert. */
export interface QueuedAlert {
  id: string;
  /** When it was queued (epoch ms). */
  at: number;
  /**
   * The body as UTF-8 JSON, outside the JS heap: memory held by the queue is its byte bound plus a small
   * record per alert (a parsed document would take several times its JSON size, and unknown how many).
   */
  json: Buffer;
  /** Size of the body's JSON in bytes (counted against maxBytes). */
  bytes: number;
  /** Failed attempts so far (kept in memory only: a restart retries at once). */
  attempts: number;
}

type Record_ =
  | { op: 'add'; id: string; at: number; body: unknown }
  | { op: 'ack'; id: string }
  | { op: 'drop'; id: string; reason: 'overflow' | 'failed' }
  | { op: 'meta'; dropped: number; failed: number };

/**
 * The queue file holds one JSON record a line: `add` (with the alert), `ack` (delivered), `drop` (given up:
 * over the bound, or out of attempts), and a `meta` line carrying the drop counts over compactions. Replaying
 * it gives the live alerts in order. A torn last line (power cut mid-write) is skipped and counted.
 * Every append is fsynced before `add` resolves, so a queued alert survives a crash.
 */
export class DurableQueue {
  private readonly live = new Map<string, QueuedAlert>();
  private liveBytes = 0;
  private records = 0;
  private handle: FileHandle | undefined;
  /** Serialises file operations (appends and compaction). */
  private chain: Promise<void> = Promise.resolve();
  /** Alerts dropped over the bound (all time, kept across compactions). */
  dropped = 0;
  /** Alerts given up after their last attempt (all time). */
  failed = 0;
  /** Unreadable lines met when loading. */
  readonly corruptLines: number = 0;

  /** Open (or create) the queue file and replay it; throws one sentence when the file cannot be read or made. */
  constructor(
    readonly path: string,
    private readonly maxAlerts = QUEUE_MAX_ALERTS,
    private readonly maxBytes = QUEUE_MAX_BYTES,
  ) {
    let text = '';
    try {
      mkdirSync(dirname(path), { recursive: true });
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot read the alert queue ${path} (${(e as Error).message})`);
    }
    let corrupt = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let r: Record_;
      try {
        r = JSON.parse(line) as Record_;
      } catch {
        corrupt++;
        continue;
      }
      this.records++;
      if (r.op === 'add' && !this.live.has(r.id)) {
        const json = Buffer.from(JSON.stringify(r.body));
        this.live.set(r.id, { id: r.id, at: r.at, json, bytes: json.length, attempts: 0 });
        this.liveBytes += json.length;
      } else if (r.op === 'ack' || r.op === 'drop') {
        this.forget(r.id);
        if (r.op === 'drop') r.reason === 'overflow' ? this.dropped++ : this.failed++;
      } else if (r.op === 'meta') {
        this.dropped += r.dropped;
        this.failed += r.failed;
      }
    }
    this.corruptLines = corrupt;
    // Start from a clean file: a torn line must not glue itself to the next append.
    if (corrupt > 0 || this.records > this.live.size + QUEUE_COMPACT_SLACK) this.rewriteSync();
  }

  /** Alerts waiting. */
  get size(): number {
    return this.live.size;
  }

  /** Bytes of alert JSON waiting. */
  get bytes(): number {
    return this.liveBytes;
  }

  /** True when the id is waiting (announcing the same alert twice queues it once). */
  has(id: string): boolean {
    return this.live.has(id);
  }

  /** The oldest waiting alert. */
  head(): QueuedAlert | undefined {
    return this.live.values().next().value;
  }

  /**
   * Queue an alert (durable once resolved). When over a bound, the oldest alerts are dropped first and
   * counted; returns how many were dropped for this one.
   */
  async add(id: string, body: unknown, at: number): Promise<number> {
    if (this.live.has(id)) return 0;
    const text = JSON.stringify(body);
    const json = Buffer.from(text);
    const bytes = json.length;
    const records: string[] = [addRecord(id, at, text)];
    let droppedNow = 0;
    this.live.set(id, { id, at, json, bytes, attempts: 0 });
    this.liveBytes += bytes;
    while (this.live.size > 1 && (this.live.size > this.maxAlerts || this.liveBytes > this.maxBytes)) {
      const oldest = this.head()!;
      this.forget(oldest.id);
      records.push(JSON.stringify({ op: 'drop', id: oldest.id, reason: 'overflow' }));
      droppedNow++;
    }
    // One alert larger than the whole byte bound still goes through alone: dropping it would lose it silently.
    this.dropped += droppedNow;
    await this.append(records);
    return droppedNow;
  }

  /** Mark an alert delivered. */
  async ack(id: string): Promise<void> {
    if (!this.forget(id)) return;
    await this.append([JSON.stringify({ op: 'ack', id })]);
  }

  /** Give an alert up after its last attempt (counted as failed). */
  async giveUp(id: string): Promise<void> {
    if (!this.forget(id)) return;
    this.failed++;
    await this.append([JSON.stringify({ op: 'drop', id, reason: 'failed' })]);
  }

  /** Wait for pending writes and close the file. */
  async close(): Promise<void> {
    await this.enqueue(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  private forget(id: string): boolean {
    const a = this.live.get(id);
    if (!a) return false;
    this.live.delete(id);
    this.liveBytes -= a.bytes;
    return true;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => {});
    return run;
  }

  private append(lines: string[]): Promise<void> {
    return this.enqueue(async () => {
      if (this.records + lines.length > this.live.size * 2 + QUEUE_COMPACT_SLACK) {
        await this.handle?.close();
        this.handle = undefined;
        this.rewriteSync();
        return;
      }
      this.handle ??= await open(this.path, 'a');
      await this.handle.write(`${lines.join('\n')}\n`);
      await this.handle.datasync();
      this.records += lines.length;
    });
  }

  /** Write the live alerts (and the drop counts) to a new file and rename it over the old one. */
  private rewriteSync(): void {
    const tmp = `${this.path}.tmp`;
    const lines = [JSON.stringify({ op: 'meta', dropped: this.dropped, failed: this.failed })];
    for (const a of this.live.values()) lines.push(addRecord(a.id, a.at, a.json.toString('utf8')));
    try {
      const fd = openSync(tmp, 'w', 0o600);
      writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, this.path);
      const dir = openSync(dirname(this.path), 'r');
      fsyncSync(dir);
      closeSync(dir);
    } catch (e) {
      throw new Error(`cannot write the alert queue ${this.path} (${(e as Error).message})`);
    }
    this.records = lines.length;
  }
}

/** The `add` record of an alert whose body is already JSON text (not parsed again to be written). */
function addRecord(id: string, at: number, bodyJson: string): string {
  return `{"op":"add","id":${JSON.stringify(id)},"at":${JSON.stringify(at)},"body":${bodyJson}}`;
}

/** The body of a queued alert, parsed for its sink. */
export function queuedBody(a: QueuedAlert): unknown {
  return JSON.parse(a.json.toString('utf8'));
}
