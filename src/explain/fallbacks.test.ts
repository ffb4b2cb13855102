// The explainer on a tiny inline knowledge base: built-in readings carry the story when data is missing.
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../knowledge/index.js';
import { KnowledgeData } from '../knowledge/schema.js';
import { classifyAddress, explainEvent, explainPort, guessInitialTtl, readFlags } from './index.js';
import { allText, eventOf, expectWellFormed, sectionText } from './test-support.js';

const fact = (en: string, zh: string, source = 'faq') => ({ en, zh, source });

/** Only two ports and the sources; every other section empty. */
const tinyKb = new KnowledgeBase(
  KnowledgeData.parse({
    sources: [
      { id: 'faq', title: 'Firewall Forensics FAQ' },
      { id: 'general', title: 'General knowledge' },
      { id: 'iana-ports', title: 'IANA registry' },
    ],
    ports: [
      {
        id: 'test-trojan',
        ports: [31337],
        proto: ['tcp', 'udp'],
        name: { en: 'Test trojan', zh: '测试木马' },
        kind: 'trojan',
        severity: 4,
        direction: 'inbound',
        facts: [fact('A backdoor listens here.', '后门在此监听。')],
        advice: { en: 'Block it.', zh: '拦截。' },
      },
      {
        id: 'test-adware',
        ports: [17027],
        proto: ['tcp'],
        name: { en: 'Test adbot', zh: '测试广告程序' },
        kind: 'adware',
        severity: 2,
        direction: 'outbound',
        facts: [fact('Adware calls home here.', '广告软件在此回连。')],
        outbound: { en: 'A program inside is phoning home.', zh: '内部有程序在回连。' },
        advice: { en: 'Remove the adware.', zh: '卸载广告软件。' },
      },
    ],
    sourcePorts: [],
    icmp: [],
    addresses: [],
    tcpFlags: [],
    ttl: [],
    signatures: [],
    scanners: [],
  }),
);

const line = (tail: string, src = '203.0.113.5', dst = '192.0.2.10', dir = 'IN=eth0 OUT=') =>
  `Mar  3 10:00:00 fw kernel: [1.0] DROP ${dir} SRC=${src} DST=${dst} LEN=40 TOS=0x00 PREC=0x00 TTL=52 ID=7 ${tail}`;
const explain = (l: string) => {
  const x = explainEvent(eventOf(l), tinyKb);
  expectWellFormed(x);
  return x;
};

describe('built-in readings', () => {
  it('classifies addresses by RFC range', () => {
    expect(classifyAddress('10.0.0.1')).toBe('private');
    expect(classifyAddress('172.31.255.255')).toBe('private');
    expect(classifyAddress('172.32.0.1')).toBe('public');
    expect(classifyAddress('169.254.1.1')).toBe('link-local');
    expect(classifyAddress('100.64.0.1')).toBe('cgnat');
    expect(classifyAddress('255.255.255.255')).toBe('broadcast');
    expect(classifyAddress('0.0.0.0')).toBe('unspecified');
    expect(classifyAddress('239.255.255.250')).toBe('multicast');
    expect(classifyAddress('198.51.100.9')).toBe('documentation');
    expect(classifyAddress('fe80::1')).toBe('link-local');
    expect(classifyAddress('fd00::1')).toBe('private');
    expect(classifyAddress('ff02::1')).toBe('multicast');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('::ffff:10.1.1.1')).toBe('private');
    expect(classifyAddress('2001:db8::5')).toBe('documentation');
    expect(classifyAddress('2a00:1450::1')).toBe('public');
  });
  it('reads flag sets like nmap names them', () => {
    expect(readFlags(['FIN', 'PSH', 'URG'])).toMatchObject({
      role: 'stealth',
      technique: { en: expect.stringMatching(/Xmas/), zh: expect.stringMatching(/Xmas 扫描/) },
    });
    expect(readFlags([])).toMatchObject({
      role: 'stealth',
      technique: { en: expect.stringMatching(/NULL/), zh: expect.stringMatching(/NULL 扫描/) },
    });
    expect(readFlags(['SYN', 'FIN'])).toMatchObject({ role: 'invalid' });
    expect(readFlags(['SYN', 'ECE', 'CWR'])).toMatchObject({ role: 'open' });
    expect(readFlags(['ACK', 'SYN'])).toMatchObject({ role: 'reply' });
  });
  it('guesses the initial TTL at or above the observed one', () => {
    expect(guessInitialTtl(118, [32, 64, 128, 255])).toEqual({ initial: 128, hops: 10 });
    expect(guessInitialTtl(64, [32, 64, 128, 255])).toEqual({ initial: 64, hops: 0 });
    expect(guessInitialTtl(240, [32, 64, 128, 255])).toEqual({ initial: 255, hops: 15 });
    expect(guessInitialTtl(200, [32, 64])).toBeUndefined();
  });
});

