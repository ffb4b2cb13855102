// The syslog receiver on loopback: TCP with both RFC 6587 framings, UDP, TLS, oversize and garbage counted, spool intact.
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { spoolLines } from '../../test/support/spool.js';
import { knowledgeBase } from '../knowledge/index.js';
import type { AlertAnnouncement } from './alerts/types.js';
import { StateDir } from './state.js';
import { FrameReader, parseListen, SyslogReceiver } from './syslog.js';
import { Watcher } from './watcher.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-syslog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MSG = (i: number) =>
  `<4>Nov 20 10:00:${String(i % 60).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.${(i % 200) + 1} DST=192.0.2.10 LEN=40 TTL=245 ID=${i} PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0`;

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    s.on('error', () => {}); // a reset by the receiver at stop is expected
  });
}

describe('parseListen', () => {
  it('reads udp/tcp URLs, 127.0.0.1 by default, and refuses anything else', () => {
    expect(parseListen('udp://:5514')).toEqual({ transport: 'udp', host: '127.0.0.1', port: 5514 });
    expect(parseListen('tcp://[::1]:6514')).toEqual({ transport: 'tcp', host: '::1', port: 6514 });
    expect(parseListen('http://127.0.0.1:80')).toBeUndefined();
    expect(parseListen('tcp://127.0.0.1:70000')).toBeUndefined();
  });
});

describe('FrameReader', () => {
  it('splits octet-counted and newline frames fed one byte at a time', () => {
    const got: string[] = [];
    const counts = { oversize: 0, truncated: 0 };
    const r = new FrameReader(
      100,
      (m) => got.push(m.toString()),
      () => counts.oversize++,
      () => counts.truncated++,
    );
    const input = Buffer.from(`10 <4>a\nb c d5 <4>xy<4>plain line\r\n12345not a count\n\x01\x02junk\n`);
    for (const byte of input) r.push(Buffer.from([byte]));
    // A line starting with control bytes is still a line: the watcher reports it as unreadable, by number.
    expect(got).toEqual(['<4>a\nb c d', '<4>xy', '<4>plain line', '12345not a count', '\x01\x02junk']);
    expect(counts).toEqual({ oversize: 0, truncated: 0 });
  });

  it('at the close of a connection: a last line without its LF is a message, a frame shorter than its count is said', () => {
    const run = (input: string) => {
      const got: string[] = [];
      const counts = { oversize: 0, truncated: 0 };
      const r = new FrameReader(
        100,
        (m) => got.push(m.toString()),
        (bytes) => {
          counts.oversize += bytes;
        },
        () => counts.truncated++,
      );
      r.push(Buffer.from(input));
      r.end();
      return { got, counts };
    };
    expect(run('<4>one\n<4>two')).toEqual({
      got: ['<4>one', '<4>two'],
      counts: { oversize: 0, truncated: 0 },
    });
    expect(run('<4>one\n50 <4>cut short')).toEqual({
      got: ['<4>one'],
      counts: { oversize: 0, truncated: 1 },
    });
    expect(run(`<4>one\n${'z'.repeat(150)}`)).toEqual({
      got: ['<4>one'],
      counts: { oversize: 150, truncated: 0 },
    });
    // Blank lines and NUL trailers at the end are nothing.
    expect(run('<4>one\n\r\n\0')).toEqual({ got: ['<4>one'], counts: { oversize: 0, truncated: 0 } });
  });

  it('takes digits and a space for a count only before a <PRI>: a record starting with a number is a line', () => {
    const got: string[] = [];
    const r = new FrameReader(
      1000,
      (m) => got.push(m.toString()),
      () => {},
      () => {},
    );
    const aws = [
      '2 123456789010 eni-1235b8ca123456789 203.0.113.9 192.0.2.10 49761 22 6 1 40 1418530010 1418530070 REJECT OK',
      '2 123456789010 eni-1235b8ca123456789 203.0.113.9 192.0.2.10 49762 23 6 1 40 1418530010 1418530070 REJECT OK',
    ];
    for (const whole of [true, false]) {
      got.length = 0;
      const input = Buffer.from(`${aws.join('\n')}\n6 <4>abc`);
      if (whole) r.push(input);
      else for (const byte of input) r.push(Buffer.from([byte]));
      expect(got).toEqual([...aws, '<4>abc']);
    }
  });
});

