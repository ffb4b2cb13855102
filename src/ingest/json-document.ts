// Joins a pretty-printed JSON document spread over many lines (a native Azure flow log blob) into one record.

import { jsonDepthWithin } from '../util/text-scan.js';

/** Largest document (in characters) gathered into one record; a larger one is reported, not held in memory. */
export const MAX_JSON_DOCUMENT_CHARS = 64 * 1024 * 1024;

/** What the joiner did with a line. */
export type JoinStep =
  /** The line is not part of a document: parse it as it is. */
  | { kind: 'line' }
  /** The line was taken into an open document. */
  | { kind: 'pending' }
  /**
   * The line closed a document: its text (lines joined), starting at `startLine`. With `replay`, the
   * document broke off before this line (a damaged record), which is not part of it and must be read again.
   */
  | { kind: 'document'; text: string; startLine: number; replay?: boolean }
  /** The line closed a document larger than the bound; its text was dropped (`replay` as above). */
  | { kind: 'too-large'; startLine: number; replay?: boolean };

/** True when a line opens a JSON object it does not close: the start of a multi-line document. */
export function opensJsonDocument(line: string): boolean {
  if (line.trimStart()[0] !== '{') return false;
  // Too deep to be a record: the line is reported as it is, not gathered into a document.
  if (!jsonDepthWithin(line)) return false;
  try {
    JSON.parse(line);
    return false;
  } catch {
    return true;
  }
}

/**
 * Gathers the lines of JSON documents that begin with a line `opensJsonDocument` accepts, until their
 * braces and brackets balance (strings and escapes are skipped). Lines outside documents pass through.
 */
export class JsonDocumentJoiner {
  private parts: string[] = [];
  private size = 0;
  /** Open objects and arrays, innermost last. */
  private containers: string[] = [];
  private inString = false;
  private escaped = false;
  private open = false;
  private tooLarge = false;
  private startLine = 0;

  /** @param maxChars bound on one document's size; larger documents are dropped and reported. */
  constructor(private readonly maxChars = MAX_JSON_DOCUMENT_CHARS) {}

  /** Feed the next line with its 1-based number. */
  push(line: string, lineNo: number): JoinStep {
    if (!this.open) {
      if (!opensJsonDocument(line)) return { kind: 'line' };
      this.open = true;
      this.startLine = lineNo;
    } else if (this.containers.at(-1) === '{' && line.trimStart()[0] === '{') {
      // Directly inside an object only keys can start a line: this line begins a new record, so the
      // document was cut short (e.g. a damaged first line of one-object-per-line JSON).
      const broken = this.close();
      return broken.kind === 'document' || broken.kind === 'too-large' ? { ...broken, replay: true } : broken;
    }
    this.scan(line);
    // A JSON string never spans lines: a line ending inside one is damaged, not part of a document.
    if (this.inString) {
      this.inString = false;
      this.escaped = false;
    }
    if (!this.tooLarge) {
      // JSON strings hold no raw newline, so a line never ends inside a token: trimmed lines join safely.
      const piece = line.trim();
      this.size += piece.length;
      if (this.size > this.maxChars) {
        this.tooLarge = true;
        this.parts = [];
      } else this.parts.push(piece);
    }
    if (this.containers.length > 0) return { kind: 'pending' };
    return this.close();
  }

  /** First line of the document being gathered, undefined between documents. */
  get openSince(): number | undefined {
    return this.open ? this.startLine : undefined;
  }

  /** At the end of input: an unfinished document is handed over as it is (its parser will call it damaged). */
  flush(): JoinStep | undefined {
    return this.open ? this.close() : undefined;
  }

  private close(): JoinStep {
    const step: JoinStep = this.tooLarge
      ? { kind: 'too-large', startLine: this.startLine }
      : { kind: 'document', text: this.parts.join(''), startLine: this.startLine };
    this.parts = [];
    this.size = 0;
    this.containers = [];
    this.inString = false;
    this.escaped = false;
    this.open = false;
    this.tooLarge = false;
    return step;
  }

  private scan(line: string): void {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
      } else if (c === 34) this.inString = true;
      else if (c === 123 /* { */ || c === 91 /* [ */) this.containers.push(line[i]!);
      else if (c === 125 /* } */ || c === 93 /* ] */) this.containers.pop();
    }
  }
}
