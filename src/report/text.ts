// Terminal report: an aligned summary that fits 80 columns, colour only on a TTY without NO_COLOR.
import pc from 'picocolors';
import type { Lang } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import type { Report } from './model.js';

/** Width the text report is laid out for. */
export const REPORT_WIDTH = 80;

const TEXT = {
  title: { en: 'fwlens report', zh: 'fwlens 分析报告' },
  inputs: { en: 'Inputs', zh: '输入' },
  span: { en: 'Time span', zh: '时间范围' },
  lines: { en: 'lines', zh: '行' },
  events: { en: 'events', zh: '事件' },
  unparsed: { en: 'unparsed', zh: '未解析' },
  damaged: { en: 'damaged firewall lines', zh: '损坏的防火墙日志行' },
  unrecognized: { en: 'lines of no known format', zh: '无法识别格式的行' },
  noTime: { en: 'no timestamps', zh: '无时间戳' },
  counts: { en: 'What happened', zh: '总体情况' },
  action: { en: 'action', zh: '动作' },
  protocol: { en: 'protocol', zh: '协议' },
  direction: { en: 'direction', zh: '方向' },
  topSources: { en: 'Top sources', zh: '主要来源地址' },
  topPorts: { en: 'Top destination ports', zh: '主要目标端口' },
  notable: { en: 'Highest-severity events', zh: '严重程度最高的事件' },
  findings: { en: 'Findings', zh: '发现' },
  noFindings: {
    en: 'No findings: nothing in this log needs more than a glance.',
    zh: '没有发现:这份日志里没有需要特别关注的内容。',
  },
  evidence: { en: 'evidence', zh: '证据' },
  from: { en: 'from', zh: '来源' },
  why: { en: 'why', zh: '原因' },
  advice: { en: 'advice', zh: '建议' },
  times: { en: 'times', zh: '次' },
  ports: { en: 'ports', zh: '个端口' },
  sources: { en: 'sources', zh: '个来源' },
  sev: { en: 'sev', zh: '级别' },
  line: { en: 'line', zh: '行' },
  unparsedTitle: { en: 'Lines that could not be used', zh: '无法使用的日志行' },
  distinct: { en: 'distinct sources', zh: '个不同来源' },
  approx: { en: '(approximate)', zh: '(近似值)' },
  moreLines: { en: 'more not shown', zh: '条未显示' },
} satisfies Record<string, Localized>;

const ACTION_WORDS: Record<string, Localized> = {
  deny: { en: 'denied', zh: '拒绝(丢弃)' },
  reject: { en: 'rejected', zh: '拒绝(回应)' },
  allow: { en: 'allowed', zh: '放行' },
  log: { en: 'logged only', zh: '仅记录' },
};
const DIRECTION_WORDS: Record<string, Localized> = {
  inbound: { en: 'inbound', zh: '入站' },
  outbound: { en: 'outbound', zh: '出站' },
  forward: { en: 'forwarded', zh: '转发' },
  unknown: { en: 'unknown', zh: '未知' },
};

/** Whether to colour output: a TTY, NO_COLOR unset (picocolors checks both plus FORCE_COLOR). */
function colours(enabled: boolean) {
  return pc.createColors(enabled);
}

function sevBadge(c: ReturnType<typeof colours>, sev: number): string {
  const text = `[${sev}]`;
  if (sev >= 5) return c.bold(c.red(text));
  if (sev === 4) return c.red(text);
  if (sev === 3) return c.yellow(text);
  return c.dim(text);
}

