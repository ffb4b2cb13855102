// A small builder the explainers share: collects sections, severity steps, advice and citations.
import { type MessageKey, type MessageVars, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import {
  clampSeverity,
  type Explanation,
  type Localized,
  type Section,
  type SeverityReason,
  TOPIC_ORDER,
  type Topic,
} from './types.js';

/** An explanation being put together. */
export class Draft {
  private readonly sections = new Map<Topic, Section>();
  private base: SeverityReason | undefined;
  private readonly steps: SeverityReason[] = [];
  private readonly adviceList: Localized[] = [];
  private readonly cited: string[] = [];

  constructor(readonly kb: KnowledgeBase) {}

  /** Add a line to a section (created on first use); cites the source when given. */
  line(topic: Topic, text: Localized, source?: string): void {
    let section = this.sections.get(topic);
    if (!section) {
      section = { topic, title: tBoth(`explain.topic.${topic}` as MessageKey), lines: [] };
      this.sections.set(topic, section);
    }
    section.lines.push(text);
    if (source) this.cite(source);
  }

  /** Add a line from the message table. */
  say(topic: Topic, key: MessageKey, vars?: MessageVars, source?: string): void {
    this.line(topic, tBoth(key, vars), source);
  }

  /** Set the starting severity (only the first call counts). */
  setBase(value: number, text: Localized, source?: string): void {
    if (this.base) return;
    this.base = { delta: value, text, ...(source ? { source } : {}) };
    if (source) this.cite(source);
  }

  get hasBase(): boolean {
    return this.base !== undefined;
  }

  /** Raise or lower the severity for a stated reason (a zero delta is not recorded). */
  adjust(delta: number, text: Localized, source?: string): void {
    if (delta === 0) return;
    this.steps.push({ delta, text, ...(source ? { source } : {}) });
    if (source) this.cite(source);
  }

  advise(text: Localized): void {
    if (!this.adviceList.some((a) => a.en === text.en)) this.adviceList.push(text);
  }

  cite(source: string): void {
    if (!this.cited.includes(source)) this.cited.push(source);
  }

  /** Assemble the explanation; the score is the clamped sum of the base and every step. */
  finish(headline: Localized, portLabel?: Localized): Explanation {
    const base = this.base ?? { delta: 2, text: tBoth('explain.base.unknown') };
    const reasons = [base, ...this.steps];
    const score = clampSeverity(reasons.reduce((sum, r) => sum + r.delta, 0));
    const sections = TOPIC_ORDER.flatMap((t) => {
      const s = this.sections.get(t);
      return s ? [s] : [];
    });
    const sourceTitles: Record<string, string> = {};
    for (const id of this.cited) sourceTitles[id] = this.kb.source(id)?.title ?? id;
    return {
      headline,
      severity: { score, reasons },
      sections,
      advice: this.adviceList,
      ...(portLabel ? { portLabel } : {}),
      citations: [...this.cited],
      sourceTitles,
    };
  }
}
