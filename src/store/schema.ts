// The DuckDB schema of the embedded store, as numbered migrations applied in order and recorded in schema_version.

/** Day number standing for the events without a time in the summaries' merges (their `day` is NULL). */
export const NO_DAY = -2147483648;

/**
 * Migrations by the version they lead to: migration N takes a store at version N-1 to N. Never edit one
 * that has shipped; add the next.
 */
export const MIGRATIONS: readonly (readonly string[])[] = [
  // 1: the first schema.
  [
    `CREATE TYPE action_t AS ENUM ('allow', 'deny', 'reject', 'log')`,
    `CREATE TYPE direction_t AS ENUM ('inbound', 'outbound', 'forward', 'unknown')`,
    `CREATE TYPE problem_t AS ENUM ('malformed', 'unrecognized')`,
    // Every string of the events (formats, rules, prefixes, hosts, interfaces, MACs, IPv6 addresses) once,
    // numbered; events hold the number (`*_sid`), events_v shows the texts. Measured on 100k generated
    // lines: the same ingest rate and size as VARCHAR cells (DuckDB dictionary-compresses those per row
    // group); kept because the numbers are the same in every backend and a rule name is stored once.
    `CREATE TABLE strings (id UINTEGER NOT NULL, text VARCHAR NOT NULL)`,
    // One row per packet. Times are epoch ms (BIGINT: bit-packed to a few bits per row in time order).
    // IPv4 addresses are UINTEGER (a CIDR is a numeric range); IPv6 as UHUGEINT plus the canonical text's
    // string id (IPv4 rows leave both NULL; events_v prints either as text).
    `CREATE TABLE events (
      ts BIGINT,
      file_id UINTEGER NOT NULL,
      line UINTEGER NOT NULL,
      format_sid UINTEGER NOT NULL,
      action action_t NOT NULL,
      direction direction_t NOT NULL,
      transport_sid UINTEGER,
      iana_number USMALLINT,
      ip_version UTINYINT,
      src_v4 UINTEGER,
      src_v6 UHUGEINT,
      src_text_sid UINTEGER,
      dst_v4 UINTEGER,
      dst_v6 UHUGEINT,
      dst_text_sid UINTEGER,
      src_port INTEGER,
      dst_port INTEGER,
      src_mac_sid UINTEGER,
      dst_mac_sid UINTEGER,
      in_if_sid UINTEGER,
      out_if_sid UINTEGER,
      rule_sid UINTEGER,
      prefix_sid UINTEGER,
      host_sid UINTEGER,
      product_sid UINTEGER,
      length INTEGER,
      ttl SMALLINT,
      ip_id UINTEGER,
      tos INTEGER,
      traffic_class SMALLINT,
      flow_label INTEGER,
      df BOOLEAN,
      mf BOOLEAN,
      frag_offset INTEGER,
      tcp_flags UTINYINT,
      tcp_seq UINTEGER,
      tcp_ack UINTEGER,
      tcp_window INTEGER,
      icmp_type SMALLINT,
      icmp_code SMALLINT,
      icmp_id UINTEGER,
      icmp_seq INTEGER,
      extra VARCHAR
    )`,
    `CREATE TABLE inputs (
      id UINTEGER PRIMARY KEY,
      path VARCHAR NOT NULL,
      dev UBIGINT NOT NULL,
      ino UBIGINT NOT NULL,
      fingerprint VARCHAR NOT NULL,
      fingerprint_bytes UINTEGER NOT NULL,
      size UBIGINT NOT NULL,
      "offset" UBIGINT NOT NULL,
      lines UBIGINT NOT NULL,
      events UBIGINT NOT NULL,
      unparsed UBIGINT NOT NULL,
      first_ts BIGINT,
      last_ts BIGINT,
      stats JSON NOT NULL,
      updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )`,
    `CREATE TABLE unparsed (
      file_id UINTEGER NOT NULL,
      line UBIGINT NOT NULL,
      kind problem_t NOT NULL,
      reason VARCHAR NOT NULL,
      text VARCHAR NOT NULL
    )`,
    `CREATE SEQUENCE finding_ids START 1`,
    `CREATE TABLE findings (
      id UBIGINT PRIMARY KEY,
      detector VARCHAR NOT NULL,
      severity UTINYINT NOT NULL,
      confidence DOUBLE NOT NULL,
      first_ts BIGINT,
      last_ts BIGINT,
      sources VARCHAR[] NOT NULL,
      targets VARCHAR[] NOT NULL,
      ports INTEGER[] NOT NULL,
      technique VARCHAR,
      title VARCHAR NOT NULL,
      body JSON NOT NULL
    )`,
    `CREATE TABLE evidence (
      finding_id UBIGINT NOT NULL,
      ord UINTEGER NOT NULL,
      file_id UINTEGER,
      line UBIGINT,
      text VARCHAR NOT NULL
    )`,
    `CREATE MACRO ipv4_text(n) AS CASE WHEN n IS NULL THEN NULL ELSE
      concat(n // 16777216, '.', (n // 65536) % 256, '.', (n // 256) % 256, '.', n % 256) END`,
    // The readable face of events: addresses and strings as text, time as TIMESTAMP.
    `CREATE VIEW events_v AS SELECT
      epoch_ms(e.ts) AS time, e.ts, e.file_id, e.line, f.text AS format, e.action, e.direction,
      t.text AS transport, coalesce(ipv4_text(e.src_v4), sa.text) AS src_ip, e.src_port,
      coalesce(ipv4_text(e.dst_v4), da.text) AS dst_ip, e.dst_port, r.text AS rule, p.text AS prefix,
      h.text AS host, i.text AS in_if, o.text AS out_if, e.length, e.ttl, e.tcp_flags, e.icmp_type, e.icmp_code
      FROM events e
      LEFT JOIN strings f ON f.id = e.format_sid
      LEFT JOIN strings t ON t.id = e.transport_sid
      LEFT JOIN strings sa ON sa.id = e.src_text_sid
      LEFT JOIN strings da ON da.id = e.dst_text_sid
      LEFT JOIN strings r ON r.id = e.rule_sid
      LEFT JOIN strings p ON p.id = e.prefix_sid
      LEFT JOIN strings h ON h.id = e.host_sid
      LEFT JOIN strings i ON i.id = e.in_if_sid
      LEFT JOIN strings o ON o.id = e.out_if_sid`,
  ],
  // 2: events per UTC day and address, kept at ingest (one row per part, day and address: a busy address
  // has a row per part of each day, the noise one row), so the console ranks addresses over "all" and whole
  // days without grouping every event. `day` is floor(ts / 86400000), the UTC day number (NULL: events without a time); an address is
  // `v4` or the IPv6 text's string id. Filled from the events already stored.
  [
    `CREATE TABLE source_days (day INTEGER, v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL)`,
    `CREATE TABLE destination_days (day INTEGER, v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL)`,
    `INSERT INTO source_days ${addressDaysSelect('src', 'true')}`,
    `INSERT INTO destination_days ${addressDaysSelect('dst', 'true')}`,
  ],
  // 3: the firewall's own alarm name (`event.reason`, "SYN flood!") gets a column of its own, a string id like
  // rule_sid, so `query top --by alarm` ranks it; it was kept in the rare-fields JSON (`extra`). The names stored
  // there are added to `strings` (ids go on from the highest) and copied into the column; `extra` keeps its copy.
  [
    `ALTER TABLE events ADD COLUMN alarm_sid UINTEGER`,
    `INSERT INTO strings SELECT (SELECT coalesce(max(id) + 1, 0) FROM strings) + row_number() OVER (ORDER BY name) - 1, name
      FROM (SELECT DISTINCT json_extract_string(extra, '$.alarmName') AS name FROM events WHERE extra IS NOT NULL)
      WHERE name IS NOT NULL AND name NOT IN (SELECT text FROM strings)`,
    `UPDATE events SET alarm_sid = s.id FROM strings s
      WHERE events.extra IS NOT NULL AND s.text = json_extract_string(events.extra, '$.alarmName')`,
    // The readable view of migration 1 with the alarm name after the rule.
    `CREATE OR REPLACE VIEW events_v AS SELECT
      epoch_ms(e.ts) AS time, e.ts, e.file_id, e.line, f.text AS format, e.action, e.direction,
      t.text AS transport, coalesce(ipv4_text(e.src_v4), sa.text) AS src_ip, e.src_port,
      coalesce(ipv4_text(e.dst_v4), da.text) AS dst_ip, e.dst_port, r.text AS rule, al.text AS alarm,
      p.text AS prefix, h.text AS host, i.text AS in_if, o.text AS out_if, e.length, e.ttl, e.tcp_flags,
      e.icmp_type, e.icmp_code
      FROM events e
      LEFT JOIN strings f ON f.id = e.format_sid
      LEFT JOIN strings t ON t.id = e.transport_sid
      LEFT JOIN strings sa ON sa.id = e.src_text_sid
      LEFT JOIN strings da ON da.id = e.dst_text_sid
      LEFT JOIN strings r ON r.id = e.rule_sid
      LEFT JOIN strings al ON al.id = e.alarm_sid
      LEFT JOIN strings p ON p.id = e.prefix_sid
      LEFT JOIN strings h ON h.id = e.host_sid
      LEFT JOIN strings i ON i.id = e.in_if_sid
      LEFT JOIN strings o ON o.id = e.out_if_sid`,
  ],
  // 4 changed the ClickHouse store only (its per-day source summaries, src/store/clickhouse/schema.ts).
  [],
  // 5: one row per source address over the whole history (events, events with a time, the first time), kept
  // at ingest like the per-day summaries, so `new-sources`, the countries and the top sources of everything
  // read one row per source instead of grouping every event. Filled from the events already stored.
  [
    `CREATE TABLE sources (v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL, timed UBIGINT NOT NULL, first_ts BIGINT)`,
    `INSERT INTO sources ${sourcesSelect('true')}`,
  ],
  // 6: the rows of `sources` a write adds wait in `sources_recent` (appended as they are, a source may have
  // several rows there) and are merged into `sources` once there are `SOURCES_RECENT_ROWS` of them: merging
  // every write into `sources` joined the whole table (~100 ms per commit of a `watch --store` at 10 M events,
  // growing with every new source). `sources_v` shows both merged, one row per source.
  [
    `CREATE TABLE sources_recent (v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL, timed UBIGINT NOT NULL, first_ts BIGINT)`,
    `CREATE VIEW sources_v AS ${sourcesMerged()}`,
  ],
  // 7: the parts whose summaries (source_days, destination_days, sources) are not written yet: a large part's
  // summaries are written by a transaction of their own after the part's, beside the next part's appends (input,
  // first and last line). A write finishes the pending ones before it ends, and the next write those a stopped
  // one left.
  [
    `CREATE TABLE summary_pending (file_id UINTEGER NOT NULL, from_line UINTEGER NOT NULL, to_line UINTEGER NOT NULL)`,
  ],
  // 8: the traffic counts of flow and session records (FwEvent.sourcePackets, sourceBytes, destinationPackets,
  // destinationBytes: ECS source.packets ...; networkBytes, both ways when a record gives only the sum), a column
  // each so a query sums them; NULL for a packet line and for every event stored before (no parser gave them then,
  // so `extra` holds none to move).
  [
    `ALTER TABLE events ADD COLUMN src_packets UBIGINT`,
    `ALTER TABLE events ADD COLUMN src_bytes UBIGINT`,
    `ALTER TABLE events ADD COLUMN dst_packets UBIGINT`,
    `ALTER TABLE events ADD COLUMN dst_bytes UBIGINT`,
    `ALTER TABLE events ADD COLUMN total_bytes UBIGINT`,
    // The readable view of migration 3 with the counts after the packet length.
    `CREATE OR REPLACE VIEW events_v AS SELECT
      epoch_ms(e.ts) AS time, e.ts, e.file_id, e.line, f.text AS format, e.action, e.direction,
      t.text AS transport, coalesce(ipv4_text(e.src_v4), sa.text) AS src_ip, e.src_port,
      coalesce(ipv4_text(e.dst_v4), da.text) AS dst_ip, e.dst_port, r.text AS rule, al.text AS alarm,
      p.text AS prefix, h.text AS host, i.text AS in_if, o.text AS out_if, e.length, e.src_packets, e.src_bytes,
      e.dst_packets, e.dst_bytes, e.total_bytes, e.ttl, e.tcp_flags, e.icmp_type, e.icmp_code
      FROM events e
      LEFT JOIN strings f ON f.id = e.format_sid
      LEFT JOIN strings t ON t.id = e.transport_sid
      LEFT JOIN strings sa ON sa.id = e.src_text_sid
      LEFT JOIN strings da ON da.id = e.dst_text_sid
      LEFT JOIN strings r ON r.id = e.rule_sid
      LEFT JOIN strings al ON al.id = e.alarm_sid
      LEFT JOIN strings p ON p.id = e.prefix_sid
      LEFT JOIN strings h ON h.id = e.host_sid
      LEFT JOIN strings i ON i.id = e.in_if_sid
      LEFT JOIN strings o ON o.id = e.out_if_sid`,
  ],
  // 9: the rows of the per-day address summaries a write adds wait in `source_days_recent` and
  // `destination_days_recent` (appended as they are: a day and address may have several rows there, and one in
  // the summary besides) and are merged once there are `ADDRESS_DAYS_RECENT_ROWS` of them: merging every commit
  // deleted and inserted rows scattered through the day's row groups (a `watch --store` commit every few
  // seconds, its native memory growing with the store). The summaries themselves keep one row per day and
  // address; `source_days_v` and `destination_days_v` show both merged, one row per day and address.
  [
    `CREATE TABLE source_days_recent (day INTEGER, v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL)`,
    `CREATE TABLE destination_days_recent (day INTEGER, v4 UINTEGER, text_sid UINTEGER, events UBIGINT NOT NULL)`,
    `CREATE VIEW source_days_v AS ${addressDaysMerged('source_days', 'source_days_recent')}`,
    `CREATE VIEW destination_days_v AS ${addressDaysMerged('destination_days', 'destination_days_recent')}`,
  ],
];

