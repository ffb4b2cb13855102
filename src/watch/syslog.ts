// Syslog receiver (UDP, TCP with RFC 6587 octet-counting or newline framing, optional TLS per RFC 5425) into a spool file.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Worker } from 'node:worker_threads';
import { type Lang, t } from '../i18n.js';
import { startThread } from '../run/thread.js';
import { SpoolFile, type SpoolLimits } from './spool.js';
import type { SpoolSource } from './watcher.js';

/** Longest syslog message kept, in bytes; a longer one is counted as oversize and skipped (the connection stays). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** Most TCP (and TLS) connections at once; more are refused and counted. */
export const DEFAULT_MAX_CONNECTIONS = 256;
/**
 * TCP keepalive of a sender's connection: a peer gone without a FIN (a reboot, a NAT that forgot the flow) is
 * found by the kernel's probes after this much silence, and its connection closed, instead of holding a slot for good.
 */
export const TCP_KEEPALIVE_MS = 60_000;
/**
 * With every slot taken, a new sender's connection takes the slot of the connection idle longest, if that one has
 * sent nothing for at least this long (a live sender reconnects when it next writes); otherwise it is refused.
 */
export const IDLE_EVICT_MS = 5 * 60_000;
/** Received bytes waiting for the spool above which TCP readers are paused and UDP datagrams dropped (counted). */
export const DEFAULT_MAX_QUEUE_BYTES = 32 << 20;
// The spool's bounds are shared with the journal source (spool.ts); above its limit a receiver drops and counts (`droppedSpoolFull`).
export { DEFAULT_MAX_SPOOL_BYTES, DEFAULT_SPOOL_LIMIT_BYTES } from './spool.js';
/**
 * Receive buffer asked for a UDP socket: what the kernel holds while the receiving thread is busy. Linux
 * grants at most `net.core.rmem_max` (often 208 KiB or 4 MiB; raise it with sysctl for bursts); the size
 * granted shows as `recvBufferBytes` in `--status` (Linux reports twice the size asked, its bookkeeping
 * included).
 */
export const UDP_RECEIVE_BUFFER_BYTES = 8 << 20;
/** How often (ms) received messages are appended to the spool at the latest. */
export const SPOOL_FLUSH_MS = 20;
/** Digits an octet count may have (RFC 6587 allows up to 9 for messages under 1 GB). */
const MAX_COUNT_DIGITS = 9;

/** Where to listen. */
export interface ListenTarget {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** Parse `udp://HOST:PORT`, `tcp://HOST:PORT`, `tcp://:PORT` or `tcp://[::1]:PORT` (host defaults to 127.0.0.1). */
export function parseListen(url: string): ListenTarget | undefined {
  const m = /^(udp|tcp):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*)?:(\d{1,5})$/.exec(url);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[2] ? m[2].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { transport: m[1] as 'udp' | 'tcp', host, port };
}

/** Settings of a receiver (everything but `onProblem` is handed to its thread). */
export interface SyslogOptions extends ListenTarget, SpoolLimits {
  spoolPath: string;
  tls?: { cert: string; key: string };
  maxMessageBytes?: number;
  maxConnections?: number;
  /** Silence after which a connection gives its slot to a new one at the limit (default IDLE_EVICT_MS). */
  idleEvictMs?: number;
  maxQueueBytes?: number;
  /** UDP socket receive buffer asked for (default UDP_RECEIVE_BUFFER_BYTES). */
  recvBufferBytes?: number;
  /** Language of the problem sentences (default 'en'). */
  lang?: Lang;
  /** One sentence about a problem (a spool write failure, a full spool). */
  onProblem?(sentence: string): void;
}

/** The receiver's counters, in the order of their cells in the shared counter array. */
export const SYSLOG_COUNTERS = [
  'received',
  'bytes',
  'connections',
  'openConnections',
  'refusedConnections',
  'idleClosed',
  'oversize',
  'badFraming',
  'truncated',
  'droppedQueueFull',
  'droppedSpoolFull',
  'spoolErrors',
  'queuedBytes',
  'spoolBytes',
  'rotations',
  'recvBufferBytes',
  'kernelDrops',
] as const;
/** One counter of a receiver. */
export type SyslogCounter = (typeof SYSLOG_COUNTERS)[number];
/** Cell of each counter (looked up per message: no search of the list). */
const CELL = Object.fromEntries(SYSLOG_COUNTERS.map((k, i) => [k, i])) as Record<SyslogCounter, number>;
/** Counters of a receiver. */
export type SyslogStats = Record<SyslogCounter, number>;

