// Country codes as small numbers: the compiled country table's, and the columns of the country ranking (its cache
// file, DuckDB's tables).

/**
 * Longest country text kept from a database record (src/context/geo.ts) and taken from the country ranges' cache
 * file (src/store/country-cache.ts). Codes are two letters; a database the user brings may carry any text
 * there (100 KB of it), which would otherwise be held per address and repeated in every output.
 */
export const MAX_COUNTRY_CHARS = 64;

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