/** A source's one key: the IPv4 value (>= 0) or -1 - the IPv6 text's string id (< 0); never NULL. */
export function sourceKey(t = ''): string {
  return `coalesce(${t}v4::BIGINT, -1 - ${t}text_sid::BIGINT)`;
}

/** Rows in `sources_recent` from which a write merges them into `sources`. */
export const SOURCES_RECENT_ROWS = 100_000;

/**
 * `sources` and `sources_recent` merged: one row per source (v4, text_sid, events, timed, first_ts). The
 * sources of the recent rows are summed with their row in `sources`; the rest of `sources` is read as it is.
 * 10 M-event store, 200 recent rows: 48-100 ms against 3-14 ms for `sources` alone, and a GROUP BY of both
 * tables whole 0.5-1.3 s; 750,000 recent rows: 0.3-0.4 s (hence the merge at `SOURCES_RECENT_ROWS`).
 */
export function sourcesMerged(): string {
  const recent = `SELECT ${sourceKey()} FROM sources_recent`;
  return `SELECT v4, text_sid, sum(events)::UBIGINT AS events, sum(timed)::UBIGINT AS timed, min(first_ts) AS first_ts
      FROM (SELECT v4, text_sid, events, timed, first_ts FROM sources WHERE ${sourceKey()} IN (${recent})
        UNION ALL SELECT v4, text_sid, events, timed, first_ts FROM sources_recent) GROUP BY v4, text_sid
    UNION ALL SELECT v4, text_sid, events, timed, first_ts FROM sources WHERE ${sourceKey()} NOT IN (${recent})`;
}

