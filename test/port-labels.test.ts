// A port's label names each service once: in an event's headline, the report's port table and glossary, and
// a finding's list of services (the sample log once showed "SSH / SSH password guessing" and "Alternate HTTP
// proxy ports" three times over).
import { describe, expect, it } from 'vitest';
import { explainEvent } from '../src/explain/index.js';
import { eventOf } from '../src/explain/test-support.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { buildGlossary } from '../src/report/glossary.js';
import { portLabel } from '../src/report/model.js';
import { detect } from './detect-helpers.js';

const kb = knowledgeBase();

/** True when some name in a label comes back whole after a separator: "SSH / SSH password guessing". */
function repeatsItself(label: string): boolean {
  const parts = label.split(/ \/ |, | and |、| 和 |;|；/).map((p) =>
    p
      .trim()
      .split(/[\s(（]/)[0]!
      .toLowerCase(),
  );
  return parts.some((p, i) => p !== '' && parts.indexOf(p) !== i);
}

const SSH_ALLOWED =
  'Nov 20 08:47:02 edge kernel: [40258.318955] [UFW ALLOW] IN=eth0 OUT= MAC=52:54:00:8a:1e:10:00:1b:21:3c:9d:01:08:00 SRC=198.51.100.34 DST=192.0.2.10 LEN=64 TOS=0x00 PREC=0x00 TTL=58 ID=35710 DF PROTO=TCP SPT=52186 DPT=22 WINDOW=65535 RES=0x00 SYN URGP=0 ';

describe('port labels', () => {
  it.each([
    [22, 'SSH (password guessing)'],
    [23, 'Telnet (remote login; Mirai-family IoT botnets)'],
    [53, 'DNS (open resolvers and amplification)'],
  ])('the port table and glossary name tcp/%i once: %s', (port, expected) => {
    const label = portLabel(kb, 'tcp', port)!;
    expect(label.en).toBe(expected);
    expect(buildGlossary(kb, [`tcp/${port}`])[0]!.label).toEqual(label);
    expect(repeatsItself(label.zh), label.zh).toBe(false);
  });

  it('8080 is not named "Alternate HTTP ..." twice in the port table', () => {
    const label = portLabel(kb, 'tcp', 8080)!;
    expect(label.en.match(/Alternate HTTP/g)).toHaveLength(1);
    expect(label.zh.match(/备用 HTTP/g)).toHaveLength(1);
  });

  it('keeps names of different services side by side', () => {
    expect(portLabel(kb, 'tcp', 139)!.en).toBe(
      'NetBIOS session (File and Print Sharing, SMB) / SMB / NetBIOS session (EternalBlue, WannaCry)',
    );
    expect(portLabel(kb, 'udp', 19)!.en).toBe('chargen (character generator)');
  });

  it("an event's headline names SSH once", () => {
    const x = explainEvent(eventOf(SSH_ALLOWED), kb);
    expect(x.headline.en).toContain('port 22: SSH (password guessing)');
    expect(x.headline.en).not.toContain('SSH / SSH');
    expect(x.headline.zh).not.toMatch(/SSH[^/]*\/ SSH/);
  });

  it('a proxy hunt names each proxy service once, with its ports', () => {
    // The sample log's open-proxy hunt: 1080, 3128, 8000, 8080, 8888 twice each within a second.
    const lines = [1080, 3128, 8080, 8000, 8888, 1080, 3128, 8080, 8000, 8888].map(
      (dpt, i) =>
        `Nov 20 09:41:1${i < 5 ? 0 : 1} edge kernel: [43506.${432558 + i}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8a:1e:10:00:1b:21:3c:9d:01:08:00 SRC=203.0.113.108 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=47 ID=${8762 + i} DF PROTO=TCP SPT=${45786 + i} DPT=${dpt} WINDOW=42340 RES=0x00 SYN URGP=0 `,
    );
    const hunt = detect(lines).find((f) => f.technique === 'service-hunt')!;
    for (const lang of ['en', 'zh'] as const) {
      const text = hunt.explanation[lang];
      expect(text.match(/备用 HTTP 代理端口|Alternate HTTP proxy ports/g), text).toHaveLength(1);
    }
    expect(hunt.explanation.en).toContain('Alternate HTTP proxy ports (8000, 8080, 8888)');
  });
});
