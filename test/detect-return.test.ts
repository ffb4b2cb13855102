// Replies to our own clients behind NAT are return traffic, not password guessing; service labels follow the transport.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { detect, ids, nfLine, type Pkt } from './detect-helpers.js';

const WAN = '192.0.2.10';
const LAN_PC = '10.0.0.45';
const SERVER = '203.0.113.70';

function run(pkts: Pkt[]): Finding[] {
  return detect(pkts.sort((a, b) => a.t - b.t).map(nfLine));
}

/** A LAN player opens TCP 7070 (forwarded, logged before masquerading), the server streams UDP back to our WAN address. */
function realAudioSession(start: number, dpt: number): Pkt[] {
  const pkts: Pkt[] = [
    {
      t: start,
      src: LAN_PC,
      dst: SERVER,
      proto: 'TCP',
      spt: 57810,
      dpt: 7070,
      inIf: 'eth1',
      outIf: 'eth0',
      prefix: '[UFW ALLOW] ',
    },
  ];
  for (let i = 0; i < 30; i++)
    pkts.push({ t: start + 1 + i * 0.5, src: SERVER, dst: WAN, proto: 'UDP', spt: 6970, dpt, len: 320 + i });
  return pkts;
}

describe('RealAudio return stream behind NAT', () => {
  it('is return traffic, not repeated attempts', () => {
    const f = run([...realAudioSession(0, 7042), ...realAudioSession(3600 * 30, 7020)]);
    expect(ids(f)).toEqual(['return-traffic']);
    expect(f[0]!.technique).toBe('realaudio');
    expect(f[0]!.counts.events).toBe(60);
  });

  it('without our outbound 7070 the same stream is not called RealAudio return traffic', () => {
    const f = run(realAudioSession(0, 7042).slice(1));
    expect(f.some((x) => x.detector === 'return-traffic' && x.technique === 'realaudio')).toBe(false);
    // Whatever it is called, a stream to a non-login port is not password guessing.
    for (const x of f.filter((y) => y.detector === 'repeated-attempts'))
      expect(x.title.en).not.toMatch(/password/i);
  });
});

describe('service labels follow the transport', () => {
  it('SSH password guessing over TCP is not labelled with the UDP pcAnywhere side effect', () => {
    const pkts: Pkt[] = [];
    for (let i = 0; i < 40; i++)
      pkts.push({ t: i * 2, src: '198.51.100.40', dst: WAN, proto: 'TCP', spt: 40000 + i, dpt: 22 });
    const f = run(pkts).filter((x) => x.detector === 'repeated-attempts');
    expect(f).toHaveLength(1);
    expect(f[0]!.title.en).toMatch(/SSH/);
    expect(f[0]!.title.en).not.toMatch(/UDP|pcAnywhere/);
    expect(f[0]!.explanation.en).not.toMatch(/pcAnywhere/);
  });
});
