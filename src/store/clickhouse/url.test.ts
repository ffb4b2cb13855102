// Store addresses: what clickhouse:// accepts, and what it refuses before any connection.
import { describe, expect, it } from 'vitest';
import { failureReason } from './connection.js';
import { intLiteral, stringLiteral } from './sql.js';
import { parseClickHouseAddress } from './url.js';

describe('clickhouse:// addresses', () => {
  it('reads hosts, database, user, password, cluster and origin; shows it without the password', () => {
    expect(parseClickHouseAddress('clickhouse://h/db', 'me')).toEqual({
      hosts: ['http://h:8123'],
      database: 'db',
      username: undefined,
      password: undefined,
      cluster: undefined,
      origin: 'me',
      shown: 'clickhouse://h/db',
    });
    expect(
      parseClickHouseAddress(
        'clickhouse://u:p%40ss@127.0.0.1:8124,[::1]:9123/fw?cluster=edge&origin=fw-1',
        'me',
      ),
    ).toEqual({
      hosts: ['http://127.0.0.1:8124', 'http://[::1]:9123'],
      database: 'fw',
      username: 'u',
      password: 'p@ss',
      cluster: 'edge',
      origin: 'fw-1',
      shown: 'clickhouse://u@127.0.0.1:8124,[::1]:9123/fw?cluster=edge&origin=fw-1',
    });
  });

  it.each([
    'clickhouse://h:8123/db;drop',
    "clickhouse://h/db'",
    'clickhouse://h:99999/db',
    'clickhouse://h:0/db',
    'clickhouse://a:1,b:2/db',
    "clickhouse://h/db?cluster=x'y",
    'clickhouse://h/db?what=1',
    'clickhouse://h/',
    'clickhouse:///db',
    'clickhouse://u:%ZZ@h/db',
    'clickhouse://h/a/b',
  ])('refuses %s', (value) => {
    expect(parseClickHouseAddress(value)).toBeUndefined();
  });

  it('literals: quotes and backslashes escaped, control characters as \\xHH, integers only', () => {
    expect(stringLiteral("it's \\ ok")).toBe("'it\\'s \\\\ ok'");
    expect(stringLiteral("'; DROP TABLE events; --")).toBe("'\\'; DROP TABLE events; --'");
    expect(stringLiteral('a\u0000b\nc\u001b\u007f')).toBe("'a\\x00b\\x0ac\\x1b\\x7f'");
    expect(stringLiteral('中文😀')).toBe("'中文😀'");
    expect(stringLiteral('\udc00')).toBe("'\ufffd'");
    expect(intLiteral(42)).toBe('42');
    expect(intLiteral(18446744073709551615n)).toBe('18446744073709551615');
    for (const bad of [Number.NaN, 1.5, Number.POSITIVE_INFINITY, 2 ** 60])
      expect(() => intLiteral(bad)).toThrow(RangeError);
  });

  it('the reason of a server failure, as 18.16 and current versions word it; a socket error by its code', () => {
    expect(
      failureReason(
        new Error(
          'Code: 164, e.displayText() = DB::Exception: Cannot execute query in readonly mode, e.what() = DB::Exception\n',
        ),
      ),
    ).toBe('Cannot execute query in readonly mode');
    expect(
      failureReason(
        new Error(
          'Code: 60. DB::Exception: Table fw.events does not exist. (UNKNOWN_TABLE) (version 24.8.1.1)',
        ),
      ),
    ).toBe('Table fw.events does not exist.');
    expect(
      failureReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toBe('ECONNREFUSED');
    expect(failureReason(new Error(`DB::Exception: ${' '.repeat(60_000)}x`)).length).toBeLessThanOrEqual(300);
  });
});
