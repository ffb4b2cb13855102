// The ClickHouse schema of the store, as numbered migrations, in SQL that ClickHouse 18.16 and current versions both accept.
import { TRAFFIC_COUNT_COLUMNS } from '../rare-fields.js';
import { identifier } from './sql.js';

/** Tables of a version-1 store: columns, MergeTree layout, and the key a Distributed table shards rows by. */
interface TableSpec {
  name: string;
  columns: string;
  /** PARTITION BY / ORDER BY of the MergeTree table. */
  layout: string;
  /** Sharding key of the Distributed table over the cluster. */
  shardBy: string;
}

const EVENTS_COLUMNS = `
  gen UInt64,
  seq UInt32,
  file_id UInt32,
  line UInt64,
  day Date,
  ts Nullable(Int64),
  format String,
  action Enum8('allow' = 1, 'deny' = 2, 'reject' = 3, 'log' = 4),
  direction Enum8('inbound' = 1, 'outbound' = 2, 'forward' = 3, 'unknown' = 4),
  transport Nullable(String),
  iana_number Nullable(Int32),
  ip_version Nullable(UInt8),
  src_kind UInt8,
  src_v4 UInt32,
  src_v6_hi UInt64,
  src_v6_lo UInt64,
  src_text Nullable(String),
  dst_kind UInt8,
  dst_v4 UInt32,
  dst_v6_hi UInt64,
  dst_v6_lo UInt64,
  dst_text Nullable(String),
  src_port Nullable(Int32),
  dst_port Nullable(Int32),
  src_mac Nullable(String),
  dst_mac Nullable(String),
  in_if Nullable(String),
  out_if Nullable(String),
  rule Nullable(String),
  prefix Nullable(String),
  host Nullable(String),
  product Nullable(String),
  length Nullable(Int64),
  ttl Nullable(Int32),
  ip_id Nullable(Int64),
  tos Nullable(Int32),
  traffic_class Nullable(Int32),
  flow_label Nullable(Int64),
  df Nullable(UInt8),
  mf Nullable(UInt8),
  frag_offset Nullable(Int32),
  tcp_flags Nullable(UInt8),
  tcp_seq Nullable(Int64),
  tcp_ack Nullable(Int64),
  tcp_window Nullable(Int64),
  icmp_type Nullable(Int32),
  icmp_code Nullable(Int32),
  icmp_id Nullable(Int64),
  icmp_seq Nullable(Int64),
  extra Nullable(String)`;

/** The version-1 tables. Every row of events, problems and findings carries the generation (`gen`) of the write that made it. */
const TABLES_V1: TableSpec[] = [
  {
    // One row per packet. Partitioned by day (retention drops whole days); ordered by source address so
    // `query ip` reads a few granules. Addresses: IPv4 as UInt32, IPv6 as two UInt64 halves (numeric ranges)
    // plus the text as parsed; `*_kind` is 0 (none), 4 or 6. Sharded by source address: each source lives on
    // one shard, so per-source rankings finish on the shards.
    name: 'events',
    columns: EVENTS_COLUMNS,
    layout: 'PARTITION BY day ORDER BY (src_v4, src_v6_hi, src_v6_lo)',
    shardBy: 'cityHash64(src_v4, src_v6_hi, src_v6_lo)',
  },
  {
    name: 'problems',
    columns: `gen UInt64, file_id UInt32, line UInt64, kind Enum8('malformed' = 1, 'unrecognized' = 2), reason String, text String`,
    layout: 'ORDER BY (file_id, line)',
    shardBy: 'file_id',
  },
  {
    // The finding as JSON (`body`, its evidence pointing at input ids and lines); the columns are for filters.
    name: 'findings',
    columns: `gen UInt64, ord UInt32, day Date, first_ts Nullable(Int64), last_ts Nullable(Int64), detector String,
      severity UInt8, sources Array(String), body String`,
    layout: 'PARTITION BY day ORDER BY (gen, ord)',
    shardBy: 'cityHash64(gen, ord)',
  },
  {
    // One row per committed write: the input's state after it. The newest row (highest gen) of an input is
    // its state; every gen found here is committed, and readers see only rows of committed gens.
    name: 'inputs',
    columns: `gen UInt64, origin String, id UInt32, path String, dev UInt64, ino UInt64, fingerprint String,
      fingerprint_bytes UInt32, size UInt64, offset UInt64, lines UInt64, events UInt64, unparsed UInt64,
      first_ts Nullable(Int64), last_ts Nullable(Int64), stats String, written_at DateTime DEFAULT now()`,
    layout: 'ORDER BY (id, gen)',
    shardBy: 'id',
  },
  {
    // Input ids claimed by writers (several machines may ingest at once): an id is a writer's when its claim
    // is the only one for that id when it looks.
    name: 'input_ids',
    columns: 'id UInt32, token UInt64, claimed_at DateTime DEFAULT now()',
    layout: 'ORDER BY id',
    shardBy: 'id',
  },
];

/**
 * Version 4: events per UTC day and source address of each write (`gen`), for the rankings of whole days and
 * the first time a source was seen. One row per write, day and source; rows of writes that never reached
 * their commit are left out by the same condition as events. Partitioned by the events' day (retention drops
 * the same partitions) and sharded by the events' sharding key on the same values, so each source's rows are
 * on the shard holding its events. `d` is the UTC day number (`floor(ts / 86400000)`, NO_DAY without a time).
 */
const SOURCE_DAYS: TableSpec = {
  name: 'source_days',
  columns: `gen UInt64, day Date, d Int64, kind UInt8, v4 UInt32, hi UInt64, lo UInt64, txt Nullable(String),
    events UInt64, first_ts Nullable(Int64)`,
  layout: 'PARTITION BY day ORDER BY (kind, v4, hi, lo)',
  shardBy: 'cityHash64(v4, hi, lo)',
};

