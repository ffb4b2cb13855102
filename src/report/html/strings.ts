// Every fixed text of the HTML report in English and Chinese (the page embeds both and switches in place).
import type { Localized } from '../../knowledge/schema.js';

/** Fixed texts of the page, by key. */
export const UI = {
  title: { en: 'Firewall log report', zh: '防火墙日志分析报告' },
  madeBy: { en: 'Made by fwlens {version}', zh: '由 fwlens {version} 生成' },
  langSwitch: { en: 'Language', zh: '语言' },
  analyzed: { en: 'What was analyzed', zh: '分析对象' },
  files: { en: 'Files', zh: '文件' },
  formats: { en: 'Formats', zh: '日志格式' },
  span: { en: 'Time span', zh: '时间范围' },
  noTime: { en: 'the log carries no timestamps', zh: '日志不含时间戳' },
  untimed: { en: '{n} events without a time', zh: '{n} 条事件无时间' },
  lines: { en: 'Lines', zh: '行数' },
  events: { en: 'Events', zh: '事件数' },
  unparsed: { en: 'Unparsed lines', zh: '未解析行' },
  sources: { en: 'Distinct sources', zh: '不同来源地址' },
  approx: { en: 'approximate', zh: '近似值' },
  file: { en: 'File', zh: '文件' },
  damaged: { en: 'damaged', zh: '损坏' },
  unknownFormat: { en: 'unknown format', zh: '格式未知' },
  unparsedSamples: { en: 'Lines that could not be used', zh: '无法使用的日志行' },
  unparsedMore: { en: '… and {n} more not shown', zh: '… 另有 {n} 条未显示' },
  topFindings: { en: 'Top findings', zh: '主要检测结论' },
  allFindings: { en: 'All {n} findings, in the table below', zh: '全部 {n} 条检测结论见下表' },
  noFindingsTitle: { en: 'No findings', zh: '无检测结论' },
  detectionNotRun: {
    en: 'The detection engine did not run for this report, so there are no findings (scans, sweeps, floods). The most severe single events are listed instead.',
    zh: '生成本报告时未运行检测引擎，因此没有检测结论（扫描、探测、洪泛等）。下面列出严重程度最高的单条事件。',
  },
  findingsOmitted: {
    en: '{detector}: {n} weaker findings are not listed ({events} packets, severity up to {severity}). fwlens keeps the strongest {limit} per detector; raise maxFindingsPerDetector in the detection config to see more.',
    zh: '{detector}：另有 {n} 项较弱的发现未列出（{events} 个包，严重程度最高 {severity}）。每个检测器只保留最强的 {limit} 项；如需更多，请在检测配置中调高 maxFindingsPerDetector。',
  },
  detectionEmpty: {
    en: 'The detection engine looked for scans, sweeps, floods and known probes and found none that crossed its thresholds.',
    zh: '检测引擎检查了扫描、探测、洪泛和已知探针，没有发现超过阈值的情况。',
  },
  mostSevere: { en: 'Most severe single events', zh: '最严重的单条事件' },
  charts: { en: 'Traffic at a glance', zh: '流量概览' },
  chartTimeline: { en: 'Events over time by action', zh: '按动作统计的事件时间分布' },
  chartTimelineNote: { en: 'UTC; one bar = {width}', zh: 'UTC 时间;每根柱 = {width}' },
  chartPorts: { en: 'Top destination ports', zh: '主要目标端口' },
  chartSources: { en: 'Top sources', zh: '主要来源地址' },
  barColour: {
    en: 'Bar colour: highest severity seen (grey info, blue low, yellow medium, orange high, red critical)',
    zh: '柱色表示所见最高严重程度(灰=提示，蓝=低，黄=中，橙=高，红=严重)',
  },
  chartHeatmap: { en: 'Who knocked on which port', zh: '来源 × 端口' },
  chartHeatmapNote: {
    en: 'Events per source and destination port (top 20 × top 20)',
    zh: '每个来源对每个目标端口的事件数(前 20 × 前 20)',
  },
  chartProtocol: { en: 'Protocols', zh: '协议' },
  chartDirection: { en: 'Direction', zh: '方向' },
  chartNetworks: { en: 'Source networks', zh: '来源网段' },
  chartNetworksNote: {
    en: 'Events per source network; networks, not countries (no location data is used)',
    zh: '按来源网段统计的事件数;仅为网段,未使用地理位置数据',
  },
  findings: { en: 'Findings', zh: '检测结论' },
  notable: { en: 'Notable events', zh: '值得注意的事件' },
  notableNote: {
    en: 'The highest-severity event shapes (source, protocol, port, direction), one sample each.',
    zh: '严重程度最高的事件类型(来源、协议、端口、方向相同者合并),每类一条样例。',
  },
  glossary: { en: 'Ports in this report', zh: '本报告涉及的端口' },
  glossaryNote: {
    en: 'What each port or ICMP type is usually used for, from the fwlens knowledge base.',
    zh: '各端口或 ICMP 类型的常见用途，取自 fwlens 知识库。',
  },
  filter: { en: 'Filter…', zh: '筛选…' },
  shown: { en: '{n} of {total} shown', zh: '显示 {n} / {total}' },
  noMatch: { en: 'Nothing matches the filter.', zh: '没有符合筛选条件的条目。' },
  sev: { en: 'Severity', zh: '严重程度' },
  what: { en: 'What', zh: '内容' },
  count: { en: 'Events', zh: '事件数' },
  from: { en: 'Sources', zh: '来源' },
  ports: { en: 'Ports', zh: '端口' },
  targets: { en: 'Targets', zh: '目标' },
  firstSeen: { en: 'First seen', zh: '首次出现' },
  lastSeen: { en: 'Last seen', zh: '最后出现' },
  confidence: { en: 'Confidence', zh: '置信度' },
  technique: { en: 'Technique', zh: '手法' },
  evidence: { en: 'Evidence from the log', zh: '日志证据' },
  advice: { en: 'What to do', zh: '建议' },
  why: { en: 'Why this severity', zh: '严重程度依据' },
  where: { en: 'Where', zh: '位置' },
  rawLine: { en: 'Log line', zh: '日志原文' },
  trusted: { en: 'trusted source', zh: '可信来源' },
  lineOrder: {
    en: 'The log has no timestamps: windows were counted in lines, not time.',
    zh: '日志没有时间戳:时间窗口按行数而非时间计算。',
  },
  details: { en: 'Details', zh: '详情' },
  port: { en: 'Port', zh: '端口' },
  name: { en: 'Known as', zh: '常见用途' },
  inThisLog: { en: 'In this log', zh: '本日志中' },
  hits: { en: '{n} events from {m} sources', zh: '来自 {m} 个来源的 {n} 条事件' },
  source: { en: 'source', zh: '来源' },
  kind: { en: 'Kind', zh: '类别' },
  malware: { en: 'Tied to', zh: '相关恶意软件/漏洞' },
  noCharts: { en: 'No data for this chart.', zh: '此图表无数据。' },
  noScript: {
    en: 'Charts, sorting and the language switch need JavaScript; the tables below are complete without it.',
    zh: '图表、排序和语言切换需要 JavaScript;即使没有它，下面的表格内容也是完整的。',
  },
  more: { en: '+{n} more', zh: '另 {n} 个' },
  eventsN: { en: '{n} events', zh: '{n} 条事件' },
  times: { en: '×{n}', zh: '×{n}' },
  otherPorts: { en: 'other', zh: '其他' },
} satisfies Record<string, Localized>;

