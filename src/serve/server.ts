// Starts the console: opens the store read-only, binds the HTTP server, and works out which Host names it answers to.
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { ContextEnricher } from '../context/enrich.js';
import type { Lang } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import type { ClickHouseStore } from '../store/clickhouse/store.js';
import { isClickHouseAddress } from '../store/clickhouse/url.js';
import { openStore } from '../store/open.js';
import { packageVersion } from '../util/package-root.js';
import { consoleApp, RANGE_PRESETS_MS } from './app.js';
import type { ConsoleQueries } from './queries.js';
import { SharedDuckDbConsole } from './shared-store.js';

/** Where and how to start the console. */
export interface ConsoleOptions {
  storePath: string;
  host: string;
  /** 0: any free port. */
  port: number;
  token?: string;
  lang: Lang;
  /** Keep answers of repeated views (default true; the benchmark turns it off to time the queries). */
  cache?: boolean;
  /** Ask the store for the opening view right after starting (default true). */
  warm?: boolean;
  /** Deepest offset the pager reaches (default MAX_OFFSET; tests make it small). */
  maxOffset?: number;
  /** Context of the explanations (ConsoleConfig.context): `fwlens serve` makes it from its flags. */
  context?: ContextEnricher | null;
}

/** A running console. */
export interface RunningConsole {
  /** The address to open (with `?token=` when a token is set). */
  url: string;
  port: number;
  /** Parts whose summaries a stopped run left unwritten (see ConsoleQueries.pendingSummaries). */
  pendingSummaries(): Promise<number>;
  close(): Promise<void>;
}

/** A failure to listen, with the port and errno code (EADDRINUSE, EACCES ...). */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** True for 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** True for the addresses that listen on every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** True when `host` is an IP address or a plausible host name. */
export function isHostName(host: string): boolean {
  return (
    isIP(host) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host)
  );
}

/** `host` as it appears in a URL or a Host header (IPv6 in brackets). */
function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host.toLowerCase()}]` : host.toLowerCase();
}

/**
 * The Host header values the console accepts: the name it was bound to with its port (and the other
 * loopback names for a loopback bind), so a rebinding page under another name is refused. A wildcard
 * bind (0.0.0.0, ::) cannot know its names: it accepts any, and the token is the defence.
 */
export function allowedHosts(host: string, port: number): Set<string> | undefined {
  if (isWildcard(host)) return undefined;
  const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]', urlHost(host)] : [urlHost(host)];
  return new Set(names.flatMap((n) => (port === 80 ? [n, `${n}:80`] : [`${n}:${port}`])));
}

/** What the page asks for a view (`q`: its from/to and chips), in the page's order of parameters. */
function viewRequests(q: string): string[] {
  const and = q ? `&${q}` : '';
  return [
    `/api/timeline${q ? `?${q}` : ''}`,
    `/api/events?offset=0&limit=50${and}`,
    `/api/findings${q ? `?${q}` : ''}`,
    ...['src', 'port', 'rule', 'dst'].map((by) => `/api/top?by=${by}${and}`),
  ];
}

/**
 * Ask the opening view and the range presets once at start, through the app itself (its checks and its
 * cache), one request after another: the first visitor and the preset buttons are answered from the cache.
 */
async function warm(
  fetch: (r: Request) => Response | Promise<Response>,
  base: URL,
  token?: string,
): Promise<void> {
  knowledgeBase();
  const get = async (path: string) => {
    const r = await fetch(
      new Request(new URL(path, base), {
        headers: { host: base.host, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
    );
    return r.text();
  };
  const meta = JSON.parse(await get('/api/meta')) as { span: { last?: number } };
  await get('/api/unparsed?limit=50');
  for (const path of viewRequests('')) await get(path);
  const last = meta.span.last;
  if (last === undefined) return;
  for (const ms of Object.values(RANGE_PRESETS_MS))
    for (const path of viewRequests(`from=${last + 1 - ms}&to=${last + 1}`)) await get(path);
}

/**
 * The console's queries on the store a `--store` value names: a ClickHouse store read-only (`readonly=1`
 * on every request; it changes under the console, which keeps no answers of it), or the DuckDB file shared
 * with `fwlens ingest` (src/serve/shared-store.ts).
 */
async function openConsoleQueries(location: string): Promise<ConsoleQueries> {
  if (!isClickHouseAddress(location)) return SharedDuckDbConsole.start(location);
  const store = await openStore(location, { readOnly: true });
  const { clickHouseConsole } = await import('./clickhouse-queries.js');
  const queries = clickHouseConsole(store as ClickHouseStore);
  return {
    ...bindAll(queries),
    // Other firewalls write the cluster at any time: no answer is kept.
    generation: () => String(Date.now()),
    async close() {
      await queries.close();
      await store.close();
    },
  };
}

/** The methods of a ConsoleQueries object as plain functions bound to it. */
function bindAll(q: ConsoleQueries): ConsoleQueries {
  return {
    span: () => q.span(),
    timeline: (v, m) => q.timeline(v, m),
    top: (v, b, l) => q.top(v, b, l),
    events: (v, o, l) => q.events(v, o, l),
    event: (i, l) => q.event(i, l),
    findings: (v, l) => q.findings(v, l),
    unparsed: (o, l) => q.unparsed(o, l),
    count: (v) => q.count(v),
    exportRows: (v, l) => q.exportRows(v, l),
    close: () => q.close(),
  };
}

/** Open the store read-only and start the console; resolves once it listens. */
export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  const queries = await openConsoleQueries(opts.storePath);
  const config = {
    lang: opts.lang,
    version: packageVersion(),
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.cache === false ? { cacheEntries: 0 } : {}),
    ...(opts.maxOffset === undefined ? {} : { maxOffset: opts.maxOffset }),
    ...(opts.context === undefined ? {} : { context: opts.context }),
  };
  // The Host check needs the port, which is known only once bound (--port 0): the app reads it late.
  const live: { hosts?: Set<string> } = {};
  const app = consoleApp(queries, {
    ...config,
    get hosts() {
      return live.hosts;
    },
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new ListenError(e.code ?? 'EIO', e.message)));
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (e) {
    await queries.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  live.hosts = allowedHosts(opts.host, port);
  // A wildcard bind is reached under the machine's own names; the printed address names this machine.
  const shownHost = isWildcard(opts.host) ? '127.0.0.1' : urlHost(opts.host);
  const url = `http://${shownHost}:${port}/${opts.token ? `?token=${encodeURIComponent(opts.token)}` : ''}`;
  // Errors of the warm-up are those the first visitor will be told; nothing to say here.
  const warming =
    opts.warm === false
      ? Promise.resolve()
      : warm(app.fetch, new URL(url), opts.token).catch(() => undefined);
  return {
    url,
    port,
    pendingSummaries: async () => (await queries.pendingSummaries?.()) ?? 0,
    async close() {
      await warming;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of a browser would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await queries.close();
    },
  };
}