/** Display width of a string (CJK characters take two columns). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6))
        ? 2
        : 1;
  }
  return w;
}

/** Cut a string to a display width, adding an ellipsis when cut. */
export function fit(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** Text without ANSI colour codes (for measuring). */
export function stripAnsi(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

/** Word-wrap text to a width with an indent (CJK text wraps at any character). */
export function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  const avail = width - displayWidth(indent);
  let line = '';
  const tokens = text.match(/[\u2e80-\ua4cf\uff00-\uffef]|[^\s\u2e80-\ua4cf\uff00-\uffef]+|\s+/g) ?? [];
  for (const tok of tokens) {
    if (/^\s+$/.test(tok)) {
      if (line) line += ' ';
      continue;
    }
    if (displayWidth(line + tok) > avail && line.trim()) {
      out.push(indent + line.trimEnd());
      line = '';
    }
    line += tok;
  }
  if (line.trim()) out.push(indent + line.trimEnd());
  return out;
}

function fmtTime(iso: string | undefined): string {
  return iso
    ? iso
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
        .replace(/Z$/, ' UTC')
    : '-';
}

function splitCounts(
  map: Record<string, number>,
  words: Record<string, Localized> | undefined,
  lang: Lang,
): string {
  return Object.entries(map)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${words?.[k]?.[lang] ?? k} ${n.toLocaleString('en-US')}`)
    .join(', ');
}

/** Render the report for a terminal (or a pipe), in one language. */
export function renderText(report: Report, lang: Lang, opts: { color?: boolean } = {}): string {
  const c = colours(
    opts.color ?? (pc.isColorSupported && Boolean((process.stdout as { isTTY?: boolean }).isTTY)),
  );
  const T = (k: keyof typeof TEXT) => TEXT[k][lang];
  const out: string[] = [];
  const heading = (s: string) => {
    out.push('');
    out.push(c.bold(s));
    out.push(c.dim('─'.repeat(Math.min(REPORT_WIDTH, displayWidth(s) + 4))));
  };
  const n = (x: number) => x.toLocaleString('en-US');

  out.push(c.bold(T('title')));
  heading(T('inputs'));
  for (const i of report.inputs) {
    const fmts = Object.keys(i.formats).join(', ') || '-';
    out.push(fit(`${i.path}  [${fmts}]`, REPORT_WIDTH));
    out.push(
      `  ${n(i.lines)} ${T('lines')}, ${n(i.events)} ${T('events')}, ${n(i.malformed + i.unrecognized)} ${T('unparsed')}`,
    );
    if (i.error) out.push(c.red(`  ${i.error}`));
  }
  out.push(
    `${T('span')}: ${report.span.first ? `${fmtTime(report.span.first)} → ${fmtTime(report.span.last)}` : T('noTime')}`,
  );

  heading(T('counts'));
  out.push(
    ...wrap(`${T('action')}: ${splitCounts(report.counts.byAction, ACTION_WORDS, lang)}`, REPORT_WIDTH, ''),
  );
  out.push(
    ...wrap(`${T('protocol')}: ${splitCounts(report.counts.byTransport, undefined, lang)}`, REPORT_WIDTH, ''),
  );
  out.push(
    ...wrap(
      `${T('direction')}: ${splitCounts(report.counts.byDirection, DIRECTION_WORDS, lang)}`,
      REPORT_WIDTH,
      '',
    ),
  );
  out.push(
    `${n(report.totals.distinctSources)} ${T('distinct')}${report.totals.sourcesExact ? '' : ` ${T('approx')}`}`,
  );

  if (report.findings) {
    heading(T('findings'));
    if (report.findings.length === 0) out.push(T('noFindings'));
    for (const f of report.findings) {
      const when = f.firstSeen ? ` ${fmtTime(new Date(f.firstSeen).toISOString())}` : '';
      out.push(
        ...wrap(f.title[lang], REPORT_WIDTH - 4, '').map((l, i) =>
          i === 0 ? `${sevBadge(c, f.severity)} ${l}` : `    ${l}`,
        ),
      );
      const who =
        f.sources.slice(0, 3).join(', ') + (f.sources.length > 3 ? ` +${f.sources.length - 3}` : '');
      out.push(
        c.dim(fit(`    ${T('from')} ${who}, ${n(f.counts.events)} ${T('events')}${when}`, REPORT_WIDTH)),
      );
      out.push(...wrap(f.explanation[lang], REPORT_WIDTH, '    '));
      out.push(...wrap(`${T('advice')}: ${f.advice[lang]}`, REPORT_WIDTH, '    '));
      const ev = f.evidence[0];
      if (ev)
        out.push(
          c.dim(fit(`    ${T('evidence')}: ${ev.file ?? ''}:${ev.line ?? ''} ${ev.text}`, REPORT_WIDTH)),
        );
    }
  }

  if (report.notable.length > 0) {
    heading(T('notable'));
    for (const e of report.notable) {
      const count = e.count > 1 ? c.dim(` ×${n(e.count)}`) : '';
      out.push(
        ...wrap(`${e.headline[lang]}${count}`, REPORT_WIDTH, '').map((l, idx) =>
          idx === 0 ? `${sevBadge(c, e.severity)} ${l}` : `    ${l}`,
        ),
      );
      const reasons = e.reasons
        .map((r) => `${r.delta >= 0 ? '+' : ''}${r.delta} ${r.text[lang].replace(/[.。]$/, '')}`)
        .join(' · ');
      if (reasons) out.push(...wrap(`${T('why')}: ${reasons}`, REPORT_WIDTH, '    ').map((l) => c.dim(l)));
      if (e.advice[0]) out.push(...wrap(`${T('advice')}: ${e.advice[0][lang]}`, REPORT_WIDTH, '    '));
      if (e.file !== undefined) out.push(c.dim(fit(`    ${e.file}:${e.line}`, REPORT_WIDTH)));
    }
  }

  heading(T('topPorts'));
  for (const p of report.topPorts) {
    const left = `${sevBadge(c, p.maxSeverity)} ${padEnd(p.key, 16)} ${padEnd(n(p.events), 8)} ${padEnd(`${n(p.distinctSources)} ${T('sources')}`, 12)} `;
    const label = p.label?.[lang] ?? '';
    out.push(left + fit(label, REPORT_WIDTH - displayWidth(stripAnsi(left))));
  }

  heading(T('topSources'));
  for (const s of report.topSources) {
    const left = `${sevBadge(c, s.maxSeverity)} ${padEnd(s.ip, 24)} ${padEnd(n(s.events), 8)} ${padEnd(`${n(s.distinctPorts)} ${T('ports')}`, 10)} `;
    const note = s.note?.[lang] ?? '';
    out.push(left + fit(note, REPORT_WIDTH - displayWidth(stripAnsi(left))));
  }

  const problems = [...report.unparsed.malformed, ...report.unparsed.unrecognized];
  if (problems.length > 0) {
    heading(T('unparsedTitle'));
    const totalMal = report.totals.malformed;
    const totalUnrec = report.totals.unrecognized;
    out.push(`${n(totalMal)} ${T('damaged')}, ${n(totalUnrec)} ${T('unrecognized')}`);
    for (const p of problems) {
      out.push(...wrap(`${p.file}:${p.line}: ${p.reason}`, REPORT_WIDTH, '  '));
      out.push(c.dim(fit(`    ${p.text}`, REPORT_WIDTH)));
    }
    const hidden = totalMal + totalUnrec - problems.length;
    if (hidden > 0) out.push(c.dim(`  … ${n(hidden)} ${T('moreLines')}`));
  }
  out.push('');
  return out.join('\n');
}