describe('events with an almost empty knowledge base', () => {
  it('Xmas flags are still named and raise the severity', () => {
    const x = explain(line('PROTO=TCP SPT=4000 DPT=1025 WINDOW=1024 RES=0x00 URG PSH FIN URGP=0'));
    expect(x.headline.en).toMatch(/Xmas/);
    expect(x.severity.score).toBe(3);
  });
  it('a DNS reply is recognised from the built-in server ports', () => {
    const x = explain(line('PROTO=UDP SPT=53 DPT=40999 LEN=60', '198.51.100.53'));
    expect(sectionText(x, 'source-port')).toMatch(/DNS server port/);
    expect(x.severity.score).toBe(1);
  });
  it('a private source at a public address is flagged without address data', () => {
    const x = explain(line('PROTO=TCP SPT=4000 DPT=31337 WINDOW=1024 RES=0x00 SYN URGP=0', '192.168.7.7'));
    expect(sectionText(x, 'addresses')).toMatch(/private address/);
    expect(x.severity.reasons.map((r) => r.delta)).toEqual([4, 1]);
    expect(x.severity.score).toBe(5);
  });
  it('an unknown port is never just "unknown": IANA name and range are given', () => {
    const x = explain(line('PROTO=TCP SPT=4000 DPT=8080 WINDOW=1024 RES=0x00 SYN URGP=0'));
    expect(sectionText(x, 'destination-port')).toMatch(/IANA registers 8080\/TCP as "http-alt"/);
    expect(sectionText(x, 'destination-port')).toMatch(/registered range/);
    expect(x.portLabel?.en).toMatch(/http-alt/);
  });
  it('outbound to a port with outbound text blames the inside', () => {
    const x = explain(
      line(
        'PROTO=TCP SPT=40000 DPT=17027 WINDOW=1024 RES=0x00 SYN URGP=0',
        '192.168.1.20',
        '203.0.113.40',
        'IN= OUT=eth0',
      ),
    );
    expect(sectionText(x, 'direction')).toContain('A program inside is phoning home.');
    expect(x.severity.score).toBe(3);
    expect(allText(x, 'zh')).toContain('内部有程序在回连');
  });
  it('the ICMP type is still read without ICMP data, and the quoted packet too', () => {
    const x = explain(
      line(
        'PROTO=ICMP TYPE=11 CODE=0 [SRC=192.0.2.10 DST=198.51.100.1 LEN=60 TOS=0x00 PREC=0x00 TTL=1 ID=9 PROTO=UDP SPT=40000 DPT=33434 LEN=40 ]',
        '203.0.113.1',
      ),
    );
    expect(sectionText(x, 'icmp')).toMatch(/ICMP type 11 code 0/);
    expect(sectionText(x, 'inner-packet')).toMatch(/Your host 192.0.2.10 had sent UDP/);
  });
});

describe('explainPort on the tiny base', () => {
  it('rejects ports outside 0-65535', () => {
    expect(() => explainPort(70000, undefined, {}, tinyKb)).toThrow(RangeError);
    expect(() => explainPort(-1, 'tcp', {}, tinyKb)).toThrow(RangeError);
  });
  it('explains 31337 and the source-port view of 53', () => {
    const x = explainPort(31337, undefined, {}, tinyKb);
    expectWellFormed(x);
    expect(x.portLabel?.en).toBe('Test trojan');
    expect(x.severity.score).toBe(4);
    const s = explainPort(53, 'udp', { source: true }, tinyKb);
    expectWellFormed(s);
    expect(sectionText(s, 'source-port')).toMatch(/DNS server port/);
  });
});
