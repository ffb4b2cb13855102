// Test helpers of the alert tests: findings to announce, a real local webhook receiver, a waiting loop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Finding } from '../../detect/types.js';

/** A finding with sensible defaults; `over` replaces any field. */
export function makeFinding(over: Partial<Finding> = {}): Finding {
  return {
    detector: 'vertical-scan',
    title: { en: 'Vertical port scan', zh: '纵向端口扫描' },
    explanation: { en: 'One source probed many ports.', zh: '一个来源探测了很多端口。' },
    severity: 4,
    confidence: 0.9,
    firstSeen: Date.UTC(2026, 11, 5, 1, 0, 0),
    lastSeen: Date.UTC(2026, 11, 5, 1, 2, 0),
    sources: ['203.0.113.7'],
    targets: ['192.0.2.10'],
    ports: [22, 23, 80],
    transport: 'tcp',
    counts: { events: 30, distinctPorts: 3 },
    evidence: [
      { file: 'kern.log', line: 1, text: 'IN=eth0 SRC=203.0.113.7 DST=192.0.2.10 PROTO=TCP DPT=22' },
    ],
    advice: { en: 'Keep dropping it.', zh: '继续丢弃。' },
    ...over,
  };
}

/** How the receiver answers: 200, 500, never (the request hangs), or records the alert and then never answers. */
export type ReceiverMode = 'ok' | 'fail500' | 'hang' | 'recordThenHang';

/** A real HTTP server on 127.0.0.1 that records each alert id it accepted (and every request it saw). */
export class Receiver {
  mode: ReceiverMode = 'ok';
  /** Ids of alerts whose request body arrived whole, in arrival order (duplicates included). */
  readonly received: string[] = [];
  /** Request bodies whose alert was accepted, parsed. */
  readonly bodies: unknown[] = [];
  /** Ids answered with 2xx. */
  readonly accepted: string[] = [];
  requests = 0;
  /** Requests whose header id and body `event.id` differed (must stay 0). */
  mismatches = 0;
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();
  port = 0;

  /** Listen on 127.0.0.1 (on `port` when given, to come back at the same address after a restart). */
  async start(port = 0): Promise<void> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.requests++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: { id?: string } };
        const id = String(req.headers['x-fwlens-alert-id']);
        if (body.event?.id !== id) this.mismatches++;
        if (this.mode === 'fail500') {
          res.writeHead(500).end('down');
          return;
        }
        if (this.mode === 'hang') {
          this.open.add(res);
          return;
        }
        this.received.push(id);
        if (this.mode === 'recordThenHang') {
          this.open.add(res);
          return;
        }
        this.accepted.push(id);
        this.bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Stop listening and cut every open connection (a crash of the receiver, as far as clients can tell). */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    for (const r of this.open) r.destroy();
    this.open.clear();
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Distinct ids received. */
  unique(): Set<string> {
    return new Set(this.received);
  }
}

/** Wait until `cond` holds, checking every 20 ms; fails after `ms`. */
export async function waitFor(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