/** Rows of the `sources` table (migration 5) for the events matching `where` (SQL on `events`). */
export function sourcesSelect(where: string): string {
  return `SELECT src_v4, src_text_sid, count(*), count(ts), min(ts) FROM events
    WHERE (src_v4 IS NOT NULL OR src_text_sid IS NOT NULL) AND ${where} GROUP BY ALL`;
}

/**
 * The per-day address summaries (migration 2), the side of `events` each counts, the table their recent rows
 * wait in (migration 9) and the view of both merged.
 */
export const ADDRESS_DAY_TABLES = [
  { table: 'source_days', side: 'src', recent: 'source_days_recent', view: 'source_days_v' },
  { table: 'destination_days', side: 'dst', recent: 'destination_days_recent', view: 'destination_days_v' },
] as const;

/** The summary of one side, its recent rows' table and their view. */
export function addressDays(side: 'src' | 'dst'): (typeof ADDRESS_DAY_TABLES)[number] {
  return ADDRESS_DAY_TABLES[side === 'src' ? 0 : 1];
}

/** Rows waiting in each per-day summary's recent table from which a write merges them into the summary. */
export const ADDRESS_DAYS_RECENT_ROWS = 100_000;

/** A day's one key in the summaries' merges: the day number, or NO_DAY for the events without a time. */
export function dayKey(t = ''): string {
  return `coalesce(${t}day, ${NO_DAY})`;
}

