// Interned port texts: the same string object for the same port, so Map look-ups hash it only once.

/** `String(port)` for ports 0-65535 from a table (other values are converted each time). */
const PORT_TEXT: (string | undefined)[] = new Array(65_536).fill(undefined);

/** `String(port)`, interned for 0-65535. */
export function portText(port: number | undefined): string {
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65_535) return String(port);
  let text = PORT_TEXT[port];
  if (text === undefined) {
    text = String(port);
    PORT_TEXT[port] = text;
  }
  return text;
}

/** Protocols whose `proto/port` texts are interned (others are built each time). */
const INTERNED_PROTOCOLS = ['tcp', 'udp', 'sctp', 'udplite', 'icmp', 'ipv6-icmp'];
const PROTO_PORT_TEXT = new Map<string, (string | undefined)[]>();

/** `${proto}/${port}`, interned for common protocols and ports 0-65535. */
export function protoPortText(proto: string, port: number): string {
  let table = PROTO_PORT_TEXT.get(proto);
  if (!table) {
    if (!INTERNED_PROTOCOLS.includes(proto)) return `${proto}/${port}`;
    table = new Array(65_536).fill(undefined);
    PROTO_PORT_TEXT.set(proto, table);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return `${proto}/${port}`;
  let text = table[port];
  if (text === undefined) {
    text = `${proto}/${port}`;
    table[port] = text;
  }
  return text;
}
