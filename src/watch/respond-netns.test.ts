// The nftables block applied for real inside two network namespaces the test makes: the peer's packets drop, another address passes, the element expires.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerter } from './alerts/index.js';
import { makeFinding, waitFor } from './alerts/test-support.js';

// Documentation addresses only (RFC 5737, RFC 3849); no packet leaves the two namespaces.
const A = `fwl-a-${process.pid}`;
const B = `fwl-b-${process.pid}`;
const HOST = { v4: '192.0.2.1', v6: '2001:db8::1' };
const PEER = { v4: '192.0.2.2', v6: '2001:db8::2' };
const OTHER = { v4: '192.0.2.3', v6: '2001:db8::3' };

/** Why this machine cannot run the test (not root, no `ip netns`, no nft), or undefined when it can. */
function cannotRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['ip', 'nft', 'ping', 'ipset'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  // Made and removed at once: the namespaces themselves are made in beforeAll, so a filtered run leaves none behind.
  const probe = spawnSync('ip', ['netns', 'add', A]);
  if (probe.status !== 0) return `cannot create a network namespace (${probe.stderr.toString().trim()})`;
  spawnSync('ip', ['netns', 'del', A]);
  return undefined;
}
const reason = cannotRun();
if (reason)
  console.warn(`SKIPPED respond-netns: ${reason}; the nftables block is not tested on this machine`);
/** Why the ipset block cannot be tested (no iptables/ip6tables with the set match), or undefined. */
const ipsetReason =
  reason ??
  ['iptables', 'ip6tables']
    .map((tool) =>
      spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0 ? `${tool} is not installed` : undefined,
    )
    .find((r) => r !== undefined);
if (!reason && ipsetReason)
  console.warn(
    `SKIPPED respond-netns (ipset): ${ipsetReason}; the ipset block is not tested on this machine`,
  );

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const inNs = (ns: string, argv: string[]) =>
  spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });
/**
 * Two pings from `from` to `to` inside namespace B; true when one was answered (the first packet from a new
 * IPv6 address can be lost to neighbour discovery, so one alone would make a flaky "passes").
 */
const pings = (from: string, to: string) =>
  inNs(B, [
    'ping',
    ...(to.includes(':') ? ['-6'] : []),
    '-n',
    '-q',
    '-c',
    '2',
    '-i',
    '0.3',
    '-W',
    '1',
    '-I',
    from,
    to,
  ]).status === 0;

