// The ClickHouse store address: clickhouse://[user[:password]@]host[:port][,host[:port]...]/database[?cluster=NAME&origin=NAME].
import { hostname } from 'node:os';
import { IDENTIFIER } from './sql.js';

/** URL scheme that selects the ClickHouse backend for `--store`. */
export const CLICKHOUSE_SCHEME = 'clickhouse://';

/** HTTP port of a host written without one (ClickHouse's default HTTP interface). */
export const DEFAULT_HTTP_PORT = 8123;

/** A parsed store address. */
export interface ClickHouseAddress {
  /** HTTP base URL of every host listed; the first is the one queries go to. */
  hosts: string[];
  database: string;
  username?: string;
  password?: string;
  /**
   * Cluster name (as declared in the servers' `remote_servers`): the tables are created on every listed host
   * as local MergeTree tables plus `Distributed` tables over the cluster. Absent: one server, plain tables.
   */
  cluster?: string;
  /**
   * Name of the machine writing (default: this host's name): a file is recognised again (inode, first bytes)
   * only among the inputs its own machine wrote, since inode numbers repeat across machines.
   */
  origin: string;
  /** The address as shown to the user: without the password. */
  shown: string;
}

/** Whether a `--store` value names a ClickHouse store rather than a DuckDB file. */
export function isClickHouseAddress(value: string): boolean {
  return value.toLowerCase().startsWith(CLICKHOUSE_SCHEME);
}

/** Parse a store address; undefined when it is not a valid one (the caller says so in one sentence). */
export function parseClickHouseAddress(value: string, host = hostname()): ClickHouseAddress | undefined {
  if (!isClickHouseAddress(value)) return undefined;
  const rest = value.slice(CLICKHOUSE_SCHEME.length);
  const m = /^(?:([^@/?#]*)@)?([^/?#@]+)\/([^/?#]+)(?:\?([^#]*))?$/.exec(rest);
  if (!m) return undefined;
  const [, auth, hostList, database, query] = m;
  if (!IDENTIFIER.test(database!)) return undefined;
  let username: string | undefined;
  let password: string | undefined;
  try {
    if (auth !== undefined) {
      const colon = auth.indexOf(':');
      username = decodeURIComponent(colon < 0 ? auth : auth.slice(0, colon));
      if (colon >= 0) password = decodeURIComponent(auth.slice(colon + 1));
    }
  } catch {
    return undefined;
  }
  const hosts: string[] = [];
  for (const h of hostList!.split(',')) {
    const hm = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
    if (!hm) return undefined;
    const port = hm[2] === undefined ? DEFAULT_HTTP_PORT : Number(hm[2]);
    if (port < 1 || port > 65535) return undefined;
    hosts.push(`http://${hm[1]}:${port}`);
  }
  let cluster: string | undefined;
  let origin = host;
  if (query) {
    for (const pair of query.split('&')) {
      const [k, v = ''] = pair.split('=', 2) as [string, string?];
      let decoded: string;
      try {
        decoded = decodeURIComponent(v);
      } catch {
        return undefined;
      }
      if (k === 'cluster' && IDENTIFIER.test(decoded)) cluster = decoded;
      else if (k === 'origin' && decoded !== '' && decoded.length <= 255) origin = decoded;
      else return undefined;
    }
  }
  if (hosts.length > 1 && cluster === undefined) return undefined;
  const shown = `${CLICKHOUSE_SCHEME}${username === undefined ? '' : `${encodeURIComponent(username)}@`}${hostList}/${database}${query ? `?${query}` : ''}`;
  return { hosts, database: database!, username, password, cluster, origin, shown };
}
