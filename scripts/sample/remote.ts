// Remote senders with operating-system habits (initial TTL, SYN size, window, ephemeral ports, IP IDs, retries).
import type { Ip4, Ip6, TcpFlag, Transport } from './kernel-line.js';
import type { Rng } from './prng.js';

/** The stacks and tools the sample's senders imitate. */
export type OsName =
  | 'linux'
  | 'windows'
  | 'winxp'
  | 'macos'
  | 'solaris'
  | 'masscan'
  | 'zmap'
  | 'nmap'
  | 'mirai';

/** How one stack or tool fills in the fields a firewall log shows. */
export interface OsProfile {
  /** Initial TTL; 0 means nmap's habit of a random 37-59 per packet. */
  initialTtl: number;
  /** Range the stack picks source ports from. */
  ephemeral: readonly [number, number];
  /** IPv4 length of its SYN (20 bytes of IP + TCP header + options). */
  synLen: number;
  /** SYN window sizes it uses; empty means random (Mirai-style bots). */
  windows: readonly number[];
  /** Sets Don't Fragment on TCP. */
  df: boolean;
  /** How the IP ID field moves. */
  ids: 'sequential' | 'random' | 'zmap';
  /** Seconds after the first SYN at which an unanswered SYN is sent again. */
  synRetries: readonly number[];
  /** Raw-packet scanners keep one source port for the whole run. */
  fixedSourcePort: boolean;
}

/** Profiles of the stacks and tools in the sample. */
export const OS_PROFILES: Record<OsName, OsProfile> = {
  linux: {
    initialTtl: 64,
    ephemeral: [32768, 60999],
    synLen: 60,
    windows: [64240, 29200, 42340],
    df: true,
    ids: 'random',
    synRetries: [1, 3, 7],
    fixedSourcePort: false,
  },
  windows: {
    initialTtl: 128,
    ephemeral: [49152, 65535],
    synLen: 52,
    windows: [64240, 65535, 8192],
    df: true,
    ids: 'sequential',
    synRetries: [3, 9],
    fixedSourcePort: false,
  },
  winxp: {
    initialTtl: 128,
    ephemeral: [1025, 5000],
    synLen: 48,
    windows: [65535, 16384, 64512],
    df: true,
    ids: 'sequential',
    synRetries: [3, 9],
    fixedSourcePort: false,
  },
  macos: {
    initialTtl: 64,
    ephemeral: [49152, 65535],
    synLen: 64,
    windows: [65535],
    df: true,
    ids: 'random',
    synRetries: [1, 2, 3],
    fixedSourcePort: false,
  },
  solaris: {
    initialTtl: 255,
    ephemeral: [32768, 65535],
    synLen: 64,
    windows: [49640, 64240],
    df: true,
    ids: 'sequential',
    synRetries: [3, 9],
    fixedSourcePort: false,
  },
  masscan: {
    initialTtl: 255,
    ephemeral: [40000, 60999],
    synLen: 40,
    windows: [1024],
    df: false,
    ids: 'random',
    synRetries: [],
    fixedSourcePort: true,
  },
  zmap: {
    initialTtl: 255,
    ephemeral: [32768, 61000],
    synLen: 44,
    windows: [65535],
    df: false,
    ids: 'zmap',
    synRetries: [],
    fixedSourcePort: false,
  },
  nmap: {
    initialTtl: 0,
    ephemeral: [32768, 65000],
    synLen: 44,
    windows: [1024],
    df: false,
    ids: 'random',
    synRetries: [],
    fixedSourcePort: true,
  },
  mirai: {
    initialTtl: 64,
    ephemeral: [1024, 65535],
    synLen: 40,
    windows: [],
    df: false,
    ids: 'random',
    synRetries: [],
    fixedSourcePort: false,
  },
};

/** One packet ready to be written: IP header and transport. */
export interface Packet {
  ip: Ip4 | Ip6;
  transport: Transport;
}

/** A sender somewhere on the Internet (or a router), a number of hops away. */
export class Remote {
  readonly profile: OsProfile;
  /** The source port raw scanners keep for a whole run. */
  readonly scanPort: number;
  private lastId: number;