/** Key of a fixed page text. */
export type UiKey = keyof typeof UI;

/** Words for severities 1-5. */
export const SEVERITY_WORDS: Record<number, Localized> = {
  1: { en: 'info', zh: '提示' },
  2: { en: 'low', zh: '低' },
  3: { en: 'medium', zh: '中' },
  4: { en: 'high', zh: '高' },
  5: { en: 'critical', zh: '严重' },
};

/** What the firewall did, as words. */
export const ACTION_WORDS: Record<string, Localized> = {
  deny: { en: 'dropped', zh: '丢弃' },
  reject: { en: 'rejected', zh: '拒绝' },
  allow: { en: 'allowed', zh: '放行' },
  log: { en: 'logged only', zh: '仅记录' },
};

/** Direction words. */
export const DIRECTION_WORDS: Record<string, Localized> = {
  inbound: { en: 'inbound', zh: '入站' },
  outbound: { en: 'outbound', zh: '出站' },
  forward: { en: 'forwarded', zh: '转发' },
  unknown: { en: 'unknown', zh: '未知' },
};

/** Knowledge kinds of the glossary, as words. */
export const KIND_WORDS: Record<string, Localized> = {
  service: { en: 'service', zh: '服务' },
  trojan: { en: 'trojan', zh: '木马' },
  backdoor: { en: 'backdoor', zh: '后门' },
  proxy: { en: 'proxy', zh: '代理' },
  rpc: { en: 'RPC', zh: 'RPC' },
  'return-traffic': { en: 'return traffic', zh: '回程流量' },
  adware: { en: 'adware', zh: '广告软件' },
  'broadcast-noise': { en: 'LAN broadcast noise', zh: '局域网广播噪声' },
  game: { en: 'game', zh: '游戏' },
  chat: { en: 'chat', zh: '聊天' },
  p2p: { en: 'peer-to-peer', zh: 'P2P' },
  traceroute: { en: 'traceroute', zh: '路由跟踪' },
  'scan-artifact': { en: 'scan artifact', zh: '扫描痕迹' },
  amplifier: { en: 'reflection amplifier', zh: '反射放大' },
  'iot-botnet': { en: 'IoT botnet', zh: '物联网僵尸网络' },
  worm: { en: 'worm', zh: '蠕虫' },
  'brute-force': { en: 'password guessing', zh: '密码暴力破解' },
  'exposed-service': { en: 'often exposed service', zh: '常被暴露的服务' },
  'ics-ot': { en: 'industrial control', zh: '工业控制' },
  'remote-access': { en: 'remote access', zh: '远程访问' },
  'voip-fraud': { en: 'VoIP fraud', zh: 'VoIP 欺诈' },
  printer: { en: 'printer', zh: '打印机' },
  streaming: { en: 'streaming', zh: '流媒体' },
  iana: { en: 'IANA registration', zh: 'IANA 登记' },
  error: { en: 'ICMP error', zh: 'ICMP 差错' },
  query: { en: 'ICMP query', zh: 'ICMP 查询' },
  reply: { en: 'ICMP reply', zh: 'ICMP 应答' },
  info: { en: 'ICMP information', zh: 'ICMP 信息' },
  neighbor: { en: 'neighbour discovery', zh: '邻居发现' },
};

/** Fill {name} placeholders of both languages. */
export function fill(text: Localized, vars: Record<string, string | number>): Localized {
  const sub = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
  return { en: sub(text.en), zh: sub(text.zh) };
}
