// Microsoft ISA Server 2000/2004/2006 logs: W3C files (`#Fields:` decides the layout, tab-separated columns)
// and the headerless ISA native format (comma-space columns in a fixed order).

import { TRAFFIC_FIELDS } from '../common-fields.js';
import { damaged } from '../damaged.js';
import type { LogFormat, ParseContext, ParseResult } from '../types.js';
import { w3cDirective, w3cFields, w3cRecord } from '../w3c-header.js';
import { firewallRecord, type IsaRecord, packetFilterRecord, serviceRecord } from './records.js';

/** Column order of the ISA 2000 Web Proxy and Firewall service logs (W3C default and native format). */
export const ISA2000_SERVICE_FIELDS = [
  'c-ip',
  'cs-username',
  'c-agent',
  'sc-authenticated',
  'date',
  'time',
  's-svcname',
  's-computername',
  'cs-referred',
  'r-host',
  'r-ip',
  'r-port',
  'time-taken',
  'cs-bytes',
  'sc-bytes',
  'cs-protocol',
  'cs-transport',
  's-operation',
  'cs-uri',
  'cs-mime-type',
  's-object-source',
  'sc-status',
  's-cache-info',
  'rule#1',
  'rule#2',
];

/** Column order of the ISA 2004/2006 Firewall log as installed (the first 13 columns). */
export const ISA2004_FIREWALL_FIELDS = [
  'computer',
  'date',
  'time',
  'IP protocol',
  'source',
  'destination',
  'original client IP',
  'source network',
  'destination network',
  'action',
  'status',
  'rule',
  'application protocol',
];

type Layout = 'firewall' | 'service' | 'packet-filter';

/** Which record kind a `#Fields:` list describes, or null when it is no ISA list. */
function layoutOf(fields: string[]): Layout | null {
  if (fields.includes('IP protocol') && fields.includes('source') && fields.includes('action'))
    return 'firewall';
  if (fields.includes('c-ip') && fields.includes('r-ip')) return 'service';
  if (fields.includes('source-ip') && fields.includes('filter-rule')) return 'packet-filter';
  return null;
}

const SERVICES = new Set(['w3proxy', 'w3reverseproxy', 'fwsrv']);
const SOFTWARE_RE = /^#Software: Microsoft(?:\(R\))? Internet Security and Acceleration Server/;

/** Columns of a native-format line (`a, b, c`), or null when the line is not one. */
function nativeColumns(message: string): string[] | null {
  if (!message.includes(', ')) return null;
  const cols = message.split(', ');
  return cols.length >= 22 && SERVICES.has(cols[6]!) ? cols : null;
}

/** Microsoft ISA Server Firewall, Web Proxy and packet filter logs. */
export const msIsa: LogFormat = {
  id: 'ms-isa',
  label: 'Microsoft ISA Server',
  description:
    'Microsoft ISA Server 2000/2004/2006 Firewall, Web Proxy and packet filter logs, W3C (any declared field order) or ISA native format.',
  example:
    'ISA-FW1\t2024-03-14\t09:12:03\tTCP\t203.0.113.7:41522\t192.0.2.25:3389\t203.0.113.7\tExternal\tLocal Host\tDenied\t0xc004000d\tDefault rule\tRDP (Terminal Services)',
  fields: [...TRAFFIC_FIELDS, 'tcpFlags', 'icmpType', 'icmpCode', 'ruleName', 'observerHost'],
  detect(message: string): number {
    if (message.charCodeAt(0) === 35 /* # */) {
      if (SOFTWARE_RE.test(message)) return 1;
      const d = w3cDirective(message);
      return d?.name === 'Fields' && layoutOf(w3cFields(d.value)) !== null && d.value.includes('\t')
        ? 0.9
        : 0;
    }
    if (nativeColumns(message)) return 0.9;
    const cols = message.split('\t');
    if (cols.length >= 13 && SERVICES.has(cols[6]!) && /^\d{4}-\d{2}-\d{2}$/.test(cols[4]!)) return 0.85;
    // The example layout: an ISA 2004 Firewall record with its two network names and an FpcAction word.
    if (
      cols.length >= 10 &&
      /^\d{4}-\d{2}-\d{2}$/.test(cols[1]!) &&
      /^(Denied|Allowed|Initiated Connection|Closed Connection)$/.test(cols[9]!)
    )
      return 0.6;
    return 0;
  },
  createParser(ctx: ParseContext) {
    // Before any `#Fields:` header, tab-separated lines are read in the installed default orders.
    let layout: Layout | null = null;
    let fields: string[] = [];
    const parseTabbed = (message: string): ParseResult => {
      const cols = message.split('\t');
      if (layout === null) {
        if (cols.length >= 13 && SERVICES.has(cols[6]!))
          return serviceRecord(w3cRecord(ISA2000_SERVICE_FIELDS, cols), ctx);
        if (cols.length >= 10 && /^\d{4}-\d{2}-\d{2}$/.test(cols[1]!))
          return firewallRecord(w3cRecord(ISA2004_FIREWALL_FIELDS, cols), ctx);
        return null;
      }
      const rec: IsaRecord = w3cRecord(fields, cols);
      if (cols.length < Math.min(fields.length, 8))
        return damaged('parse.isa.columns', { count: cols.length, total: fields.length });
      if (layout === 'firewall') return firewallRecord(rec, ctx);
      if (layout === 'service') return serviceRecord(rec, ctx);
      return packetFilterRecord(rec, ctx);
    };
    return (env) => {
      const message = env.message;
      if (message.charCodeAt(0) === 35) {
        const d = w3cDirective(message);
        if (d === null) return null;
        if (d.name === 'Software') return SOFTWARE_RE.test(message) ? { skip: 'header' } : null;
        if (d.name === 'Fields') {
          const declared = w3cFields(d.value);
          const kind = layoutOf(declared);
          if (kind === null) return null;
          layout = kind;
          fields = declared;
          return { skip: 'header' };
        }
        return d.name === 'Version' || d.name === 'Date' || d.name === 'Remark' ? { skip: 'header' } : null;
      }
      const native = nativeColumns(message);
      if (native) return serviceRecord(w3cRecord(ISA2000_SERVICE_FIELDS, native), ctx);
      if (!message.includes('\t')) return null;
      return parseTabbed(message);
    };
  },
};
