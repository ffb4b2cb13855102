// Reverse DNS for `--rdns` (opt-in): only the addresses the report shows, a few at a time, each with a
// timeout and the whole under one deadline, answers kept in a cache file; the report never waits longer.

import { promises as dns } from 'node:dns';
import { readFileSync, writeFileSync } from 'node:fs';
import { tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { isPublicLike } from '../net/address-class.js';

/** The part of node:dns's Resolver that reverse look-ups need (tests give one pointed at 127.0.0.1). */
export interface PtrResolver {
  reverse(ip: string): Promise<string[]>;
  cancel(): void;
}

/** Time one look-up may take. */
export const RDNS_TIMEOUT_MS = 1500;
/** Time all look-ups together may take: past it the report goes on with the names it has. */
export const RDNS_DEADLINE_MS = 4000;
/** Look-ups in flight at once. */
export const RDNS_CONCURRENCY = 8;
/** Cached answers (names and "no name") are reused for this many days. */
export const RDNS_CACHE_DAYS = 7;
/** At most this many addresses are looked up per run (the report's addresses, most important first). */
export const RDNS_MAX_ADDRESSES = 500;

/** Options of resolveNames. */
export interface RdnsOptions {
  resolver?: PtrResolver;
  cachePath?: string;
  timeoutMs?: number;
  deadlineMs?: number;
  concurrency?: number;
  now?: number;
}

interface CacheFile {
  version: 1;
  entries: Record<string, { name: string | null; at: number }>;
}

/** What the look-ups found and the sentences to say about what they could not do. */
export interface RdnsResult {
  names: Map<string, string>;
  asked: number;
  answered: number;
  problems: Localized[];
}

/**
 * Longest reverse name taken from the cache file: a DNS name is at most 255 octets, each written as at most
 * four characters (`\\DDD`) by the resolver.
 */
export const MAX_CACHED_NAME_CHARS = 1024;

/**
 * A cache entry as resolveNames writes it (a name or null, and the time it was asked), else undefined: the
 * cache file is the user's (`--rdns-cache`), so it may be damaged or edited. A name that was no text there
 * made `analyze --rdns` die ("unexpected failure: ptr.toLowerCase is not a function").
 */
function cachedAnswer(entry: unknown): { name: string | null; at: number } | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const { name, at } = entry as { name?: unknown; at?: unknown };
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  if (name === null || (typeof name === 'string' && name.length <= MAX_CACHED_NAME_CHARS))
    return { name, at };
  return undefined;
}

function readCache(path: string | undefined): CacheFile {
  if (!path) return { version: 1, entries: {} };
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (c && c.version === 1 && typeof c.entries === 'object' && c.entries !== null) return c;
  } catch {
    // no cache yet, or an unreadable one: start afresh (it is only a cache)
  }
  return { version: 1, entries: {} };
}

/** One look-up with its own timeout; undefined for no name, a timeout or an error. */
function lookup(resolver: PtrResolver, ip: string, timeoutMs: number): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    resolver.reverse(ip).then(
      (names) => {
        clearTimeout(timer);
        resolve(names[0] ?? null);
      },
      (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // "no such name" is an answer worth caching; a server failure or timeout is not
        resolve(e?.code === 'ENOTFOUND' || e?.code === 'ENODATA' ? null : undefined);
      },
    );
  });
}

/**
 * Reverse names of public (and documentation) addresses, in the order given: cached answers first, the rest
 * looked up `concurrency` at a time until the deadline. Never throws; the cache file is rewritten at the end.
 */
export async function resolveNames(ips: string[], opts: RdnsOptions = {}): Promise<RdnsResult> {
  const now = opts.now ?? Date.now();
  const timeoutMs = opts.timeoutMs ?? RDNS_TIMEOUT_MS;
  const deadline = Date.now() + (opts.deadlineMs ?? RDNS_DEADLINE_MS);
  const cache = readCache(opts.cachePath);
  const names = new Map<string, string>();
  const todo: string[] = [];
  const wanted = ips.filter((ip) => isPublicLike(ip)).slice(0, RDNS_MAX_ADDRESSES);
  for (const ip of wanted) {
    const hit = Object.hasOwn(cache.entries, ip) ? cachedAnswer(cache.entries[ip]) : undefined;
    if (hit && now - hit.at < RDNS_CACHE_DAYS * 86_400_000) {
      if (hit.name) names.set(ip, hit.name);
    } else todo.push(ip);
  }
  const resolver = opts.resolver ?? new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  let answered = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && Date.now() < deadline) {
      const ip = todo[next++]!;
      const name = await lookup(resolver, ip, Math.max(1, Math.min(timeoutMs, deadline - Date.now())));
      if (name === undefined) continue;
      answered++;
      cache.entries[ip] = { name, at: now };
      if (name) names.set(ip, name);
    }
  };
  const workers = Array.from({ length: Math.min(opts.concurrency ?? RDNS_CONCURRENCY, todo.length) }, worker);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(workers),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    }),
  ]);
  clearTimeout(timer);
  resolver.cancel();
  const problems: Localized[] = [];
  if (answered < todo.length)
    problems.push(
      tBoth('context.rdns.partial', {
        done: answered + (wanted.length - todo.length),
        n: wanted.length,
        ms: opts.deadlineMs ?? RDNS_DEADLINE_MS,
      }),
    );
  if (opts.cachePath && todo.length > 0)
    try {
      writeFileSync(opts.cachePath, `${JSON.stringify(cache)}\n`);
    } catch (e) {
      problems.push(
        tBoth('context.rdns.cacheUnwritable', {
          path: opts.cachePath,
          error: (e as NodeJS.ErrnoException).code ?? String(e),
        }),
      );
    }
  return { names, asked: todo.length, answered, problems };
}
