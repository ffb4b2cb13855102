// Spoofing hints: impossible source addresses arriving from outside, and one source with inconsistent TTLs.

import { guessInitialTtl, initialTtls } from '../../explain/ttl.js';
import { countOf, countEn as en } from '../../i18n.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import { type AddressClass, classifyAddress, isPublicLike } from '../../net/address-class.js';
import { L, worded } from '../finding.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** Why a source address cannot be genuine here, or undefined. */
export function impossibleSource(p: Packet, ctx: EngineContext): string | undefined {
  if (p.lanNoise !== undefined || p.ev.inInterface === 'lo') return undefined;
  // One of our own single addresses as the source of a packet that came in through an interface.
  if (p.ev.direction === 'inbound' && p.ev.inInterface !== 'lo' && ctx.isOwnAddress(p.src) && p.src !== p.dst)
    return 'own-address';
  if (!p.inbound) return undefined;
  if (p.src === p.dst) return p.ev.direction === 'inbound' ? 'land' : undefined;
  const cls = classifyAddress(p.src);
  if (
    cls === 'loopback' ||
    cls === 'unspecified' ||
    cls === 'multicast' ||
    cls === 'broadcast' ||
    cls === 'bogon'
  )
    return cls;
  // Private or shared space can only reach a public address of yours if someone forged it (or NAT leaks).
  if (
    (cls === 'private' || cls === 'cgnat' || (cls === 'link-local' && !p.src.includes(':'))) &&
    isPublicLike(p.dst)
  )
    return cls;
  return undefined;
}

/** What each impossible source class is called in the finding's sentence. */
const CLASS_WORDS: Partial<Record<AddressClass, { en: string; zh: string }>> = {
  loopback: { en: 'loopback', zh: '环回' },
  unspecified: { en: 'unspecified', zh: '未指定' },
  multicast: { en: 'multicast', zh: '多播' },
  broadcast: { en: 'broadcast', zh: '广播' },
  bogon: { en: 'reserved (bogon)', zh: '保留(bogon)' },
  private: { en: 'private', zh: '私有' },
  cgnat: { en: 'carrier-grade NAT', zh: '运营商级 NAT ' },
  'link-local': { en: 'link-local', zh: '链路本地' },
};

/** Hops a packet travelled: from the next common initial TTL at or above the one seen (data/ttl.yaml). */
function hopDistance(ttl: number, kb: KnowledgeBase): number {
  return guessInitialTtl(ttl, initialTtls(kb))?.hops ?? 0;
}

const advice = L(
  'Drop such sources at the border (anti-spoofing / reverse-path filtering). Do not block the claimed source itself: it is probably not the real sender.',
  '在边界丢弃此类来源(防伪造/反向路径过滤)。不要封禁被冒用的源地址本身:它很可能不是真正的发送方。',
);

/** Source addresses that cannot arrive from outside. */
export const spoofedAddress: DetectorSpec = {
  id: 'spoofing',
  name: 'spoofing-address',
  keyedBySource: true,
  singleEvent: true,
  tunables: {
    ...windowTunables(3600, 6 * 3600),
    minPackets: { default: 1, doc: 'Packets with an impossible source needed.' },
    minTtlPackets: { default: 6, doc: 'Packets from one source needed before judging its TTLs.' },
    minTtlSpread: {
      default: 5,
      doc: 'Hop-distance difference between two steady TTL groups that hints at spoofing.',
    },
  },
  filter: (p, ctx) => impossibleSource(p, ctx) !== undefined,
  groupBy: (p) => p.src,
  observe(b, p, ctx) {
    b.extra.set(impossibleSource(p, ctx)!, 1);
  },
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const [why] = b.extra.keys();
    const reason =
      why === 'land'
        ? L(
            'source equals destination (a "LAND" packet that can hang old stacks)',
            '源地址等于目的地址(可使老旧协议栈挂起的“LAND”包)',
          )
        : why === 'own-address'
          ? L(
              'it claims to be one of your own addresses but arrived from outside',
              '它自称是你自己的地址,却从外部到达',
            )
          : L(
              `${CLASS_WORDS[why as AddressClass]?.en ?? why} addresses are never routed on the Internet`,
              `${CLASS_WORDS[why as AddressClass]?.zh ?? why}地址在互联网上不会被路由`,
            );
    const details = L(
      `${en(b.events, 'packet')} arrived from ${src} towards ${[...b.targets.keys()].slice(0, 3).join(', ')}, but ${reason.en}: the source is forged, or a misconfigured network leaks private traffic.`,
      `有 ${b.events} 个来自 ${src} 的包发往 ${[...b.targets.keys()].slice(0, 3).join('、')},但${reason.zh}:源地址是伪造的,或者某个配置错误的网络泄漏了内部流量。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['spoofed-source', 'spoofing'],
        { title: L(`Spoofed source address ${src}`, `伪造的源地址 ${src}`), advice },
        details,
        L(src!, src!),
      ),
      severity: 3,
      confidence: why === 'land' || why === 'loopback' ? 0.9 : 0.6,
      technique: why!,
    };
  },
};

/** One source whose packets arrive with two steady, clearly different hop distances. */
export const inconsistentTtl: DetectorSpec = {
  id: 'spoofing',
  name: 'spoofing-ttl',
  keyedBySource: true,
  tunables: spoofedAddress.tunables,
  filter: (p) =>
    p.inbound && p.lanNoise === undefined && p.ev.ttl !== undefined && !p.replyLike && isPublicLike(p.src),
  groupBy: (p) => p.src,
  distinct: (p, ctx) => String(hopDistance(p.ev.ttl!, ctx.kb)),
  qualifies(b, t) {
    if (b.events < t['minTtlPackets']!) return false;
    const steady = [...b.distinct.entries()].filter(([, n]) => n >= 2).map(([d]) => Number(d));
    if (steady.length < 2) return false;
    return Math.max(...steady) - Math.min(...steady) >= t['minTtlSpread']!;
  },
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const steady = [...b.distinct.entries()]
      .filter(([, n]) => n >= 2)
      .sort((x, y) => Number(x[0]) - Number(y[0]));
    const groups = steady.map(([d, n]) => `${en(Number(d), 'hop')} ×${n}`).join(', ');
    const groupsZh = steady.map(([d, n]) => `${countOf(Number(d), 'hop').zh} ×${n}`).join(', ');
    const details = L(
      `Packets claiming to come from ${src} arrive from different distances (${groups}). One host sits at one distance; two steady distances suggest someone else forges this address (or a crafting tool sets TTLs by hand).`,
      `自称来自 ${src} 的数据包到达时的距离不一致(${groupsZh})。一台主机只有一个固定距离;两组稳定的距离说明有人冒用了这个地址(或某个发包工具手动设置了 TTL)。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['ttl-inconsistent', 'spoofing'],
        { title: L(`Inconsistent TTLs from ${src}`, `来自 ${src} 的 TTL 不一致`), advice },
        details,
        L(src!, src!),
      ),
      severity: 2,
      confidence: 0.5,
      technique: 'ttl-inconsistent',
    };
  },
};
