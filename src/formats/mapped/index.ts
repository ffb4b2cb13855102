// The `mapped` format: any CSV or JSON-lines log read through a user's mapping file (`--format mapped
// --mapping file.yaml`). Built from a mapping, never auto-detected, so it is not in the FORMATS registry.
import type { Direction, EventAction } from '../../event.js';
import { listBoth } from '../../i18n.js';
import { splitDelimited } from '../../util/text-scan.js';
import { TRAFFIC_FIELDS } from '../common-fields.js';
import { damaged } from '../damaged.js';
import { flowEvent, isUnset, parseJsonObject, startsJson } from '../flow-record.js';
import type {
  Envelope,
  LogFormat,
  ParseContext,
  ParseError,
  ParseResult,
  ParseSkip,
  RecordParser,
} from '../types.js';
import { loadMapping, type Mapping, MappingError, validateMapping } from './mapping.js';
import { compileTimePattern, type TimeReader } from './time-pattern.js';

export { loadMapping, type Mapping, MappingError, splitDelimited, validateMapping };

/**
 * Value at a JSON key, trying the whole key first (`id.orig_h`), then a dotted path; only the record's own
 * keys (a mapping naming `constructor` or `a.__proto__` finds nothing, not what every object inherits).
 */
function jsonValue(rec: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(rec, key)) return rec[key];
  let node: unknown = rec;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function lowerKeys<T>(map: Record<string, T> | undefined): Map<string, T> {
  return new Map(Object.entries(map ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Build the `mapped` format from a validated mapping. */
export function createMappedFormat(mapping: Mapping): LogFormat {
  const actions = lowerKeys(mapping.actions);
  const directions = lowerKeys(mapping.directions);
  const fieldNames = Object.keys(mapping.fields) as (keyof Mapping['fields'])[];

  function createParser(ctx: ParseContext): RecordParser {
    const readTime: TimeReader = compileTimePattern(mapping.time.format, mapping.time.zone, ctx);
    let columns: Map<string, number> | undefined;
    let headerSeen = !mapping.header;

    /** Field name -> raw value for one record, or an error / skip. */
    function extract(message: string): { values: Record<string, unknown> } | ParseError | ParseSkip | null {
      if (mapping.input === 'json') {
        const parsed = parseJsonObject(message);
        if (parsed === undefined) return null;
        if ('error' in parsed) return parsed;
        const out: Record<string, unknown> = {};
        for (const f of fieldNames) out[f] = jsonValue(parsed.record, String(mapping.fields[f]));
        return { values: out };
      }
      const values = splitDelimited(message, mapping.delimiter);
      if (!headerSeen) {
        headerSeen = true;
        columns = new Map(values.map((name, i) => [name.trim(), i]));
        const missing = fieldNames.filter(
          (f) => typeof mapping.fields[f] === 'string' && !columns!.has(String(mapping.fields[f])),
        );
        if (missing.length)
          return damaged('parse.mapped.headerLacks', {
            columns: listBoth(missing.map((f) => String(mapping.fields[f]))),
          });
        return { skip: 'header' };
      }
      const out: Record<string, unknown> = {};
      for (const f of fieldNames) {
        const ref = mapping.fields[f]!;
        const index = typeof ref === 'number' ? ref - 1 : columns?.get(ref);
        if (index === undefined) return damaged('parse.mapped.notInHeader', { column: ref });
        if (index >= values.length)
          return damaged('parse.mapped.short', { count: values.length, field: f, column: index + 1 });
        out[f] = values[index]!.trim();
      }
      return { values: out };
    }

    return (env: Envelope): ParseResult => {
      const message = env.message;
      if (message.trim() === '' || (mapping.input === 'json' && !startsJson(message))) return null;
      const extracted = extract(message);
      if (extracted === null || !('values' in extracted)) return extracted;
      const rec = extracted.values;
      let action: EventAction = mapping.defaultAction;
      if (!isUnset(rec.action)) {
        const word = String(rec.action).toLowerCase();
        const mapped =
          actions.get(word) ?? (['allow', 'deny', 'reject', 'log'].includes(word) ? word : undefined);
        if (mapped === undefined)
          return damaged('parse.mapped.action', { value: JSON.stringify(rec.action) });
        action = mapped as EventAction;
      }
      let direction: Direction = 'unknown';
      if (!isUnset(rec.direction)) {
        const d = directions.get(String(rec.direction).toLowerCase());
        if (d === undefined)
          return damaged('parse.mapped.direction', { value: JSON.stringify(rec.direction) });
        direction = d;
      }
      const ev = flowEvent('mapped', action, direction, {
        sourceIp: rec.sourceIp,
        destinationIp: rec.destinationIp,
        sourcePort: rec.sourcePort,
        destinationPort: rec.destinationPort,
        protocol: rec.protocol,
      });
      if ('error' in ev) return ev;
      if (ev.sourceIp === undefined && ev.destinationIp === undefined)
        return damaged('parse.mapped.noAddress');
      if (!isUnset(rec.timestamp)) {
        const t = readTime(rec.timestamp);
        if (t === undefined)
          return damaged('parse.mapped.time', {
            value: JSON.stringify(rec.timestamp),
            format: mapping.time.format,
          });
        ev.timestamp = t;
      } else if (env.timestamp !== undefined) ev.timestamp = env.timestamp;
      for (const f of ['ruleName', 'inInterface', 'outInterface', 'observerHost'] as const)
        if (!isUnset(rec[f])) ev[f] = String(rec[f]);
      if (mapping.product) ev.observerProduct = mapping.product;
      return ev;
    };
  }

  return {
    id: 'mapped',
    label: 'CSV / JSON through a mapping file',
    description:
      'Any CSV or JSON-lines log whose columns a mapping file names (--format mapped --mapping file.yaml); see docs/mapping.md.',
    example: '2026-01-05T10:00:01Z,198.51.100.7,51000,192.0.2.10,22,tcp,BLOCK',
    fields: [...TRAFFIC_FIELDS, 'ruleName'],
    // Only ever used when the user chose it (never in auto-detection), so any non-blank line is a candidate.
    detect: (message: string) => (message.trim() === '' ? 0 : 0.01),
    createParser,
  };
}

/** Load a mapping file and build the `mapped` format from it. */
export async function loadMappedFormat(path: string): Promise<LogFormat> {
  return createMappedFormat(await loadMapping(path));
}
