// What a run's inputs held when they gave no events: one notice per input (unreadable, empty, not a firewall log,
// all damaged, only non-traffic records), and the kernel's overload warnings an input holds (SYN flood, connection
// table full), in both languages, for stderr and for every report output.
import { CONNTRACK_FULL_KIND, synFloodPort } from '../formats/linux-kernel-net.js';
import { nonTrafficKindsList, t, tBoth } from '../i18n.js';
import { OTHER_NON_TRAFFIC_KINDS } from '../ingest/non-traffic.js';
import type { IngestStats, InputStats } from '../ingest/pipeline.js';
import type { Localized } from '../knowledge/schema.js';

/** Kind of a notice about the inputs of a run. */
export type NoticeKind =
  | 'unreadable'
  | 'empty'
  | 'not-firewall'
  | 'all-damaged'
  | 'only-non-traffic'
  | 'no-events'
  | 'kernel-warning'
  | 'local-time';

/** One sentence on what an input (or the whole run, without `path`) held, and whether the run failed for it. */
export interface ReportNotice {
  kind: NoticeKind;
  /** The input it is about; absent for the run as a whole. */
  path?: string;
  /** True when it makes the run fail (exit code 1): every kind but `only-non-traffic`, `kernel-warning`, `local-time`. */
  failed: boolean;
  text: Localized;
}

/**
 * Most kinds of non-traffic record the "only non-traffic" sentence names (the most frequent): the kinds are
 * text a log chose, up to MAX_NON_TRAFFIC_KINDS of them, and the sentence is one line on stderr. The reports
 * list them all.
 */
export const NOTICE_KINDS = 10;

/** Sum of an input's non-traffic records over their kinds. */
export function nonTrafficCount(input: Pick<InputStats, 'nonTraffic'>): number {
  let n = 0;
  for (const v of Object.values(input.nonTraffic)) n += v;
  return n;
}

/**
 * The kernel's own overload warnings in an input (a listening port's SYN queue overflowing, the connection
 * table full), one sentence each: they are counted as non-traffic, but say the host was flooded or over its
 * limits, which a person reading the report must not miss among the counts.
 */
function kernelWarnings(input: InputStats): Localized[] {
  const path = input.path === '-' ? '(stdin)' : input.path;
  const out: Localized[] = [];
  const floods = Object.entries(input.nonTraffic)
    .filter(([kind]) => synFloodPort(kind) !== undefined)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (floods.length > 0) {
    const ports = [...new Set(floods.map(([kind]) => synFloodPort(kind)!))];
    const n = floods.reduce((sum, [, k]) => sum + k, 0);
    const where =
      ports.length === 1
        ? { en: `port ${ports[0]}`, zh: `端口 ${ports[0]}` }
        : { en: `ports ${ports.join(', ')}`, zh: `端口 ${ports.join('、')}` };
    out.push(tBoth('cli.analyze.kernelSynFlood', { path, n, where }));
  }
  const full = input.nonTraffic[CONNTRACK_FULL_KIND];
  if (full) out.push(tBoth('cli.analyze.kernelConntrackFull', { path, n: full }));
  return out;
}

/**
 * The notices of a run: per input that could not be read or gave no event, why; and for the run, when no
 * input gave an event and none of them said why. An input holding recognised non-traffic records (logins,
 * configuration, system and HA records) and no traffic is a firewall log with 0 events, not a failure.
 * `listed` false (NDJSON, which carries no list of damaged lines): an all-damaged input's sentence names its
 * first damaged line.
 */
export function runNotices(stats: IngestStats, listed = true): ReportNotice[] {
  const out: ReportNotice[] = [];
  for (const input of stats.inputs) {
    const path = input.path === '-' ? '(stdin)' : input.path;
    const nonTraffic = nonTrafficCount(input);
    const notice = (kind: NoticeKind, text: Localized) =>
      out.push({
        kind,
        path: input.path,
        failed: kind !== 'only-non-traffic' && kind !== 'kernel-warning' && kind !== 'local-time',
        text,
      });
    for (const text of kernelWarnings(input)) notice('kernel-warning', text);
    if (input.localTimeAsUtc) notice('local-time', tBoth('cli.analyze.localTimeAsUtc', { path }));
    if (input.error) notice('unreadable', input.errorText ?? { en: input.error, zh: input.error });
    else if (input.lines === 0) notice('empty', tBoth('cli.analyze.empty', { path }));
    else if (input.events > 0) continue;
    else if (nonTraffic > 0)
      notice(
        'only-non-traffic',
        tBoth('cli.analyze.onlyNonTraffic', {
          path,
          n: nonTraffic,
          kinds: nonTrafficKindsList(input.nonTraffic, NOTICE_KINDS, (rest) =>
            rest.reduce(
              // The kinds already folded together are counted as the number of kinds they are.
              (sum, [kind]) =>
                sum + (kind === OTHER_NON_TRAFFIC_KINDS ? (input.nonTrafficOtherKinds ?? 1) : 1),
              0,
            ),
          ),
        }),
      );
    else if (input.malformed === 0 && input.unrecognized > 0)
      notice('not-firewall', tBoth('cli.analyze.notFirewall', { path, lines: input.lines }));
    else if (input.malformed > 0) {
      const first = listed ? undefined : stats.malformedSamples.find((p) => p.file === input.path);
      notice(
        'all-damaged',
        first
          ? {
              en: t('cli.analyze.allDamagedFirst', 'en', {
                path,
                n: input.malformed,
                line: first.line,
                reason: first.reasonText?.en ?? first.reason,
              }),
              zh: t('cli.analyze.allDamagedFirst', 'zh', {
                path,
                n: input.malformed,
                line: first.line,
                reason: first.reasonText?.zh ?? first.reason,
              }),
            }
          : tBoth('cli.analyze.allDamaged', { path, n: input.malformed }),
      );
    }
  }
  if (stats.events === 0 && out.length === 0)
    out.push({ kind: 'no-events', failed: true, text: tBoth('cli.analyze.noEvents', {}) });
  return out;
}