describe('SyslogReceiver', () => {
  it('receives TCP in both framings, counts a 10 MB message and garbage, and keeps the connection', async () => {
    const spool = join(dir, 'tcp.log');
    const rx = new SyslogReceiver({ transport: 'tcp', host: '127.0.0.1', port: 0, spoolPath: spool });
    await rx.start();
    const s = await tcp(rx.port());
    const framed = (m: string) => `${Buffer.byteLength(m)} ${m}`;
    s.write(`${MSG(1)}\n${framed(MSG(2))}${framed(`${MSG(3)}\nwith a line break`)}`);
    // 10 MB in one octet-counted frame, then 10 MB without any line break, then a line of control bytes.
    const big = 'x'.repeat(10 << 20);
    s.write(`${big.length + 3} <4>${big}`);
    s.write(`${MSG(4)}\n`);
    s.write(`${big}\n`);
    s.write('\x01\x02\x03\x04\n');
    s.write(`${MSG(5)}\n`);
    await until(() => spoolLines(spool).length >= 6);
    const st = rx.stats();
    expect(st.oversize).toBe(2);
    expect(st.openConnections).toBe(1);
    s.end();
    await rx.stop();
    expect(spoolLines(spool)).toEqual([
      MSG(1),
      MSG(2),
      `${MSG(3)} with a line break`,
      MSG(4),
      '\x01\x02\x03\x04',
      MSG(5),
    ]);
  });

  it('a connection that closes keeps its last message without LF, says a cut frame and a message over the limit', async () => {
    const spool = join(dir, 'tcp-close.log');
    const said: string[] = [];
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: spool,
      maxMessageBytes: 200_000,
      onProblem: (s) => said.push(s),
    });
    await rx.start();
    // A message over the default 64 KiB but under the limit asked for is kept; one over it is said.
    const long = `${MSG(1)} ${'Y'.repeat(100_000)}`;
    const a = await tcp(rx.port());
    a.end(`${long}\n${'Z'.repeat(250_000)}\n${MSG(2)}`);
    const b = await tcp(rx.port());
    b.end(`300 ${MSG(3)}`);
    await until(() => spoolLines(spool).length >= 2 && rx.stats().truncated === 1);
    await rx.stop();
    expect(spoolLines(spool)).toEqual([long, MSG(2)]);
    expect(rx.stats()).toMatchObject({ oversize: 1, truncated: 1 });
    expect(said.join('\n')).toMatch(
      /dropped 1 message longer than the 200000-byte limit \(1 in all\); --max-line-bytes raises the limit/,
    );
    expect(said.join('\n')).toMatch(/1 message cut short: the sender closed the connection/);
  });

  it('receives UDP datagrams and counts what it got', async () => {
    const spool = join(dir, 'udp.log');
    const rx = new SyslogReceiver({
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: spool,
      maxMessageBytes: 2000,
    });
    await rx.start();
    const sock = createSocket('udp4');
    const sent = 300;
    for (let i = 0; i < sent; i++) {
      sock.send(`${MSG(i)}\n`, rx.port(), '127.0.0.1');
      if (i % 50 === 49) await sleep(5);
    }
    sock.send('y'.repeat(3000), rx.port(), '127.0.0.1');
    // A datagram of NULs only: a line of its own (the watcher says it is damaged), not nothing.
    sock.send(Buffer.from([0, 0, 0]), rx.port(), '127.0.0.1');
    // A sender that batches messages one per line in a datagram: each is a message of its own.
    sock.send(`${MSG(1000)}\n${MSG(1001)}\n${MSG(1002)}\n`, rx.port(), '127.0.0.1');
    await until(() => rx.stats().received + rx.stats().oversize >= sent + 5, 5000).catch(() => {});
    sock.close();
    await rx.stop();
    const st = rx.stats();
    // UDP may lose datagrams under load; on an idle loopback every one arrives, and each is counted.
    expect(st.received).toBe(spoolLines(spool).length);
    expect(st.received).toBeGreaterThan(sent * 0.9);
    expect(st.oversize).toBe(1);
    expect(spoolLines(spool).slice(-4)).toEqual(['\0\0\0', MSG(1000), MSG(1001), MSG(1002)]);
  });

  it('counts the datagrams the kernel dropped for a full socket buffer, and says so once', {
    timeout: 30_000,
  }, async () => {
    const spool = join(dir, 'drops.log');
    const problems: string[] = [];
    // The smallest buffer the kernel grants (it doubles and floors the value): a burst overflows it.
    const rx = new SyslogReceiver({
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: spool,
      recvBufferBytes: 1024,
      onProblem: (p) => problems.push(p),
    });
    await rx.start();
    const sent = 20_000;
    const sender = spawn(
      process.execPath,
      [
        '-e',
        `const s=require('node:dgram').createSocket('udp4');let i=0;const m=Buffer.from('<4>Nov 20 10:00:00 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.10 LEN=40 TTL=245 ID=1 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0');
         const go=()=>{for(let k=0;k<500&&i<${sent};k++,i++)s.send(m,${rx.port()},'127.0.0.1');if(i<${sent})setImmediate(go);else setTimeout(()=>s.close(),300)};go();`,
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => sender.once('exit', r));
    // Every datagram was either received or dropped by the kernel (loopback loses nothing else).
    await until(() => rx.stats().received + rx.stats().kernelDrops >= sent, 10_000).catch(() => {});
    await rx.stop();
    const st = rx.stats();
    expect(st.kernelDrops).toBeGreaterThan(0);
    expect(st.received + st.kernelDrops).toBe(sent);
    expect(spoolLines(spool).length).toBe(st.received);
    expect(problems.filter((p) => p.includes('the kernel dropped'))).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^udp://127\\.0\\.0\\.1:${rx.port()}: the kernel dropped [\\d,]+ datagrams? \\([\\d,]+ in all\\)`,
      ),
    );
  });

  it('keeps receiving UDP on its own thread while the watcher thread is busy for 3 s', {
    timeout: 30_000,
  }, async () => {
    const spool = join(dir, 'busy.log');
    const rx = new SyslogReceiver({ transport: 'udp', host: '127.0.0.1', port: 0, spoolPath: spool });
    await rx.start();
    // The sender is another process, paced at 10,000 datagrams/s for 2 s: it runs while this thread spins.
    const sent = 20_000;
    const sender = spawn(
      process.execPath,
      [
        '-e',
        `const s=require('node:dgram').createSocket('udp4');let i=0;const line=(i)=>'<4>Nov 20 10:00:00 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.'+(i%200+1)+' DST=192.0.2.10 LEN=40 TTL=245 ID='+i+' PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0';
         const t0=Date.now();const tick=()=>{const due=Math.min(${sent},Math.floor((Date.now()-t0)*10));while(i<due)s.send(line(i++),${rx.port()},'127.0.0.1');if(i<${sent})setTimeout(tick,5);else setTimeout(()=>{s.close();process.stdout.write('done')},200)};process.stdout.write('go');tick();`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let said = '';
    sender.stdout.on('data', (d: Buffer) => {
      said += d;
    });
    await until(() => said.includes('go'));
    // Parsing and detection stand-in: this thread does nothing else for 3 s (the sender's whole run).
    const spinUntil = Date.now() + 3000;
    let spins = 0;
    while (Date.now() < spinUntil) spins++;
    expect(spins).toBeGreaterThan(0);
    // Counters are shared memory: readable while the thread receives, without a message round trip.
    const duringSpin = rx.stats().received;
    await new Promise((r) => sender.once('exit', r));
    expect(said).toContain('done');
    await until(() => rx.stats().received >= sent, 5000).catch(() => {});
    await rx.stop();
    const st = rx.stats();
    // Received while this thread was blocked: on the old one-thread receiver nothing at all arrived by now.
    expect(duringSpin).toBeGreaterThan(sent / 2);
    // What the kernel buffer (8 MiB asked) could not hold of 20,000 datagrams sent while blocked: most of them.
    expect(st.received).toBeGreaterThan(sent * 0.95);
    expect(st.recvBufferBytes).toBeGreaterThan(200_000);
    expect(spoolLines(spool)).toHaveLength(st.received);
  });

  it('refuses connections over the limit, counts them and says so once a minute', async () => {
    const said: string[] = [];
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: join(dir, 'limit.log'),
      maxConnections: 2,
      onProblem: (s) => said.push(s),
    });
    await rx.start();
    const socks = [await tcp(rx.port()), await tcp(rx.port())];
    const third = await tcp(rx.port());
    await new Promise((r) => third.on('close', r));
    const fourth = await tcp(rx.port());
    await new Promise((r) => fourth.on('close', r));
    await until(() => rx.stats().refusedConnections === 2, 5000);
    // Said once (at most once a minute), not once per refusal.
    expect(said).toEqual([
      `tcp://127.0.0.1:${rx.port()}: refused 1 connection: all 2 connections are open and each sent something in the last 5 minutes (1 refused in all)`,
    ]);
    for (const s of socks) s.destroy();
    await rx.stop();
  });

  it('gives the slot of a connection silent too long to a new sender at the limit, and keeps one that writes', async () => {
    const spool = join(dir, 'idle.log');
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: spool,
      maxConnections: 2,
      idleEvictMs: 400,
    });
    await rx.start();
    // Two senders gone without a FIN (as after a reboot): the slots stay taken until someone needs them.
    const silent = await tcp(rx.port());
    const talker = await tcp(rx.port());
    const silentClosed = new Promise((r) => silent.on('close', r));
    for (let i = 0; i < 6; i++) {
      talker.write(
        `<4>Dec  7 05:10:0${i} fw kernel: DROP SRC=203.0.113.5 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=22\n`,
      );
      await sleep(100);
    }
    const late = await tcp(rx.port());
    late.write('<4>Dec  7 05:10:09 fw kernel: DROP SRC=198.51.100.9 DST=192.0.2.10 PROTO=TCP SPT=1 DPT=23\n');
    await silentClosed;
    await until(() => rx.stats().received >= 7, 5000);
    expect(talker.destroyed).toBe(false);
    expect(rx.stats()).toMatchObject({ refusedConnections: 0, idleClosed: 1, openConnections: 2 });
    for (const s of [talker, late]) s.destroy();
    await rx.stop();
    expect(spoolLines(spool).filter((l) => l.includes('198.51.100.9'))).toHaveLength(1);
  });

  it('speaks TLS (RFC 5425) with a certificate made for the test', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const spool = join(dir, 'tls.log');
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath: spool,
      tls: { cert, key },
    });
    await rx.start();
    const s = tlsConnect({
      port: rx.port(),
      host: '127.0.0.1',
      ca: readFileSync(cert),
      servername: 'localhost',
    });
    s.on('error', () => {}); // the receiver closing first at stop is fine
    await new Promise((r) => s.once('secureConnect', r));
    s.write(`${Buffer.byteLength(MSG(7))} ${MSG(7)}`);
    await until(() => spoolLines(spool).length >= 1);
    s.end();
    await rx.stop();
    expect(spoolLines(spool)).toEqual([MSG(7)]);
  });
});

