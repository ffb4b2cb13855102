// The DuckDB schema of the embedded store, as numbered migrations applied in order and recorded in schema_version.

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
    // One row per packet. Times are epoch ms (BIGINT: delta-packed to a few bits when sorted by time).
    // IPv4 addresses are UINTEGER (a CIDR is a numeric range); IPv6 as UHUGEINT plus the canonical text,
    // which IPv4 rows leave NULL (the events_v view prints both). Strings are VARCHAR: DuckDB stores a
    // low-cardinality column dictionary-encoded per row group (measured smaller than ENUM, see docs/store.md).
    `CREATE TABLE events (
      ts BIGINT,
      file_id UINTEGER NOT NULL,
      line UBIGINT NOT NULL,
      format VARCHAR NOT NULL,
      action action_t NOT NULL,
      direction direction_t NOT NULL,
      transport VARCHAR,
      iana_number USMALLINT,
      ip_version UTINYINT,
      src_v4 UINTEGER,
      src_v6 UHUGEINT,
      src_text VARCHAR,
      dst_v4 UINTEGER,
      dst_v6 UHUGEINT,
      dst_text VARCHAR,
      src_port INTEGER,
      dst_port INTEGER,
      src_mac VARCHAR,
      dst_mac VARCHAR,
      in_if VARCHAR,
      out_if VARCHAR,
      rule VARCHAR,
      prefix VARCHAR,
      host VARCHAR,
      product VARCHAR,
      length INTEGER,
      ttl SMALLINT,
      ip_id BIGINT,
      tos INTEGER,
      traffic_class SMALLINT,
      flow_label INTEGER,
      df BOOLEAN,
      mf BOOLEAN,
      frag_offset INTEGER,
      tcp_flags UTINYINT,
      tcp_seq BIGINT,
      tcp_ack BIGINT,
      tcp_window INTEGER,
      icmp_type SMALLINT,
      icmp_code SMALLINT,
      icmp_id BIGINT,
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
    // The readable face of events: addresses as text, time as TIMESTAMP, flags as words.
    `CREATE VIEW events_v AS SELECT
      epoch_ms(ts) AS time, ts, file_id, line, format, action, direction, transport,
      coalesce(ipv4_text(src_v4), src_text) AS src_ip, src_port,
      coalesce(ipv4_text(dst_v4), dst_text) AS dst_ip, dst_port,
      rule, prefix, host, in_if, out_if, length, ttl, tcp_flags, icmp_type, icmp_code
      FROM events`,
  ],
];
