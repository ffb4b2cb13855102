// The responder's decisions and commands (dry-run): which sources are blocked, which never are, and the exact nft/ipset text.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../detect/types.js';
import { makeFinding } from './alerts/test-support.js';
import { blockableText, createResponder, nftDuration, type ResponderOptions } from './respond.js';

function dry(opts: Partial<ResponderOptions> = {}) {
  const printed: string[] = [];
  const r = createResponder({ backend: 'nft', print: (l) => printed.push(l), ...opts });
  return { r, printed };
}
const scan = (sources: string[], over: Partial<Finding> = {}) =>
  makeFinding({ sources, severity: 5, ...over });

describe('responder (dry run)', () => {
  it('prints the setup once, then one nft element per address, v4 and v6, with the timeout', async () => {
    const { r, printed } = dry();
    expect(await r.consider(scan(['203.0.113.7', '2001:db8::7']))).toEqual(['203.0.113.7', '2001:db8::7']);
    expect(await r.consider(scan(['198.51.100.9']))).toEqual(['198.51.100.9']);
    expect(printed.filter((l) => l.includes('add table'))).toHaveLength(1);
    expect(printed.slice(-3)).toEqual([
      "nft 'add element inet fwlens blocklist4 { 203.0.113.7 timeout 1h }'",
      "nft 'add element inet fwlens blocklist6 { 2001:db8::7 timeout 1h }'",
      "nft 'add element inet fwlens blocklist4 { 198.51.100.9 timeout 1h }'",
    ]);
    expect(printed[0]).toBe("nft 'add table inet fwlens'");
    expect(r.stats()).toMatchObject({ 'respond.dry_run': 3 });
  });

  it('follows a reloaded config: networks it newly trusts or owns are no longer blocked', async () => {
    const { r } = dry({ trustedNetworks: ['198.51.100.0/24'] });
    expect(await r.consider(scan(['203.0.113.7']))).toEqual(['203.0.113.7']);
    r.protect({ trustedNetworks: ['203.0.113.0/24'], ownAddresses: ['192.0.2.44'] });
    expect(await r.consider(scan(['203.0.113.8', '192.0.2.44', '198.51.100.5']))).toEqual(['198.51.100.5']);
    expect(r.stats()).toMatchObject({ 'respond.refused_trusted': 1, 'respond.refused_own': 1 });
  });

  it('never blocks private, loopback, link-local, multicast, unspecified or bogon addresses, nor trusted or own ones', async () => {
    const { r, printed } = dry({
      trustedNetworks: ['203.0.113.0/28'],
      ownNetworks: ['2001:db8:1::/48'],
      ownAddresses: ['198.51.100.1'],
    });
    const never = [
      '10.1.2.3',
      '192.168.1.1',
      '172.16.0.1',
      'fd00::1',
      '127.0.0.1',
      '::1',
      '169.254.1.1',
      'fe80::1',
      '224.0.0.251',
      'ff02::1',
      '0.0.0.0',
      '255.255.255.255',
      '240.0.0.1',
      '::ffff:10.0.0.1',
      '203.0.113.5',
      '2001:db8:1::9',
      '198.51.100.1',
    ];
    expect(await r.consider(scan(never))).toEqual([]);
    expect(printed).toEqual([]);
    expect(r.stats()).toMatchObject({
      'respond.refused_trusted': 1,
      'respond.refused_own': 2,
      'respond.refused_class': never.length - 3,
    });
  });

  it('passes no log text on: hostile source strings are refused, addresses go out in canonical form', async () => {
    const { r, printed } = dry();
    const hostile = [
      '203.0.113.7 }; flush ruleset; {',
      '$(reboot)',
      '203.0.113.8\nflush ruleset',
      '2001:DB8:0:0:0:0:0:9',
    ];
    expect(await r.consider(scan(hostile))).toEqual(['2001:db8::9']);
    expect(r.stats()['respond.refused_invalid']).toBe(3);
    expect(printed.join('\n')).not.toMatch(/flush ruleset|reboot/);
    expect(blockableText('::ffff:203.0.113.7')).toEqual({ ip: '203.0.113.7', family: 4 });
  });

  it('blocks private ranges only when allowed, below-severity and non-blockable detectors never', async () => {
    const { r } = dry({ allowClasses: ['private'], minSeverity: 4 });
    expect(await r.consider(scan(['10.0.0.5']))).toEqual(['10.0.0.5']);
    expect(await r.consider(scan(['203.0.113.20'], { severity: 3 }))).toEqual([]);
    expect(await r.consider(scan(['203.0.113.21'], { detector: 'spoofing' }))).toEqual([]);
    expect(await r.consider(scan(['203.0.113.22'], { detector: 'backscatter' }))).toEqual([]);
    expect(r.stats()).toMatchObject({ 'respond.below_severity': 1, 'respond.detector_not_blockable': 2 });
  });

  it('does not block an address again while its block lasts', async () => {
    const { r, printed } = dry();
    await r.consider(scan(['203.0.113.7']));
    const n = printed.length;
    await r.consider(scan(['203.0.113.7']));
    expect(printed).toHaveLength(n);
    expect(r.stats()['respond.already_blocked']).toBe(1);
  });

  it('writes ipset commands as argument words', async () => {
    const { r, printed } = dry({ backend: 'ipset', timeoutSeconds: 600 });
    await r.consider(scan(['203.0.113.7', '2001:db8::7']));
    expect(printed).toEqual([
      'ipset create fwlens4 hash:ip family inet timeout 600 -exist',
      'ipset create fwlens6 hash:ip family inet6 timeout 600 -exist',
      'iptables -I INPUT -m set --match-set fwlens4 src -j DROP',
      'ip6tables -I INPUT -m set --match-set fwlens6 src -j DROP',
      'iptables -I FORWARD -m set --match-set fwlens4 src -j DROP',
      'ip6tables -I FORWARD -m set --match-set fwlens6 src -j DROP',
      'ipset add fwlens4 203.0.113.7 timeout 600 -exist',
      'ipset add fwlens6 2001:db8::7 timeout 600 -exist',
    ]);
  });

  it('refuses bad names and timeouts in one sentence, and reports a failing command as one counted sentence', async () => {
    expect(() => createResponder({ backend: 'nft', table: 'x; drop' })).toThrow(/letters, digits and _ only/);
    expect(() => createResponder({ backend: 'nft', timeoutSeconds: 0 })).toThrow(/whole number of seconds/);
    const problems: string[] = [];
    const r = createResponder({
      backend: 'nft',
      apply: true,
      command: ['/nonexistent/nft'],
      onProblem: (s) => problems.push(s),
    });
    expect(await r.consider(scan(['203.0.113.7']))).toEqual([]);
    expect(r.stats()['respond.errors']).toBe(1);
    expect(problems).toEqual([
      '/nonexistent/nft could not block 203.0.113.7: cannot run /nonexistent/nft (ENOENT)',
    ]);
    expect(nftDuration(90)).toBe('90s');
    expect(nftDuration(172800)).toBe('2d');
  });
});
