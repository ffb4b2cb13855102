// Azure NSG and VNet flow logs: one JSON object per line holding a `flow.N` tuple (as log shippers write them),
// or a native PT1H.json document (`records[].properties.flows[].flows[].flowTuples[]`, VNet `flowRecords`), one line
// or pretty-printed (the pipeline joins it, see src/ingest/json-document.ts); each tuple becomes an event.
import type { ConnectionPhase, Direction, EventAction, FwEvent } from '../event.js';
import { splitFields } from '../util/text-scan.js';
import { wordTable } from '../util/word-table.js';
import { FLOW_FIELDS, TRAFFIC_COUNT_FIELDS } from './common-fields.js';
import { damaged, reasonOf } from './damaged.js';
import {
  countValue,
  FLOW_INTERVAL_PHASE,
  flowEvent,
  parseJsonObject,
  recordTime,
  setTrafficCounts,
  startsJson,
} from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, EventSeries, LogFormat, ParseContext, ParseError, RecordResult } from './types.js';

/** NSG tuples write the protocol as a letter. */
const PROTOCOL_LETTERS: Record<string, string> = wordTable({ T: 'tcp', U: 'udp' });
const DIRECTIONS: Record<string, Direction> = wordTable({ I: 'inbound', O: 'outbound' });
/** A tuple's first field, as a damaged line's reason names it. */
const TIME_FIELD = { en: 'flow time', zh: '流时间' };
/**
 * Flow states of NSG v2 and VNet v4 tuples of permitted flows: B when the flow began, C every minute it goes on,
 * E when it ended. A long flow is several tuples; the detectors count it once (src/detect/repeat-records.ts).
 */
const FLOW_STATES: Record<string, ConnectionPhase> = wordTable({ B: 'start', C: 'continue', E: 'end' });
/** VNet flow logs (version 4) put an encryption status where NSG tuples have the flow state. */
const ENCRYPTION_RE = /^(?:X|NX(?:_[A-Z_]+)?)$/;

/**
 * Read one flow tuple. NSG v1: `time,src,dst,sport,dport,proto,dir,decision`; NSG v2 adds
 * `state,pkts→,bytes→,pkts←,bytes←`; VNet v4: `time(ms),src,dst,sport,dport,proto#,dir,state,encryption,counts…`
 * where state D means denied and B/C/E a permitted flow's begin, continuation and end.
 */
function tupleToEvent(tuple: string, ctx: ParseContext): FwEvent | ParseError {
  const f = splitFields(tuple, ',');
  if (f.length !== 8 && f.length !== 13) return damaged('parse.nsg.tupleFields', { count: f.length });
  const vnet = f.length === 13 && ENCRYPTION_RE.test(f[8]!);
  let action: EventAction;
  let state: string | undefined;
  if (vnet) {
    if (!/^[BCED]$/.test(f[7]!)) return damaged('parse.nsg.vnetState', { value: JSON.stringify(f[7]) });
    action = f[7] === 'D' ? 'deny' : 'allow';
    state = f[7];
  } else {
    if (f[7] !== 'A' && f[7] !== 'D') return damaged('parse.nsg.decision', { value: JSON.stringify(f[7]) });
    if (f.length === 13 && !/^[BCE]$/.test(f[8]!))
      return damaged('parse.nsg.state', { value: JSON.stringify(f[8]) });
    action = f[7] === 'A' ? 'allow' : 'deny';
    state = f[8];
  }
  const direction = DIRECTIONS[f[6]!];
  if (!direction) return damaged('parse.nsg.direction', { value: JSON.stringify(f[6]) });
  const ev = flowEvent('azure-nsg-flow', action, direction, {
    sourceIp: f[1],
    destinationIp: f[2],
    sourcePort: f[3],
    destinationPort: f[4],
    protocol: PROTOCOL_LETTERS[f[5]!] ?? f[5],
  });
  if ('error' in ev) return ev;
  if (!/^\d{10,13}$/.test(f[0]!)) return damaged('parse.nsg.time', { value: JSON.stringify(f[0]) });
  const time = recordTime(f[0], TIME_FIELD, ctx);
  if (typeof time === 'object') return time;
  ev.timestamp = time;
  // A one-packet flow with no reply tells that packet's length; larger counts are totals, not lengths.
  // Both 13-field layouts put the counts in fields 9-12.
  if (f.length === 13 && countValue(f[9]) === 1 && countValue(f[11]) === 0) ev.length = countValue(f[10]);
  // Fields 9-12: packets and bytes sent from source to destination, then from destination to source, since the
  // flow's previous tuple (Microsoft's flow log schema); a B tuple and a v2 denied tuple leave them empty.
  if (f.length === 13)
    setTrafficCounts(ev, {
      sourcePackets: f[9],
      sourceBytes: f[10],
      destinationPackets: f[11],
      destinationBytes: f[12],
    });
  // A denied flow (NSG decision D, v2 state B without counts; VNet state D, "Flow is denied") opened no connection,
  // and Microsoft does not say whether a denied 5-tuple is written once or again while its packets keep coming (a
  // public sample repeats one 10 s apart). Read as one flow over the log's one-minute collection interval, as AWS
  // and Google Cloud records are, it is counted once either way: the first tuple of a 5-tuple is the attempt, a
  // later one of the same 5-tuple a repeat (src/detect/repeat-records.ts).
  const phase =
    action !== 'allow' ? FLOW_INTERVAL_PHASE : state === undefined ? undefined : FLOW_STATES[state];
  if (phase) ev.connectionPhase = phase;
  ev.observerProduct = 'azure-network-watcher';
  return ev;
}

