// Lookups in fixed tables by text a log line chose.

/**
 * `table[key]` when the table itself holds `key`, else undefined: a log word such as `constructor`,
 * `__proto__` or `toString` is an unknown word, not a method every object inherits (which a plain
 * `table[key]` returns, and which then stood where text belongs, or threw).
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
