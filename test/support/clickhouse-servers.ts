// Starts real local clickhouse-server processes for tests and benchmarks: own config, own data directory, loopback only.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian's package puts the server (it is /usr/sbin, not /usr/bin); the first that exists is used. */
export const CLICKHOUSE_SERVER_PATHS = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

/** Name of the cluster the started servers declare in `remote_servers` (every server, every shard). */
export const TEST_CLUSTER = 'fwlens_test';

/** How long a server may take to answer /ping after it was started (a loaded machine is slow). */
export const START_TIMEOUT_MS = 60_000;

/** One running local server. */
export interface LocalServer {
  httpPort: number;
  tcpPort: number;
  dir: string;
  process: ChildProcess;
  /** http://127.0.0.1:<httpPort> */
  url: string;
}

/** A set of local servers forming one cluster of one shard each. */
export interface LocalCluster {
  servers: LocalServer[];
  cluster: string;
  /** Stop one server (SIGKILL when `hard`) and wait for it to exit. */
  stop(i: number, hard?: boolean): Promise<void>;
  /** Start a stopped server again on the same ports and data, and wait until it answers. */
  restart(i: number): Promise<void>;
  /** Stop every server and remove their directories. */
  close(): Promise<void>;
}

/** The server binary, or undefined when ClickHouse is not installed. */
export function clickhouseServerBinary(): string | undefined {
  return CLICKHOUSE_SERVER_PATHS.find((p) => existsSync(p));
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function configXml(dir: string, http: number, tcp: number, shards: { tcpPort: number }[]): string {
  const shardXml = shards
    .map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcpPort}</port></replica></shard>`)
    .join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>64</max_connections>
  <max_concurrent_queries>32</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers><${TEST_CLUSTER}>${shardXml}</${TEST_CLUSTER}></remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>2000000000</max_memory_usage><max_threads>2</max_threads></default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

async function waitForPing(server: LocalServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      const err = join(server.dir, 'server.err.log');
      const tail = existsSync(err) ? readFileSync(err, 'utf8').split('\n').slice(-5).join('\n') : '';
      throw new Error(`clickhouse-server on port ${server.httpPort} exited early: ${tail}`);
    }
    try {
      const r = await fetch(`${server.url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`clickhouse-server on port ${server.httpPort} did not answer in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function launch(binary: string, server: Omit<LocalServer, 'process'>): LocalServer {
  const child = spawn(binary, [`--config-file=${join(server.dir, 'config.xml')}`], {
    cwd: server.dir,
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  });
  return { ...server, process: child };
}

/** Remove a server's directory with rm, detached: it outlives the test process if it must. */
function removeDir(dir: string): void {
  const rm = spawn('rm', ['-rf', '--', dir], { stdio: 'ignore', detached: true });
  rm.on('error', () => rmSync(dir, { recursive: true, force: true }));
  rm.unref();
}

/**
 * Where servers keep their data: /dev/shm when there is one (part files are many and small; a loaded disk
 * makes creating and removing them slow), else the temporary directory.
 */
function dataRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

async function stopProcess(p: ChildProcess, hard: boolean): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill(hard ? 'SIGKILL' : 'SIGTERM');
  // A test server's data is thrown away: a few seconds for a clean stop, then no more waiting.
  const timer = setTimeout(() => p.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Start `count` clickhouse-server processes on free loopback ports, each declaring the same cluster
 * (`TEST_CLUSTER`) with one shard per server, and wait until every one answers.
 */
export async function startLocalCluster(
  count: number,
  binary = clickhouseServerBinary(),
): Promise<LocalCluster> {
  if (!binary) throw new Error('clickhouse-server is not installed');
  const specs: Omit<LocalServer, 'process'>[] = [];
  for (let i = 0; i < count; i++) {
    const dir = mkdtempSync(join(dataRoot(), `fwlens-ch${i}-`));
    for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
    const httpPort = await freePort();
    let tcpPort = await freePort();
    while (tcpPort === httpPort || specs.some((s) => s.httpPort === tcpPort || s.tcpPort === tcpPort))
      tcpPort = await freePort();
    specs.push({ httpPort, tcpPort, dir, url: `http://127.0.0.1:${httpPort}` });
  }
  for (const s of specs) {
    writeFileSync(join(s.dir, 'config.xml'), configXml(s.dir, s.httpPort, s.tcpPort, specs));
    writeFileSync(join(s.dir, 'users.xml'), USERS_XML);
  }
  const servers = specs.map((s) => launch(binary, s));
  const cluster: LocalCluster = {
    servers,
    cluster: TEST_CLUSTER,
    async stop(i, hard = false) {
      await stopProcess(servers[i]!.process, hard);
    },
    async restart(i) {
      const old = servers[i]!;
      await stopProcess(old.process, false);
      servers[i] = launch(binary, old);
      await waitForPing(servers[i]!, START_TIMEOUT_MS);
    },
    async close() {
      await Promise.all(servers.map((s) => stopProcess(s.process, false)));
      // Thousands of small part files: removed by rm in the background, not waited for.
      for (const s of servers) removeDir(s.dir);
    },
  };
  try {
    await Promise.all(servers.map((s) => waitForPing(s, START_TIMEOUT_MS)));
  } catch (e) {
    await cluster.close();
    throw e;
  }
  return cluster;
}
