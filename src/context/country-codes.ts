// Country codes as small numbers: the compiled country table's, and the columns of the country ranking (its cache
// file, DuckDB's tables).

/** Hands out 0, 1, 2 ... to country codes in the order first seen; `codes` lists them by number. */
export function countryCodes(): { codes: string[]; code: (country: string) => number } {
  const codes: string[] = [];
  const index = new Map<string, number>();
  return {
    codes,
    code(country) {
      let i = index.get(country);
      if (i === undefined) {
        i = codes.length;
        codes.push(country);
        index.set(country, i);
      }
      return i;
    },
  };
}