/**
 * Counters in a Float64Array, which may live in a SharedArrayBuffer: the receiving thread writes them, the
 * watcher's thread reads them for `--status` at any time without a message round trip. One writer per cell.
 */
export class SyslogCounters {
  readonly cells: Float64Array;
  constructor(shared?: SharedArrayBuffer) {
    this.cells = new Float64Array(shared ?? new ArrayBuffer(SYSLOG_COUNTERS.length * 8));
  }
  /** A fresh shared buffer big enough for every counter. */
  static shared(): SharedArrayBuffer {
    return new SharedArrayBuffer(SYSLOG_COUNTERS.length * 8);
  }
  add(name: SyslogCounter, n = 1): void {
    this.cells[CELL[name]]! += n;
  }
  set(name: SyslogCounter, v: number): void {
    this.cells[CELL[name]] = v;
  }
  get(name: SyslogCounter): number {
    return this.cells[CELL[name]]!;
  }
  snapshot(): SyslogStats {
    return Object.fromEntries(SYSLOG_COUNTERS.map((k, i) => [k, this.cells[i]!])) as SyslogStats;
  }
}

/** Splits a TCP byte stream into syslog messages: octet counting (`LEN SP MSG`) or LF-terminated, decided per message. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes still to skip of an oversize octet-counted message, or -1 to skip to the next LF. */
  private skip = 0;
  constructor(
    private readonly maxMessageBytes: number,
    private readonly onMessage: (m: Buffer) => void,
    private readonly onOversize: (bytes: number) => void,
    private readonly onTruncated: () => void = () => {},
  ) {}

  /**
   * The connection closed: a last newline-framed message without its LF is still a message (as a file's
   * last line without one is a line); an octet-counted message shorter than its count was cut, and is said.
   */
  end(): void {
    const b = this.buf;
    this.buf = Buffer.alloc(0);
    if (this.skip !== 0) {
      this.skip = 0;
      return; // the rest of an oversize message, already counted
    }
    let pos = 0;
    while (pos < b.length && (b[pos] === 10 || b[pos] === 13 || b[pos] === 0)) pos++;
    if (pos >= b.length) return;
    const counted = /^[1-9][0-9]{0,8} (<|$)/.exec(b.toString('latin1', pos, Math.min(b.length, pos + 12)));
    if (counted) {
      this.onTruncated();
      return;
    }
    let end = b.length;
    while (end > pos && (b[end - 1] === 13 || b[end - 1] === 0)) end--;
    if (end - pos > this.maxMessageBytes) this.onOversize(end - pos);
    else this.onMessage(b.subarray(pos, end));
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    const b = this.buf;
    while (pos < b.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      if (this.skip < 0) {
        const lf = b.indexOf(10, pos);
        if (lf < 0) {
          pos = b.length;
          break;
        }
        this.skip = 0;
        pos = lf + 1;
        continue;
      }
      const c = b[pos]!;
      if (c === 10 || c === 13 || c === 0) {
        pos++; // empty lines and NUL trailers between frames
        continue;
      }
      if (c >= 0x31 && c <= 0x39) {
        // Octet counting: digits, one space, then exactly that many bytes.
        let i = pos;
        while (i < b.length && i - pos <= MAX_COUNT_DIGITS && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
        if (i === b.length && i - pos <= MAX_COUNT_DIGITS) break; // wait for the rest of the count
        // A count is followed by a space and the message's `<PRI>` (RFC 6587 3.4.1 frames a syslog message, which
        // starts with it); digits and a space before anything else begin a newline-framed message (an AWS flow
        // record "2 123456789010 eni-..." is no 2-byte frame).
        if (b[i] === 0x20 && i + 1 === b.length && i - pos <= MAX_COUNT_DIGITS) break; // wait for the next byte
        if (b[i] === 0x20 && b[i + 1] === 0x3c && i - pos <= MAX_COUNT_DIGITS) {
          const len = Number(b.toString('latin1', pos, i));
          const start = i + 1;
          if (len > this.maxMessageBytes) {
            this.onOversize(len);
            this.skip = len;
            pos = start;
            continue;
          }
          if (b.length - start < len) break; // wait for the whole message
          this.onMessage(b.subarray(start, start + len));
          pos = start + len;
          continue;
        }
        // Digits not followed by a space: not a count, so a newline-framed message that starts with digits.
      }
      const lf = b.indexOf(10, pos);
      if (lf < 0) {
        if (b.length - pos > this.maxMessageBytes) {
          this.onOversize(b.length - pos);
          this.skip = -1;
          pos = b.length;
        }
        break;
      }
      const end = lf > pos && b[lf - 1] === 13 ? lf - 1 : lf;
      // A line that starts with a control byte is still a line: the watcher reports it as one it could not
      // read, with its line number, rather than the receiver dropping it unseen.
      if (end - pos > this.maxMessageBytes) this.onOversize(end - pos);
      else this.onMessage(b.subarray(pos, end));
      pos = lf + 1;
    }
    this.buf = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
  }
}