/** A watcher over the given receivers, with an alerter that only collects what it is handed. */
function watcherOf(stateDir: string, spools: SyslogReceiver[], said: AlertAnnouncement[] = []): Watcher {
  return new Watcher({
    files: [],
    spools,
    pollMs: 20,
    records: { year: 2026 },
    kb: knowledgeBase(),
    state: new StateDir(stateDir),
    checkpointMs: 200,
    alerter: {
      announce: async (a) => {
        said.push(a);
      },
      flush: async () => {},
      close: async () => {},
      stats: () => ({}),
    },
    onNotice: () => {},
  });
}

/** A child process that sends `count` newline-framed messages over TCP in 50 parts, one every `everyMs`. */
function tcpSender(port: number, from: number, count: number, everyMs: number) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s=require('node:net').connect(${port},'127.0.0.1',()=>{let i=${from};const end=${from + count};
        const line=(i)=>'<4>Nov 20 10:00:'+String(i%60).padStart(2,'0')+' edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.'+(i%200+1)+' DST=192.0.2.10 LEN=40 TTL=245 ID='+i+' PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0\\n';
        const tick=()=>{let c='';for(let k=0;k<${Math.ceil(count / 50)}&&i<end;k++)c+=line(i++);s.write(c);if(i<end)setTimeout(tick,${everyMs});else s.end(()=>process.stdout.write('done'))};tick()});`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  return { child, done: () => out.includes('done') };
}

describe('the spool between receiver and watcher', () => {
  it('never rotates over a segment not read yet: a watcher busy for 3 s loses nothing but what the byte limit drops, counted', {
    timeout: 40_000,
  }, async () => {
    const stateDir = join(dir, 'rot-state');
    const spoolPath = join(stateDir, 'spool', 'syslog.log');
    const problems: string[] = [];
    const rx = new SyslogReceiver({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      spoolPath,
      maxSpoolBytes: 32 << 10,
      spoolLimitBytes: 160 << 10,
      onProblem: (p) => problems.push(p),
    });
    const w = watcherOf(stateDir, [rx]);
    await w.start();
    // 1. The watcher keeps up (1,500 messages in 3 s): the spool rotates many times, every message is read once.
    const first = tcpSender(rx.port(), 0, 1500, 60);
    await until(() => first.done(), 20_000);
    await until(() => w.records.counts.lines >= 1500, 20_000);
    expect(rx.stats().rotations).toBeGreaterThanOrEqual(5);
    expect(rx.stats().droppedSpoolFull).toBe(0);
    // 2. The watcher's thread is busy while 3,000 more arrive (~650 KB, over four times the 160 KiB limit).
    const second = tcpSender(rx.port(), 1500, 3000, 20);
    const spinUntil = Date.now() + 3000;
    while (Date.now() < spinUntil && !second.done()) {
      // parsing and detection stand-in
    }
    await until(() => second.done(), 20_000);
    await until(() => rx.stats().queuedBytes === 0);
    const atLimit = rx.stats();
    expect(atLimit.droppedSpoolFull).toBeGreaterThan(0);
    expect(atLimit.spoolBytes).toBeLessThanOrEqual(160 << 10);
    // 3. Once the watcher has read the old segment and deleted it, messages are taken again.
    await until(() => w.records.counts.lines >= atLimit.received - atLimit.droppedSpoolFull, 20_000);
    await until(() => !existsSync(`${spoolPath}.1`) || rx.stats().spoolBytes < 32 << 10, 10_000);
    const third = tcpSender(rx.port(), 4500, 100, 20);
    await until(() => third.done(), 20_000);
    // The sender done is not the receiver done: on a busy machine its last messages were still in the socket.
    await until(() => rx.stats().received >= 4600, 20_000);
    await until(() => w.records.counts.lines >= rx.stats().received - rx.stats().droppedSpoolFull, 20_000);
    await w.stop();
    const st = rx.stats();
    // TCP lost nothing on the way; the spool took every message received but those dropped at its limit.
    expect(st.received).toBe(4600);
    // Everything the spool took was read by the watcher exactly once.
    expect(w.records.counts.lines).toBe(st.received - st.droppedSpoolFull);
    expect(problems.filter((p) => /dropped \(and counted\)/.test(p))).toHaveLength(1);
    expect(problems.some((p) => new RegExp(`${st.droppedSpoolFull} were dropped`).test(p))).toBe(true);
  });
});

describe('a watcher with a syslog receiver', () => {
  it('turns received messages into events and findings', async () => {
    const stateDir = join(dir, 'state');
    const spoolPath = join(stateDir, 'spool', 'syslog.log');
    const rx = new SyslogReceiver({ transport: 'tcp', host: '127.0.0.1', port: 0, spoolPath });
    const said: AlertAnnouncement[] = [];
    const w = new Watcher({
      files: [],
      spools: [rx],
      pollMs: 20,
      records: { year: 2026 },
      kb: knowledgeBase(),
      state: new StateDir(stateDir),
      alerter: {
        announce: async (a) => {
          said.push(a);
        },
        flush: async () => {},
        close: async () => {},
        stats: () => ({}),
      },
      onNotice: () => {},
    });
    await w.start();
    const s = await tcp(rx.port());
    const scan = Array.from(
      { length: 30 },
      (_, i) =>
        `<4>Nov 20 10:01:${String(i).padStart(2, '0')} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.99 DST=192.0.2.10 LEN=40 TTL=245 ID=${i} PROTO=TCP SPT=40000 DPT=${5000 + i} WINDOW=1024 SYN URGP=0`,
    );
    s.write(`${scan.join('\n')}\nnot a firewall line\n`);
    await until(() => w.records.counts.lines >= 31);
    await until(() => said.some((a) => a.finding.detector === 'vertical-scan'));
    s.end();
    await w.stop();
    expect(w.records.counts).toMatchObject({ lines: 31, events: 30, unrecognized: 1 });
    expect(w.records.unparsed[0]).toMatchObject({ file: spoolPath, line: 31 });
  });
});
