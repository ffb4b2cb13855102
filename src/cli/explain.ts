// The work of `fwlens explain`: a port, a port/proto, a source port, or a whole log line, explained.
import type { FwEvent } from '../event.js';
import {
  type Explanation,
  explainEvent,
  explainPort,
  type PortProto,
  renderExplanation,
} from '../explain/index.js';
import { reasonText } from '../formats/damaged.js';
import { NOT_UNDERSTOOD } from '../formats/skip-kinds.js';
import { type Lang, type MessageKey, type MessageVars, nonTrafficKindText, t } from '../i18n.js';
import { knowledgeBase } from '../knowledge/index.js';
import { isSpaceChar, trimEndWhere } from '../util/text-scan.js';
import { jsonText } from '../util/visible.js';
import type { ContextFlags } from './context-options.js';
import { say } from './say.js';

/** Options of `fwlens explain`; the context flags apply to a log line's addresses. */
export interface ExplainOptions extends ContextFlags {
  /** Treat a bare number as a SOURCE port. */
  source?: boolean | undefined;
  lang: Lang;
  /** Print JSON instead of text. */
  json?: boolean | undefined;
  /** Config file (YAML) whose allow and deny lists and research-scanner policy the line's severity counts. */
  config?: string | undefined;
}

/** Output streams of the command. */
export interface ExplainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A query after reading: a port (with optional protocol), a log line, or a user mistake. */
export type ExplainQuery =
  | { kind: 'port'; port: number; proto: PortProto | undefined }
  | { kind: 'line'; line: string }
  | { kind: 'error'; key: MessageKey; vars: MessageVars };

const PORT_QUERY = /^(\d{1,10})(?:\/([a-z]+))?$/i;
const PROTOS: readonly string[] = ['tcp', 'udp', 'sctp'];

/** Longest query quoted back in an error: a pasted megabyte is not repeated on the terminal. */
const QUOTED_QUERY_CHARS = 60;

/** The query as an error quotes it: cut, with an ellipsis, past QUOTED_QUERY_CHARS characters. */
function quoted(q: string): string {
  const chars = [...q.slice(0, QUOTED_QUERY_CHARS * 2)];
  return chars.length > QUOTED_QUERY_CHARS ? `${chars.slice(0, QUOTED_QUERY_CHARS - 1).join('')}…` : q;
}

/** Decide what a query is: anything with a space or "=" is a log line, otherwise a port[/proto]. */
export function readQuery(query: string): ExplainQuery {
  const q = query.trim();
  // Words and keys are a log line, and so is one word that is a JSON or CSV record.
  if (/[\s=,]/.test(q) || q.startsWith('{')) return { kind: 'line', line: q };
  const m = PORT_QUERY.exec(q);
  if (!m) return { kind: 'error', key: 'cli.explain.badQuery', vars: { query: quoted(q) } };
  const port = Number(m[1]);
  const proto = m[2]?.toLowerCase();
  if (port > 65535 || (proto !== undefined && !PROTOS.includes(proto)))
    return { kind: 'error', key: 'cli.explain.badPort', vars: { query: quoted(q) } };
  return { kind: 'port', port, proto: proto as PortProto | undefined };
}

/**
 * Run `fwlens explain` and return the exit code: 0 on success, 2 for a query the user must fix
 * (one sentence on stderr in the chosen language), 1 when the knowledge base cannot be loaded.
 *
 * With `json`, stdout gets `{ query, lang, event?, explanation }` where every text of the
 * explanation keeps BOTH languages as `{ en, zh }` (so one JSON serves any reader) and `lang`
 * says which one the user asked for; `event` is the parsed FwEvent for a log-line query.
 */
export async function runExplain(query: string, opts: ExplainOptions, io: ExplainIo): Promise<number> {
  const lang = opts.lang;
  const fail = (key: MessageKey, vars?: MessageVars): number => {
    say(io.stderr, t(key, lang, vars));
    return 2;
  };
  const q = readQuery(query);
  if (q.kind === 'error') return fail(q.key, q.vars);

  let event: FwEvent | undefined;
  if (q.kind === 'line') {
    // The format registry is only needed for whole log lines: load it lazily to keep port queries fast.
    const { parseOneLine } = await import('../ingest/parse-line.js');
    const parsed = parseOneLine(q.line);
    if (parsed === null) return fail('cli.explain.unrecognisedLine');
    if ('error' in parsed) {
      const trim = (s: string) => trimEndWhere(s, (c) => c === '.' || isSpaceChar(c));
      const worded = reasonText(parsed);
      return fail('cli.explain.parseError', {
        error: worded ? { en: trim(worded.en), zh: trim(worded.zh) } : trim(parsed.error),
      });
    }
    if ('skip' in parsed)
      return parsed.skip.startsWith(NOT_UNDERSTOOD)
        ? fail('cli.explain.notUnderstood', { id: parsed.skip.slice(NOT_UNDERSTOOD.length) })
        : fail('cli.explain.notTraffic', { kind: nonTrafficKindText(parsed.skip, lang) });
    event = parsed;
  }

  let explanation: Explanation;
  try {
    const kb = knowledgeBase();
    explanation =
      q.kind === 'port'
        ? explainPort(q.port, q.proto, { source: opts.source }, kb)
        : explainEvent(event!, kb);
  } catch (err) {
    say(io.stderr, err instanceof Error ? err.message : String(err));
    return 1;
  }
  if (event && opts.context !== false) {
    const [{ contextEnricher }, { explainWithContext }] = await Promise.all([
      import('./context-enricher.js'),
      import('../context/explain-context.js'),
    ]);
    // The config reader loads every detector (~0.4 s here): only when a config is given.
    const config = opts.config
      ? (await import('./config-option.js')).configOption(opts.config, lang, (s) => say(io.stderr, s))
      : undefined;
    if (config === false) return 2;
    const enricher = contextEnricher(knowledgeBase(), opts, config, Date.now())!;
    for (const p of enricher.problems) say(io.stderr, p[lang]);
    explanation = explainWithContext(explanation, event, enricher);
  }

  if (opts.json) {
    const doc = { query: query.trim(), lang, ...(event ? { event } : {}), explanation };
    io.stdout.write(`${jsonText(doc, 2)}\n`);
  } else io.stdout.write(renderExplanation(explanation, lang));
  return 0;
}
