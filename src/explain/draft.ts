// A small builder the explainers share: collects sections, severity steps, advice and citations, or only the score.
import { type MessageKey, type MessageVars, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import {
  clampSeverity,
  type Explanation,
  type Localized,
  type Score,
  type Section,
  type SeverityReason,
  TOPIC_ORDER,
  type Topic,
} from './types.js';

/**
 * What a draft is for: a whole explanation (`explain`), or only its severity score (`score`, the analyze
 * pipeline's cache misses), where no message is rendered and no text kept.
 */
export type DraftMode = 'explain' | 'score';

/** Starting severity when no explainer set one: unknown. */
const UNKNOWN_BASE = 2;

/** What `text` gives a score-only draft: nothing is rendered, and nothing reads it. */
const UNRENDERED: Localized = Object.freeze({ en: '', zh: '' });

/**
 * An explanation being put together. The explainers take messages as keys and variables, so one run of the
 * same rules gives the explanation (mode `explain`) or just its score (mode `score`) without rendering text:
 * the score of `explainEvent` and the analyze pipeline's severity cannot drift apart. Work that only tells (the
 * packet section, the TTL, the IANA registration) is skipped where `rendering` is false; the agreement tests
 * (score-only.test.ts) check that nothing skipped moves the score.
 */
export class Draft {
  /** False in a score-only draft: sections, advice and citations are not kept and no message is rendered. */
  readonly rendering: boolean;
  private readonly sections = new Map<Topic, Section>();
  /** Sections named by another message than their topic's `explain.topic.*` (see `entitle`). */
  private readonly titles = new Map<Topic, MessageKey>();
  private base: SeverityReason | undefined;
  private baseValue: number | undefined;
  private readonly steps: SeverityReason[] = [];
  /** Every step's delta in order (the score is their sum with the base, in both modes). */
  private readonly deltas: number[] = [];
  private readonly adviceList: Localized[] = [];
  private readonly cited: string[] = [];

  constructor(
    readonly kb: KnowledgeBase,
    mode: DraftMode = 'explain',
  ) {
    this.rendering = mode === 'explain';
  }

  /**
   * A message in both languages, for a variable of another message or a verdict's name: rendered in a full
   * draft, an empty placeholder in a score-only one (whose messages are never rendered).
   */
  text(key: MessageKey, vars?: MessageVars): Localized {
    return this.rendering ? tBoth(key, vars) : UNRENDERED;
  }

  /** Add a line to a section (created on first use); cites the source when given. */
  line(topic: Topic, text: Localized, source?: string): void {
    if (!this.rendering) return;
    let section = this.sections.get(topic);
    if (!section) {
      const title = this.titles.get(topic) ?? (`explain.topic.${topic}` as MessageKey);
      section = { topic, title: tBoth(title), lines: [] };
      this.sections.set(topic, section);
    }
    section.lines.push(text);
    if (source) this.cite(source);
  }

  /**
   * Name a section by `key` instead of its topic's title, before its first line: the first section of a connection
   * or flow record tells a record, not "The packet".
   */
  entitle(topic: Topic, key: MessageKey): void {
    if (this.rendering) this.titles.set(topic, key);
  }

  /** Add a line from the message table. */
  say(topic: Topic, key: MessageKey, vars?: MessageVars, source?: string): void {
    if (!this.rendering) return;
    this.line(topic, tBoth(key, vars), source);
  }

  /** Set the starting severity, stated by a message (only the first call counts). */
  setBase(value: number, key: MessageKey, vars?: MessageVars, source?: string): void {
    if (this.baseValue !== undefined) return;
    this.baseValue = value;
    if (!this.rendering) return;
    this.base = { delta: value, text: tBoth(key, vars), ...(source ? { source } : {}) };
    if (source) this.cite(source);
  }

  get hasBase(): boolean {
    return this.baseValue !== undefined;
  }

  /** Raise or lower the severity for a reason stated by a message (a zero delta is not recorded). */
  adjust(delta: number, key: MessageKey, vars?: MessageVars, source?: string): void {
    if (delta === 0) return;
    this.deltas.push(delta);
    if (!this.rendering) return;
    this.steps.push({ delta, text: tBoth(key, vars), ...(source ? { source } : {}) });
    if (source) this.cite(source);
  }

  /** Add advice: a message of the table by its key, or a knowledge-base text (shown once each). */
  advise(advice: MessageKey | Localized): void {
    if (!this.rendering) return;
    const text = typeof advice === 'string' ? tBoth(advice) : advice;
    if (!this.adviceList.some((a) => a.en === text.en)) this.adviceList.push(text);
  }

  cite(source: string): void {
    if (!this.rendering) return;
    if (!this.cited.includes(source)) this.cited.push(source);
  }

  /** The score: the clamped sum of the base (2, unknown, when none was set) and every step, in either mode. */
  score(): Score {
    return clampSeverity(this.sum());
  }

  /** The unclamped sum of the base and every step (what a context step that lowers to info starts from). */
  sum(): number {
    let sum = this.baseValue ?? UNKNOWN_BASE;
    for (const d of this.deltas) sum += d;
    return sum;
  }

  /** Assemble the explanation (a full draft only); the score is `score()`, the reasons show its steps. */
  finish(headline: Localized, portLabel?: Localized): Explanation {
    if (!this.rendering) throw new Error('a score-only draft has no explanation to finish');
    const base = this.base ?? { delta: UNKNOWN_BASE, text: tBoth('explain.base.unknown') };
    const sections = TOPIC_ORDER.flatMap((t) => {
      const s = this.sections.get(t);
      return s ? [s] : [];
    });
    const sourceTitles: Record<string, string> = {};
    for (const id of this.cited) sourceTitles[id] = this.kb.source(id)?.title ?? id;
    return {
      headline,
      severity: { score: this.score(), reasons: [base, ...this.steps] },
      sections,
      advice: this.adviceList,
      ...(portLabel ? { portLabel } : {}),
      citations: [...this.cited],
      sourceTitles,
    };
  }
}
