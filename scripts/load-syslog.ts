// Load test of the syslog receiver: N seconds of firewall lines over loopback TCP at a fixed rate; prints rate held, loss and RSS.
//
//   node --import tsx scripts/load-syslog.ts [--seconds 30] [--rate 50000] [--udp] [--port P --state-dir D]
//
// With --udp the lines go as datagrams (one per line) and the report says how many arrived.
// Without --port it starts its own `fwlens watch --listen tcp://127.0.0.1:<free port>` in a temporary state
// directory and stops it at the end. Not part of `npm test`.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '30'));
const rate = Number(arg('rate', '50000'));
/** Lines sent per tick; ticks every 10 ms. */
const perTick = Math.round(rate / 100);
const udp = process.argv.includes('--udp');

function line(i: number): string {
  const s = i % 60;
  const src = i % 5 === 0 ? `203.0.113.${(i >> 10) % 250}` : `198.51.100.${i % 250}`;
  return `<4>Nov 20 10:${String(Math.floor(i / 60000) % 60).padStart(2, '0')}:${String(s).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${i & 0xffff} PROTO=TCP SPT=40000 DPT=${1000 + (i % 4000)} WINDOW=1024 SYN URGP=0\n`;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

type Status = { pid: number; spools: Record<string, Record<string, number>>; counts: { lines: number } };
function status(stateDir: string): Status | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')) as Status;
  } catch {
    return undefined;
  }
}

/** Watchers this script started (stopped on any failure). */
const children: ChildProcess[] = [];

async function main(): Promise<void> {
  let port = Number(arg('port', '0'));
  let stateDir = arg('state-dir');
  let child: ChildProcess | undefined;
  let temp: string | undefined;
  if (!port) {
    port = await freePort();
    temp = mkdtempSync(join(tmpdir(), 'fwlens-load-'));
    stateDir = join(temp, 'state');
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test', 'support', 'cli-process.ts'),
        'watch',
        '--listen',
        `${udp ? 'udp' : 'tcp'}://127.0.0.1:${port}`,
        '--state-dir',
        stateDir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    children.push(child);
    while (!status(stateDir)) await sleep(100);
  }
  if (!stateDir) throw new Error('--state-dir is needed with --port (to read the watcher status)');
  const pid = child?.pid ?? status(stateDir)!.pid;
  const sock = udp ? undefined : connect(port, '127.0.0.1');
  if (sock) await new Promise((r) => sock.once('connect', r));
  const dgram = udp ? createSocket('udp4') : undefined;
  const rss: number[] = [];
  const started = Date.now();
  let sent = 0;
  let next = 0;
  const rssTimer = setInterval(() => {
    rss.push(rssOf(pid));
    if (rss.length % 10 === 0) console.log(`  ${rss.length} s: RSS ${Math.round(rss.at(-1)! / 1048576)} MB`);
  }, 1000);
  // Fixed schedule: every 10 ms the lines due by then; a receiver that pushes back makes us fall behind.
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 10) * perTick);
    if (sent < due) {
      const n = Math.min(due - sent, perTick * 10);
      sent += n;
      if (dgram) {
        for (let k = 0; k < n; k++) dgram.send(line(next++), port, '127.0.0.1');
        await new Promise((r) => setImmediate(r));
        continue;
      }
      let chunk = '';
      for (let k = 0; k < n; k++) chunk += line(next++);
      if (!sock!.write(chunk)) await new Promise((r) => sock!.once('drain', r));
    } else await sleep(5);
  }
  const sendSeconds = (Date.now() - started) / 1000;
  if (sock) await new Promise<void>((r) => sock.end(r));
  dgram?.close();
  // Wait until the receiver and the watcher caught up (or 60 s).
  const settle = Date.now();
  let st = status(stateDir);
  const received = () => Object.values(st?.spools ?? {})[0]?.['received'] ?? 0;
  // UDP losses never arrive: wait for what did arrive to be read.
  const done = () =>
    udp
      ? (st?.counts.lines ?? 0) >= received() && received() > 0
      : received() >= sent && (st?.counts.lines ?? 0) >= sent;
  while (Date.now() - settle < 60_000 && !done()) {
    await sleep(500);
    st = status(stateDir);
  }
  const caughtUp = (Date.now() - settle) / 1000;
  clearInterval(rssTimer);
  const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
  const spool = Object.values(st?.spools ?? {})[0] ?? {};
  console.log(`target ${rate} lines/s for ${seconds} s`);
  console.log(
    `sent ${sent} lines in ${sendSeconds.toFixed(1)} s: ${Math.round(sent / sendSeconds)} lines/s held`,
  );
  console.log(
    `received ${received()} (loss ${sent - received()}), parsed by the watcher ${st?.counts.lines ?? 0}`,
  );
  console.log(
    `dropped: queue full ${spool['droppedQueueFull'] ?? 0}, spool full ${spool['droppedSpoolFull'] ?? 0}, oversize ${spool['oversize'] ?? 0}, bad framing ${spool['badFraming'] ?? 0}; spool rotations ${spool['rotations'] ?? 0}${udp ? `, UDP receive buffer granted ${spool['recvBufferBytes'] ?? 0} bytes` : ''}`,
  );
  console.log(`watcher caught up ${caughtUp.toFixed(1)} s after the sender stopped`);
  console.log(
    `RSS of the watcher: first ${mb(rss[0] ?? 0)}, max ${mb(Math.max(...rss))}, last ${mb(rss.at(-1) ?? 0)} (${rss.length} samples)`,
  );
  if (child) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  if (temp) rmSync(temp, { recursive: true, force: true });
}

try {
  await main();
} catch (e) {
  // Never leave the watcher we started running.
  for (const c of children) c.kill('SIGTERM');
  console.error(`load-syslog: ${(e as Error).message}`);
  process.exitCode = 1;
}
