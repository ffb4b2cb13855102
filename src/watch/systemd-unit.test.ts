// The systemd unit of `fwlens watch`: its hardening settings, CAP_NET_ADMIN only in the apply drop-in, and `systemd-analyze verify`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', '..', 'contrib', 'systemd');
const UNIT = join(DIR, 'fwlens-watch.service');
const DROP_IN = join(DIR, 'fwlens-watch.service.d', 'apply.conf');

/** Settings of a unit file by section, every value of a repeated key kept (comments and blank lines skipped). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = head[1]!;
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    out[section] ??= {};
    const values = out[section][key] ?? [];
    values.push(line.slice(eq + 1));
    out[section][key] = values;
  }
  return out;
}

const unit = parseUnit(readFileSync(UNIT, 'utf8'));
const dropIn = parseUnit(readFileSync(DROP_IN, 'utf8'));
const service = unit.Service!;
const one = (key: string) => service[key]?.at(-1);

describe('contrib/systemd/fwlens-watch.service', () => {
  it('runs as a dynamic user with its state directory and journal read access', () => {
    expect(one('DynamicUser')).toBe('yes');
    expect(one('StateDirectory')).toBe('fwlens');
    expect(one('SupplementaryGroups')?.split(/\s+/)).toContain('systemd-journal');
    // A heap cap below MemoryMax: V8 collects before the kernel kills the service.
    const cap = Number(/--max-old-space-size=(\d+)/.exec(one('Environment') ?? '')?.[1]);
    expect(cap).toBeGreaterThan(200);
    expect(cap * 1048576).toBeLessThan(parseSize(one('MemoryMax') ?? '0') * 0.6);
    expect(one('ExecStart')).toMatch(/^\/usr\/bin\/fwlens watch --state-dir \$\{STATE_DIRECTORY\}/);
    expect(one('KillSignal')).toBe('SIGTERM');
  });

  it('is hardened: read-only system, no home, private tmp, no new privileges, @system-service calls, IP and local sockets only', () => {
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('SystemCallFilter')).toBe('@system-service');
    expect(one('RestrictAddressFamilies')?.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
  });

  it('grants no capability; only the commented apply drop-in grants CAP_NET_ADMIN, and nothing more', () => {
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('AmbientCapabilities')).toBe('');
    expect(readFileSync(UNIT, 'utf8')).not.toMatch(/^[^#]*CAP_NET_ADMIN/m);
    const s = dropIn.Service!;
    expect(s.CapabilityBoundingSet).toEqual(['CAP_NET_ADMIN']);
    expect(s.AmbientCapabilities).toEqual(['CAP_NET_ADMIN']);
    expect(s.RestrictAddressFamilies?.[0]?.split(/\s+/)).toContain('AF_NETLINK');
    expect(readFileSync(DROP_IN, 'utf8')).toMatch(/^# .*--apply/m);
  });
});

const HAS_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!HAS_ANALYZE)
  console.warn('SKIPPED systemd-unit: systemd-analyze is not installed; the unit is not verified');

describe.skipIf(!HAS_ANALYZE)('systemd-analyze', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fwlens-unit-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** The unit in a fresh directory, fwlens (not installed here) stood in for by /bin/true; with or without the drop-in. */
  function staged(withDropIn: boolean): string {
    const dir = join(tmp, withDropIn ? 'with' : 'without');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'fwlens-watch.service'),
      readFileSync(UNIT, 'utf8').replaceAll('/usr/bin/fwlens', '/bin/true'),
    );
    if (withDropIn) {
      mkdirSync(join(dir, 'fwlens-watch.service.d'));
      copyFileSync(DROP_IN, join(dir, 'fwlens-watch.service.d', 'apply.conf'));
    }
    return join(dir, 'fwlens-watch.service');
  }

  it.each([false, true])('verifies without a warning (apply drop-in: %s)', (withDropIn) => {
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', staged(withDropIn)], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('rates the unit with a low exposure (systemd-analyze security --offline)', () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', staged(false)], {
      encoding: 'utf8',
    });
    const m = /Overall exposure level for fwlens-watch\.service: ([\d.]+)/.exec(r.stdout);
    if (!m) {
      console.warn('SKIPPED systemd-unit: this systemd-analyze cannot rate a unit offline');
      return;
    }
    expect(Number(m[1])).toBeLessThan(2);
  });
});

/** A systemd size (`1G`, `512M`, `1048576`) in bytes. */
function parseSize(v: string): number {
  const m = /^(\d+)([KMGT]?)$/.exec(v.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2] || ' ');
}