/** The summaries' day number of the events without a time (as the DuckDB store's merges). */
export const NO_DAY = -2147483648;

/**
 * The rows of source_days made from one host's own events matching `where` (SQL on `events`), to INSERT INTO
 * its local source_days: each shard summarises the events it holds.
 */
export function sourceDaysInsert(db: string, cluster: string | undefined, where: string): string {
  const d = identifier(db);
  return `INSERT INTO ${d}.${localName('source_days', cluster)} (gen, day, d, kind, v4, hi, lo, txt, events, first_ts)
    SELECT gen, day, ifNull(toInt64(floor(ts / 86400000)), ${NO_DAY}) AS dn, src_kind, src_v4, src_v6_hi, src_v6_lo,
      any(src_text), count(), min(ts)
    FROM ${d}.${localName('events', cluster)} WHERE src_kind != 0 AND ${where}
    GROUP BY gen, day, dn, src_kind, src_v4, src_v6_hi, src_v6_lo`;
}

/** The tables partitioned by day (retention drops their partitions). */
export const DAY_TABLES = ['events', 'findings', 'source_days'] as const;

/** The name of a table's MergeTree part: the table itself on one server, `<name>_local` in a cluster. */
export function localName(name: string, cluster: string | undefined): string {
  return cluster === undefined ? name : `${name}_local`;
}

/**
 * The statements that bring one host's database from version `from` to `to`, for a single server or, with a
 * cluster, for one of its hosts (local tables + Distributed tables over the cluster + views). `schema_version`
 * is a plain table on every host: each host records what it was given.
 */
export function migrationStatements(
  db: string,
  cluster: string | undefined,
  from: number,
  to: number,
): string[] {
  const d = identifier(db);
  const out: string[] = [];
  const create = (t: TableSpec) => {
    const local = localName(t.name, cluster);
    out.push(`CREATE TABLE IF NOT EXISTS ${d}.${local} (${t.columns}) ENGINE = MergeTree ${t.layout}`);
    if (cluster !== undefined)
      out.push(
        `CREATE TABLE IF NOT EXISTS ${d}.${t.name} AS ${d}.${local} ENGINE = Distributed(${identifier(cluster)}, ${d}, ${local}, ${t.shardBy})`,
      );
  };
  if (from < 1 && to >= 1) {
    for (const t of TABLES_V1) create(t);
    // The readable faces: committed rows only, addresses and times as text.
    out.push(`CREATE VIEW IF NOT EXISTS ${d}.events_v AS ${eventsViewSelect(d, 'rule')}`);
    out.push(
      `CREATE VIEW IF NOT EXISTS ${d}.inputs_v AS SELECT * FROM ${d}.inputs ORDER BY id, gen DESC LIMIT 1 BY id`,
    );
  }
  // 2 changed the embedded store only. 3: the firewall's own alarm name (`event.reason`) gets a column of its own;
  // rows written before keep it in `extra`, which readers fall back to.
  if (from < 3 && to >= 3) {
    out.push(`ALTER TABLE ${d}.${localName('events', cluster)} ADD COLUMN alarm Nullable(String)`);
    if (cluster !== undefined) out.push(`ALTER TABLE ${d}.events ADD COLUMN alarm Nullable(String)`);
    // The view shows it after the rule, an older row's from `extra`.
    out.push(`DROP TABLE IF EXISTS ${d}.events_v`);
    out.push(
      `CREATE VIEW ${d}.events_v AS ${eventsViewSelect(d, `rule, coalesce(alarm, nullIf(visitParamExtractString(extra, 'alarmName'), '')) AS alarm`)}`,
    );
  }
  // 4: per-day source summaries (SOURCE_DAYS), filled from the events each host holds (every write's rows,
  // committed or not: readers filter them as they filter events).
  if (from < 4 && to >= 4) {
    create(SOURCE_DAYS);
    if (from >= 1) out.push(sourceDaysInsert(db, cluster, '1'));
  }
  // 5, 6 and 7 changed the embedded store only (its per-source table, that table's recent rows, and the parts
  // whose summaries are pending). 8: the traffic counts of flow and session records, a column each (NULL for
  // packets and for the rows written before, which no parser gave counts). 9 changed the embedded store only (the
  // recent rows of its per-day summaries).
  if (from < 8 && to >= 8)
    for (const column of TRAFFIC_COUNT_COLUMNS) {
      out.push(`ALTER TABLE ${d}.${localName('events', cluster)} ADD COLUMN ${column} Nullable(UInt64)`);
      if (cluster !== undefined) out.push(`ALTER TABLE ${d}.events ADD COLUMN ${column} Nullable(UInt64)`);
    }
  return out;
}

/** The SELECT of the readable events view: committed rows only, addresses and times as text; `rule` is the rule column(s). */
function eventsViewSelect(d: string, rule: string): string {
  return `SELECT
      toDateTime(intDiv(ts, 1000)) AS time, ts, file_id, line, format, action, direction, transport,
      multiIf(src_kind = 4, IPv4NumToString(src_v4), src_text) AS src_ip, src_port,
      multiIf(dst_kind = 4, IPv4NumToString(dst_v4), dst_text) AS dst_ip, dst_port,
      ${rule}, prefix, host, in_if, out_if, length, ttl, tcp_flags, icmp_type, icmp_code
      FROM ${d}.events WHERE gen GLOBAL IN (SELECT gen FROM ${d}.inputs)`;
}

/** The schema_version table (created first, on every host). */
export function versionTableStatement(db: string): string {
  return `CREATE TABLE IF NOT EXISTS ${identifier(db)}.schema_version (version UInt32, applied_at DateTime DEFAULT now()) ENGINE = MergeTree ORDER BY version`;
}