/**
 * The receiving end itself: sockets, framing and the spool writer, run in whichever thread creates it (the
 * receiver's own worker thread in `fwlens watch`). Every message received is appended as one line to the
 * spool file (line breaks inside a message become spaces), which the watcher follows like any log file.
 */
export class SyslogListener {
  readonly name: string;
  readonly spoolPath: string;
  private tcp: Server | undefined;
  private udp: UdpSocket | undefined;
  private readonly spool: SpoolFile;
  private spoolOpen = false;
  private queue: Buffer[] = [];
  private queued = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  /** Messages dropped since the spool became full (said once when it starts, once when it ends). */
  private droppingSince: number | undefined;
  private readonly maxMessageBytes: number;
  private readonly maxQueueBytes: number;
  private readonly lang: Lang;

  constructor(
    private readonly opts: SyslogOptions,
    readonly counts: SyslogCounters = new SyslogCounters(),
  ) {
    this.spoolPath = opts.spoolPath;
    this.name = receiverName(opts);
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxQueueBytes = opts.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.spool = new SpoolFile(opts.spoolPath, opts);
    this.lang = opts.lang ?? 'en';
  }

  /** The port actually bound (when 0 was asked for). */
  port(): number {
    const a = this.tcp?.address() ?? this.udp?.address();
    return typeof a === 'object' && a ? a.port : this.opts.port;
  }

