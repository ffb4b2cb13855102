// Lines to whole records: a journald export record or a pretty-printed JSON document spans many lines, a
// plain log line is one. Each record carries how many lines it took, so a reader counts every line exactly
// once (the record on its first line, the others as its continuation) without correcting counts afterwards.
import { createEnvelopeReader, type EnvelopeReader, PENDING } from '../formats/envelope/index.js';
import type { Envelope, ParseContext } from '../formats/types.js';
import { type JoinStep, JsonDocumentJoiner, opensJsonDocument } from './json-document.js';

/**
 * One whole record, or a blank line: where it began (1-based) and how many pushed lines it took (damaged
 * lines between them are never pushed, so this is not the distance between its first and last line).
 */
export type TextRecord =
  /** A record and its envelope; `env` null when the text has none (a JSON document that is no record). */
  | { kind: 'record'; env: Envelope | null; raw: string; firstLine: number; lines: number }
  /** A JSON document over the size bound: dropped, reported by where it began. */
  | { kind: 'too-large'; firstLine: number; lines: number }
  /** A line with nothing on it (or a journald export record that held no message: its lines). */
  | { kind: 'blank'; firstLine: number; lines: number };

/** The answer of a line that completed no record (shared, never changed). */
const NO_RECORDS: readonly TextRecord[] = Object.freeze([]);

/**
 * Turns numbered lines into records. Damaged lines (too long, NUL bytes) are not pushed: they take no
 * part in multi-line records. `push` returns the records a line completed, in input order (a line can
 * end the record before it and be a record of its own).
 */
export class RecordAssembler {
  private readonly reader: EnvelopeReader;
  /** Decided on the first non-blank line: whether the input holds pretty-printed JSON documents. */
  private joiner: JsonDocumentJoiner | null | undefined;
  /** The MESSAGE= line of an open journald export record: the text shown for it. */
  private pendingRaw = '';
  /** Lines taken into the open JSON document, and into the open journald export record. */
  private documentLines = 0;
  private journalLines = 0;
  /** Where the open journald export record began (the reader counts its own pushes, not file lines). */
  private journalStart = 0;

  /**
   * @param documents whether the input holds pretty-printed JSON documents, when an earlier read of the
   * same input already decided it on its first non-blank line (a later part of a file starts elsewhere)
   */
  constructor(ctx: ParseContext, documents?: boolean) {
    this.reader = createEnvelopeReader(ctx);
    if (documents !== undefined) this.joiner = documents ? new JsonDocumentJoiner() : null;
  }

  /**
   * First line of the record still open (a JSON document or journald export record whose end has not been
   * seen), undefined between records: only there may a reader stop and go on later without cutting one.
   */
  get openSince(): number | undefined {
    return this.journalLines > 0 ? this.journalStart : (this.joiner?.openSince ?? undefined);
  }

  /**
   * True when a line that is neither blank nor JSON may be left out without changing what comes after: the
   * input holds no JSON documents and no journald export record is open. A byte fast path reads lines
   * itself only then.
   */
  get idle(): boolean {
    return this.joiner === null && this.journalLines === 0;
  }

  /** The reused list of one record (see `push`). */
  private readonly one: TextRecord[] = [];
  /** Records a line completed before its own (a document or journald record it ended); made when needed. */
  private earlier: TextRecord[] | undefined;

  /**
   * Feed the next line with its 1-based number; the records it completed, in input order. The list is only
   * valid until the next call: the usual single record comes back in a list this assembler reuses (no list
   * per line), so iterate it at once.
   */
  push(line: string, lineNo: number): readonly TextRecord[] {
    const own = this.collect(line, lineNo);
    const earlier = this.earlier;
    if (earlier !== undefined) {
      this.earlier = undefined;
      if (own !== undefined) earlier.push(own);
      return earlier;
    }
    if (own === undefined) return NO_RECORDS;
    this.one[0] = own;
    return this.one;
  }

  /** Records completed before this line's own one go to `earlier`. */
  private before(r: TextRecord): void {
    if (this.earlier === undefined) this.earlier = [];
    this.earlier.push(r);
  }

  /** The record the line itself completes (undefined: none, or it joined an open record); earlier ones via `before`. */
  private collect(line: string, lineNo: number): TextRecord | undefined {
    if (this.joiner === undefined && line.trim() !== '')
      this.joiner = opensJsonDocument(line) ? new JsonDocumentJoiner() : null;
    if (this.joiner) {
      let step = this.joiner.push(line, lineNo);
      if ((step.kind === 'document' || step.kind === 'too-large') && step.replay) {
        // The document broke off before this line: it ends on the line before, and this line is read again.
        this.before(this.document(step, 0));
        step = this.joiner.push(line, lineNo);
      }
      if (step.kind === 'pending') {
        this.documentLines++;
        return undefined;
      }
      if (step.kind !== 'line') return this.document(step, 1);
    }
    let env = this.reader.push(line);
    if (this.reader.replay) {
      // A journald export record ended without its blank line: it ends on the line before this one.
      this.before(this.journalRecord(env as Envelope, this.pendingRaw, 0));
      env = this.reader.push(line);
    }
    if (env === PENDING) {
      if (this.journalLines++ === 0) this.journalStart = lineNo;
      if (line.startsWith('MESSAGE=')) this.pendingRaw = line;
      return undefined;
    }
    if (env === null) return { kind: 'blank', firstLine: lineNo, lines: 1 };
    // A journald export record ends on its blank line and counts at its first line.
    if (env.envelope === 'journald-export') return this.journalRecord(env, this.pendingRaw || line, 1);
    return { kind: 'record', env, raw: line, firstLine: lineNo, lines: 1 };
  }

  /** End of input: the records still open (an unfinished document, a journald record without its blank line). */
  flush(): TextRecord[] {
    const out: TextRecord[] = [];
    const unfinished = this.joiner?.flush();
    if (unfinished) out.push(this.document(unfinished, 0));
    if (this.journalLines > 0) {
      const start = this.journalStart;
      const last = this.reader.flush();
      if (last) out.push(this.journalRecord(last, this.pendingRaw, 0));
      else {
        // An export record without a MESSAGE field: nothing to read, its lines count as blank.
        out.push({ kind: 'blank', firstLine: start, lines: this.journalLines });
        this.journalLines = 0;
      }
    }
    return out;
  }

  /** The open journald export record, closed: the lines it took so far plus `more`. */
  private journalRecord(env: Envelope, raw: string, more: number): TextRecord {
    const lines = this.journalLines + more;
    this.journalLines = 0;
    this.pendingRaw = '';
    return { kind: 'record', env, raw, firstLine: this.journalStart, lines };
  }

  /** A closed JSON document as a record (the lines it took plus `more`): its text goes through the envelope reader like a line. */
  private document(step: JoinStep, more: number): TextRecord {
    const lines = this.documentLines + more;
    this.documentLines = 0;
    if (step.kind === 'too-large') return { kind: 'too-large', firstLine: step.startLine, lines };
    if (step.kind !== 'document') throw new Error(`not a closed document: ${step.kind}`);
    const env = this.reader.push(step.text);
    const readable = env === null || env === PENDING ? null : env;
    return { kind: 'record', env: readable, raw: step.text, firstLine: step.startLine, lines };
  }
}