/**
 * A per-day summary and its recent rows merged: one row per day and address (day, v4, text_sid, events). The
 * summary's rows of a (day, address) that has recent rows are summed with them; the rest are read as they are.
 */
export function addressDaysMerged(table: string, recent: string): string {
  const key = (t: string) => `${dayKey(t)} AS kd, ${sourceKey(t)} AS ka`;
  return `WITH r AS (SELECT day, v4, text_sid, events, ${key('')} FROM ${recent})
    SELECT day, v4, text_sid, sum(events)::UBIGINT AS events FROM (
        SELECT t.day, t.v4, t.text_sid, t.events FROM ${table} t SEMI JOIN r ON ${dayKey('t.')} = r.kd AND ${sourceKey('t.')} = r.ka
        UNION ALL SELECT day, v4, text_sid, events FROM r) GROUP BY day, v4, text_sid
    UNION ALL SELECT t.day, t.v4, t.text_sid, t.events FROM ${table} t ANTI JOIN r ON ${dayKey('t.')} = r.kd AND ${sourceKey('t.')} = r.ka`;
}

/** Rows of one summary for the events matching `where` (SQL on `events`), to INSERT INTO the table. */
export function addressDaysSelect(side: 'src' | 'dst', where: string): string {
  return `SELECT floor(ts / 86400000)::BIGINT, ${side}_v4, ${side}_text_sid, count(*) FROM events
    WHERE (${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL) AND ${where} GROUP BY ALL`;
}