  /** Open the spool and bind; rejects with the socket's error (EADDRINUSE ...). */
  async start(): Promise<void> {
    await this.spool.open();
    this.spoolOpen = true;
    this.counts.set('spoolBytes', this.spool.bytes());
    if (this.opts.transport === 'udp') {
      // A large socket buffer rides out bursts while this thread writes the spool (the kernel caps it at net.core.rmem_max).
      const udp = createSocket({
        type: this.opts.host.includes(':') ? 'udp6' : 'udp4',
        recvBufferSize: this.opts.recvBufferBytes ?? UDP_RECEIVE_BUFFER_BYTES,
      });
      this.udp = udp;
      udp.on('message', (msg) => {
        if (msg.length > this.maxMessageBytes) this.lost('oversize');
        else if (this.queued > this.maxQueueBytes) this.counts.add('droppedQueueFull');
        else {
          const messages = datagramMessages(trimEnd(msg));
          // A datagram of nothing but NULs or line ends is still a datagram: a line of its own, which the
          // watcher counts (NULs as a damaged line, line ends as a blank one), never nothing at all.
          if (messages.length === 0) this.accept(msg);
          else for (const m of messages) this.accept(m);
        }
      });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.opts.port, this.opts.host, () => {
          udp.off('error', reject);
          udp.on('error', (e) =>
            this.problem(t('watch.receiver.error', this.lang, { name: this.name, error: e.message })),
          );
          resolve();
        });
      });
      this.counts.set('recvBufferBytes', udp.getRecvBufferSize());
      // Datagrams the kernel dropped because the socket buffer was full never reach this code: read them where
      // the kernel counts them (Linux), and say when they start.
      const port = udp.address().port;
      const family = this.opts.host.includes(':') ? 6 : 4;
      this.dropTimer = setInterval(() => void this.checkKernelDrops(family, port), KERNEL_DROPS_CHECK_MS);
      this.dropTimer.unref();
      return;
    }
    const maxConnections = this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    /** When each open connection last sent bytes (or opened); its order is the order they came. */
    const lastData = new Map<Socket, number>();
    const onConnection = (socket: Socket) => {
      if (this.sockets.size >= maxConnections && !this.evictIdle(lastData)) {
        this.refused(maxConnections);
        socket.destroy();
        return;
      }
      this.counts.add('connections');
      this.counts.add('openConnections');
      this.sockets.add(socket);
      lastData.set(socket, Date.now());
      socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
      if (this.paused) socket.pause();
      const frames = new FrameReader(
        this.maxMessageBytes,
        (m) => this.accept(m),
        () => this.lost('oversize'),
        () => this.lost('truncated'),
      );
      socket.on('data', (d: Buffer) => {
        lastData.set(socket, Date.now());
        frames.push(d);
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        frames.end();
        this.counts.add('openConnections', -1);
        this.sockets.delete(socket);
        lastData.delete(socket);
      });
    };
    const server = this.opts.tls
      ? createTlsServer(
          { cert: readFileSync(this.opts.tls.cert), key: readFileSync(this.opts.tls.key) },
          onConnection,
        )
      : createServer(onConnection);
    server.on('tlsClientError', () => this.counts.add('badFraming'));
    this.tcp = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private problem(sentence: string): void {
    this.opts.onProblem?.(sentence);
  }

  /**
   * Close the connection idle longest when it has sent nothing for IDLE_EVICT_MS, to make room for a new one;
   * false when every open connection sent something more recently.
   */
  private evictIdle(lastData: Map<Socket, number>): boolean {
    let oldest: Socket | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const [socket, t] of lastData)
      if (t < at) {
        at = t;
        oldest = socket;
      }
    if (!oldest || Date.now() - at < (this.opts.idleEvictMs ?? IDLE_EVICT_MS)) return false;
    this.counts.add('idleClosed');
    lastData.delete(oldest);
    oldest.destroy();
    return true;
  }

  /** Connections refused at the limit: counted, and said at most once a minute. */
  private readonly refusedSaid = { at: 0, count: 0 };

  private refused(max: number): void {
    this.counts.add('refusedConnections');
    const now = Date.now();
    if (now - this.refusedSaid.at < 60_000) return;
    const total = this.counts.get('refusedConnections');
    const name = receiverName({ ...this.opts, port: this.port() });
    this.problem(
      t('watch.receiver.refused', this.lang, {
        name,
        n: total - this.refusedSaid.count,
        max,
        total,
        idle: Math.max(1, Math.round((this.opts.idleEvictMs ?? IDLE_EVICT_MS) / 60_000)),
      }),
    );
    this.refusedSaid.at = now;
    this.refusedSaid.count = total;
  }

  /** Messages lost to the size limit or cut by a closed connection: counted, and said at most once a minute. */
  private readonly lostSaid = { oversize: { at: 0, count: 0 }, truncated: { at: 0, count: 0 } };

  private lost(kind: 'oversize' | 'truncated'): void {
    this.counts.add(kind);
    const now = Date.now();
    const said = this.lostSaid[kind];
    if (now - said.at < 60_000) return;
    const total = this.counts.get(kind);
    const name = receiverName({ ...this.opts, port: this.port() });
    this.problem(
      kind === 'oversize'
        ? t('watch.receiver.oversize', this.lang, {
            name,
            max: this.maxMessageBytes,
            n: total - said.count,
            total,
          })
        : t('watch.receiver.truncated', this.lang, { name, n: total - said.count, total }),
    );
    this.lostSaid[kind] = { at: now, count: total };
  }

  /** Kernel drops counted so far, and when they were last said. */
  private dropsSaid = { count: 0, at: 0 };
  private dropTimer: NodeJS.Timeout | undefined;

  private async checkKernelDrops(family: 4 | 6, port: number): Promise<void> {
    const drops = await udpKernelDrops(family, port);
    if (drops === undefined || drops <= this.counts.get('kernelDrops')) return;
    this.counts.set('kernelDrops', drops);
    // Said when they start, then at most once a minute while they go on.
    const now = Date.now();
    if (now - this.dropsSaid.at >= 60_000) {
      this.problem(
        t('watch.receiver.kernelDrops', this.lang, {
          // The port bound (port 0 asks the kernel for one).
          name: receiverName({ ...this.opts, port }),
          n: drops - this.dropsSaid.count,
          total: drops,
          buffer: this.counts.get('recvBufferBytes'),
        }),
      );
      this.dropsSaid = { count: drops, at: now };
    }
  }

  /** Queue one message for the spool. */
  private accept(m: Buffer): void {
    this.counts.add('received');
    this.counts.add('bytes', m.length);
    // One message, one line: line breaks inside it become spaces (a copy, so the socket buffer is not pinned).
    const line = Buffer.allocUnsafe(m.length + 1);
    m.copy(line);
    for (let i = 0; i < m.length; i++) if (line[i] === 10 || line[i] === 13) line[i] = 0x20;
    line[m.length] = 10;
    this.queue.push(line);
    this.queued += line.length;
    this.counts.set('queuedBytes', this.queued);
    if (!this.paused && this.queued > this.maxQueueBytes) {
      this.paused = true;
      for (const s of this.sockets) s.pause();
    }
    if (this.queued >= 1 << 20) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), SPOOL_FLUSH_MS);
  }

  /** Append what is queued to the spool (one write at a time), rotating it when it grows too big. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0 || !this.spoolOpen) return Promise.resolve();
    const messages = this.queue.length;
    const data = messages === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    this.queue = [];
    this.flushing = (async () => {
      try {
        const rotations = this.spool.rotations;
        const taken = await this.spool.append(data);
        this.counts.add('rotations', this.spool.rotations - rotations);
        if (taken) this.resumeTaking();
        else this.drop(messages);
      } catch (e) {
        this.counts.add('spoolErrors');
        this.problem(
          t('watch.spool.writeError', this.lang, { path: this.spoolPath, error: (e as Error).message }),
        );
      } finally {
        this.queued -= data.length;
        this.counts.set('queuedBytes', this.queued);
        this.counts.set('spoolBytes', this.spool.bytes());
        this.flushing = undefined;
        if (this.paused && this.queued < this.maxQueueBytes / 2) {
          this.paused = false;
          for (const s of this.sockets) s.resume();
        }
      }
    })();
    return this.flushing;
  }

  private drop(messages: number): void {
    this.counts.add('droppedSpoolFull', messages);
    if (this.droppingSince === undefined) {
      this.droppingSince = this.counts.get('droppedSpoolFull') - messages;
      this.problem(
        t('watch.spool.full', this.lang, {
          path: this.spoolPath,
          bytes: this.spool.bytes(),
        }),
      );
    }
  }

  private resumeTaking(): void {
    if (this.droppingSince === undefined) return;
    const dropped = this.counts.get('droppedSpoolFull') - this.droppingSince;
    this.droppingSince = undefined;
    this.problem(t('watch.spool.resumed', this.lang, { path: this.spoolPath, dropped }));
  }

  /** Stop listening, close connections, write what is queued. */
  async stop(): Promise<void> {
    if (this.dropTimer) clearInterval(this.dropTimer);
    this.dropTimer = undefined;
    for (const s of this.sockets) s.destroy();
    if (this.tcp) await new Promise<void>((r) => this.tcp!.close(() => r()));
    if (this.udp) await new Promise<void>((r) => this.udp!.close(() => r()));
    this.tcp = undefined;
    this.udp = undefined;
    await this.flush();
    this.spoolOpen = false;
    await this.spool.close();
  }
}