  constructor(
    readonly ip: string,
    readonly os: OsName,
    readonly hops: number,
    private readonly rng: Rng,
  ) {
    this.profile = OS_PROFILES[os];
    this.scanPort = rng.int(this.profile.ephemeral[0], this.profile.ephemeral[1]);
    this.lastId = rng.int(1, 65535);
  }

  /** True for an IPv6 sender. */
  get isV6(): boolean {
    return this.ip.includes(':');
  }

  /** TTL (or hop limit) of its packets when they reach us. */
  ttl(): number {
    const initial = this.profile.initialTtl === 0 ? this.rng.int(37, 59) : this.profile.initialTtl;
    return initial - this.hops;
  }

  /** The next IP ID it puts on a packet. */
  nextId(): number {
    if (this.profile.ids === 'zmap') return 54321;
    if (this.profile.ids === 'random') return this.rng.int(1, 65535);
    // A global counter: other traffic of the sender moves it on between our packets.
    this.lastId = (this.lastId + this.rng.int(1, 60)) % 65536;
    return this.lastId;
  }

  /** A source port for a new connection (or the scan's fixed port). */
  sourcePort(): number {
    if (this.profile.fixedSourcePort) return this.scanPort;
    return this.rng.int(this.profile.ephemeral[0], this.profile.ephemeral[1]);
  }

  /** A SYN window size. */
  window(): number {
    const choices = this.profile.windows;
    return choices.length === 0 ? this.rng.int(1024, 65535) : this.rng.pick(choices);
  }

  /** IP header of a packet of `len4` bytes as IPv4 (IPv6 adds 20 bytes for the bigger header). */
  ipHeader(
    dst: string,
    len4: number,
    opts: { df?: boolean; flowLabel?: number; ttl?: number } = {},
  ): Ip4 | Ip6 {
    const ttl = opts.ttl ?? this.ttl();
    if (this.isV6) {
      const flowLabel = opts.flowLabel ?? (this.profile.fixedSourcePort ? 0 : this.rng.int(1, 0xfffff));
      return { src: this.ip, dst, len: len4 + 20, hopLimit: ttl, flowLabel };
    }
    return { src: this.ip, dst, len: len4, ttl, id: this.nextId(), df: opts.df ?? this.profile.df };
  }

  /** A TCP packet with the given flags (a SYN of this stack's usual size by default). */
  tcp(
    dst: string,
    dpt: number,
    flags: readonly TcpFlag[] = ['SYN'],
    opts: { sport?: number; len?: number; window?: number; df?: boolean } = {},
  ): Packet {
    return {
      ip: this.ipHeader(dst, opts.len ?? this.profile.synLen, { df: opts.df }),
      transport: {
        proto: 'TCP',
        spt: opts.sport ?? this.sourcePort(),
        dpt,
        window: opts.window ?? this.window(),
        flags,
      },
    };
  }

  /** A UDP datagram carrying `payload` bytes. */
  udp(dst: string, dpt: number, payload: number, opts: { sport?: number; df?: boolean } = {}): Packet {
    return {
      ip: this.ipHeader(dst, 28 + payload, { df: opts.df ?? this.profile.df }),
      transport: { proto: 'UDP', spt: opts.sport ?? this.sourcePort(), dpt, len: 8 + payload },
    };
  }

  /** The first SYN of a connection and the retransmissions an unanswered stack sends (up to `retries`). */
  synWithRetries(
    dst: string,
    dpt: number,
    retries: number,
    sport?: number,
  ): { offsetUs: number; packet: Packet }[] {
    const first = this.tcp(dst, dpt, ['SYN'], { sport });
    const out = [{ offsetUs: 0, packet: first }];
    const t = first.transport as Extract<Transport, { proto: 'TCP' }>;
    const flowLabel = 'flowLabel' in first.ip ? first.ip.flowLabel : undefined;
    const delays = this.profile.synRetries.slice(0, retries);
    for (const seconds of delays) {
      const ip = this.ipHeader(dst, this.profile.synLen, { flowLabel });
      const jitter = this.rng.int(0, 40_000);
      out.push({ offsetUs: seconds * 1_000_000 + jitter, packet: { ip, transport: { ...t } } });
    }
    return out;
  }
}