/** UDP datagrams sent from each address in B to HOST in A; resolves with the sources A received from. */
async function udpFrom(sources: string[]): Promise<string[]> {
  const receiver = spawn(
    'ip',
    [
      'netns',
      'exec',
      A,
      process.execPath,
      '-e',
      `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>console.log(r.address));s.bind(9999,'${HOST.v4}',()=>console.log('ready'));setTimeout(()=>process.exit(0),4000)`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  receiver.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  await waitFor(() => out.includes('ready'), 10_000, 'the UDP receiver');
  for (const src of sources)
    inNs(B, [
      process.execPath,
      '-e',
      `const s=require('node:dgram').createSocket('udp4');s.bind(0,'${src}',()=>{let n=0;const go=()=>s.send('x',9999,'${HOST.v4}',()=>{if(++n<3)setTimeout(go,50);else s.close()});go()})`,
    ]);
  await new Promise((r) => receiver.once('exit', r));
  return [...new Set(out.split('\n').filter((l) => l && l !== 'ready'))];
}

describe.skipIf(reason !== undefined)('nftables block inside a network namespace', () => {
  let stateDir: string;
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'fwlens-netns-'));
    ip('netns', 'add', A);
    ip('netns', 'add', B);
    ip('-n', A, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', B);
    ip('-n', A, 'addr', 'add', `${HOST.v4}/24`, 'dev', 'va');
    ip('-n', A, 'addr', 'add', `${HOST.v6}/64`, 'dev', 'va', 'nodad');
    for (const a of [PEER, OTHER]) {
      ip('-n', B, 'addr', 'add', `${a.v4}/24`, 'dev', 'vb');
      ip('-n', B, 'addr', 'add', `${a.v6}/64`, 'dev', 'vb', 'nodad');
    }
    for (const [ns, dev] of [
      [A, 'va'],
      [B, 'vb'],
    ] as const) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'link', 'set', dev, 'up');
    }
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', A]);
    spawnSync('ip', ['netns', 'del', B]);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('drops the blocked peer (ICMP and UDP, IPv4 and IPv6) while another address passes, until the element expires', async () => {
    // Before: everything passes.
    for (const a of [PEER, OTHER]) {
      expect(pings(a.v4, HOST.v4), `ping from ${a.v4}`).toBe(true);
      expect(pings(a.v6, HOST.v6), `ping from ${a.v6}`).toBe(true);
    }
    const problems: string[] = [];
    const alerter = createAlerter({
      lang: 'en',
      stateDir,
      sinks: [],
      onProblem: (s) => problems.push(s),
      respond: {
        backend: 'nft',
        apply: true,
        // Long enough for the pings below on a loaded machine (4 s expired under a full test run beside them).
        timeoutSeconds: 8,
        command: ['ip', 'netns', 'exec', A, 'nft'],
      },
    });
    await alerter.announce({
      kind: 'new',
      finding: makeFinding({ severity: 5, sources: [PEER.v4, PEER.v6, '10.0.0.9', 'fe80::1'] }),
    });
    expect(problems).toEqual([]);
    expect(alerter.stats()).toMatchObject({ 'respond.blocked': 2, 'respond.refused_class': 2 });
    const blockedAt = Date.now();

    const elements = inNs(A, ['nft', 'list', 'table', 'inet', 'fwlens']).stdout;
    expect(elements).toMatch(/192\.0\.2\.2 timeout 8s/);
    expect(elements).toMatch(/2001:db8::2 timeout 8s/);
    expect(elements).not.toMatch(/10\.0\.0\.9|fe80/);
    expect(pings(PEER.v4, HOST.v4)).toBe(false);
    expect(pings(PEER.v6, HOST.v6)).toBe(false);
    expect(pings(OTHER.v4, HOST.v4)).toBe(true);
    expect(pings(OTHER.v6, HOST.v6)).toBe(true);
    const listed = inNs(A, ['nft', 'list', 'table', 'inet', 'fwlens']).stdout;
    expect(listed).toMatch(/ip saddr @blocklist4 counter packets [1-9]/);
    expect(listed).toMatch(/ip6 saddr @blocklist6 counter packets [1-9]/);

    // The element has a timeout: once it expires, the peer passes again.
    await waitFor(
      () => !inNs(A, ['nft', 'list', 'set', 'inet', 'fwlens', 'blocklist4']).stdout.includes(PEER.v4),
      20_000,
      'expiry',
    );
    expect(Date.now() - blockedAt).toBeGreaterThan(6500);
    expect(pings(PEER.v4, HOST.v4)).toBe(true);
    expect(pings(PEER.v6, HOST.v6)).toBe(true);

    // Blocked again (a new finding after the block ran out): UDP from the peer is dropped, from the other address it arrives.
    await alerter.announce({
      kind: 'new',
      finding: makeFinding({ severity: 5, detector: 'trojan-probe', sources: [PEER.v4] }),
    });
    expect(alerter.stats()['respond.blocked']).toBe(3);
    expect(await udpFrom([PEER.v4, OTHER.v4])).toEqual([OTHER.v4]);
    await alerter.close();
    // The block would hold for its 8 s yet: the next tests start from a namespace without it.
    inNs(A, ['nft', 'delete', 'table', 'inet', 'fwlens']);
  });

  it('running the setup again (a restart) keeps one rule per family and the elements already blocked, and re-adding one is no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-netns-'));
    try {
      for (const src of ['198.51.100.7', '198.51.100.8']) {
        const a = createAlerter({
          lang: 'en',
          stateDir: dir,
          sinks: [],
          respond: {
            backend: 'nft',
            apply: true,
            timeoutSeconds: 600,
            command: ['ip', 'netns', 'exec', A, 'nft'],
          },
        });
        // 198.51.100.7 again after the restart: adding an element that is already there is no error.
        await a.announce({
          kind: 'new',
          finding: makeFinding({ severity: 5, sources: [src, '198.51.100.7'] }),
        });
        expect(a.stats()['respond.errors'] ?? 0).toBe(0);
        await a.close();
      }
      const listed = inNs(A, ['nft', 'list', 'table', 'inet', 'fwlens']).stdout;
      expect(listed.match(/ip saddr @blocklist4/g)).toHaveLength(2); // input and forward
      expect(listed).toContain('198.51.100.7');
      expect(listed).toContain('198.51.100.8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(ipsetReason !== undefined)(
    'with ipset, installs the iptables rules that make the sets drop: the blocked peer is dropped (v4 and v6), the other passes; a restart adds no second rule',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-netns-'));
      const inA = (program: string) => ['ip', 'netns', 'exec', A, program];
      const respond = {
        backend: 'ipset' as const,
        apply: true,
        timeoutSeconds: 600,
        command: inA('ipset'),
        iptables: { v4: inA('iptables'), v6: inA('ip6tables') },
      };
      try {
        expect(pings(PEER.v4, HOST.v4)).toBe(true);
        for (const sources of [[PEER.v4, PEER.v6], [PEER.v4]]) {
          // Twice, as two starts: the second finds the rules there and adds none.
          const a = createAlerter({ lang: 'en', stateDir: dir, sinks: [], respond });
          await a.announce({ kind: 'new', finding: makeFinding({ severity: 5, sources }) });
          expect(a.stats()['respond.errors'] ?? 0).toBe(0);
          await a.close();
        }
        expect(inNs(A, ['ipset', 'list', 'fwlens4']).stdout).toMatch(/192\.0\.2\.2 timeout \d+/);
        expect(inNs(A, ['ipset', 'list', 'fwlens6']).stdout).toMatch(/2001:db8::2 timeout \d+/);
        expect(pings(PEER.v4, HOST.v4)).toBe(false);
        expect(pings(PEER.v6, HOST.v6)).toBe(false);
        expect(pings(OTHER.v4, HOST.v4)).toBe(true);
        expect(pings(OTHER.v6, HOST.v6)).toBe(true);
        const rules4 = inNs(A, ['iptables', '-S']).stdout;
        const rules6 = inNs(A, ['ip6tables', '-S']).stdout;
        expect(rules4.match(/--match-set fwlens4 src -j DROP/g)).toHaveLength(2); // INPUT and FORWARD
        expect(rules6.match(/--match-set fwlens6 src -j DROP/g)).toHaveLength(2);
      } finally {
        for (const [program, set] of [
          ['iptables', 'fwlens4'],
          ['ip6tables', 'fwlens6'],
        ] as const)
          for (const chain of ['INPUT', 'FORWARD'])
            inNs(A, [program, '-D', chain, '-m', 'set', '--match-set', set, 'src', '-j', 'DROP']);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