/** How often a UDP receiver reads the kernel's drop count of its socket. */
const KERNEL_DROPS_CHECK_MS = 1000;

/**
 * Datagrams the kernel dropped on this process's UDP socket bound to `port` (the last column of
 * /proc/net/udp or udp6, for the socket whose inode is one of this process's descriptors); undefined where the
 * kernel does not tell (not Linux).
 */
export async function udpKernelDrops(family: 4 | 6, port: number): Promise<number | undefined> {
  let table: string;
  let fds: string[];
  try {
    table = await readFile(family === 6 ? '/proc/net/udp6' : '/proc/net/udp', 'utf8');
    fds = await readdir('/proc/self/fd');
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    const link = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
    if (cols.length < 13 || !cols[1]!.endsWith(`:${hexPort}`) || !inodes.has(cols[9]!)) continue;
    const drops = Number(cols[12]);
    return Number.isFinite(drops) ? drops : undefined;
  }
  return undefined;
}

/** Name of a receiver in the status: `udp://HOST:PORT`, `tcp://…` or `tls://…`. */
function receiverName(o: ListenTarget & { tls?: unknown }): string {
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return `${o.tls ? 'tls' : o.transport}://${host}:${o.port}`;
}

/** What the receiving thread is told at start (workerData). */
export interface ReceiverThreadData {
  options: Omit<SyslogOptions, 'onProblem'>;
  counters: SharedArrayBuffer;
}