/** Tuples of a native document, with the rule each one belongs to. */
function* nativeTuples(doc: Record<string, unknown>): Generator<{ rule?: string; tuple: string }> {
  const records = Array.isArray(doc.records) ? doc.records : [doc];
  for (const rec of records as Record<string, unknown>[]) {
    const props = (rec.properties ?? {}) as Record<string, unknown>;
    // NSG: properties.flows[].{rule, flows[].flowTuples[]}; VNet: flowRecords.flows[].flowGroups[].{rule, flowTuples[]}
    for (const group of (props.flows ?? []) as Record<string, unknown>[])
      for (const inner of (group.flows ?? []) as Record<string, unknown>[])
        for (const t of (inner.flowTuples ?? []) as unknown[])
          yield { rule: group.rule as string | undefined, tuple: String(t) };
    const vnet = (rec.flowRecords ?? props.flowRecords) as Record<string, unknown> | undefined;
    for (const acl of (vnet?.flows ?? []) as Record<string, unknown>[])
      for (const group of (acl.flowGroups ?? []) as Record<string, unknown>[])
        for (const t of (group.flowTuples ?? []) as unknown[])
          yield { rule: group.rule as string | undefined, tuple: String(t) };
  }
}

/** Above this many flows a document's events are made as they are taken, not held in one array. */
export const SERIES_MIN_FLOWS = 4096;

/**
 * The events of a document of many flows, as a series: every tuple is read first (a damaged one makes the
 * whole record malformed, as in `tuplesToEvents`), then read again as each event is taken. A document of
 * 900,000 flows held them all as events at once (close to a gigabyte) and ran the worker out of memory.
 */
function documentSeries(
  doc: Record<string, unknown>,
  total: number,
  ctx: ParseContext,
): EventSeries | ParseError {
  let n = 0;
  for (const { tuple } of nativeTuples(doc)) {
    n++;
    const ev = tupleToEvent(tuple, ctx);
    if ('error' in ev) return damaged('parse.nsg.tupleOf', { n, total, reason: reasonOf(ev) });
  }
  return {
    flowCount: total,
    *events() {
      for (const { rule, tuple } of nativeTuples(doc)) {
        const ev = tupleToEvent(tuple, ctx) as FwEvent;
        if (typeof rule === 'string' && rule !== '') ev.ruleName = rule;
        yield ev;
      }
    },
  };
}

/** Turn each tuple into an event with its rule; a damaged tuple makes the whole record malformed, naming the tuple. */
function tuplesToEvents(
  tuples: { rule?: unknown; tuple: string }[],
  ctx: ParseContext,
): FwEvent[] | ParseError {
  const events: FwEvent[] = [];
  for (let i = 0; i < tuples.length; i++) {
    const { rule, tuple } = tuples[i]!;
    const ev = tupleToEvent(tuple, ctx);
    if ('error' in ev)
      return tuples.length === 1
        ? ev
        : damaged('parse.nsg.tupleOf', { n: i + 1, total: tuples.length, reason: reasonOf(ev) });
    if (typeof rule === 'string' && rule !== '') ev.ruleName = rule;
    events.push(ev);
  }
  return events;
}

function parse(env: Envelope, ctx: ParseContext): RecordResult {
  const parsed = parseJsonObject(env.message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return detectAzure(env.message) ? parsed : null;
  const rec = parsed.record;
  const tupleKeys = Object.keys(rec).filter((k) => /^flow\.\d+$/.test(k));
  let tuples: { rule?: unknown; tuple: string }[];
  if (tupleKeys.length > 0) tuples = tupleKeys.map((k) => ({ rule: rec.rule, tuple: String(rec[k]) }));
  else if (typeof rec.flowTuple === 'string') tuples = [{ rule: rec.rule, tuple: rec.flowTuple }];
  else {
    let total = 0;
    for (const _ of nativeTuples(rec)) total++;
    if (total === 0) {
      if (!('records' in rec) && !('properties' in rec) && !('flowRecords' in rec)) return null;
      return { skip: 'flow log document without flow tuples' };
    }
    if (total > SERIES_MIN_FLOWS) return documentSeries(rec, total, ctx);
    tuples = [...nativeTuples(rec)];
  }
  const events = tuplesToEvents(tuples, ctx);
  // A record of one flow stays a plain result; a document of many flows yields them all.
  return Array.isArray(events) && events.length === 1 ? events[0]! : events;
}

function detectAzure(message: string): boolean {
  return message.includes('"flow.0"') || message.includes('"flowTuples"') || message.includes('"flowTuple"');
}

/** Azure NSG / VNet flow logs. */
export const azureNsgFlow: LogFormat = {
  id: 'azure-nsg-flow',
  label: 'Azure NSG / VNet flow logs',
  description:
    "Azure Network Watcher flow logs (NSG v1/v2 and VNet v4 tuples) as one JSON object per line with a flow.N tuple, or a native document (records[] of flows) holding any number of tuples; a flow's begin (B), continuing (C) and end (E) tuples are one connection, and so are the repeated tuples of one denied 5-tuple.",
  example:
    '{"time":"2025-04-30T09:07:40.986182+00:00","flowLogVersion":4,"macAddress":"112233445566","operationName":"FlowLogFlowEvent","rule":"BlockHighRiskTCPPortsFromInternet","flow.0":"1663145998065,203.0.113.6,192.0.2.4,55188,22,6,I,D,NX,0,0,0,0"}',
  fields: [
    ...FLOW_FIELDS,
    'ruleName',
    'length',
    ...TRAFFIC_COUNT_FIELDS,
    'observerProduct',
    'connectionPhase',
  ],
  detect(message: string): number {
    return startsJson(message) && detectAzure(message) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};