/** Messages from the receiving thread. */
export type ReceiverThreadMessage =
  | { type: 'ready'; port: number }
  | { type: 'error'; message: string; code?: string }
  | { type: 'problem'; sentence: string }
  | { type: 'stopped' };

/**
 * A syslog receiver on its own worker thread (`syslog-thread.ts`): sockets, framing and spool writing never
 * wait for parsing and detection on the watcher's thread, so a busy watcher does not make the kernel drop
 * UDP datagrams or stall TCP senders. Counters are shared memory, read at any time by `stats()`.
 */
export class SyslogReceiver implements SpoolSource {
  readonly name: string;
  readonly spoolPath: string;
  private worker: Worker | undefined;
  private boundPort: number;
  private readonly shared = SyslogCounters.shared();
  private readonly counts = new SyslogCounters(this.shared);
  private stopped: Promise<void> | undefined;

  constructor(private readonly opts: SyslogOptions) {
    this.spoolPath = opts.spoolPath;
    this.name = receiverName(opts);
    this.boundPort = opts.port;
  }

  /** The port actually bound (when 0 was asked for). */
  port(): number {
    return this.boundPort;
  }

  /** Start the receiving thread; resolves once it listens, rejects with its error (with `code`, e.g. EADDRINUSE). */
  async start(): Promise<void> {
    const { onProblem, ...options } = this.opts;
    const data: ReceiverThreadData = { options, counters: this.shared };
    const worker = startThread(import.meta.url, 'syslog-thread', { workerData: data });
    this.worker = worker;
    let done: (() => void) | undefined;
    this.stopped = new Promise<void>((r) => {
      done = r;
    });
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ReceiverThreadMessage) => {
        if (m.type === 'ready') {
          this.boundPort = m.port;
          resolve();
        } else if (m.type === 'error') reject(Object.assign(new Error(m.message), { code: m.code }));
        else if (m.type === 'problem') onProblem?.(m.sentence);
        else done?.();
      });
      worker.on('error', (e) => {
        reject(e);
        onProblem?.(t('watch.receiver.error', this.opts.lang ?? 'en', { name: this.name, error: e.message }));
      });
      worker.on('exit', () => {
        reject(new Error(`the receiving thread of ${this.name} ended`));
        done?.();
      });
    });
  }

  /** Stop listening, write what is queued to the spool, end the thread. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.postMessage({ type: 'stop' });
    await this.stopped;
    await worker.terminate();
  }

  stats(): Record<string, number> {
    return this.counts.snapshot();
  }
}

/**
 * The messages of one datagram: one, unless the sender batched several, one per line, each starting with its
 * `<PRI>` (a line break followed by anything else stays inside the message, which becomes one line).
 */
export function datagramMessages(b: Buffer): Buffer[] {
  let lf = b.indexOf(10);
  if (lf < 0) return b.length > 0 ? [b] : [];
  const out: Buffer[] = [];
  let start = 0;
  while (lf >= 0) {
    if (b[lf + 1] === 0x3c && b[lf + 2]! >= 0x30 && b[lf + 2]! <= 0x39) {
      out.push(trimEnd(b.subarray(start, lf)));
      start = lf + 1;
    }
    lf = b.indexOf(10, lf + 1);
  }
  out.push(b.subarray(start));
  return out.filter((m) => m.length > 0);
}

function trimEnd(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && (b[end - 1] === 10 || b[end - 1] === 13 || b[end - 1] === 0)) end--;
  return b.subarray(0, end);
}
