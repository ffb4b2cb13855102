// The fixed UI strings of fwlens in English and Chinese, the language choice, and {name} substitution.

/** Languages fwlens speaks. */
export type Lang = 'en' | 'zh';

/** One UI string in both languages. Placeholders are written {name} and must match in en and zh. */
export interface Message {
  en: string;
  zh: string;
}

/**
 * Pick the language from the locale variables, in POSIX precedence: LC_ALL, then LC_MESSAGES,
 * then LANG. A value starting with "zh" selects Chinese; anything else (or nothing) English.
 */
export function langFromEnv(env: Record<string, string | undefined> = process.env): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return value.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  }
  return 'en';
}

/**
 * Every fixed string, one flat table. Keys are dotted by area (`explain.*`, `cli.*`, `report.*`).
 * Add new keys anywhere; src/i18n.test.ts checks both languages are filled with the same placeholders.
 */
export const MESSAGES = {
  // --- explain: section titles ---
  'explain.topic.packet': { en: 'The packet', zh: '数据包' },
  'explain.topic.direction': { en: 'What it means for you', zh: '对你意味着什么' },
  'explain.topic.destination-port': { en: 'Destination port', zh: '目的端口' },
  'explain.topic.source-port': { en: 'Source port', zh: '源端口' },
  'explain.topic.addresses': { en: 'Addresses', zh: '地址' },
  'explain.topic.tcp-flags': { en: 'TCP flags', zh: 'TCP 标志位' },
  'explain.topic.icmp': { en: 'ICMP message', zh: 'ICMP 消息' },
  'explain.topic.inner-packet': {
    en: 'Packet quoted inside the ICMP error',
    zh: 'ICMP 差错报文中引用的数据包',
  },
  'explain.topic.ttl': { en: 'Distance and sender system', zh: '距离与发送方系统' },
  // The first section of a session log's or flow log's record (FwEvent.connectionPhase), which is no packet.
  'explain.topic.record.start': { en: 'The opening record of a connection', zh: '连接建立记录' },
  'explain.topic.record.continue': { en: 'The flow record', zh: '流记录' },
  'explain.topic.record.end': { en: 'The closing record of a connection', zh: '连接结束记录' },
  'explain.topic.record.whole': { en: 'The connection record', zh: '连接记录' },

  // --- explain: headline ---
  'explain.headline': {
    en: '{action} {proto} from {src} to {dst}{port}: {label}',
    zh: '{action}:{src} 发往 {dst}{port} 的 {proto} 数据包:{label}',
  },
  // A record of a connection (or, for a flow record, of its traffic over an interval) is no packet in Chinese either.
  'explain.headline.connection': {
    en: '{action} {proto} from {src} to {dst}{port}: {label}',
    zh: '{action}:{src} 发往 {dst}{port} 的 {proto} 连接:{label}',
  },
  'explain.headline.flow': {
    en: '{action} {proto} from {src} to {dst}{port}: {label}',
    zh: '{action}:{src} 发往 {dst}{port} 的 {proto} 流量:{label}',
  },
  'explain.headline.port': { en: ' port {port}', zh: ' 端口 {port}' },
  'explain.headline.noLabel': { en: 'no further label', zh: '无更多说明' },
  'explain.headline.portQuery': { en: 'Port {port}: {label}', zh: '端口 {port}:{label}' },
  'explain.headline.sourcePort': { en: 'Source port {port}: {label}', zh: '源端口 {port}:{label}' },
  'explain.actionWord.allow': { en: 'Allowed', zh: '已放行' },
  'explain.actionWord.deny': { en: 'Dropped', zh: '已丢弃' },
  'explain.actionWord.reject': { en: 'Rejected', zh: '已拒绝' },
  'explain.actionWord.log': { en: 'Logged', zh: '已记录' },
  'explain.flags.scan.null': { en: 'NULL scan (nmap -sN)', zh: 'NULL 扫描(nmap -sN)' },
  'explain.flags.scan.fin': { en: 'FIN scan (nmap -sF)', zh: 'FIN 扫描(nmap -sF)' },
  'explain.flags.scan.xmas': { en: 'Xmas scan (nmap -sX)', zh: 'Xmas 扫描(nmap -sX)' },
  'explain.endpoint': { en: '{ip} port {port}', zh: '{ip} 端口 {port}' },

  // --- explain: the packet ---
  'explain.packet.what': {
    en: '{proto} packet from {from} to {to}.',
    zh: '一个从 {from} 发往 {to} 的 {proto} 数据包。',
  },
  'explain.packet.action.allow': { en: 'The firewall let it through.', zh: '防火墙放行了它。' },

  // --- explain: a record of a connection, by what it is of the connection (FwEvent.connectionPhase) ---
  'explain.record.what.start': {
    en: 'Opening record of a {proto} connection from {from} to {to}: written when the connection was set up; it stands for the connection, not for one packet.',
    zh: '一条 {proto} 连接的建立记录:从 {from} 到 {to},在连接建立时写下;它代表这条连接,而不是单个数据包。',
  },
  'explain.record.what.continue': {
    en: 'Flow record of {proto} traffic from {from} to {to}: what one 5-tuple sent over one logging interval, which may be a part of a longer connection; not a single packet.',
    zh: '一条流记录:同一五元组在一个统计周期内从 {from} 发往 {to} 的 {proto} 流量,可能只是一条更长连接的一部分;并非单个数据包。',
  },
  'explain.record.what.end': {
    en: 'Closing record of a {proto} connection from {from} to {to}: written when the connection ended; it stands for the connection, not for one packet.',
    zh: '一条 {proto} 连接的结束记录:从 {from} 到 {to},在连接结束时写下;它代表这条连接,而不是单个数据包。',
  },
  'explain.record.what.whole': {
    en: 'Connection record of {proto} from {from} to {to}: the log’s one record of the whole connection, or of an attempt at one; not a single packet.',
    zh: '一条连接记录:从 {from} 到 {to} 的 {proto} 连接(或连接尝试)在日志中仅有的一条记录;并非单个数据包。',
  },
  // A flow record's length (FwEvent.length) is set only when its interval counted one packet (and, for an Azure
  // tuple, none back): that packet's bytes.
  'explain.record.onePacket.continue': {
    en: 'It counted one packet, of {bytes} bytes.',
    zh: '这一周期只统计到一个数据包,长 {bytes} 字节。',
  },
  // A whole connection's length is its originator's one packet (Zeek's orig_ip_bytes when orig_pkts is 1).
  'explain.record.onePacket.whole': {
    en: 'The side that opened it sent one packet, of {bytes} bytes.',
    zh: '发起方只发出了一个数据包,长 {bytes} 字节。',
  },
  // What a flow or session record summed (FwEvent.sourcePackets ... destinationBytes): one side's part is packets
  // with bytes, or either alone when the record gives only one (explain.record.side.*).
  'explain.record.counts.both': {
    en: 'The source sent {src} and the destination {dst} in this record.',
    zh: '这条记录中,源端发出了 {src},目的端发回了 {dst}。',
  },
  'explain.record.counts.source': {
    en: 'The source sent {src} in this record.',
    zh: '这条记录中,源端发出了 {src}。',
  },
  'explain.record.counts.destination': {
    en: 'The destination sent {dst} in this record.',
    zh: '这条记录中,目的端发回了 {dst}。',
  },
  // A record that gives only the sum of both ways (FwEvent.networkBytes: an ASA Teardown's `bytes N`).
  'explain.record.counts.total': {
    en: 'The connection carried {b:byte} in this record, both ways together.',
    zh: '这条记录中,连接双向共传输了 {b:byte}。',
  },
  'explain.record.side.both': { en: '{p:packet} ({b:byte})', zh: '{p:packet}(共 {b:byte})' },
  'explain.record.side.packets': { en: '{p:packet}', zh: '共 {p:packet}' },
  'explain.record.side.bytes': { en: '{b:byte}', zh: '共 {b:byte}' },
  'explain.record.action.log': {
    en: 'The record only describes the traffic; it does not say whether it was allowed or dropped.',
    zh: '这条记录只说明了流量,没有说明它被放行还是被丢弃。',
  },
  'explain.packet.action.deny': {
    en: 'The firewall dropped it silently: the sender got no answer.',
    zh: '防火墙悄悄丢弃了它,发送方收不到任何回应。',
  },
  'explain.packet.action.reject': {
    en: 'The firewall rejected it: the sender was told the port is closed.',
    zh: '防火墙拒绝了它,并告知发送方该端口不可达。',
  },
  'explain.packet.action.rejectSilent': {
    en: 'Refused (REJECT): a security group or network ACL did not permit it, and they drop without answering, so the sender got no reply.',
    zh: '被拒绝(REJECT):安全组或网络 ACL 不允许它通过;它们丢弃时不作任何回应,发送方收不到答复。',
  },
  'explain.packet.action.log': {
    en: 'The line only records the packet; it does not say whether it was allowed or dropped.',
    zh: '这行日志只记录了数据包,没有说明它被放行还是被丢弃。',
  },
  'explain.packet.rule': { en: 'Logged by rule "{rule}".', zh: '记录它的规则:“{rule}”。' },
  'explain.packet.ufwLimit': {
    en: "That is ufw's rate limit (ufw limit): this source had opened 6 or more connections to the port within 30 seconds, the usual sign of password guessing, and ufw refused the rest.",
    zh: '这是 ufw 的速率限制(ufw limit):该来源在 30 秒内向此端口发起了 6 次或更多连接,通常意味着在猜密码,ufw 拒绝了其余连接。',
  },
  'explain.packet.alarm': {
    en: 'The firewall itself raised an alarm on it: "{alarm}".',
    zh: '防火墙自身对它发出了告警:“{alarm}”。',
  },
  'explain.packet.inIf': { en: 'It arrived on interface {iface}.', zh: '它从网卡 {iface} 进入。' },
  'explain.packet.outIf': { en: 'It was leaving by interface {iface}.', zh: '它准备从网卡 {iface} 发出。' },

  // --- explain: direction ---
  'explain.dir.inbound': {
    en: 'Inbound: {src} sent this to your side ({dst}).',
    zh: '入站:{src} 把它发给了你这一侧({dst})。',
  },
  'explain.dir.outbound': {
    en: 'Outbound: your machine {src} sent this to {dst}.',
    zh: '出站:你的机器 {src} 把它发给了 {dst}。',
  },
  'explain.dir.forward': {
    en: 'Forwarded: the packet was passing through the firewall from {src} to {dst}.',
    zh: '转发:该数据包正经过防火墙,从 {src} 去往 {dst}。',
  },
  'explain.dir.unknown': {
    en: 'The line does not say which way the packet travelled ({src} to {dst}).',
    zh: '日志没有说明数据包的方向({src} 到 {dst})。',
  },
  'explain.dir.record.forward': {
    en: 'Forwarded: the traffic was passing through the firewall from {src} to {dst}.',
    zh: '转发:这段流量正经过防火墙,从 {src} 去往 {dst}。',
  },
  'explain.dir.record.unknown': {
    en: 'The line does not say which way the traffic went ({src} to {dst}).',
    zh: '日志没有说明流量的方向({src} 到 {dst})。',
  },
  'explain.dir.insideToHostile': {
    en: '{host}, a host inside your network, tried to reach a port tied to {name}: find out which program did it.',
    zh: '你网络内部的主机 {host} 试图连接与 {name} 有关的端口,请查出是哪个程序发起的。',
  },
  'explain.dir.outboundToHostile': {
    en: 'Your own machine tried to reach a port tied to {name}: find out which program did it.',
    zh: '你自己的机器试图连接与 {name} 有关的端口,请查出是哪个程序发起的。',
  },
  'explain.dir.returnTraffic': {
    en: 'This is the return half of a session one of your own programs opened ({name}), not an attack.',
    zh: '这是你自己的程序发起的会话({name})的回程流量,而不是攻击。',
  },
  'explain.dir.returnTrafficPort': {
    en: 'Inbound packets to this port are normally the return half of a session one of your own programs opened ({name}).',
    zh: '发往这个端口的入站数据包,通常是你自己的程序发起的会话({name})的回程流量。',
  },
  'explain.dir.ifOutbound': {
    en: 'If your own machine is the one sending to this port ({name}): {what}',
    zh: '如果是你自己的机器向这个端口({name})发包:{what}',
  },

  // --- explain: severity steps ---
  'explain.base.port': {
    en: 'Starting point: port {port} is known as {name} (severity {n}).',
    zh: '起点:端口 {port} 被认为是 {name}(严重度 {n})。',
  },
  'explain.base.icmp': { en: 'Starting point: {name} (severity {n}).', zh: '起点:{name}(严重度 {n})。' },
  'explain.base.unknownPort': {
    en: 'Starting point: nothing specific is known about port {port} (2).',
    zh: '起点:对端口 {port} 没有特别的了解(2)。',
  },
  'explain.base.unknown': {
    en: 'Starting point: an ordinary unexplained packet (2).',
    zh: '起点:一个普通的、无特别说明的数据包(2)。',
  },
  'explain.base.unknownRecord': {
    en: 'Starting point: an ordinary unexplained connection (2).',
    zh: '起点:一条普通的、无特别说明的连接(2)。',
  },
  'explain.base.noise': {
    en: 'Starting point: broadcast or multicast chatter of the local network, the usual background noise (1).',
    zh: '起点:本地网络的广播或组播,属于常见的背景噪声(1)。',
  },
  'explain.base.sourcePortQuery': {
    en: 'Starting point: a source port alone says little (2).',
    zh: '起点:单凭源端口能说明的东西不多(2)。',
  },
  'explain.reason.broadcast': {
    en: 'Sent to a broadcast/multicast address ({ip}) on the local network, not aimed at one host.',
    zh: '发往本地网络的广播/组播地址({ip}),并非针对某一台主机。',
  },
  'explain.reason.amplifierSearch': {
    en: 'Aimed from outside at {ip}, which looks like a subnet broadcast address: a hunt for smurf/fraggle amplifiers.',
    zh: '从外部发往看似子网广播地址的 {ip}:这是在寻找 smurf/fraggle 放大器。',
  },
  'explain.reason.spoofed': {
    en: 'Source {ip} cannot come from the Internet: forged or leaking from a misconfigured network.',
    zh: '源地址 {ip} 不可能来自互联网:要么是伪造的,要么是配置错误的网络泄漏出来的。',
  },
  'explain.reason.researchScanner': {
    en: 'Sent by a known research scanner ({name}) that maps the whole Internet, not you in particular.',
    zh: '来自已知的研究型扫描器({name}),它扫描整个互联网,并非专门针对你。',
  },
  'explain.reason.knownHost': { en: '{ip} is a known host: {name}.', zh: '{ip} 是已知主机:{name}。' },
  'explain.reason.sourcePortZero': {
    en: 'Source port 0 is never used by real traffic: a crafted packet.',
    zh: '正常流量从不使用源端口 0:这是人为构造的数据包。',
  },
  'explain.reason.sourcePortZeroRecord': {
    en: 'Source port 0 is never used by real traffic: this traffic was crafted.',
    zh: '正常流量从不使用源端口 0:这是人为构造的流量。',
  },
  'explain.reason.evasion': {
    en: 'Source port {port} aimed at a backdoor port: a trick to slip past filters that trust that port.',
    zh: '以源端口 {port} 攻击后门端口:这是利用过滤规则对该端口的信任来绕过防火墙的伎俩。',
  },
  'explain.reason.evasionSyn': {
    en: 'A new connection (SYN) from source port {port}: no server opens connections from it; a trick to slip past filters that trust that port.',
    zh: '从源端口 {port} 发起新连接(SYN):没有服务器会从这个端口发起连接;这是利用过滤规则对该端口的信任来绕过防火墙的伎俩。',
  },
  'explain.reason.reply': {
    en: 'Looks like an answer from a server (source port {port}) to one of your own clients.',
    zh: '看起来是服务器(源端口 {port})对你自己的客户端的应答。',
  },
  'explain.reason.sourcePortEntry': { en: 'Source port {port}: {name}.', zh: '源端口 {port}:{name}。' },
  'explain.reason.stealth': {
    en: 'Stealth scan flags ({technique}): someone is mapping ports while trying to stay out of logs.',
    zh: '隐蔽扫描标志({technique}):有人在探测端口,同时试图避开日志记录。',
  },
  'explain.reason.invalidFlags': {
    en: 'Flag combination {flags} is impossible in real TCP: a crafted packet (scan or fingerprinting).',
    zh: '标志组合 {flags} 在正常 TCP 中不可能出现:这是人为构造的数据包(扫描或指纹识别)。',
  },
  'explain.reason.backscatter': {
    en: 'Unrequested {flags} packet: backscatter of someone else spoofing your address.',
    zh: '你方从未请求过的 {flags} 数据包:这是别人冒用你的地址造成的“反向散射”。',
  },
  'explain.reason.flagEntry': { en: 'TCP flags: {name}.', zh: 'TCP 标志:{name}。' },
  'explain.reason.decoyBackscatter': {
    en: 'The error quotes a packet your host never sent: you were used as a decoy, not targeted.',
    zh: '该差错报文引用的数据包并非你的主机发出:你被当成了诱饵,而不是攻击目标。',
  },
  'explain.reason.outboundHostile': {
    en: 'Your own machine is calling out to {name}: the problem is on the inside.',
    zh: '你自己的机器在向外连接 {name}:问题出在内部。',
  },
  'explain.reason.insideHostile': {
    en: '{host}, a host inside your network, is calling out to {name}: the problem is on the inside.',
    zh: '你网络内部的主机 {host} 在向外连接 {name}:问题出在内部。',
  },
  'explain.reason.insideTraffic': {
    en: 'Sent out by {host}, a host inside your network, usually an ordinary program stopped by an outbound rule.',
    zh: '由你网络内部的主机 {host} 向外发出,通常只是普通程序被出站规则拦下。',
  },
  'explain.reason.ownTraffic': {
    en: 'Sent by your own machine, usually an ordinary program stopped by an outbound rule.',
    zh: '由你自己的机器发出,通常只是普通程序被出站规则拦下。',
  },
  'explain.reason.allowed': {
    en: 'The firewall let this risky packet through: it reached the host.',
    zh: '防火墙放行了这个有风险的数据包:它已到达主机。',
  },
  'explain.reason.allowedRecord': {
    en: 'The firewall let this risky connection through: its traffic reached the host.',
    zh: '防火墙放行了这条有风险的连接:它的流量已到达主机。',
  },

  // --- explain: addresses ---
  'explain.addr.entry.source': { en: 'Source {ip}: {name}.', zh: '源地址 {ip}:{name}。' },
  'explain.addr.entry.destination': { en: 'Destination {ip}: {name}.', zh: '目的地址 {ip}:{name}。' },
  'explain.addr.class.unspecified': {
    en: '{ip} is the unspecified address: a machine that does not yet know its own address (DHCP) or a crafted packet.',
    zh: '{ip} 是未指定地址:来自尚不知道自己地址的机器(如 DHCP 过程中),或是人为构造的数据包。',
  },
  'explain.addr.class.broadcast': {
    en: '{ip} is the local broadcast address: every machine on the segment receives it; routers never forward it.',
    zh: '{ip} 是本地广播地址:同一网段的所有机器都会收到,路由器不会转发。',
  },
  'explain.addr.class.multicast': {
    en: '{ip} is a multicast group address: service discovery and routing chatter, delivered to every listener.',
    zh: '{ip} 是组播地址:多用于服务发现和路由协议通信,会送达所有订阅者。',
  },
  'explain.addr.class.loopback': {
    en: '{ip} is a loopback address: it only exists inside one machine.',
    zh: '{ip} 是环回地址:只存在于一台机器内部。',
  },
  'explain.addr.class.private': {
    en: '{ip} is a private address: valid inside a home or company network, never routed on the Internet.',
    zh: '{ip} 是私有地址:只在家庭或公司内网有效,不会在互联网上路由。',
  },
  'explain.addr.class.link-local': {
    en: '{ip} is a link-local address: it only works on one network segment and is never routed.',
    zh: '{ip} 是链路本地地址:只在一个网段内有效,不会被路由。',
  },
  'explain.addr.class.cgnat': {
    en: '{ip} is a carrier-grade NAT address: used inside an ISP network, not on the public Internet.',
    zh: '{ip} 是运营商级 NAT 地址:在运营商网络内部使用,不在公共互联网上出现。',
  },
  'explain.addr.class.documentation': {
    en: '{ip} is a documentation address; shared sample logs are often rewritten to such addresses, so read it as an ordinary Internet host.',
    zh: '{ip} 是文档专用地址;公开的示例日志常被改写成这类地址,可把它当作普通的互联网主机来看。',
  },
  'explain.addr.class.bogon': {
    en: '{ip} is in a reserved block that should never appear on the Internet (a bogon).',
    zh: '{ip} 属于保留地址段,本不应出现在互联网上(即 bogon 地址)。',
  },
  'explain.addr.subnetEdge': {
    en: '{ip} ends in .255 or .0: if the network is a /24, it is the subnet broadcast (or old-style network) address.',
    zh: '{ip} 以 .255 或 .0 结尾:如果该网络是 /24,这就是子网广播地址(或旧式网络地址)。',
  },
  'explain.addr.spoofHint': {
    en: 'Source {ip} arrived at an Internet-facing address although it cannot be routed there: a spoofing hint.',
    zh: '源地址 {ip} 本无法被路由到面向互联网的地址,却出现在了这里:这是地址伪造的迹象。',
  },

  // --- explain: ports ---
  'explain.port.entry': {
    en: 'Port {port} ({protos}): {name}, {kind}.',
    zh: '端口 {port}({protos}):{name},{kind}。',
  },
  'explain.port.malware': {
    en: 'Malware or tools tied to it: {names}.',
    zh: '相关的恶意软件或工具:{names}。',
  },
  'explain.port.iana': {
    en: 'IANA registers {port}/{proto} as "{name}" ({description}).',
    zh: 'IANA 将 {port}/{proto} 登记为“{name}”({description})。',
  },
  'explain.port.ianaNameOnly': {
    en: 'IANA registers {port}/{proto} as "{name}".',
    zh: 'IANA 将 {port}/{proto} 登记为“{name}”。',
  },
  'explain.port.notRegistered': {
    en: 'IANA has nothing registered on port {port}.',
    zh: 'IANA 在端口 {port} 上没有登记任何服务。',
  },
  'explain.port.range.well-known': {
    en: 'Port {port} is in the well-known range (0-1023) reserved for standard servers.',
    zh: '端口 {port} 位于为标准服务保留的知名端口范围(0-1023)。',
  },
  'explain.port.range.registered': {
    en: 'Port {port} is in the registered range (1024-49151): often a service, but also where many systems pick client ports.',
    zh: '端口 {port} 位于注册端口范围(1024-49151):常用于服务,但很多系统也从这里分配客户端端口。',
  },
  'explain.port.range.dynamic': {
    en: 'Port {port} is in the dynamic range (49152-65535): usually a temporary client port, so a hit here is often a late reply or a random probe.',
    zh: '端口 {port} 位于动态端口范围(49152-65535):通常是临时客户端端口,命中这里多为迟到的应答或随机探测。',
  },
  'explain.port.ianaLabel': { en: '{name} (IANA name)', zh: '{name}(IANA 名称)' },
  'explain.port.rangeLabel.well-known': { en: 'unregistered well-known port', zh: '未登记的知名端口' },
  'explain.port.rangeLabel.registered': { en: 'unregistered port', zh: '未登记的端口' },
  'explain.port.rangeLabel.dynamic': { en: 'dynamic (temporary) port', zh: '动态(临时)端口' },
  'explain.kind.service': { en: 'a service', zh: '一种服务' },
  'explain.kind.trojan': { en: 'a trojan', zh: '木马' },
  'explain.kind.backdoor': { en: 'a backdoor', zh: '后门' },
  'explain.kind.proxy': { en: 'a proxy', zh: '代理' },
  'explain.kind.rpc': { en: 'an RPC service', zh: 'RPC 服务' },
  'explain.kind.return-traffic': { en: 'return traffic of your own clients', zh: '你自己客户端的回程流量' },
  'explain.kind.adware': { en: 'adware', zh: '广告软件' },
  'explain.kind.broadcast-noise': { en: 'broadcast noise', zh: '广播噪声' },
  'explain.kind.game': { en: 'a game', zh: '游戏' },
  'explain.kind.chat': { en: 'chat software', zh: '聊天软件' },
  'explain.kind.p2p': { en: 'peer-to-peer software', zh: 'P2P 软件' },
  'explain.kind.traceroute': { en: 'traceroute probes', zh: 'traceroute 探测' },
  'explain.kind.scan-artifact': { en: 'a scanning artefact', zh: '扫描的副产物' },
  'explain.kind.amplifier': { en: 'a DDoS amplifier', zh: 'DDoS 放大器' },
  'explain.kind.iot-botnet': { en: 'an IoT botnet target', zh: '物联网僵尸网络的目标' },
  'explain.kind.worm': { en: 'a worm', zh: '蠕虫' },
  'explain.kind.brute-force': { en: 'a password-guessing target', zh: '密码暴力破解的目标' },
  'explain.kind.exposed-service': { en: 'a service that should not be exposed', zh: '不应暴露在外的服务' },
  'explain.kind.ics-ot': { en: 'an industrial control protocol', zh: '工业控制协议' },
  'explain.kind.remote-access': { en: 'remote access', zh: '远程访问' },
  'explain.kind.voip-fraud': { en: 'a VoIP fraud target', zh: 'VoIP 盗打的目标' },
  'explain.kind.printer': { en: 'a printer service', zh: '打印服务' },
  'explain.kind.streaming': { en: 'media streaming', zh: '流媒体' },
  'explain.kind.other': { en: 'a port of no particular kind', zh: '没有特定类别的端口' },

  // --- explain: source port ---
  'explain.sport.entry': { en: 'Source port {port}: {name}.', zh: '源端口 {port}:{name}。' },
  'explain.sport.serverPort': {
    en: 'Source port {port} is the {service} server port: packets from it are normally answers from such a server.',
    zh: '源端口 {port} 是 {service} 服务器端口:从它发出的数据包通常是这类服务器的应答。',
  },
  'explain.sport.zero': {
    en: 'Source port 0 is reserved and never chosen by a normal program.',
    zh: '源端口 0 是保留端口,正常程序从不使用。',
  },
  'explain.sport.range.well-known': {
    en: 'Source port {port} is in the well-known range (0-1023): normally a server port, so this is a server answering, a NAT box, or a crafted packet.',
    zh: '源端口 {port} 位于知名端口范围(0-1023):通常是服务器端口,所以这可能是服务器的应答、NAT 设备,或人为构造的数据包。',
  },
  'explain.sport.wellKnownRecord': {
    en: 'Source port {port} is in the well-known range (0-1023): normally a server port, so this is a server answering, a NAT box, or crafted traffic.',
    zh: '源端口 {port} 位于知名端口范围(0-1023):通常是服务器端口,所以这可能是服务器的应答、NAT 设备,或人为构造的流量。',
  },
  'explain.sport.range.registered': {
    en: 'Source port {port} is in the registered range (1024-49151), where most systems pick temporary client ports: an ordinary client.',
    zh: '源端口 {port} 位于注册端口范围(1024-49151),大多数系统在这里分配临时客户端端口:一个普通的客户端。',
  },
  'explain.sport.range.dynamic': {
    en: 'Source port {port} is in the dynamic range (49152-65535): a temporary client port, as Windows, BSD and macOS choose them.',
    zh: '源端口 {port} 位于动态端口范围(49152-65535):是 Windows、BSD、macOS 等系统分配的临时客户端端口。',
  },
  'explain.sport.same': {
    en: 'Source and destination port are both {port}: some services talk this way (NTP, NetBIOS, IKE, DNS between servers); otherwise it is a crafted packet.',
    zh: '源端口和目的端口都是 {port}:有些服务本就如此通信(NTP、NetBIOS、IKE、服务器之间的 DNS);否则就是人为构造的数据包。',
  },
  'explain.sport.sameRecord': {
    en: 'Source and destination port are both {port}: some services talk this way (NTP, NetBIOS, IKE, DNS between servers); otherwise the traffic was crafted.',
    zh: '源端口和目的端口都是 {port}:有些服务本就如此通信(NTP、NetBIOS、IKE、服务器之间的 DNS);否则就是人为构造的流量。',
  },
  'explain.sport.reply': {
    en: 'From server port {port} to your high port {dport}: an answer to a request one of your own programs made (or a late answer after the firewall forgot the session).',
    zh: '从服务器端口 {port} 发往你的高端口 {dport}:这是对你自己程序请求的应答(或防火墙已忘记该会话后的迟到应答)。',
  },
  'explain.sport.evasion': {
    en: 'Source port {port} to destination port {dport}: no server answers from {port} to that port; the sender chose {port} hoping the firewall trusts it.',
    zh: '源端口 {port} 到目的端口 {dport}:没有服务器会从 {port} 向该端口应答;发送方选用 {port} 是想利用防火墙对它的信任。',
  },

  // --- explain: TCP flags ---
  'explain.flags.named': { en: 'Flags: {name}.', zh: '标志位:{name}。' },
  'explain.flags.set': { en: 'Flags set: {flags} ({name}).', zh: '标志位:{flags}({name})。' },
  'explain.icmp.badCode': {
    en: '{label} type {type} defines code {codes} only; code {code} is not sent by any network stack: the packet was made by hand (a scanner probing how a host answers, or a tool hiding data in the header).',
    zh: '{label} 类型 {type} 只定义了代码 {codes};代码 {code} 不会由任何网络协议栈发出:这个包是人为构造的(扫描器在试探主机如何应答,或工具在报头里藏数据)。',
  },
  'explain.reason.icmpBadCode': {
    en: '{label} type {type} with code {code}, which the RFC does not define: a crafted packet.',
    zh: '{label} 类型 {type} 带有 RFC 未定义的代码 {code}:人为构造的包。',
  },
  'explain.flags.overFlow': {
    en: 'TCP flags seen over the whole flow, not in one packet: {flags}.',
    zh: '整个流中出现过的 TCP 标志位(并非单个数据包):{flags}。',
  },
  'explain.flags.overFlowOpened': {
    en: 'A flow record lists every packet’s flags together: SYN with ACK says the connection was set up, FIN or RST that it ended. An ordinary connection, not a crafted packet.',
    zh: '流记录把每个数据包的标志位合在一起列出:SYN 与 ACK 同时出现说明连接已经建立,FIN 或 RST 说明连接已经结束。这是一条普通连接,并非伪造的数据包。',
  },
  'explain.flags.overFlowSynOnly': {
    en: 'Only SYNs over the whole flow: the connection was never set up (its attempts went unanswered or were refused).',
    zh: '整个流中只有 SYN:连接从未建立(连接请求没有得到应答或被拒绝)。',
  },
  'explain.flags.technique': { en: 'Scan technique: {technique}.', zh: '扫描技术:{technique}。' },
  'explain.flags.techniqueIfMany': {
    en: 'Sent to many ports at once, this shape is the {technique}.',
    zh: '如果同时发往大量端口,这种形态就是 {technique}。',
  },
  'explain.flags.role.open': { en: 'connection attempt', zh: '连接请求' },
  'explain.flags.role.reply': { en: 'answer to a connection attempt', zh: '对连接请求的应答' },
  'explain.flags.role.close': { en: 'closing or resetting a connection', zh: '关闭或重置连接' },
  'explain.flags.role.data': { en: 'data of an established connection', zh: '已建立连接中的数据' },
  'explain.flags.role.stealth': { en: 'stealth scan', zh: '隐蔽扫描' },
  'explain.flags.role.backscatter': { en: 'backscatter', zh: '反向散射' },
  'explain.flags.role.invalid': { en: 'impossible combination', zh: '不可能的组合' },
  'explain.flags.about.open': {
    en: 'A SYN opens a TCP connection; blocked SYNs are the most common line in any firewall log.',
    zh: 'SYN 用于发起 TCP 连接;被拦截的 SYN 是防火墙日志中最常见的记录。',
  },
  'explain.flags.about.reply': {
    en: 'SYN-ACK is the second step of the TCP handshake: the answer of a port that accepted a connection.',
    zh: 'SYN-ACK 是 TCP 三次握手的第二步:表示某个端口接受了连接。',
  },
  'explain.flags.about.close': {
    en: 'FIN and RST end a connection; they show up late when the firewall has already dropped the session from its table.',
    zh: 'FIN 和 RST 用于结束连接;当防火墙已把会话从状态表删除时,它们会作为迟到的数据包出现。',
  },
  'explain.flags.about.data': {
    en: 'ACK without SYN belongs to an existing connection; alone and unexpected it can also be an ACK scan mapping firewall rules.',
    zh: '不带 SYN 的 ACK 属于已有连接;如果单独、意外出现,也可能是用来探测防火墙规则的 ACK 扫描。',
  },
  'explain.flags.about.stealth': {
    en: 'Closed ports answer these odd packets with RST while open ones stay silent, which lets a scanner map ports without completing any connection.',
    zh: '关闭的端口会对这类异常数据包回 RST,开放的端口则不回应,扫描器借此在不建立连接的情况下探测端口。',
  },
  'explain.flags.about.backscatter': {
    en: 'Answers to packets someone else forged with your address.',
    zh: '这是对别人冒用你的地址伪造的数据包所作的应答。',
  },
  'explain.flags.about.invalid': {
    en: 'No correct TCP stack sends this combination; scanners use it to tell operating systems apart.',
    zh: '正常的 TCP 协议栈不会发出这种组合;扫描器用它来区分操作系统。',
  },
  'explain.flags.backscatter': {
    en: 'An unrequested {flags} packet means a host answered a packet that carried your address as its source: someone spoofed you (decoy scan or SYN flood).',
    zh: '未经请求的 {flags} 数据包说明某台主机在应答一个以你的地址为源地址的数据包:有人冒用了你的地址(诱饵扫描或 SYN 洪水)。',
  },
  'explain.flags.lateOrAckScan': {
    en: 'A lone {flags} is usually the tail of a connection the firewall already forgot; a burst of them across ports is an ACK scan.',
    zh: '单个 {flags} 通常是防火墙已忘记的连接的尾巴;如果大量出现在多个端口上,则是 ACK 扫描。',
  },

  // --- explain: ICMP ---
  'explain.icmp.typeCode': {
    en: '{label} type {type} code {code}: {name}.',
    zh: '{label} 类型 {type} 代码 {code}:{name}。',
  },
  'explain.icmp.unnamed': { en: '{label} type {type}', zh: '{label} 类型 {type}' },
  'explain.icmp.alsoType': { en: 'About the whole type ({name}):', zh: '关于整个类型({name}):' },
  'explain.icmp.unknown': {
    en: 'fwlens has no notes on {label} type {type}; ICMP has no ports, so type and code are all there is to read.',
    zh: 'fwlens 对 {label} 类型 {type} 没有记载;ICMP 没有端口,能读的只有类型和代码。',
  },
  'explain.inner.withPorts': {
    en: '{proto} from port {sport} to {dst} port {dport}',
    zh: '从端口 {sport} 发往 {dst} 端口 {dport} 的 {proto} 数据包',
  },
  'explain.inner.noPorts': { en: '{proto} to {dst}', zh: '发往 {dst} 的 {proto} 数据包' },
  'explain.inner.missing': {
    en: 'This is an ICMP error, but the line does not show the packet it quotes.',
    zh: '这是一个 ICMP 差错报文,但日志中没有显示它引用的数据包。',
  },
  'explain.inner.yours': {
    en: 'Your host {host} had sent {packet}; this message says it could not be delivered.',
    zh: '你的主机 {host} 曾发出{packet};这条消息表示它无法送达。',
  },
  'explain.inner.fromTarget': {
    en: 'The error comes from {reporter}, the target itself.',
    zh: '该差错报文来自目标主机 {reporter} 本身。',
  },
  'explain.inner.fromRouter': {
    en: 'The error comes from {reporter}, a router or firewall on the way.',
    zh: '该差错报文来自途中的路由器或防火墙 {reporter}。',
  },
  'explain.inner.notYours': {
    en: 'The quoted packet ({packet}) was sent by {from}, not by your host {host}: you never sent it. Someone forged traffic and the error came back to you (decoy scan or backscatter).',
    zh: '被引用的数据包({packet})由 {from} 发出,而不是你的主机 {host}:你从未发过它。有人伪造了流量,差错报文被送回到你这里(诱饵扫描或反向散射)。',
  },
  'explain.inner.weReport': {
    en: 'Your host {host} is telling {from} that its packet ({packet}) could not be delivered.',
    zh: '你的主机 {host} 正在告诉 {from}:它发来的数据包({packet})无法送达。',
  },
  'explain.inner.passing': {
    en: '{reporter} reports that {packet}, sent by {from}, could not be delivered.',
    zh: '{reporter} 报告:由 {from} 发出的{packet}无法送达。',
  },

  // --- explain: TTL ---
  'explain.ttl.guess': {
    en: '{field} {ttl}: probably started at {initial}, so the sender is about {hops:hop} away.',
    zh: '{field} 为 {ttl}:初始值很可能是 {initial},因此发送方大约在 {hops} 跳之外。',
  },
  'explain.ttl.guessWithOs': {
    en: '{field} {ttl}: probably started at {initial} ({systems}), so the sender is about {hops:hop} away.',
    zh: '{field} 为 {ttl}:初始值很可能是 {initial}({systems}),因此发送方大约在 {hops} 跳之外。',
  },
  'explain.ttl.own': {
    en: '{field} {ttl}: the starting value {initial}, as your own host sent it.',
    zh: '{field} 为 {ttl}:即你的主机发出时的初始值 {initial}。',
  },
  'explain.ttl.ownWithOs': {
    en: '{field} {ttl}: the starting value {initial} ({systems}), as your own host sent it.',
    zh: '{field} 为 {ttl}:即你的主机发出时的初始值 {initial}({systems})。',
  },
  'explain.ttl.absent': {
    en: 'This log format does not record the TTL, so the distance to the sender and its kind of system cannot be guessed.',
    zh: '这种日志格式不记录 TTL,因此无法推测发送方有多远、用的是哪类系统。',
  },
  'explain.ttl.noGuess': {
    en: '{field} {ttl} matches no common starting value.',
    zh: '{field} {ttl} 与常见的初始值都不相符。',
  },
  'explain.ttl.caveat': {
    en: 'A guess only: the starting value can be changed, and scanners often pick their own.',
    zh: '这只是推测:初始值可以修改,扫描器也常自行设定。',
  },

  // --- explain: advice ---
  'explain.advice.findProgram': {
    en: 'Find the program behind it (ss -tunap on Linux, netstat -abno on Windows) and remove it.',
    zh: '找出背后的程序(Linux 上用 ss -tunap,Windows 上用 netstat -abno)并将其移除。',
  },
  'explain.advice.allowed': {
    en: 'It got through: check that the service on that port is meant to be reachable and is patched.',
    zh: '它已被放行:请确认该端口上的服务确实应当对外开放,并已打好补丁。',
  },
  'explain.advice.spoof': {
    en: 'Drop such sources at the edge (anti-spoofing rules, reverse-path filtering: rp_filter).',
    zh: '在边界丢弃这类源地址(防伪造规则、反向路径过滤 rp_filter)。',
  },
  'explain.advice.reply': {
    en: 'Nothing to fear; if these answers are being dropped, your firewall needs a stateful rule that admits ESTABLISHED/RELATED traffic.',
    zh: '无需担心;如果这些应答被丢弃,说明防火墙需要一条允许 ESTABLISHED/RELATED 流量的状态规则。',
  },
  'explain.advice.backscatter': {
    en: 'Nothing to do on your side: you are not the target, only the forged source.',
    zh: '你这边无需处理:你不是攻击目标,只是被冒用的源地址。',
  },
  'explain.advice.stealth': {
    en: 'A deliberate scan: keep dropping it, and look for other probes from the same source.',
    zh: '这是有意的扫描:继续丢弃即可,并留意同一来源的其他探测。',
  },
  'explain.advice.noise': { en: 'Background noise: no action needed.', zh: '背景噪声:无需处理。' },
  'explain.advice.watch': {
    en: 'Keep it blocked and watch whether the same source keeps coming back.',
    zh: '保持拦截,并观察同一来源是否反复出现。',
  },
  'explain.advice.sourcePort': {
    en: 'Judge a source port together with the destination port and direction (fwlens explain "<log line>").',
    zh: '源端口要结合目的端口和方向一起判断(fwlens explain "<日志行>")。',
  },
  'explain.advice.unknownPort': {
    en: 'fwlens knows no story for this port: look at who sends to it and how often.',
    zh: 'fwlens 对这个端口没有更多记载:请看是谁在向它发包、频率如何。',
  },

  // --- explain: text rendering ---
  'explain.render.severity': { en: 'Severity {score}/5, because:', zh: '严重度 {score}/5,依据:' },
  'explain.render.clamped': {
    en: '(sum {sum}, kept within 1-5: {score})',
    zh: '(合计 {sum},限定在 1-5 之间:{score})',
  },
  'explain.render.advice': { en: 'What to do', zh: '建议' },
  'explain.render.sources': { en: 'Sources', zh: '资料来源' },

  // --- cli explain ---
  'cli.explain.badPort': {
    en: '"{query}" is not a port: use a number from 0 to 65535, optionally with /tcp, /udp or /sctp.',
    zh: '“{query}”不是有效端口:请使用 0 到 65535 之间的数字,可加 /tcp、/udp 或 /sctp。',
  },
  'cli.explain.badQuery': {
    en: '"{query}" is neither a port (like 31337 or 6970/udp) nor a log line.',
    zh: '“{query}”既不是端口(如 31337 或 6970/udp),也不是日志行。',
  },
  'cli.explain.unrecognisedLine': {
    en: 'No log format recognises this line; run "fwlens formats" to see the supported ones.',
    zh: '没有任何日志格式能识别这一行;运行“fwlens formats”查看支持的格式。',
  },
  'cli.explain.parseError': { en: 'The line could not be read: {error}.', zh: '无法解析这一行:{error}。' },
  'cli.explain.notUnderstood': {
    en: 'This line is a record of a known firewall whose message id fwlens does not understand yet ({id}), not a packet: there is nothing to explain.',
    zh: '这一行是已知防火墙的记录,但 fwlens 还不认识它的消息编号({id}),不是数据包:没有可解释的内容。',
  },
  'cli.explain.notTraffic': {
    en: 'This line is not a packet but what the log calls "{kind}": there is nothing to explain.',
    zh: '这一行不是数据包,而是日志中的“{kind}”记录:没有可解释的内容。',
  },
  // --- cli: input problems (src/ingest) ---
  'cli.input.noSuchFile': { en: 'cannot read {path}: no such file', zh: '无法读取 {path}:文件不存在' },
  'cli.input.permission': { en: 'cannot read {path}: permission denied', zh: '无法读取 {path}:权限不足' },
  'cli.input.directory': {
    en: 'cannot read {path}: it is a directory, not a log file',
    zh: '无法读取 {path}:这是一个目录,不是日志文件',
  },
  'cli.input.notRegular': {
    en: 'cannot read {path}: it is not a regular file (a device, a pipe or a socket); the store reads log files, and - for standard input',
    zh: '无法读取 {path}:这不是普通文件(而是设备、管道或套接字);存储库读取日志文件,标准输入请用 -',
  },
  'cli.input.other': { en: 'cannot read {path}: {error}', zh: '无法读取 {path}:{error}' },
  'cli.input.gzBinary': {
    en: '{path} is compressed binary data, not a text log',
    zh: '{path} 解压后是二进制数据,不是文本日志',
  },
  'cli.input.stoppedEarly': {
    en: '{path}: reading stopped early: {what}',
    zh: '{path}:读取提前中止:{what}',
  },
  'cli.input.gzTrailing': {
    en: '{path}: {bytes:byte} after the end of its compressed data are not gzip and were left out (everything before them was read)',
    zh: '{path}:压缩数据结束后的 {bytes:byte}不是 gzip 数据,已略去(之前的内容都已读取)',
  },
  'cli.input.truncatedGz': { en: 'the compressed file is truncated', zh: '压缩文件不完整(被截断)' },
  'cli.input.damagedGz': { en: 'the compressed data is damaged', zh: '压缩数据已损坏' },
  'cli.input.binary': {
    en: '{path} is a binary file, not a text log',
    zh: '{path} 是二进制文件,不是文本日志',
  },
  'cli.input.pcapUnsupported': {
    en: '{path} is a packet capture, which format "{format}" does not read',
    zh: '{path} 是抓包文件,格式“{format}”无法读取它',
  },
  'cli.input.unknownFormat': { en: 'unknown format "{format}"', zh: '未知的日志格式“{format}”' },
  'cli.input.mappingNeeded': {
    en: 'format "mapped" needs a mapping file (--mapping file.yaml)',
    zh: '格式“mapped”需要一个映射文件(--mapping file.yaml)',
  },
  'cli.input.mappingError': { en: 'mapping file {path}: {error}', zh: '映射文件 {path} 有问题:{error}' },

  // --- ingest: lines the reader itself finds damaged ---
  'ingest.lineTooLong': {
    en: 'line too long: {bytes:byte}, over the limit of {limit} (--max-line-bytes)',
    zh: '行过长:{bytes:byte},超过上限 {limit}(--max-line-bytes)',
  },
  'ingest.nulBytes': { en: 'NUL bytes in line', zh: '行内含有 NUL 字节' },
  'ingest.jsonTooLarge': {
    en: 'JSON document larger than {limit} characters',
    zh: 'JSON 文档超过 {limit} 个字符',
  },

  // --- parse: why a format's own line is damaged (the English is the report's `reason`, kept stable) ---
  'parse.netfilter.notNumber': { en: '{key}={value} is not a number', zh: '{key}={value} 不是数字' },
  'parse.netfilter.notHex': { en: '{key}={value} is not a hex number', zh: '{key}={value} 不是十六进制数' },
  'parse.netfilter.outOfRange': {
    en: '{key}={value} is out of range (0-{max})',
    zh: '{key}={value} 超出范围(0-{max})',
  },
  'parse.netfilter.notIp': { en: '{key}={value} is not an IP address', zh: '{key}={value} 不是 IP 地址' },
  'parse.netfilter.glued': {
    en: 'two records on one line (a line break is missing): IN= or SRC= appears twice',
    zh: '一行里有两条记录(缺了一个换行):IN= 或 SRC= 出现了两次',
  },
  'parse.netfilter.noInOut': {
    en: 'damaged netfilter line: SRC=, DST= and PROTO= are there but IN=/OUT= is missing',
    zh: '损坏的 netfilter 行:有 SRC=、DST= 和 PROTO=,却缺少 IN=/OUT=',
  },
  'parse.netfilter.noAddress': {
    en: 'truncated or damaged netfilter line: SRC= or DST= is missing',
    zh: '截断或损坏的 netfilter 行:缺少 SRC= 或 DST=',
  },
  'parse.netfilter.noProto': {
    en: 'truncated netfilter line: PROTO= is missing',
    zh: '截断的 netfilter 行:缺少 PROTO=',
  },
  'parse.netfilter.noPorts': {
    en: 'truncated netfilter line: {proto} packet without SPT=/DPT=',
    zh: '截断的 netfilter 行:{proto} 数据包没有 SPT=/DPT=',
  },
  'parse.side.source': { en: 'source', zh: '源' },
  'parse.side.destination': { en: 'destination', zh: '目的' },
  'parse.notIp': {
    en: '{side} address {value} is not an IP address',
    zh: '{side}地址 {value} 不是 IP 地址',
  },
  'parse.notPort': {
    en: '{side} port {value} is not a port (0-65535)',
    zh: '{side}端口 {value} 不是有效端口(0-65535)',
  },
  'parse.notProtocol': { en: 'protocol {value} is not a protocol', zh: '协议 {value} 不是可识别的协议' },
  'parse.notProtocolName': {
    en: 'protocol {value} is not an IP protocol name',
    zh: '协议 {value} 不是 IP 协议名',
  },
  'parse.notJsonObject': { en: 'not a JSON object', zh: '不是 JSON 对象' },
  'parse.damagedJson': { en: 'damaged JSON record: {detail}', zh: '损坏的 JSON 记录:{detail}' },
  'parse.jsonTooDeep': { en: 'nested more than {depth} levels deep', zh: '嵌套超过 {depth} 层' },
  'parse.notDateTime': {
    en: '{field} {value} is not a date and time',
    zh: '{field} {value} 不是有效的日期时间',
  },
  'parse.flowTimeEarly': {
    en: '{field} {value} is before {year}: no flow log was written then',
    zh: '{field} {value} 早于 {year} 年:那时还没有流日志',
  },
  'parse.sensorTimeEarly': {
    en: '{field} {value} is before {year}: a sensor whose clock was never set, or a damaged field, not a capture time',
    zh: '{field} {value} 早于 {year} 年:传感器时钟从未设置,或字段已损坏,不是抓包时间',
  },
  'parse.flowTimeLate': {
    en: '{field} {value} is more than a day after the input was written ({reference})',
    zh: '{field} {value} 比输入的写入时间({reference})晚一天以上',
  },
  'parse.impossibleStamp': {
    en: 'time stamp {value} is no real date and time',
    zh: '时间戳 {value} 不是真实存在的日期时间',
  },
  'parse.notProductDateTime': {
    en: '{value} is not {product} date and time',
    zh: '{value} 不是有效的 {product} 日期时间',
  },
  'parse.icmpOutOfRange': {
    en: 'ICMP type/code {value} out of range',
    zh: 'ICMP 类型/代码 {value} 超出范围',
  },
  'parse.cef.header': {
    en: 'CEF header has fewer than seven |-separated fields',
    zh: 'CEF 头部以 | 分隔的字段不足 7 个',
  },
  'parse.leef.header': {
    en: 'LEEF header is incomplete or names an unreadable delimiter',
    zh: 'LEEF 头部不完整,或指定的分隔符无法读取',
  },
  'parse.asa.ftdNoAddress': {
    en: 'FTD event {id} names no SrcIP or DstIP',
    zh: 'FTD 事件 {id} 没有写出 SrcIP 或 DstIP',
  },
  'parse.asa.layout': {
    en: 'message {id} does not have the documented layout',
    zh: '消息 {id} 不符合文档记载的格式',
  },
  'parse.ipfw.noRecord': {
    en: 'ipfw record without "<rule> <action> <protocol> <source> <destination> in|out via"',
    zh: 'ipfw 记录缺少 "<rule> <action> <protocol> <source> <destination> in|out via" 部分',
  },
  'parse.ipfw.icmpPorts': {
    en: 'ipfw ICMP record with ports on its addresses',
    zh: 'ipfw ICMP 记录的地址上带有端口',
  },
  'parse.ipfw.fragNote': {
    en: 'ipfw fragment note "{note}" is not (frag id:offset@length)',
    zh: 'ipfw 分片说明 "{note}" 不是 (frag id:offset@length) 的形式',
  },
  'parse.ipfw.ipIdOutOfRange': { en: 'IP id {value} out of range', zh: 'IP id {value} 超出范围' },
  'parse.ipfw.fragOffsetOutOfRange': {
    en: 'fragment offset {value} out of range',
    zh: '分片偏移 {value} 超出范围',
  },
  'parse.filterlog.action': {
    en: 'filterlog action "{value}" is not pass, block or reject',
    zh: 'filterlog 动作 "{value}" 不是 pass、block 或 reject',
  },
  'parse.filterlog.shortIp': {
    en: 'filterlog line ends inside the IPv{version} header columns',
    zh: 'filterlog 行在 IPv{version} 头部的列中途结束',
  },
  'parse.filterlog.wrongVersion': {
    en: 'addresses are not IPv{version} as the version column says',
    zh: '地址不是版本列所写的 IPv{version}',
  },
  'parse.snort.noPacket': {
    // `{PROTO}` is literal text here (no value fills it), written the same in both languages.
    en: 'alert without its `{PROTO} A:p -> B:p` packet part',
    zh: '告警缺少 `{PROTO} A:p -> B:p` 数据包部分',
  },
  'parse.snort.noSignature': {
    en: 'packet part without a [gid:sid:rev] signature or a connection event',
    zh: '有数据包部分,却既没有 [gid:sid:rev] 签名,也不是连接事件',
  },
  'parse.mikrotik.noParts': {
    en: 'RouterOS firewall line without the chain, proto, address and len parts',
    zh: 'RouterOS 防火墙行缺少 chain、proto、地址和 len 部分',
  },
  'parse.netscreen.noCode': {
    en: 'NetScreen record without a [vsys]system-<level>-<id> message code',
    zh: 'NetScreen 记录缺少 [vsys]system-<level>-<id> 消息代码',
  },
  'parse.netscreen.noAddress': {
    en: 'NetScreen traffic record without src= or dst=',
    zh: 'NetScreen 流量记录缺少 src= 或 dst=',
  },
  'parse.gcp.disposition': {
    en: 'disposition {value} is not ALLOWED or DENIED',
    zh: 'disposition {value} 不是 ALLOWED 或 DENIED',
  },
  'parse.gcp.time': { en: 'time {value} is not an RFC 3339 stamp', zh: '时间 {value} 不是 RFC 3339 时间戳' },
  'parse.nfw.eventNotObject': {
    en: 'firewall log record whose "event" is not an object',
    zh: '防火墙日志记录的 "event" 不是对象',
  },
  'parse.nfw.noEventType': {
    en: 'firewall log event without an event_type',
    zh: '防火墙日志事件缺少 event_type',
  },
  'parse.nfw.notFlowOrAlert': {
    en: 'firewall log event is not a flow or alert record',
    zh: '防火墙日志事件既不是 flow 记录,也不是 alert 记录',
  },
  'parse.pfirewall.action': {
    en: 'Windows Firewall action "{value}" is not known',
    zh: '未知的 Windows 防火墙动作 "{value}"',
  },
  'parse.pfirewall.tcpFlags': {
    en: 'tcpflags "{value}" are not TCP flag letters',
    zh: 'tcpflags "{value}" 不是 TCP 标志字母',
  },
  'parse.zonealarm.noFields': {
    en: 'ZoneAlarm {type} record without source, destination and transport',
    zh: 'ZoneAlarm {type} 记录缺少源、目的和传输协议',
  },
  'parse.zonealarm.transport': {
    en: 'ZoneAlarm transport "{value}" is not a protocol',
    zh: 'ZoneAlarm 传输协议 "{value}" 不是可识别的协议',
  },
  'parse.zonealarm.detail': {
    en: 'ZoneAlarm transport detail "({detail})" is not TCP flags or ICMP type/subtype',
    zh: 'ZoneAlarm 传输详情 "({detail})" 既不是 TCP 标志,也不是 ICMP type/subtype',
  },
  'parse.zonealarm.access': {
    en: 'ZoneAlarm ACCESS sentence not understood: "{text}"',
    zh: '无法理解的 ZoneAlarm ACCESS 语句:"{text}"',
  },
  'parse.zonealarm.time': {
    en: 'ZoneAlarm {type} record with an impossible date or time',
    zh: 'ZoneAlarm {type} 记录的日期或时间无效',
  },
  'parse.eve.action': {
    en: '{type} action {value} is not allowed or blocked',
    zh: '{type} 的动作 {value} 不是 allowed 或 blocked',
  },
  'parse.eve.noAddress': {
    en: '{type} record without src_ip or dest_ip',
    zh: '{type} 记录缺少 src_ip 或 dest_ip',
  },
  'parse.eve.timestamp': {
    en: 'timestamp {value} is not an ISO 8601 stamp',
    zh: 'timestamp {value} 不是 ISO 8601 时间戳',
  },
  'parse.pflog.noAddresses': {
    en: 'pflog record without a "source > destination:" part',
    zh: 'pflog 记录缺少 "source > destination:" 部分',
  },
  'parse.isa.columns': {
    en: 'ISA record with {count} of {total} columns',
    zh: 'ISA 记录只有 {count} 列,应有 {total} 列',
  },
  'parse.isa.action': {
    en: 'ISA Firewall action "{value}" is not known',
    zh: '未知的 ISA Firewall 动作 "{value}"',
  },
  'parse.isa.operation': {
    en: 'ISA Firewall service operation "{value}" is not known',
    zh: '未知的 ISA Firewall 服务操作 "{value}"',
  },
  'parse.isa.disposition': {
    en: 'ISA packet filter disposition "{value}" is not known',
    zh: '未知的 ISA 包过滤处置 "{value}"',
  },
  'parse.isa.tcpFlags': {
    en: 'tcp-flags "{value}" are not TCP flag words',
    zh: 'tcp-flags "{value}" 不是 TCP 标志名',
  },
  'parse.panos.noType': {
    en: 'record has {count} columns; the log type is column {column}',
    zh: '记录只有 {count} 列;日志类型在第 {column} 列',
  },
  'parse.panos.noAction': {
    en: '{type} record has {count} columns; the action is column {column}',
    zh: '{type} 记录只有 {count} 列;动作在第 {column} 列',
  },
  'parse.kernel.martian': {
    en: 'martian record without `D from S, on dev X`',
    zh: 'martian 记录缺少 `D from S, on dev X`',
  },
  'parse.kernel.shortPacket': {
    en: 'UDP short-packet record without `From A:p len/len to B:p`',
    zh: 'UDP short packet 记录缺少 `From A:p len/len to B:p`',
  },
  'parse.meraki.noDecision': {
    en: '{type} record states no allow/deny decision',
    zh: '{type} 记录没有写明 allow/deny 决定',
  },
  'parse.mapped.headerLacks': {
    en: 'header line lacks the mapped column(s) {columns}',
    zh: '表头行缺少映射的列 {columns}',
  },
  'parse.mapped.notInHeader': {
    en: 'column "{column}" is not in the header',
    zh: '列 "{column}" 不在表头中',
  },
  'parse.mapped.short': {
    en: 'record has {count} columns; {field} is mapped to column {column}',
    zh: '记录只有 {count} 列;{field} 映射到第 {column} 列',
  },
  'parse.mapped.action': {
    en: "action {value} is not in the mapping's actions",
    zh: '动作 {value} 不在映射的 actions 中',
  },
  'parse.mapped.direction': {
    en: "direction {value} is not in the mapping's directions",
    zh: '方向 {value} 不在映射的 directions 中',
  },
  'parse.mapped.noAddress': {
    en: 'record has neither a source nor a destination address',
    zh: '记录既没有源地址,也没有目的地址',
  },
  'parse.mapped.time': {
    en: 'time {value} does not match the format "{format}"',
    zh: '时间 {value} 不符合格式 "{format}"',
  },
  'parse.macos.stealth': {
    en: 'stealth-mode record without `to PROTO B:p from A:p`',
    zh: '隐身模式记录缺少 `to PROTO B:p from A:p`',
  },
  'parse.macos.connecting': {
    en: 'connecting record without `from A:p to port N proto=P`',
    zh: 'connecting 记录缺少 `from A:p to port N proto=P`',
  },
  'parse.wfp.direction': {
    en: 'direction {value} is not %%14592 or %%14593',
    zh: '方向 {value} 不是 %%14592 或 %%14593',
  },
  'parse.wfp.snareFields': {
    en: 'Snare record with {count} fields (14 or more expected)',
    zh: 'Snare 记录只有 {count} 个字段(应至少有 14 个)',
  },
  'parse.wfp.xmlNoProvider': {
    en: 'XML event without its Provider Name or EventID',
    zh: 'XML 事件缺少 Provider Name 或 EventID',
  },
  'parse.vpc.action': {
    en: 'action {value} is neither ACCEPT nor REJECT',
    zh: '动作 {value} 既不是 ACCEPT 也不是 REJECT',
  },
  'parse.vpc.noAddress': {
    en: 'flow record without source or destination address',
    zh: '流记录既没有源地址,也没有目的地址',
  },
  'parse.vpc.start': {
    en: 'start time {value} is not epoch seconds',
    zh: '开始时间 {value} 不是以秒计的 epoch 时间',
  },
  'parse.vpc.customFields': {
    en: 'AWS VPC flow record with {count} fields: a custom format needs its header line',
    zh: 'AWS VPC 流日志记录有 {count} 个字段:自定义格式需要它的表头行',
  },
  'parse.vpc.version': { en: 'version {value} is not a number', zh: '版本 {value} 不是数字' },
  'parse.ios.noList': {
    en: 'ACL log record without `list <acl> <verdict>`',
    zh: 'ACL 日志记录缺少 `list <acl> <verdict>`',
  },
  'parse.ios.verdict': {
    en: 'ACL verdict "{value}" is neither permitted nor denied',
    zh: 'ACL 判定 "{value}" 既不是 permitted 也不是 denied',
  },
  'parse.ios.noSource': { en: 'ACL log record names no source address', zh: 'ACL 日志记录没有写出源地址' },
  'parse.ios.noArrow': {
    en: 'ACL log record has no `->` before its destination',
    zh: 'ACL 日志记录的目的地址前没有 `->`',
  },
  'parse.ios.noDestination': {
    en: 'ACL log record ends before its destination',
    zh: 'ACL 日志记录在目的地址之前就结束了',
  },
  'parse.ios.acllogNoAddress': {
    en: 'ACLLOG flow record names no Src IP or Dst IP',
    zh: 'ACLLOG 流记录没有写出 Src IP 或 Dst IP',
  },
  'parse.ios.zoneLayout': {
    en: 'FW-6-{mnemonic} record does not have the documented layout',
    zh: 'FW-6-{mnemonic} 记录不符合文档记载的格式',
  },
  'parse.ios.noListAcl': { en: '{id} record without `list <acl>`', zh: '{id} 记录缺少 `list <acl>`' },
  'parse.barracuda.noAddress': {
    en: '{activity} activity record names no address',
    zh: '{activity} 活动记录没有写出地址',
  },
  'parse.nftrace.noAddress': { en: 'trace packet line without addresses', zh: 'trace packet 行没有地址' },
  'parse.watchguard.leef': { en: 'WatchGuard LEEF header is incomplete', zh: 'WatchGuard LEEF 头部不完整' },
  'parse.watchguard.layout': {
    en: 'WatchGuard traffic message does not have the Allow/Deny field layout',
    zh: 'WatchGuard 流量消息不符合 Allow/Deny 字段格式',
  },
  'parse.zeek.ts': { en: 'ts {value} is not a Zeek time', zh: 'ts {value} 不是 Zeek 时间' },
  'parse.zeek.noHeader': {
    en: 'conn record with {count} fields and no #fields header to name them',
    zh: 'conn 记录有 {count} 个字段,却没有为它们命名的 #fields 表头',
  },
  'parse.zeek.fieldCount': {
    en: 'conn record has {count} fields where the header declares {declared}',
    zh: 'conn 记录有 {count} 个字段,而表头声明的是 {declared} 个',
  },
  'parse.junos.filterLayout': {
    en: 'Junos firewall-filter log without the documented FW: layout',
    zh: 'Junos firewall-filter 日志不符合文档记载的 FW: 格式',
  },
  'parse.junos.noTag': {
    en: 'Junos security record without a readable tag or structured data',
    zh: 'Junos 安全记录没有可读的标签或结构化数据',
  },
  'parse.junos.textLayout': {
    en: '{tag} text does not have the documented layout',
    zh: '{tag} 文本不符合文档记载的格式',
  },
  'parse.nsg.tupleFields': {
    en: 'flow tuple has {count} fields; NSG and VNet tuples have 8 or 13',
    zh: '流元组有 {count} 个字段;NSG 和 VNet 的元组应有 8 或 13 个',
  },
  'parse.nsg.vnetState': {
    en: 'flow state {value} is not B, C, E or D',
    zh: '流状态 {value} 不是 B、C、E 或 D',
  },
  'parse.nsg.decision': { en: 'decision {value} is neither A nor D', zh: '决定 {value} 既不是 A 也不是 D' },
  'parse.nsg.state': { en: 'flow state {value} is not B, C or E', zh: '流状态 {value} 不是 B、C 或 E' },
  'parse.nsg.direction': { en: 'direction {value} is neither I nor O', zh: '方向 {value} 既不是 I 也不是 O' },
  'parse.nsg.time': { en: 'tuple time {value} is not epoch time', zh: '元组时间 {value} 不是 epoch 时间' },
  'parse.nsg.tupleOf': {
    en: 'flow tuple {n} of {total}: {reason}',
    zh: '第 {n} 个流元组(共 {total} 个):{reason}',
  },
  'parse.pcap.headerCutShort': {
    en: '{header} header cut short ({length} of {size} bytes)',
    zh: '{header} 头部被截断(只有 {length} 字节,应为 {size} 字节)',
  },
  'parse.pcap.loopbackCutShort': { en: 'loopback header cut short', zh: 'loopback 头部被截断' },
  'parse.pcap.nflogCutShort': { en: 'NFLOG header cut short', zh: 'NFLOG 头部被截断' },
  'parse.pcap.nflogOverrun': {
    en: 'NFLOG attribute at byte {at} overruns the frame',
    zh: '位于第 {at} 字节的 NFLOG 属性超出了帧的末尾',
  },
  'parse.pcap.linkType': {
    en: 'link type {linkType} is not one fwlens reads (Ethernet, raw IP, Linux cooked, loopback, NFLOG)',
    zh: '链路类型 {linkType} 不是 fwlens 能读取的类型(Ethernet、raw IP、Linux cooked、loopback、NFLOG)',
  },
  'parse.pcap.empty': { en: 'empty packet', zh: '空数据包' },
  'parse.pcap.ipVersion': {
    en: 'IP version {version} is neither 4 nor 6',
    zh: 'IP 版本 {version} 既不是 4 也不是 6',
  },
  'parse.pcap.ipv4HeaderLength': {
    en: 'IPv4 header length {length} is below 20',
    zh: 'IPv4 头部长度 {length} 小于 20',
  },
  'parse.pcap.noMagic': { en: 'the capture is shorter than its magic number', zh: '抓包文件比它的魔数还短' },
  'parse.pcap.fileHeader': { en: 'the capture file header is cut short', zh: '抓包文件的文件头被截断' },
  'parse.pcap.truncatedInHeader': {
    en: 'the capture is truncated in the header of packet {n}',
    zh: '抓包文件在第 {n} 个数据包的头部被截断',
  },
  'parse.pcap.badRecordHeader': {
    en: 'the capture is damaged at packet {n}: its record header is not valid',
    zh: '抓包文件在第 {n} 个数据包处损坏:它的记录头无效',
  },
  'parse.pcap.truncatedInside': {
    en: 'the capture is truncated inside packet {n}',
    zh: '抓包文件在第 {n} 个数据包内部被截断',
  },
  'parse.pcap.truncatedAfter': {
    en: 'the capture is truncated after packet {n}',
    zh: '抓包文件在第 {n} 个数据包之后被截断',
  },
  'parse.pcap.truncatedSection': {
    en: 'the capture is truncated in a section header',
    zh: '抓包文件在 section header 中被截断',
  },
  'parse.pcap.noByteOrder': {
    en: 'the pcapng section header has no valid byte-order magic',
    zh: 'pcapng 的 section header 没有有效的字节序魔数',
  },
  'parse.pcap.sectionLength': {
    en: 'the pcapng section header has an invalid length',
    zh: 'pcapng 的 section header 长度无效',
  },
  'parse.pcap.blockLength': {
    en: 'the capture is damaged after packet {n}: a block has an invalid length',
    zh: '抓包文件在第 {n} 个数据包之后损坏:有一个块的长度无效',
  },
  'parse.pcap.interfaceBlock': {
    en: 'the capture has a damaged interface description block',
    zh: '抓包文件中有一个损坏的接口描述块',
  },
  'parse.pcap.packet': { en: 'packet {n}: {reason}', zh: '第 {n} 个数据包:{reason}' },
  'parse.pcap.simpleNoInterface': {
    en: 'a simple packet block without an interface',
    zh: '没有对应接口的简单数据包块',
  },
  'parse.pcap.blockShort': { en: 'a packet block shorter than its header', zh: '数据包块比它的头部还短' },
  'parse.pcap.unknownInterface': {
    en: 'a packet of interface {index}, which the capture never described',
    zh: '数据包所属的接口 {index} 从未在抓包文件中描述过',
  },
  'parse.pcap.blockOverrun': {
    en: 'a packet block whose data overruns the block',
    zh: '数据包块中的数据超出了块的范围',
  },

  // --- cli: analyze ---
  'cli.analyze.seeFormats': {
    en: '{error}; run `fwlens formats` to see the formats fwlens reads',
    zh: '{error};运行 `fwlens formats` 查看 fwlens 支持的格式',
  },
  'cli.analyze.empty': { en: '{path} is empty', zh: '{path} 是空文件' },
  'cli.analyze.notFirewall': {
    en: '{path} does not look like a firewall log fwlens knows (none of its {lines:line} matched a format; see `fwlens formats`)',
    zh: '{path} 看起来不是 fwlens 认识的防火墙日志(它的 {lines} 行都不符合任何格式;见 `fwlens formats`)',
  },
  'cli.analyze.allDamaged': {
    en: '{path}: every firewall line was damaged ({n:line}); see the unparsed lines listed in the report',
    zh: '{path}:全部 {n} 行防火墙日志都已损坏;请查看报告中列出的未解析行',
  },
  'cli.analyze.allDamagedFirst': {
    en: '{path}: every firewall line was damaged ({n:line}); the first, line {line}: {reason}',
    zh: '{path}:全部 {n} 行防火墙日志都已损坏;第一处在第 {line} 行:{reason}',
  },
  'cli.analyze.onlyNonTraffic': {
    en: '{path} is a firewall log without traffic events: it holds {n:record} of other kinds ({kinds})',
    zh: '{path} 是防火墙日志,但没有流量事件:它的 {n:record}都不是流量({kinds})',
  },
  'cli.analyze.kernelSynFlood': {
    en: '{path}: the kernel warned {n:time} of a possible SYN flood on {where}: the queue of half-open connections overflowed, so it sent SYN cookies or refused connections; look at the SYN packets to it and their sources',
    zh: '{path}:内核 {n} 次警告{where}可能遭受 SYN 洪水攻击:半开连接队列已满,内核改发 SYN cookie 或拒绝连接;请查看发往该端口的 SYN 包及其来源',
  },
  'cli.analyze.kernelConntrackFull': {
    en: '{path}: the kernel’s connection-tracking table was full {n:time}, so it dropped packets: a flood, or more connections than net.netfilter.nf_conntrack_max allows',
    zh: '{path}:内核的连接跟踪表 {n} 次已满并因此丢包:可能是洪水攻击,或连接数超过了 net.netfilter.nf_conntrack_max 的上限',
  },
  'cli.analyze.localTimeAsUtc': {
    en: '{path}: its header says its times are the local time of the machine that wrote it (#Time Format: Local), in a zone the log does not name; they were read as UTC: give the zone with --tz (e.g. --tz Europe/Berlin)',
    zh: '{path}:文件头表明其时间为写入日志的机器的本地时间(#Time Format: Local),日志未注明时区;这些时间已按 UTC 读取:请用 --tz 指定时区(如 --tz Europe/Berlin)',
  },
  'cli.analyze.noEvents': { en: 'no firewall events found in the input', zh: '输入中没有找到防火墙事件' },
  'cli.analyze.writeFailed': {
    en: 'cannot write the {what} to {path}: {error}',
    zh: '无法把{what}写入 {path}:{error}',
  },
  'cli.output.directory': {
    en: 'cannot write the {what} to {path}: it is a directory; give a file name',
    zh: '无法把{what}写入 {path}:这是一个目录,请给出文件名',
  },
  'cli.output.noFolder': {
    en: 'cannot write the {what} to {path}: the folder {folder} does not exist',
    zh: '无法把{what}写入 {path}:目录 {folder} 不存在',
  },
  'cli.output.permission': {
    en: 'cannot write the {what} to {path}: permission denied',
    zh: '无法把{what}写入 {path}:权限不足',
  },
  'cli.output.diskFull': {
    en: 'cannot write the {what} to {path}: the disk is full',
    zh: '无法把{what}写入 {path}:磁盘已满',
  },
  'cli.analyze.htmlReport': { en: 'HTML report', zh: ' HTML 报告' },
  'cli.analyze.csvFindings': { en: 'CSV of findings', zh: '发现列表 CSV ' },
  // The loader's error already names the file and says it is the detection config.
  'cli.analyze.badConfig': { en: '{error}', zh: '检测配置有问题:{error}' },
  'cli.analyze.jsonAndNdjson': {
    en: '--json and --ndjson both write to standard output: choose one',
    zh: '--json 和 --ndjson 都写到标准输出:只能选一个',
  },
  'cli.analyze.failOnReached': {
    en: '{n} finding(s) reach severity {severity} or more (--fail-on {severity}): exit code 4',
    zh: '有 {n} 项发现达到或超过严重度 {severity}(--fail-on {severity}):退出码 4',
  },
  'cli.analyze.failOnNotable': {
    en: '{n} event(s) reach severity {severity} or more (--fail-on {severity}): exit code 4',
    zh: '有 {n} 个事件达到或超过严重度 {severity}(--fail-on {severity}):退出码 4',
  },
  'cli.stdoutFailed': {
    en: 'cannot write to standard output: {error}',
    zh: '无法写入标准输出:{error}',
  },
  'cli.unexpected': { en: 'unexpected failure: {error}', zh: '意外错误:{error}' },

  // --- cli: wrong flags (commander errors and our own option checks) ---
  'cli.usage.unknownOption': { en: "unknown option '{option}'", zh: '未知选项“{option}”' },
  'cli.usage.unknownCommand': { en: "unknown command '{command}'", zh: '未知命令“{command}”' },
  'cli.usage.missingArgument': {
    en: "missing required argument '{argument}'",
    zh: '缺少必需的参数“{argument}”',
  },
  'cli.usage.optionMissingArgument': {
    en: "option '{option}' argument missing",
    zh: '选项“{option}”缺少取值',
  },
  'cli.usage.invalidChoice': {
    en: "option '{option}' argument '{value}' is invalid; allowed: {choices}",
    zh: '选项“{option}”的取值“{value}”无效;允许的取值:{choices}',
  },
  'cli.usage.excessArguments': {
    en: 'too many arguments: expected {expected}, got {got}',
    zh: '参数过多:应为 {expected} 个,实际 {got} 个',
  },
  'cli.usage.didYouMean': { en: '(Did you mean {suggestion}?)', zh: '(你是想输入 {suggestion} 吗?)' },
  'cli.usage.other': { en: '{error}', zh: '命令行有误:{error}' },
  'cli.usage.wholeNumber': {
    en: '{name} must be a whole number from {min} to {max}, not "{value}"',
    zh: '{name} 必须是 {min} 到 {max} 之间的整数,而不是“{value}”',
  },
  'cli.usage.tz': {
    en: '--tz takes a time zone name such as Europe/Berlin or an offset such as +08:00, -0500 or UTC, not "{value}"',
    zh: '--tz 应为时区名(如 Europe/Berlin)或偏移量(如 +08:00、-0500、UTC),而不是“{value}”',
  },
  'cli.usage.time': {
    en: '{name} takes an ISO time (2024-05-01T10:00Z) or an age like 24h, 7d, 30m, not "{value}"',
    zh: '{name} 需要 ISO 时间(2024-05-01T10:00Z)或 24h、7d、30m 这样的时长,而不是“{value}”',
  },
  'cli.usage.address': {
    en: '{name} takes an IP address or a CIDR network (192.0.2.0/24), not "{value}"',
    zh: '{name} 需要 IP 地址或 CIDR 网段(如 192.0.2.0/24),而不是“{value}”',
  },
  'cli.usage.port': {
    en: '--port takes ports and ranges from 0 to 65535 (22,80,8000-8100), not "{value}"',
    zh: '--port 需要 0 到 65535 之间的端口或范围(如 22,80,8000-8100),而不是“{value}”',
  },
  'cli.usage.action': {
    en: '--action takes allow, deny, reject or log (comma-separated), not "{value}"',
    zh: '--action 的取值是 allow、deny、reject 或 log(可用逗号分隔),而不是“{value}”',
  },
  'cli.usage.severity': {
    en: '{name} takes 1-5 or info, low, medium, high, critical, not "{value}"',
    zh: '{name} 的取值是 1-5 或 info、low、medium、high、critical,而不是“{value}”',
  },

  // --- cli: help text ---
  'cli.help.program': {
    en: 'Firewall-log forensics: what am I seeing, and should I worry?',
    zh: '防火墙日志取证:我看到的是什么,需要担心吗?',
  },
  'cli.help.help': { en: 'display help for command', zh: '显示命令的帮助' },
  'cli.help.helpCommand': { en: 'display help for a command', zh: '显示某个命令的帮助' },
  'cli.help.version': { en: 'output the version number', zh: '显示版本号' },
  'cli.help.title.usage': { en: 'Usage:', zh: '用法:' },
  'cli.help.title.options': { en: 'Options:', zh: '选项:' },
  'cli.help.title.commands': { en: 'Commands:', zh: '命令:' },
  'cli.help.title.arguments': { en: 'Arguments:', zh: '参数:' },
  'cli.help.title.globalOptions': { en: 'Global Options:', zh: '全局选项:' },
  'cli.help.choices': { en: 'choices:', zh: '可选值:' },
  'cli.help.default': { en: 'default:', zh: '默认值:' },
  'cli.help.lang': {
    en: 'language of the output (default: from LANG / LC_ALL)',
    zh: '输出语言(默认取自 LANG / LC_ALL)',
  },
  'cli.help.explain': {
    en: 'explain a port (31337, 6970/udp), a source port (53 --source) or a whole log line',
    zh: '解释一个端口(31337、6970/udp)、一个源端口(53 --source)或一整行日志',
  },
  'cli.help.explain.query': {
    en: 'port, port/proto, or a quoted log line',
    zh: '端口、端口/协议,或加引号的日志行',
  },
  'cli.help.explain.source': {
    en: 'explain the number as a SOURCE port (what it says about the sender)',
    zh: '把数字当作源端口解释(它透露了发送方的什么信息)',
  },
  'cli.help.explain.json': { en: 'print the explanation as JSON', zh: '以 JSON 输出解释' },
  'cli.help.analyze': {
    en: 'read firewall logs (files, .gz, or - for stdin) and report what is going on',
    zh: '读取防火墙日志(文件、.gz,或用 - 表示标准输入)并报告发生了什么',
  },
  'cli.help.analyze.inputs': {
    en: 'log files, .gz files, or - for standard input',
    zh: '日志文件、.gz 文件,或用 - 表示标准输入',
  },
  'cli.help.analyze.format': {
    en: 'log format id, or auto to detect per file and line (see `fwlens formats`)',
    zh: '日志格式 id,或 auto 表示按文件和行自动识别(见 `fwlens formats`)',
  },
  'cli.help.analyze.mapping': {
    en: 'mapping file (YAML) for --format mapped: which CSV column or JSON key is which field',
    zh: '--format mapped 使用的映射文件(YAML):哪一列 CSV 或哪个 JSON 键对应哪个字段',
  },
  'cli.help.analyze.json': { en: 'print the report as one JSON document', zh: '把报告输出为一个 JSON 文档' },
  'cli.help.analyze.ndjson': {
    en: 'print one ECS JSON line per event and per finding (for Elasticsearch, OpenSearch, Loki, Splunk)',
    zh: '每个事件和每项发现输出一行 ECS JSON(供 Elasticsearch、OpenSearch、Loki、Splunk 导入)',
  },
  'cli.help.analyze.csv': {
    en: 'also write the findings as CSV to this file',
    zh: '同时把发现列表以 CSV 写入该文件',
  },
  'cli.help.analyze.html': {
    en: 'also write a self-contained HTML report (charts, tables, both languages)',
    zh: '同时写出一个独立的 HTML 报告(图表、表格、中英双语)',
  },
  'cli.help.analyze.top': { en: 'rows in each top-N table', zh: '每个排行表的行数' },
  'cli.help.analyze.workers': {
    en: 'threads that analyse in parallel, 1-4 or auto (one per core for files over 32 MB); the report is the same for any number',
    zh: '并行分析的线程数,1-4 或 auto(文件超过 32 MB 时每个 CPU 核一个);线程数不影响报告内容',
  },
  'cli.usage.workers': {
    en: '--workers takes a whole number from 1 to 4, or auto (got "{value}").',
    zh: '--workers 需要 1 到 4 的整数或 auto(收到的是 "{value}")。',
  },
  'cli.analyze.threadsOverCores': {
    en: '{threads} threads on {cores} cores: every thread reads every line, so threads beyond the cores make the run slower, not faster; --workers auto takes one per core.',
    zh: '{threads} 个线程跑在 {cores} 个核上:每个线程都要读每一行,超出核数的线程只会让运行更慢;--workers auto 按每核一个线程。',
  },
  'cli.analyze.workerFailed': {
    en: 'a worker thread stopped before finishing ({error}); if it ran out of memory, give each thread more with the environment variable FWLENS_WORKER_HEAP_MB=<megabytes> (see docs/performance.md).',
    zh: '一个工作线程未完成就停止了({error});如果是内存不足,可用环境变量 FWLENS_WORKER_HEAP_MB=<兆字节数> 给每个线程更多内存(见 docs/performance.md)。',
  },
  'cli.help.analyze.year': {
    en: 'year the log ends in, for syslog stamps without a year (default: from the file date)',
    zh: '日志结束的年份,用于没有年份的 syslog 时间戳(默认取自文件日期)',
  },
  'cli.help.analyze.allowList': {
    en: 'file of trusted partners (addresses, CIDRs, AS64500; # comments): their events and findings stay at info; repeatable',
    zh: '可信伙伴名单文件(地址、CIDR、AS64500;# 注释):其事件与检测结论不超过提示级;可重复',
  },
  'cli.help.analyze.denyList': {
    en: 'file of known bad actors (same syntax): their events and findings rise by one, with the reason; repeatable',
    zh: '已知恶意来源名单文件(同样格式):其事件与检测结论升高一级并注明原因;可重复',
  },
  'cli.help.analyze.geoipDb': {
    en: 'country database (.mmdb, e.g. GeoLite2-Country) instead of the bundled registry data',
    zh: '国家数据库(.mmdb,例如 GeoLite2-Country),代替自带的登记数据',
  },
  'cli.help.analyze.noContext': {
    en: 'no owner (ASN, organisation), country or research-scanner look-ups',
    zh: '不查询归属(ASN、组织)、国家或研究型扫描器',
  },
  'cli.help.analyze.rdns': {
    en: 'resolve reverse DNS names of the addresses the report shows (network traffic; off by default)',
    zh: '解析报告中出现的地址的反向域名(会产生网络流量;默认关闭)',
  },
  'cli.help.analyze.rdnsCache': {
    en: 'cache file of reverse DNS answers for --rdns (kept 7 days)',
    zh: '--rdns 的反向解析缓存文件(保留 7 天)',
  },
  'cli.help.analyze.config': {
    en: 'detection config (YAML): trusted networks, own addresses, thresholds',
    zh: '检测配置(YAML):受信网络、自有地址、阈值',
  },
  'cli.help.contextConfig': {
    en: 'config (YAML) as for analyze: its allowList, denyList and researchScanners policy count in severities',
    zh: '与 analyze 相同的配置(YAML):其中的 allowList、denyList 与 researchScanners 策略计入严重度',
  },
  'cli.help.analyze.tz': {
    en: 'time zone of stamps that carry none: a zone name with its daylight saving (Europe/Berlin) or an offset (+08:00); default UTC',
    zh: '不带时区的时间戳所用的时区:带夏令时规则的时区名(Europe/Berlin)或固定偏移(+08:00);默认 UTC',
  },
  'cli.help.analyze.maxLineBytes': {
    en: 'longest line read, in bytes (default 65536); a longer line is counted as damaged, with its line number',
    zh: '可读取的最长行(字节,默认 65536);更长的行记为损坏行,并注明行号',
  },
  'cli.help.analyze.since': {
    en: 'only events at or after this time (ISO, or an age like 24h, 7d)',
    zh: '只看此时间及之后的事件(ISO 时间,或 24h、7d 这样的时长)',
  },
  'cli.help.analyze.until': {
    en: 'only events before this time (ISO, or an age like 1h)',
    zh: '只看此时间之前的事件(ISO 时间,或 1h 这样的时长)',
  },
  'cli.help.analyze.src': {
    en: 'only events from these source addresses or CIDRs (comma-separated)',
    zh: '只看来自这些源地址或 CIDR 网段的事件(逗号分隔)',
  },
  'cli.help.analyze.dst': {
    en: 'only events to these destination addresses or CIDRs (comma-separated)',
    zh: '只看发往这些目的地址或 CIDR 网段的事件(逗号分隔)',
  },
  'cli.help.analyze.port': {
    en: 'only events to these destination ports or ranges (22,80,8000-8100)',
    zh: '只看发往这些目的端口或端口范围的事件(如 22,80,8000-8100)',
  },
  'cli.help.analyze.action': {
    en: 'only events with these actions: allow, deny, reject, log',
    zh: '只看这些动作的事件:allow、deny、reject、log',
  },
  'cli.help.analyze.minSeverity': {
    en: 'only events of at least this severity (1-5 or info, low, medium, high, critical)',
    zh: '只看严重度不低于此值的事件(1-5,或 info、low、medium、high、critical)',
  },
  'cli.help.analyze.failOn': {
    en: 'exit with code 4 when a finding reaches this severity (1-5 or info ... critical)',
    zh: '当某项发现达到该严重度时以退出码 4 结束(1-5,或 info ... critical)',
  },
  // --- watch ---
  'cli.help.watch': {
    en: 'follow firewall logs live (files, globs, the journal, a syslog receiver, or - for stdin) and announce findings as they happen',
    zh: '实时跟踪防火墙日志(文件、通配符、systemd 日志、syslog 接收器,或用 - 表示标准输入),发现即告警',
  },
  'cli.help.watch.sources': {
    en: 'files, directories or globs to follow like tail -F (any path part, ** for subfolders), or - for stdin',
    zh: '像 tail -F 一样跟踪的文件、目录或通配符(任意路径部分均可,** 表示各级子目录),或用 - 表示标准输入',
  },
  'cli.help.watch.from': {
    en: 'where to start files present at start-up without a saved position',
    zh: '启动时已存在且无保存位置的文件从何处开始读',
  },
  'cli.help.watch.stateDir': {
    en: 'directory for positions, announced findings and the status file (default $XDG_STATE_HOME/fwlens or ~/.local/state/fwlens)',
    zh: '保存读取位置、已告警发现和状态文件的目录(默认 $XDG_STATE_HOME/fwlens 或 ~/.local/state/fwlens)',
  },
  'cli.help.watch.json': {
    en: 'one ECS NDJSON line per announcement on stdout',
    zh: '每条告警在标准输出写一行 ECS NDJSON',
  },
  'cli.help.watch.status': {
    en: 'show what the running watcher is doing (sources, positions, lines/s, lag, queues, the store, last alert) and exit',
    zh: '显示正在运行的监视进程的状态(来源、位置、每秒行数、延迟、队列、存储库、最近告警)后退出',
  },
  'cli.help.watch.minSeverity': {
    en: 'announce only findings at or above this severity (1-5 or a name)',
    zh: '只告警达到此严重度的发现(1-5 或名称)',
  },
  'cli.help.watch.poll': { en: 'polling interval in milliseconds', zh: '轮询间隔(毫秒)' },
  'cli.help.watch.store': {
    en: 'also write what is read into the store ingest writes (events, unparsed lines, findings), committed before each checkpoint: a DuckDB file (the default store when no path is given: --store=PATH) or clickhouse://...',
    zh: '同时把读到的内容写入 ingest 所用的存储库(事件、未解析行、发现),每次检查点之前先提交:DuckDB 文件(不给路径时使用默认存储库:--store=PATH)或 clickhouse://...',
  },
  'cli.help.watch.storeEvery': {
    en: 'commit to the store at least every this many seconds (default 5); a DuckDB file stays open between commits and is let go as soon as serve, query or ingest asks for it',
    zh: '至少每隔这么多秒向存储库提交一次(默认 5);两次提交之间 DuckDB 文件保持打开,serve、query 或 ingest 请求使用时立即释放',
  },
  'cli.help.watch.storeBatch': {
    en: 'commit to the store as soon as this many events wait (default 20000)',
    zh: '等待的事件达到此数量时立即向存储库提交(默认 20000)',
  },
  'cli.help.watch.storeMemory': {
    en: 'keep at most this many bytes of read lines in memory for the store (default 16MiB); beyond it, while the store cannot be written, lines of files are read again from the files once it can, and stdin is paused',
    zh: '为存储库在内存中最多保留这么多字节的已读行(默认 16MiB);超出后,在存储库无法写入期间,文件中的行会在可写入后从文件重新读取,标准输入则暂停读取',
  },
  'cli.help.watch.keep': {
    en: 'with --store: drop stored events and findings older than this age (90d, 12w) as the watch writes (at start and at its first commit, then at most hourly, also while nothing is read), never the newest day',
    zh: '与 --store 一起使用:监视写入时删除早于该时长(90d、12w)的已存事件和发现(启动时和第一次提交时执行,之后最多每小时一次,没有新日志时也会执行),最新一天的数据永不删除',
  },
  'cli.help.watch.maxSize': {
    en: 'with --store: drop the oldest stored days until the store’s data takes at most this size (500MB, 2GB) as the watch writes (at start and at its first commit, then at most hourly, also while nothing is read), never the newest day',
    zh: '与 --store 一起使用:监视写入时从最旧的日期开始删除,直到存储库的数据不超过此大小(500MB、2GB)(启动时和第一次提交时执行,之后最多每小时一次,没有新日志时也会执行),最新一天永不删除',
  },
  'cli.help.watch.storeWait': {
    en: 'at each commit, wait up to this many seconds while another process has the DuckDB store file open (default 10)',
    zh: '每次提交时,若 DuckDB 存储库文件被其他进程打开,最多等待这么多秒(默认 10)',
  },
  'cli.help.watch.storeHold': {
    en: 'keep the DuckDB store file open for up to this many seconds of commits when no other process asks for it, then let it go (default 4; shorter uses less memory, longer opens it less often)',
    zh: '没有其他进程请求时,DuckDB 存储库文件在连续提交中最多保持打开这么多秒,然后释放(默认 4;越短占用内存越少,越长打开次数越少)',
  },
  'cli.help.example.watchKeep': {
    en: 'the same, and drop what is older than 90 days as it goes (for a watch left running)',
    zh: '同上,并在运行中删除 90 天以前的数据(适合长期运行的监视)',
  },
  'cli.help.example.watchStore': {
    en: 'follow a log and keep the default store current for query, analyze --store and serve',
    zh: '跟踪日志,并让默认存储库保持最新,供 query、analyze --store 和 serve 使用',
  },
  'cli.help.watch.webhook': {
    en: 'POST each alert as JSON to this URL (retried from an on-disk queue; repeatable)',
    zh: '把每条告警以 JSON POST 到该 URL(失败时从磁盘队列重试;可重复)',
  },
  'cli.help.watch.webhookHeader': {
    en: "extra webhook request header, e.g. 'Authorization: Bearer …' (repeatable)",
    zh: "webhook 请求的附加头,例如 'Authorization: Bearer …'(可重复)",
  },
  'cli.help.watch.webhookCa': {
    en: 'PEM certificates to trust for an https webhook (an internal CA)',
    zh: 'https webhook 所信任的 PEM 证书(内部 CA)',
  },
  'cli.help.watch.exec': {
    en: 'run this command for each alert, with the alert JSON on its stdin (no shell)',
    zh: '每条告警运行该命令,告警 JSON 从标准输入传入(不经 shell)',
  },
  'cli.help.watch.execTimeout': {
    en: 'how long the --exec command may run (e.g. 30s)',
    zh: '--exec 命令最长运行时间(例如 30s)',
  },
  'cli.help.watch.ndjson': {
    en: "append each alert as an ECS NDJSON document to this file ('-' for stdout)",
    zh: "把每条告警作为 ECS NDJSON 文档追加到该文件('-' 表示标准输出)",
  },
  'cli.help.watch.quiet': { en: 'no alert lines on the terminal', zh: '终端上不显示告警行' },
  'cli.help.watch.digest': {
    en: 'send one summary per period instead of single alerts (e.g. 15m)',
    zh: '按周期发送一份汇总,而非逐条告警(例如 15m)',
  },
  'cli.help.watch.dedup': {
    en: 'suppress a repeat of the same detector and sources within this time (default 15m)',
    zh: '在该时间内抑制同一检测器、同一来源的重复告警(默认 15m)',
  },
  'cli.help.watch.block': {
    en: 'block sources of strong findings with nft or ipset (printed only, unless --apply)',
    zh: '用 nft 或 ipset 封禁高危发现的来源(默认只打印命令,加 --apply 才执行)',
  },
  'cli.help.watch.apply': {
    en: 'run the block commands instead of printing them',
    zh: '执行封禁命令,而不只是打印',
  },
  'cli.help.watch.blockSeverity': {
    en: 'lowest severity that blocks (default high)',
    zh: '触发封禁的最低严重度(默认 high)',
  },
  'cli.help.watch.blockTimeout': { en: 'how long a block lasts (default 1h)', zh: '封禁持续时间(默认 1h)' },
  'cli.help.watch.blockAllow': {
    en: 'address classes that may be blocked besides public ones (e.g. private,cgnat)',
    zh: '除公网地址外允许封禁的地址类别(例如 private,cgnat)',
  },
  'cli.help.watch.listen': {
    en: 'receive syslog on udp://HOST:PORT or tcp://HOST:PORT (repeatable; 127.0.0.1 unless a host is given)',
    zh: '在 udp://主机:端口 或 tcp://主机:端口 接收 syslog(可重复;未指定主机时为 127.0.0.1)',
  },
  'cli.help.watch.tlsCert': {
    en: 'certificate (PEM) for syslog over TLS on tcp listeners',
    zh: 'TCP 监听使用 TLS 时的证书(PEM)',
  },
  'cli.help.watch.tlsKey': { en: 'private key (PEM) for syslog over TLS', zh: 'syslog over TLS 的私钥(PEM)' },
  'cli.help.watch.journal': {
    en: 'follow the systemd journal (kernel messages and firewalld) through journalctl',
    zh: '通过 journalctl 跟踪 systemd 日志(内核消息与 firewalld)',
  },
  'cli.help.example.watchFile': { en: 'follow a log file through rotations', zh: '跟踪日志文件(包括轮转)' },
  'cli.help.example.watchJournal': { en: 'follow the systemd journal', zh: '跟踪 systemd 日志' },
  'cli.help.example.watchSyslog': { en: 'receive syslog on a local port', zh: '在本地端口接收 syslog' },
  'cli.help.example.watchStatus': { en: 'what the running watcher is doing', zh: '正在运行的监视进程的状态' },
  'watch.alert.new': { en: 'NEW', zh: '新发现' },
  'watch.alert.update': { en: 'UPDATE', zh: '更新' },
  'watch.storeIsNoStore': {
    en: '--store took {path} for the store to write, but it is not a store: name the store with --store=PATH, or put --store after the files to watch',
    zh: '--store 把 {path} 当作要写入的存储,但它不是存储:请用 --store=路径 指定存储,或把 --store 放在要监视的文件之后',
  },
  'watch.noSources': {
    en: 'nothing to watch: name files, - for stdin, --journal or --listen',
    zh: '没有可监视的来源:请给出文件、- (标准输入)、--journal 或 --listen',
  },
  'watch.store.retention': {
    en: 'store {location}: {what}',
    zh: '存储库 {location}:{what}',
  },
  'watch.store.pruneFailing': {
    en: 'cannot apply --keep / --max-size to the store {location}: {error}; what was written stays, and it is tried again in an hour',
    zh: '无法对存储库 {location} 执行 --keep / --max-size:{error};已写入的数据保留不变,一小时后重试',
  },
  'watch.retentionNeedsStore': {
    en: '--keep and --max-size bound the store the watcher writes: give --store as well',
    zh: '--keep 和 --max-size 限制的是监视写入的存储库:请同时给出 --store',
  },
  'watch.store.failing': {
    en: 'cannot write the store {location}: {error}; the watch goes on, keeps what it reads for the store in memory (up to --store-memory, then in the log files), holds its checkpoint back and tries the store again',
    zh: '无法写入存储库 {location}:{error};监视继续进行,要写入存储库的内容暂存在内存中(最多 --store-memory,超出部分留在日志文件中),检查点暂缓写入,并会重试存储库',
  },
  'watch.store.holdingBack': {
    en: 'the store {location} still cannot be written and {size} of read lines wait in memory for it: from now on the watch keeps following and alerting, but leaves the lines for the store in the log files and reads them from there again once the store can be written (standard input is paused instead)',
    zh: '存储库 {location} 仍无法写入,已有 {size} 的已读行在内存中等待:从现在起监视继续跟踪并告警,但要写入存储库的行留在日志文件中,待存储库可写入后再从文件重新读取(标准输入则暂停读取)',
  },
  'watch.store.caughtUp': {
    en: 'the store {location} holds every line again: {lines} lines were read again from the log files',
    zh: '存储库 {location} 已重新包含全部行:从日志文件重新读取了 {lines} 行',
  },
  'watch.store.recoveredHolding': {
    en: 'the store {location} can be written again; what waited in memory is in it, and the lines held back are now read again from the log files',
    zh: '存储库 {location} 又可以写入了;内存中等待的内容已写入,暂留在日志文件中的行正在重新读取',
  },
  'watch.store.recovered': {
    en: 'the store {location} can be written again; what waited is in it',
    zh: '存储库 {location} 又可以写入了;等待中的内容已写入',
  },
  'watch.stateDirTaken': {
    en: 'another watcher (pid {pid}) uses the state directory {path}; give each watcher its own --state-dir',
    zh: '另一个监视进程(pid {pid})正在使用状态目录 {path};请为每个监视进程指定各自的 --state-dir',
  },
  'watch.staleLock': {
    en: 'the state directory {path} was locked by pid {pid}, which is no longer a watcher (killed, or the machine restarted and the pid is another process now): the stale lock was taken over',
    zh: '状态目录 {path} 曾被 pid {pid} 锁定,但该进程已不是监视进程(已被终止,或机器重启后该 pid 属于另一个进程):已接管这个过期的锁',
  },
  'watch.stateDirError': {
    en: 'cannot use the state directory {path}: {error}',
    zh: '无法使用状态目录 {path}:{error}',
  },
  'watch.notRunning': {
    en: 'the watcher of {path} (pid {pid}) is not running; this is the status it wrote last, at {at}',
    zh: '{path} 的监视进程(pid {pid})没有在运行;以下是它最后一次写下的状态({at})',
  },
  'watch.statusStale': {
    en: 'the status of the watcher of {path} (pid {pid}) was written at {at}, {ago} s ago, more than three of its {period} s heartbeats: the watcher is stuck or cannot write its state directory (a full disk?)',
    zh: '{path} 的监视进程(pid {pid})的状态写于 {at},已过去 {ago} 秒,超过三个 {period} 秒的心跳周期:监视进程可能卡住了,或无法写入其状态目录(磁盘已满?)',
  },
  // --- watch --status, the text form (the watcher's status file, as it wrote it; names of counters are data) ---
  'watch.status.head': {
    en: 'pid {pid}{notRunning}, status written {at}{age}',
    zh: 'pid {pid}{notRunning},状态写于 {at}{age}',
  },
  'watch.status.notRunning': { en: ' (not running)', zh: '(未运行)' },
  'watch.status.age': { en: ' ({ago} s ago)', zh: '({ago} 秒前)' },
  'watch.status.ageStale': { en: ' ({ago} s ago, stale)', zh: '({ago} 秒前,已过时)' },
  'watch.status.sourceProblem': {
    en: '  {path}  {problem} (since {since})',
    zh: '  {path}  {problem}(自 {since} 起)',
  },
  'watch.status.stdin': {
    en: '  - (standard input)  line {line}, {bytes} bytes read, {state}, {rate} lines/s',
    zh: '  - (标准输入)  第 {line} 行,已读 {bytes} 字节,{state},每秒 {rate} 行',
  },
  'watch.status.stdinEnded': { en: 'ended', zh: '已结束' },
  'watch.status.stdinOpen': { en: 'open', zh: '仍打开' },
  'watch.status.file': {
    en: '  {path}{rotated}  offset {offset} of {size} (line {line}, {lag} bytes behind, {rate} lines/s)',
    zh: '  {path}{rotated}  偏移 {offset} / {size}(第 {line} 行,落后 {lag} 字节,每秒 {rate} 行)',
  },
  'watch.status.rotatedAway': { en: ' (rotated away, read to its end)', zh: '(已被轮转,读到其末尾)' },
  'watch.status.checkpointFailing': {
    en: 'checkpoint failing: {file}: {error}; last written {last}',
    zh: '检查点写入失败:{file}:{error};上次写入 {last}',
  },
  'watch.status.neverWritten': { en: 'never by this watcher', zh: '本监视进程从未写入' },
  'watch.status.rates': {
    en: 'lines/s {rate}, lag {lag} bytes not yet read, newest event {newest}, rss {rss} MB',
    zh: '每秒 {rate} 行,尚有 {lag} 字节未读,最新事件 {newest},常驻内存 {rss} MB',
  },
  'watch.status.noneYet': { en: 'none yet', zh: '尚无' },
  'watch.status.ago': { en: '{ago} s ago', zh: '{ago} 秒前' },
  'watch.status.agoLong': { en: '{ago} s ago ({span})', zh: '{ago} 秒前({span})' },
  'watch.status.counts': { en: 'counts: {list}', zh: '计数:{list}' },
  'watch.status.alerts': { en: 'alerts: {list}', zh: '告警:{list}' },
  'watch.status.config': {
    en: 'config: {path}, loaded {at} ({reloads} reloads){problem}',
    zh: '配置:{path},加载于 {at}(重新加载 {reloads} 次){problem}',
  },
  'watch.status.problem': { en: '; {problem}', zh: ';{problem}' },
  'watch.status.store': {
    en: 'store: {location}, last commit {last}{ms}, {commits} commits, written {events} events, {unparsed} unparsed, {findings} findings; waiting {waitingEvents} events, {waitingFindings} findings, commit lag {lag} s',
    zh: '存储:{location},上次提交 {last}{ms},共 {commits} 次提交,已写入 {events} 个事件、{unparsed} 行无法解析的行、{findings} 个发现;等待写入 {waitingEvents} 个事件、{waitingFindings} 个发现,提交延迟 {lag} 秒',
  },
  'watch.status.commitMs': { en: ' ({ms} ms)', zh: '({ms} 毫秒)' },
  'watch.status.storeFailing': {
    en: 'store failing: {failing}; next try {retry}',
    zh: '存储写入失败:{failing};下次重试 {retry}',
  },
  'watch.status.retention': {
    en: 'store retention: last {at}, dropped {events} events, {findings} findings, {unparsed} unparsed{failing}',
    zh: '存储保留:上次 {at},删除了 {events} 个事件、{findings} 个发现、{unparsed} 行无法解析的行{failing}',
  },
  'watch.status.retentionFailing': { en: '; failing: {error}', zh: ';失败:{error}' },
  'watch.status.eventLoop': {
    en: 'event loop held (no line read, no alert sent meanwhile): longest {longest} ms since start, {recent} ms in the last minute; {counted} times for 0.5 s or more',
    zh: '事件循环被占用(期间不读取行、不发送告警):自启动以来最长 {longest} 毫秒,最近一分钟内最长 {recent} 毫秒;0.5 秒及以上共 {counted} 次',
  },
  'watch.status.storeMemory': {
    en: 'store memory: {waiting} of {limit} bytes of lines waiting; held back in files: {held} bytes in {files} files ({times} times); read again {reread} lines; findings not stored {lost}',
    zh: '存储内存:等待写入的行 {waiting} / {limit} 字节;留在文件中:{files} 个文件共 {held} 字节({times} 次);重新读取 {reread} 行;未存储的发现 {lost} 个',
  },
  'watch.status.lastAlert': { en: 'last alert: {at} {kind} {title}', zh: '最近告警:{at} {kind} {title}' },
  'watch.statusCheckpointFailing': {
    en: 'the watcher of {path} cannot write its checkpoint {file}: {error}',
    zh: '{path} 的监视进程无法写入其检查点 {file}:{error}',
  },
  'watch.checkpointFailing': {
    en: 'cannot write the checkpoint {file}: {error}; the watch goes on, but until it can be written a restart reads again (and may announce again) what came since {since}',
    zh: '无法写入检查点 {file}:{error};监视继续进行,但在能写入之前,重启会重新读取(并可能再次告警)自 {since} 以来的内容',
  },
  'watch.checkpointFailingNever': {
    en: 'cannot write the checkpoint {file}: {error}; the watch goes on, but until it can be written a restart reads again (and may announce again) what this watcher read',
    zh: '无法写入检查点 {file}:{error};监视继续进行,但在能写入之前,重启会重新读取(并可能再次告警)本监视进程读过的内容',
  },
  'watch.checkpointRecovered': {
    en: 'the checkpoint {file} can be written again',
    zh: '检查点 {file} 又可以写入了',
  },
  'watch.statusWriteFailing': {
    en: 'cannot write the status file {file}: {error}; fwlens watch --status shows what was written before, and calls it stale after {seconds} s',
    zh: '无法写入状态文件 {file}:{error};fwlens watch --status 显示之前写入的内容,{seconds} 秒后将其判为过期',
  },
  'watch.statusWriteRecovered': {
    en: 'the status file {file} can be written again',
    zh: '状态文件 {file} 又可以写入了',
  },
  'watch.noStatus': {
    en: 'no status in {path}: is a watcher running with this --state-dir?',
    zh: '{path} 中没有状态:是否有使用此 --state-dir 的监视进程在运行?',
  },
  'watch.badListen': {
    en: '--listen {value} is not udp://HOST:PORT or tcp://HOST:PORT',
    zh: '--listen {value} 不是 udp://主机:端口 或 tcp://主机:端口',
  },
  'watch.tlsNeedsBoth': {
    en: '--tls-cert and --tls-key go together',
    zh: '--tls-cert 与 --tls-key 必须同时给出',
  },
  'watch.listenError': { en: 'cannot listen on {url}: {error}', zh: '无法在 {url} 监听:{error}' },
  'watch.notice.missing': { en: '{path} is not there (yet): waiting for it', zh: '{path} 尚不存在:等待中' },
  'watch.notice.rotated': {
    en: '{path} was rotated: following the new file',
    zh: '{path} 已轮转:跟踪新文件',
  },
  'watch.notice.renamed': {
    en: '{path} was rotated to {detail}: its last lines are read there (and named so), and the new {path} is followed',
    zh: '{path} 已轮转为 {detail}:其最后的行在那里读取(并以该名称标注),并跟踪新的 {path}',
  },
  'watch.notice.replaced': {
    en: '{path} was replaced: following the new file',
    zh: '{path} 已被替换:跟踪新文件',
  },
  'watch.notice.truncated': {
    en: '{path} was truncated: reading it from its start',
    zh: '{path} 被截断:从头读取',
  },
  'watch.notice.copytruncate': {
    en: '{path} was copied and truncated: read its rest from {detail}',
    zh: '{path} 被复制后截断:已从 {detail} 读完剩余部分',
  },
  'watch.notice.utf16': {
    en: '{path} is UTF-16 text, which watch does not follow: skipped (analyze and ingest read it; to follow it, have it written as UTF-8, or convert a copy with iconv -f UTF-16 -t UTF-8)',
    zh: '{path} 为 UTF-16 文本,watch 不跟踪此类文件:已跳过(analyze 和 ingest 可以读取;要跟踪,请让它以 UTF-8 写入,或用 iconv -f UTF-16 -t UTF-8 转换一份副本)',
  },
  'watch.notice.binary': {
    en: '{path} is binary or compressed: skipped',
    zh: '{path} 为二进制或压缩文件:已跳过',
  },
  'watch.notice.error': { en: '{path}: {detail}', zh: '{path}:出错:{detail}' },
  'watch.notice.lost': {
    en: 'the file last read as {path} is gone (compressed or deleted): lines after its saved position were not read',
    zh: '上次以 {path} 读取的文件已不存在(被压缩或删除):其保存位置之后的行未被读取',
  },
  'watch.notice.lostAmong': {
    en: 'the file last read as {path} is gone (compressed or deleted): its lines after its saved position were not read, nor those of these rotations of it compressed since the watcher stopped, one of which may hold them (watch follows text only; fwlens ingest reads them): {detail}',
    zh: '上次以 {path} 读取的文件已不存在(被压缩或删除):其保存位置之后的行未被读取,监视器停止后被压缩的下列轮转文件(其中之一可能包含这些行)也未被读取(watch 只跟踪文本;fwlens ingest 可以读取):{detail}',
  },
  'watch.notice.compressed': {
    en: 'the file last read as {path} was compressed while the watcher was stopped, to {detail}: its lines after its saved position were not read (watch follows text only; fwlens ingest reads it)',
    zh: '上次以 {path} 读取的文件在监视器停止期间被压缩为 {detail}:其保存位置之后的行未被读取(watch 只跟踪文本;fwlens ingest 可以读取)',
  },
  'watch.notice.resumed': { en: '{path}: resumed from {detail}', zh: '{path}:从 {detail} 继续' },
  'watch.notice.between': {
    en: '{path} was rotated more than once while the watcher was stopped: {detail}, written after the file last read, is read from its start',
    zh: '监视器停止期间 {path} 被轮转了不止一次:{detail} 写于上次读取的文件之后,从头读取',
  },
  'watch.notice.unread': {
    en: '{path} was rotated while the watcher was stopped, and these rotations of it, written after the file last read, are compressed and were not read (watch follows text only; fwlens ingest reads them): {detail}',
    zh: '监视器停止期间 {path} 被轮转,其下列轮转文件写于上次读取的文件之后,但已被压缩,未被读取(watch 只跟踪文本;fwlens ingest 可以读取):{detail}',
  },
  'watch.unparsedMore': {
    en: '{n:unusableLine} came meanwhile, not shown one by one; the last five follow (--status counts them all)',
    zh: '此间另有 {n} 行无法使用,不逐行列出;下面列出最后五行(--status 统计全部)',
  },
  'watch.unparsed': {
    en: '{file}:{line}: {reason}: {text}',
    zh: '{file}:{line}:无法使用的行({reason}):{text}',
  },
  'watch.configKept': {
    en: 'the detection config was not reloaded, the one loaded before stays in use: {error}',
    zh: '检测配置未重新加载,继续使用之前加载的配置:{error}',
  },
  'watch.configReloaded': {
    en: 'the detection config {path} was reloaded',
    zh: '检测配置 {path} 已重新加载',
  },
  'watch.receiver.error': { en: '{name}: {error}', zh: '{name}:出错:{error}' },
  'watch.listening': { en: 'listening on {url}', zh: '正在监听 {url}' },
  'watch.receiver.oversize': {
    en: '{name}: dropped {n:message} longer than the {max}-byte limit ({total} in all); --max-line-bytes raises the limit',
    zh: '{name}:丢弃了 {n:message},超过 {max} 字节的上限(共 {total} 条);可用 --max-line-bytes 提高上限',
  },
  'watch.receiver.refused': {
    en: '{name}: refused {n:connection}: all {max} connections are open and each sent something in the last {idle} minutes ({total} refused in all)',
    zh: '{name}:拒绝了 {n:connection}:{max} 个连接都已打开,且每个在最近 {idle} 分钟内都发送过数据(共拒绝 {total} 个)',
  },
  'watch.receiver.truncated': {
    en: '{name}: {n:message} cut short: the sender closed the connection before the length its octet count announced ({total} in all)',
    zh: '{name}:{n:message}不完整:发送方在达到其字节计数声明的长度之前关闭了连接(共 {total} 条)',
  },
  'watch.receiver.kernelDrops': {
    en: '{name}: the kernel dropped {n:datagram} ({total} in all): they came faster than the receiver read them with a {buffer}-byte socket buffer; a larger net.core.rmem_max, or syslog over TCP, keeps them',
    zh: '{name}:内核丢弃了 {n:datagram}(共 {total} 个):到达速度超过接收器以 {buffer} 字节套接字缓冲区读取的速度;调大 net.core.rmem_max,或改用 TCP 传输 syslog,可避免丢失',
  },
  'watch.journal.paused': {
    en: 'the spool {path} holds {bytes:byte} not yet read: journalctl is paused until the watcher catches up (the journal keeps the records, none is dropped)',
    zh: '缓存文件 {path} 中还有 {bytes} 字节未读:journalctl 暂停,直到监视程序追上(记录仍留在 journal 中,一条也不丢)',
  },
  'watch.journal.writePaused': {
    en: 'cannot write the spool {path}: {error}; journalctl is paused and the write tried again (the journal keeps the records, none is dropped)',
    zh: '无法写入缓存文件 {path}:{error};journalctl 暂停并重试写入(记录仍留在 journal 中,一条也不丢)',
  },
  'watch.journal.resumed': {
    en: 'the spool {path} takes records again: journalctl goes on',
    zh: '缓存文件 {path} 重新接收记录:journalctl 继续',
  },
  'watch.journal.said': { en: 'journalctl: {text}', zh: 'journalctl 报告:{text}' },
  'watch.journal.missing': {
    en: 'journalctl was not found: the journal cannot be followed',
    zh: '找不到 journalctl:无法跟踪 journal',
  },
  'watch.spool.writeError': {
    en: 'cannot write the spool {path}: {error}',
    zh: '无法写入缓存文件 {path}:{error}',
  },
  'watch.spool.full': {
    en: 'the spool {path} holds {bytes:byte} not yet read: received messages are dropped (and counted) until the watcher catches up',
    zh: '缓存文件 {path} 中有 {bytes} 字节尚未读取:在监视进程赶上之前,收到的消息将被丢弃(并计数)',
  },
  'watch.spool.resumed': {
    en: 'the spool {path} takes messages again; {dropped} were dropped while it was full',
    zh: '缓存文件 {path} 重新接收消息;已满期间丢弃了 {dropped} 条',
  },
  'watch.stopped': {
    en: 'stopped: {lines:line}, {events:event}, {unparsed} unparsed, {announced:announcement}',
    zh: '已停止:{lines} 行,{events} 个事件,{unparsed} 行无法解析,{announced} 条告警',
  },
  // --- store: ingest, query, analyze --store (issue 16) ---
  'cli.help.ingest': {
    en: 'read firewall logs into the store (events, findings, unparsed lines); run again, it reads only what was appended',
    zh: '把防火墙日志读入存储库(事件、发现、无法解析的行);再次运行时只读取新追加的部分',
  },
  'cli.help.ingest.inputs': {
    en: 'log files, .gz files, or - for standard input',
    zh: '日志文件、.gz 文件,或用 - 表示标准输入',
  },
  'cli.help.store': {
    en: 'store file (default: $XDG_DATA_HOME/fwlens/fwlens.duckdb, else ~/.local/share/fwlens/fwlens.duckdb), or a ClickHouse store: clickhouse://host:8123/db[?cluster=NAME]',
    zh: '存储库文件(默认:$XDG_DATA_HOME/fwlens/fwlens.duckdb,否则 ~/.local/share/fwlens/fwlens.duckdb),或 ClickHouse 存储库:clickhouse://主机:8123/数据库[?cluster=集群名]',
  },
  'cli.help.ingest.keep': {
    en: 'then drop events and findings older than this age (90d, 12w), never the newest day',
    zh: '然后删除早于该时长(90d、12w)的事件和发现,最新一天的数据永不删除',
  },
  'cli.help.ingest.noDetect': {
    en: 'store the events only, without running detection',
    zh: '只存储事件,不运行检测',
  },
  'cli.help.query': {
    en: 'ask the store: an address, a port, top lists, new sources, or read-only SQL',
    zh: '查询存储库:某个地址、某个端口、排行、新出现的来源,或只读 SQL',
  },
  'cli.help.query.what': {
    en: 'ip <address|cidr>, port <n>, top, or new-sources',
    zh: 'ip <地址|CIDR>、port <端口>、top 或 new-sources',
  },
  'cli.help.query.sql': {
    en: "run one SELECT query on a read-only connection (DuckDB: events_v, events, inputs, unparsed, findings, evidence; ClickHouse: events_v, inputs_v, events, inputs, problems, findings in the store's database, events_v and inputs_v holding committed writes only)",
    zh: '在只读连接上运行一条 SELECT 查询(DuckDB:events_v、events、inputs、unparsed、findings、evidence;ClickHouse:存储库数据库中的 events_v、inputs_v、events、inputs、problems、findings,其中 events_v 和 inputs_v 只含已提交的写入)',
  },
  'cli.help.query.json': { en: 'print JSON', zh: '输出 JSON' },
  'cli.help.query.csv': { en: 'print CSV', zh: '输出 CSV' },
  'cli.help.query.by': {
    en: "what `top` ranks: src, port, rule, alarm (the firewall's own alarm name, e.g. a Junos screen) or country (the country of each source, from the country data of --geoip-db or the bundled one)",
    zh: '`top` 的排行依据:src、port、rule、alarm(防火墙自己的告警名,如 Junos screen)或 country(每个来源的国家,取自 --geoip-db 或自带的国家数据)',
  },
  'cli.help.query.since': {
    en: 'only events at or after this time (age like 7d, or a date)',
    zh: '只看此时间及之后的事件(如 7d 这样的时长,或日期)',
  },
  'cli.help.query.limit': { en: 'rows per list', zh: '每个列表的行数' },
  'cli.help.analyze.store': {
    en: 'report from the store instead of files (the default store when no path is given: --store=PATH)',
    zh: '从存储库而不是文件生成报告(不给路径时使用默认存储库:--store=PATH)',
  },
  'cli.help.example.ingest': { en: 'read a log into the default store', zh: '把日志读入默认存储库' },
  'cli.help.example.ingestKeep': { en: 'read rotated logs, keep 90 days', zh: '读取轮转的日志,保留 90 天' },
  'cli.help.example.ingestMaxSize': {
    en: 'keep the store’s data under 2 GB, the oldest days dropped first',
    zh: '让存储库的数据保持在 2 GB 以下,先删除最旧的日期',
  },
  'cli.help.example.queryIp': {
    en: 'everything the store knows about an address',
    zh: '存储库中关于某地址的一切',
  },
  'cli.help.example.queryTop': { en: 'busiest sources of the last week', zh: '最近一周最活跃的来源' },
  'cli.help.example.querySql': { en: 'read-only SQL over the tables', zh: '对表运行只读 SQL' },
  'cli.help.example.analyzeStore': {
    en: 'the report of the last 30 days from the store',
    zh: '根据存储库生成最近 30 天的报告',
  },
  'watch.store.waitingAtStart': {
    en: 'waiting for the store {location} before reading: another process holds it, and where its files end decides where their reading goes on',
    zh: '开始读取前等待存储库 {location}:它正被另一个进程占用,而它所存文件的结束位置决定从哪里继续读取',
  },
  'store.threadStopped': {
    en: 'the thread that writes the store {path} stopped ({reason}) before its write was committed',
    zh: '写入存储库 {path} 的线程在写入提交之前停止了({reason})',
  },
  'store.locked': {
    en: 'the store {path} is in use by another process; try again when it has finished',
    zh: '存储库 {path} 正被另一个进程使用;请等它结束后再试',
  },
  'store.corrupt': {
    en: 'the store {path} is damaged or is not a fwlens store ({error})',
    zh: '存储库 {path} 已损坏或不是 fwlens 存储库({error})',
  },
  'store.notFwlens': {
    en: '{path} is a DuckDB database but not a fwlens store',
    zh: '{path} 是 DuckDB 数据库,但不是 fwlens 存储库',
  },
  'store.newer': {
    en: 'the store {path} has schema version {version}, newer than this fwlens reads ({known}); upgrade fwlens',
    zh: '存储库 {path} 的结构版本是 {version},比本版 fwlens 能读的({known})更新;请升级 fwlens',
  },
  'store.older': {
    en: 'the store {path} has schema version {version}; run fwlens ingest on it once to upgrade it',
    zh: '存储库 {path} 的结构版本是 {version};请对它运行一次 fwlens ingest 以升级',
  },
  'store.pendingSummaries': {
    en: 'the store {path} holds events whose summaries a stopped run did not write; top lists, new sources and countries leave them out until the next fwlens ingest',
    zh: '存储库 {path} 中有一次中断的运行未写入汇总的事件;在下一次 fwlens ingest 之前,排行、新来源和国家统计不包含它们',
  },
  'store.diskFull': {
    en: 'the disk holding the store {path} is full; nothing of the unfinished part was kept, the next run reads it again',
    zh: '存储库 {path} 所在的磁盘已满;未完成的部分没有保存,下次运行会重新读取',
  },
  'store.missing': {
    en: 'there is no store at {path}; fill it first with fwlens ingest --store {path} <files>',
    zh: '{path} 处没有存储库;请先用 fwlens ingest --store {path} <文件> 写入',
  },
  'store.readOnly': {
    en: 'the store {path} is opened read-only here',
    zh: '存储库 {path} 在此以只读方式打开',
  },
  'store.failed': { en: 'the store {path} failed: {error}', zh: '存储库 {path} 出错:{error}' },
  'store.noFolder': {
    en: 'cannot make the folder {dir} for the store {path}: {reason}',
    zh: '无法为存储库 {path} 创建文件夹 {dir}:{reason}',
  },
  'store.folderReason.exists': { en: 'a file of that name is in the way', zh: '同名的文件挡在那里' },
  'store.folderReason.permission': { en: 'permission denied', zh: '权限不足' },
  'store.sqlNotQuery': {
    en: '--sql runs queries only (SELECT, WITH ... SELECT, FROM ...); nothing else is allowed on the store',
    zh: '--sql 只运行查询(SELECT、WITH ... SELECT、FROM ...);存储库上不允许其他语句',
  },
  'store.sqlOneStatement': {
    en: '--sql takes one query at a time, and this text holds several (separated by ;); run each with its own --sql',
    zh: '--sql 每次只接受一条查询,而这段文本含有多条(以 ; 分隔);请每条各用一个 --sql 运行',
  },
  'store.sqlSystem': {
    en: "--sql reads the store's own tables only; the server's system tables (system.processes, system.query_log ...) hold other clients' statements",
    zh: '--sql 只读取存储库自己的表;服务器的系统表(system.processes、system.query_log ...)含有其他客户端的语句',
  },
  'store.sqlFailed': { en: 'the SQL query failed: {error}', zh: 'SQL 查询失败:{error}' },
  'store.badAddress': {
    en: '{value} is not an IP address or network (203.0.113.0/24, 2001:db8::/32)',
    zh: '{value} 不是 IP 地址或网络(203.0.113.0/24、2001:db8::/32)',
  },
  'store.ingest.new': {
    en: '{path}: {lines:line}, {events:event}, {unparsed} unparsed, {findings:finding} stored',
    zh: '{path}:{lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.appended': {
    en: '{path}: {lines:line} new since the last run, {events:event}, {unparsed} unparsed, {findings:finding} stored',
    zh: '{path}:自上次运行以来新增 {lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.allDamaged': {
    en: '{path}: every firewall line read was damaged ({n:line}); they are stored as unparsed lines (the console lists them)',
    zh: '{path}:读到的 {n} 行防火墙日志全部损坏;它们已作为未解析行存入(控制台可列出)',
  },
  'store.ingest.omitted': {
    en: '{path}: {n:weakerFinding} not stored: a detector made more than {limit} findings in one part of the file, and the strongest {limit} are kept (maxFindingsPerDetector in --config)',
    zh: '{path}:另有 {n} 项较弱的检测结论没有存入:某个检测器在文件的一个分段里得出了超过 {limit} 项结论,只保留最强的 {limit} 项(可在 --config 中用 maxFindingsPerDetector 调整)',
  },
  'store.ingest.closedEarly': {
    en: '{path}: {n:group} of the detection engine judged before their window ended, because a memory bound was reached (maxGroupsPerDetector, maxValuesPerDetector in --config): a scan spanning such a close may be stored as several findings, or not at all',
    zh: '{path}:检测引擎有 {n:group}在时间窗口结束前就被判定,因为达到了内存上限(可在 --config 中调整 maxGroupsPerDetector、maxValuesPerDetector):跨越这种提前结束的扫描可能被存为多条检测结论,或者根本没有被存下',
  },
  'store.ingest.unchanged': {
    en: '{path}: nothing new since the last run',
    zh: '{path}:自上次运行以来没有新内容',
  },
  'store.ingest.renamed': {
    en: '{path}: the same file as {previous} (renamed or rotated); {lines:line} new, {events:event}',
    zh: '{path}:与 {previous} 是同一个文件(已改名或轮转);新增 {lines} 行,{events} 个事件',
  },
  'store.ingest.copied': {
    en: '{path}: a copy of {previous}, which is stored already; only what it adds was read: {lines:line}, {events:event}',
    zh: '{path}:是 {previous} 的副本,后者已经存储;只读取了副本多出的部分:{lines} 行,{events} 个事件',
  },
  'store.ingest.truncated': {
    en: '{path}: the file is shorter than the part already stored (truncated); read again from its start as a new input: {lines:line}, {events:event}',
    zh: '{path}:文件比已存储的部分短(被截断);作为新输入从头重新读取:{lines} 行,{events} 个事件',
  },
  'store.ingest.replaced': {
    en: '{path}: a different file than the one stored under this name or inode (replaced); read as a new input: {lines:line}, {events:event}',
    zh: '{path}:与此名称或 inode 下已存储的文件不同(已被替换);作为新输入读取:{lines} 行,{events} 个事件',
  },
  'store.ingest.stdin': {
    en: 'standard input: {lines:line}, {events:event}, {unparsed} unparsed, {findings:finding} stored',
    zh: '标准输入:{lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.pending': {
    en: '{path}: {bytes:byte} at the end without a line end yet, read once the line is complete',
    zh: '{path}:最后 {bytes} 字节还没有行尾;整行写完后再读取',
  },
  'store.ingest.pendingRecord': {
    en: '{path}: {bytes:byte} at the end hold a record still being written (its end is not there yet), read once it is complete',
    zh: '{path}:最后 {bytes} 字节是一条尚未写完的记录(还没有结尾);写完后再读取',
  },
  'store.ingest.shrank': {
    en: "{path}: the file became shorter while it was read (truncated, as logrotate's copytruncate does); the part from line {line} was not stored. The next run reads on from there in the copy (same first bytes), and the truncated file as a new input.",
    zh: '{path}:读取期间文件变短了(被截断,logrotate 的 copytruncate 就会这样);从第 {line} 行起的分段没有存入。下次运行会在副本(开头字节相同)中从那里接着读,并把截断后的文件作为新输入读取。',
  },
  'store.ingest.threadFailed': {
    en: '{path}: the thread reading it stopped before the end of a part ({error}); that part was not stored and the next run reads it again from line {line}. If it ran out of memory, give each thread more with the environment variable FWLENS_WORKER_HEAP_MB=<megabytes> (see docs/performance.md).',
    zh: '{path}:读取它的线程在一个分段结束前停止了({error});该分段没有存入,下次运行从第 {line} 行起重新读取。如果是内存不足,可用环境变量 FWLENS_WORKER_HEAP_MB=<兆字节数> 给每个线程更多内存(见 docs/performance.md)。',
  },
  'store.ingest.pruned': {
    en: 'retention: {events:event}, {findings:finding} and {unparsed:unparsedRow} before {before} dropped',
    zh: '保留期:删除了 {before} 之前的 {events} 个事件、{findings} 个发现和 {unparsed} 行未解析的日志',
  },
  'store.ingest.prunedSize': {
    en: 'retention by size: {events:event}, {findings:finding} and {unparsed:unparsedRow} before {before} dropped; the data takes {after} (at most {max})',
    zh: '按大小保留:删除了 {before} 之前的 {events} 个事件、{findings} 个发现和 {unparsed} 行未解析的日志;数据现占 {after}(上限 {max})',
  },
  'store.ingest.withinSize': {
    en: 'retention by size: the data takes {after}, within {max}',
    zh: '按大小保留:数据占 {after},未超过 {max}',
  },
  'store.ingest.overSize': {
    en: 'retention by size: the data takes {after}, more than {max}, and only the newest day is left (it is never dropped)',
    zh: '按大小保留:数据占 {after},超过 {max},但只剩最新一天(最新一天永不删除)',
  },
  'cli.usage.size': {
    en: '{name} takes a size like 500MB, 2GB or 1.5TiB, not "{value}"',
    zh: '{name} 需要 500MB、2GB 或 1.5TiB 这样的大小,而不是“{value}”',
  },
  'cli.help.ingest.wait': {
    en: 'while another process has the store file open (fwlens serve lets go when asked; another ingest when it ends), wait up to this many seconds',
    zh: '当存储库文件被其他进程打开时(fwlens serve 收到请求后会释放;另一个 ingest 结束后释放),最多等待这么多秒',
  },
  'cli.help.ingest.maxSize': {
    en: 'then drop the oldest days until the store’s data takes at most this size (500MB, 2GB; KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024), never the newest day',
    zh: '然后从最旧的日期开始删除,直到存储库的数据不超过此大小(500MB、2GB;KB/MB/GB/TB 按 1000 进位,KiB/MiB/GiB/TiB 按 1024),最新一天永不删除',
  },
  'store.ingest.noInputs': {
    en: 'name at least one log file, or - for standard input',
    zh: '请至少指定一个日志文件,或用 - 表示标准输入',
  },
  'store.label.events': { en: 'events', zh: '事件数' },
  'store.label.events with a time': { en: 'events with a time', zh: '有时间的事件数' },
  'store.label.first seen': { en: 'first seen', zh: '首次出现' },
  'store.label.last seen': { en: 'last seen', zh: '最后出现' },
  'store.label.per day': { en: 'per day', zh: '每天' },
  'store.label.day': { en: 'day', zh: '日期' },
  'store.label.ports': { en: 'ports', zh: '端口' },
  'store.label.port': { en: 'port', zh: '端口' },
  'store.label.targets': { en: 'targets', zh: '目标' },
  'store.label.target': { en: 'target', zh: '目标' },
  'store.label.findings': { en: 'findings', zh: '发现' },
  'store.label.detector': { en: 'detector', zh: '检测器' },
  'store.label.severity': { en: 'severity', zh: '严重度' },
  'store.label.title': { en: 'title', zh: '标题' },
  'store.label.sources': { en: 'sources', zh: '来源' },
  'store.label.source': { en: 'source', zh: '来源' },
  'store.label.who': { en: 'who', zh: '身份' },
  'store.label.src': { en: 'source', zh: '来源' },
  'store.label.rule': { en: 'rule', zh: '规则' },
  'store.label.transports': { en: 'transports', zh: '传输协议' },
  'store.label.transport': { en: 'transport', zh: '传输协议' },
  'store.label.new sources': { en: 'new sources', zh: '新来源' },
  'store.label.top src': { en: 'top sources', zh: '来源排行' },
  'store.label.top port': { en: 'top ports', zh: '端口排行' },
  'store.label.top rule': { en: 'top rules', zh: '规则排行' },
  'store.label.top country': { en: 'top countries', zh: '国家排行' },
  'store.label.country': { en: 'country', zh: '国家' },
  'store.label.none': { en: '(none)', zh: '(无)' },
  'store.query.contextUnread': {
    en: '{flags} changes nothing for {what}: only query ip, top --by src and new-sources show what the context says of an address',
    zh: '{flags} 对 {what} 不起作用:只有 query ip、top --by src 与 new-sources 会显示上下文对地址的说明',
  },
  'store.query.contextStep': {
    en: 'Its findings and events count this: {reason}.',
    zh: '它的发现与事件计入这一点:{reason}。',
  },
  'store.query.emptySql': {
    en: '--sql needs a query (SELECT ... FROM events_v ...)',
    zh: '--sql 需要一条查询语句(SELECT ... FROM events_v ...)',
  },
  'store.query.ipNeedsAddress': {
    en: 'query ip needs an address or network: fwlens query ip 203.0.113.7 (or 203.0.113.0/24)',
    zh: 'query ip 需要一个地址或网络:fwlens query ip 203.0.113.7(或 203.0.113.0/24)',
  },
  'store.query.portNeedsNumber': {
    en: 'query port needs a port: fwlens query port 22 (or 22/tcp)',
    zh: 'query port 需要一个端口:fwlens query port 22(或 22/tcp)',
  },
  'store.query.unknown': {
    en: 'unknown query {what}: use ip <address>, port <n>, top, new-sources or --sql',
    zh: '未知的查询 {what}:请用 ip <地址>、port <端口>、top、new-sources 或 --sql',
  },
  'store.query.badPort': {
    en: '{value} is not a port number (0-65535), optionally with its transport (22/tcp; tcp, udp, sctp, udplite or dccp)',
    zh: '{value} 不是端口号(0-65535),可以带上传输协议(如 22/tcp;tcp、udp、sctp、udplite 或 dccp)',
  },
  'store.query.sqlExtra': {
    en: '--sql takes the whole query as its one value (quote it); left over: {extra}',
    zh: '--sql 的值就是整条查询(请加引号);多出的部分:{extra}',
  },
  'store.query.badBy': {
    en: '--by takes src, port, rule, alarm or country, not {value}',
    zh: '--by 只能是 src、port、rule、alarm 或 country,而不是 {value}',
  },
  'store.query.noCountryData': {
    en: 'top --by country needs country data: the package @ip-location-db/geo-whois-asn-country-mmdb is not installed (or give --geoip-db FILE)',
    zh: 'top --by country 需要国家数据:未安装 @ip-location-db/geo-whois-asn-country-mmdb 包(或用 --geoip-db 文件 指定)',
  },
  'store.query.jsonAndCsv': { en: 'choose one of --json and --csv', zh: '--json 和 --csv 只能选一个' },
  'store.query.windowAfterNewest': {
    en: 'nothing since {since}: the newest stored event is from {newest} (--since counts back from now; --since {suggest} reaches it)',
    zh: '{since} 之后没有数据:库中最新的事件时间为 {newest}(--since 从现在往回计算;用 --since {suggest} 可以覆盖到它)',
  },
  'store.query.noTimedEvents': {
    en: 'the store holds no events with a time stamp, so a --since window matches nothing',
    zh: '库中没有带时间戳的事件,所以 --since 时间窗口匹配不到任何数据',
  },
  'store.query.needSince': {
    en: 'new-sources needs --since (for example --since 1d)',
    zh: 'new-sources 需要 --since(例如 --since 1d)',
  },
  'store.analyze.inputsAndStore': {
    en: 'give either log files or --store, not both',
    zh: '请给出日志文件或 --store,不能同时给出',
  },
  'store.analyze.noInputs': {
    en: 'name at least one log file, or use --store',
    zh: '请至少指定一个日志文件,或使用 --store',
  },
  'store.clickhouse.badAddress': {
    en: '{value} is not a ClickHouse store address; write clickhouse://[user[:password]@]host[:port][,host[:port]...]/database[?cluster=NAME&origin=NAME]',
    zh: '{value} 不是 ClickHouse 存储库地址;请写成 clickhouse://[用户[:密码]@]主机[:端口][,主机[:端口]...]/数据库[?cluster=集群名&origin=来源名]',
  },
  'store.clickhouse.unreachable': {
    en: 'cannot reach the ClickHouse store {path} ({error}); nothing of an unfinished part counts, the next run goes on from the last finished one',
    zh: '无法连接 ClickHouse 存储库 {path}({error});未完成的部分不计入,下次运行从最后完成的部分继续',
  },
  'store.clickhouse.unreachableRead': {
    en: 'cannot reach the ClickHouse store {path} ({error}); nothing was read, try again when it answers',
    zh: '无法连接 ClickHouse 存储库 {path}({error});未读取任何内容,请在它恢复响应后重试',
  },
  'store.clickhouse.failedRead': {
    en: 'the ClickHouse store {path} refused the read ({error})',
    zh: 'ClickHouse 存储库 {path} 拒绝了读取({error})',
  },
  'store.clickhouse.failed': {
    en: 'the ClickHouse store {path} refused the work ({error}); nothing of an unfinished part counts, the next run reads it again',
    zh: 'ClickHouse 存储库 {path} 拒绝了操作({error});未完成的部分不计入,下次运行会重新读取',
  },
  'store.clickhouse.notFwlens': {
    en: 'the ClickHouse database of {path} holds other tables and is not a fwlens store',
    zh: '{path} 的 ClickHouse 数据库中有其他表,不是 fwlens 存储库',
  },
  'store.clickhouse.concurrent': {
    en: 'another fwlens run wrote {path} into the ClickHouse store {store} at the same time; this run did not count its part, the next run goes on from what was stored',
    zh: '另一个 fwlens 进程同时把 {path} 写入了 ClickHouse 存储库 {store};本次运行的这一部分不计入,下次运行从已存储处继续',
  },
  'store.clickhouse.noCluster': {
    en: 'the ClickHouse server {host} does not declare the cluster {cluster} (remote_servers), or lists another number of shards than the {count} hosts given',
    zh: 'ClickHouse 服务器 {host} 没有声明集群 {cluster}(remote_servers),或其分片数与给出的 {count} 个主机不符',
  },
  'cli.help.formats': {
    en: 'list the log formats fwlens reads, with an example line each',
    zh: '列出 fwlens 能读取的日志格式,每种附一行示例',
  },
  'cli.help.examples': { en: 'Examples:', zh: '示例:' },
  'cli.help.exitCodes': { en: 'Exit codes:', zh: '退出码:' },
  'cli.help.exit.ok': { en: 'the run worked', zh: '运行成功' },
  'cli.help.exit.inputError': {
    en: 'an input could not be read or held no firewall log (a report of the rest is still printed)',
    zh: '某个输入无法读取或不含防火墙日志(其余部分的报告照常输出)',
  },
  'cli.help.exit.usage': { en: 'wrong flags or arguments', zh: '选项或参数有误' },
  'cli.help.exit.outputError': {
    en: 'analyze --html/--csv: that file could not be written (the report is still printed)',
    zh: 'analyze --html/--csv:无法写入该文件(报告照常输出)',
  },
  'cli.help.exit.failOn': {
    en: 'analyze --fail-on: a finding reached that severity',
    zh: 'analyze --fail-on:有检测结论达到了该严重度',
  },
  'cli.help.example.analyze': { en: 'report on a log', zh: '为一个日志生成报告' },
  'cli.help.example.analyzeHtml': {
    en: 'rotated logs (.gz too), also as an HTML page',
    zh: '轮转后的日志(含 .gz),另存为 HTML 页面',
  },
  'cli.help.example.analyzeStdin': { en: 'read standard input', zh: '从标准输入读取' },
  'cli.help.example.analyzeFilter': {
    en: 'only the last day, only SSH and RDP',
    zh: '只看最近一天、只看 SSH 和 RDP',
  },
  'cli.help.example.analyzeFailOn': {
    en: 'exit 4 when a finding is high or critical (cron, CI)',
    zh: '有高危或严重的检测结论时以 4 退出(cron、CI)',
  },
  'cli.help.example.explainPort': { en: 'what is this port?', zh: '这个端口是什么?' },
  'cli.help.example.explainProto': { en: 'one protocol, in Chinese', zh: '只看一种协议,用中文' },
  'cli.help.example.explainSource': {
    en: 'what a source port says about the sender',
    zh: '源端口说明了发送方的什么',
  },
  'cli.help.example.explainLine': { en: 'explain a whole log line', zh: '解释整行日志' },
  'cli.help.example.formats': { en: 'the log formats fwlens reads', zh: 'fwlens 能读的日志格式' },
  'cli.help.example.formatsJson': { en: 'the same as JSON', zh: '同上,以 JSON 输出' },
  'cli.help.completion': {
    en: 'print a shell completion script (bash, zsh or fish)',
    zh: '输出 shell 补全脚本(bash、zsh 或 fish)',
  },
  'cli.help.completion.shell': { en: 'bash, zsh or fish', zh: 'bash、zsh 或 fish' },
  'cli.help.example.completionBash': {
    en: 'complete commands and options in this bash',
    zh: '在当前 bash 中补全命令和选项',
  },
  'cli.help.example.completionFish': { en: 'install for fish', zh: '为 fish 安装' },
  'cli.usage.completionShell': {
    en: 'completion knows bash, zsh and fish, not "{shell}"',
    zh: 'completion 只支持 bash、zsh 和 fish,不支持“{shell}”',
  },
  'cli.help.formats.json': { en: 'print the list as JSON', zh: '以 JSON 输出列表' },
  'cli.formats.example': { en: 'example', zh: '示例' },
  'cli.formats.fields': { en: 'fields', zh: '字段' },

  // --- cli: progress bar on stderr ---
  'cli.progress.reading': { en: 'reading', zh: '读取中' },
  'cli.progress.lines': { en: '{n:line}', zh: '{n:line}' },
  'cli.progress.linesPerSecond': { en: 'lines/s', zh: '行/秒' },
  'cli.progress.eta': { en: 'ETA', zh: '剩余' },

  // --- report: terminal text ---
  'report.title': { en: 'fwlens report', zh: 'fwlens 分析报告' },
  'report.inputs': { en: 'Inputs', zh: '输入' },
  'report.moreInputs': {
    en: '{n:moreInput} not listed: {lines:line}, {events:event}, {unparsed:unparsedLine} in all (--json lists every input)',
    zh: '另有 {n:moreInput}未列出:共 {lines:line}、{events:event}、{unparsed:unparsedLine}(--json 列出每个输入)',
  },
  'report.span': { en: 'Time span', zh: '时间范围' },
  'report.lines': { en: 'lines', zh: '行' },
  'report.events': { en: 'events', zh: '事件' },
  'report.unparsed': { en: 'unparsed', zh: '未解析' },
  'report.damaged': { en: '{n:damagedLine}', zh: '{n} 行损坏的防火墙日志' },
  'report.unrecognized': { en: '{n:unknownFormatLine}', zh: '{n} 行无法识别格式' },
  'report.noKnownFormat': { en: 'no known firewall log format', zh: '不属于任何已知的防火墙日志格式' },
  'report.noTime': { en: 'no timestamps', zh: '无时间戳' },
  'report.ambiguousTimes': {
    en: '{n:stamp} fell in the hour repeated when daylight saving time ended; they were read in log order (the first pass as daylight time, the second as standard time)',
    zh: '{n} 个时间戳落在夏令时结束时重复的那一小时内;已按日志顺序解读(第一遍按夏令时,第二遍按标准时间)',
  },
  'report.untimed': {
    en: '{n:event} without a usable time (their stamp is missing or impossible)',
    zh: '{n} 个事件没有可用的时间(时间戳缺失或不可能)',
  },
  'report.otherTransports': {
    en: 'Only the first {max} protocol names are listed; events of {n:moreName} are counted together as “(other)”.',
    zh: '只列出前 {max} 个协议名;另外 {n:moreName}的事件合计为“(other)”。',
  },
  'report.otherProducts': {
    en: 'Only the first {max} product names are counted; events of {n:moreName} are counted together as “(other)”.',
    zh: '只统计前 {max} 个产品名;另外 {n:moreName}的事件合计为“(other)”。',
  },
  'report.nonTrafficOf': { en: 'not traffic ({format})', zh: '非流量记录({format})' },
  'report.andMoreKinds': { en: 'and {n:moreKind}', zh: '另有 {n:moreKind}' },
  'report.nonTrafficOtherKinds': {
    en: 'Only the first {max} kinds of non-traffic record are named; records of {n:moreKind} are counted together as “other kinds”.',
    zh: '只列出前 {max} 种非流量记录;另外 {n:moreKind}合计为“其他种类”。',
  },
  'report.inputsRead': {
    en: '{lines:line} read: {events:event}, {nonTraffic} not traffic, {unparsed} unparsed',
    zh: '读取 {lines} 行:{events} 个事件,{nonTraffic} 条非流量记录,{unparsed} 行未解析',
  },
  'report.counts': { en: 'What happened', zh: '总体情况' },
  'report.action': { en: 'action', zh: '动作' },
  'report.protocol': { en: 'protocol', zh: '协议' },
  'report.direction': { en: 'direction', zh: '方向' },
  'report.topSources': { en: 'Top sources', zh: '主要来源地址' },
  'report.topPorts': { en: 'Top destination ports', zh: '主要目标端口' },
  'report.notable': { en: 'Highest-severity events', zh: '严重程度最高的事件' },
  'report.findings': { en: 'Findings', zh: '发现' },
  'report.noFindings': {
    en: 'No findings: nothing in this log needs more than a glance.',
    zh: '没有发现:这份日志里没有需要特别关注的内容。',
  },
  'report.noEvents': {
    en: 'No traffic events were read, so there was nothing to check for scans or probes (see the inputs below).',
    zh: '没有读到任何流量事件,因此没有可检查的扫描或探测(见下面的输入)。',
  },
  'report.findingsHidden': {
    en: '… {n} more findings in --json / --csv',
    zh: '… 另有 {n} 项发现,见 --json / --csv',
  },
  'report.findingsOmitted': {
    en: '{detector}: {n:weakerFinding} not listed anywhere ({records}, severity up to {severity}); fwlens keeps the strongest {limit} per detector (maxFindingsPerDetector in --config)',
    zh: '{detector}:另有 {n} 项较弱的发现未列出({records},严重程度最高 {severity});每个检测器只保留最强的 {limit} 项(可在 --config 中用 maxFindingsPerDetector 调整)',
  },
  'report.closedEarlyAll': {
    en: 'Memory bounds of the detection engine were reached: {n:group} judged before their window ended ({list}; {groups} over maxGroupsPerDetector, {values} over maxValuesPerDetector in --config). A scan spanning such a close may show as several findings, or its parts may each be too small to report.',
    zh: '检测引擎达到了内存上限:{n:group}在时间窗口结束前就被判定({list};超出 maxGroupsPerDetector {groups} 个,超出 maxValuesPerDetector {values} 个,可在 --config 中调整)。跨越这种提前结束的扫描可能显示为多条检测结论,或者每一段都太小而未被报告。',
  },
  'report.closedEarly': {
    en: '{detector}: {n:group} judged before their window ended, because a memory bound was reached ({groups} over maxGroupsPerDetector, {values} over maxValuesPerDetector in --config): a scan spanning such a close may show as several findings, or its parts may each be too small to report',
    zh: '{detector}:{n:group}在时间窗口结束前就被判定,因为达到了内存上限(超出 maxGroupsPerDetector {groups} 个,超出 maxValuesPerDetector {values} 个,可在 --config 中调整):跨越这种提前结束的扫描可能显示为多条检测结论,或者每一段都太小而未被报告',
  },
  'report.evidence': { en: 'evidence', zh: '证据' },
  'report.from': { en: 'from', zh: '来源' },
  'report.to': { en: 'to', zh: '目标' },
  'report.why': { en: 'why', zh: '原因' },
  'report.advice': { en: 'advice', zh: '建议' },
  'report.trusted': { en: '(trusted source)', zh: '(受信来源)' },
  'report.ports': { en: 'ports', zh: '个端口' },
  'report.sources': { en: 'sources', zh: '个来源' },
  'report.unparsedTitle': { en: 'Lines that could not be used', zh: '无法使用的日志行' },
  'report.distinct': { en: 'distinct sources', zh: '个不同来源' },
  'report.approx': { en: '(approximate)', zh: '(近似值)' },
  'report.notableSources': {
    en: '{events} like this from {sources:source}',
    zh: '同类 {events} 条,来自 {sources:source}',
  },
  'report.sourcesEstimated': {
    en: '~ estimated: sources are counted exactly up to {n} per port',
    zh: '~ 为估计值:每个端口最多精确统计 {n} 个来源',
  },
  'report.moreLines': { en: '… and {n} more not shown', zh: '… 另有 {n} 条未显示' },
  'report.filtered': {
    en: '{n:event} outside the filters ({filters}) left out',
    zh: '有 {n} 个事件不符合筛选条件({filters}),未计入',
  },
  'report.action.deny': { en: 'denied', zh: '拒绝(丢弃)' },
  'report.action.reject': { en: 'rejected', zh: '拒绝(回应)' },
  'report.action.allow': { en: 'allowed', zh: '放行' },
  'report.action.log': { en: 'logged only', zh: '仅记录' },
  'report.direction.inbound': { en: 'inbound', zh: '入站' },
  'report.direction.outbound': { en: 'outbound', zh: '出站' },
  'report.direction.forward': { en: 'forwarded', zh: '转发' },
  'report.direction.unknown': { en: 'unknown', zh: '未知' },
  'report.col.severity': { en: 'sev', zh: '级别' },
  'report.col.port': { en: 'port', zh: '端口' },
  'report.col.source': { en: 'source', zh: '来源地址' },
  'report.col.events': { en: 'events', zh: '事件数' },
  'report.col.sources': { en: 'sources', zh: '来源数' },
  'report.col.ports': { en: 'ports', zh: '端口数' },
  'report.col.label': { en: 'what it is', zh: '说明' },
  'report.col.note': { en: 'note', zh: '备注' },

  // --- HTML report page (src/report/html): every fixed text of the page ---
  'html.title': { en: 'Firewall log report', zh: '防火墙日志分析报告' },
  'html.owner': { en: 'Owner', zh: '归属' },
  'html.chartOrgs': { en: 'Top organisations (AS)', zh: '来源最多的组织(自治系统)' },
  'html.chartOrgsNote': {
    en: 'Events per autonomous system of the sources, from offline ASN data of {date}',
    zh: '按来源所属自治系统统计的事件数,来自 {date} 的离线 ASN 数据',
  },
  'html.chartCountries': { en: 'Top countries (approximate)', zh: '来源最多的国家(近似)' },
  'html.chartCountriesNote': {
    en: 'Events per registered country of the sources: registry data, approximate',
    zh: '按来源的登记国家统计的事件数:登记数据,仅为近似',
  },
  'html.adjustments': { en: 'Severity adjusted', zh: '严重程度调整' },
  'html.filterHint': {
    en: 'Filter by any word: address, AS number (AS15169), country (US), organisation or label (research scanner)',
    zh: '可按任意词筛选:地址、自治系统号(AS15169)、国家(US)、组织或标签(研究型扫描器)',
  },
  'html.madeBy': { en: 'Made by fwlens {version}', zh: '由 fwlens {version} 生成' },
  'html.langSwitch': { en: 'Language', zh: '语言' },
  'html.analyzed': { en: 'What was analyzed', zh: '分析对象' },
  'html.files': { en: 'Files', zh: '文件' },
  'html.formats': { en: 'Formats', zh: '日志格式' },
  'html.span': { en: 'Time span', zh: '时间范围' },
  'html.noTime': { en: 'the log carries no timestamps', zh: '日志不含时间戳' },
  'html.untimed': { en: '{n:event} without a time', zh: '{n} 条事件无时间' },
  'html.lines': { en: 'Lines', zh: '行数' },
  'html.events': { en: 'Events', zh: '事件数' },
  'html.unparsed': { en: 'Unparsed lines', zh: '未解析行' },
  'html.sources': { en: 'Distinct sources', zh: '不同来源地址' },
  'html.approx': { en: 'approximate', zh: '近似值' },
  'html.file': { en: 'File', zh: '文件' },
  'html.damaged': { en: 'damaged', zh: '损坏' },
  'html.nonTraffic': { en: 'Not traffic', zh: '非流量记录' },
  'html.unknownFormat': { en: 'unknown format', zh: '格式未知' },
  'html.unparsedSamples': { en: 'Lines that could not be used', zh: '无法使用的日志行' },
  'html.unparsedMore': { en: '… and {n} more not shown', zh: '… 另有 {n} 条未显示' },
  'html.topFindings': { en: 'Top findings', zh: '主要检测结论' },
  'html.allFindings': { en: 'All {n} findings, in the table below', zh: '全部 {n} 条检测结论见下表' },
  'html.noFindingsTitle': { en: 'No findings', zh: '无检测结论' },
  'html.noEventsTitle': { en: 'No traffic events', zh: '没有流量事件' },
  'html.noEventsRead': {
    en: 'No line of the input was a traffic event, so there was nothing to check for scans or probes. The inputs, and any lines that could not be used, are listed below.',
    zh: '输入中没有任何一行是流量事件,因此没有可检查的扫描或探测。下面列出了输入以及无法使用的日志行。',
  },
  'html.detectionNotRun': {
    en: 'The detection engine did not run for this report, so there are no findings (scans, sweeps, floods). The most severe single events are listed instead.',
    zh: '生成本报告时未运行检测引擎,因此没有检测结论(扫描、探测、洪泛等)。下面列出严重程度最高的单条事件。',
  },
  'html.findingsOmitted': {
    en: '{detector}: {n:weakerFinding} not listed ({records}, severity up to {severity}). fwlens keeps the strongest {limit} per detector; raise maxFindingsPerDetector in the detection config to see more.',
    zh: '{detector}:另有 {n} 项较弱的发现未列出({records},严重程度最高 {severity})。每个检测器只保留最强的 {limit} 项;如需更多,请在检测配置中调高 maxFindingsPerDetector。',
  },
  'html.closedEarly': {
    en: 'Memory bounds of the detection engine were reached: {n:group} judged before their window ended ({list}; {groups} over maxGroupsPerDetector, {values} over maxValuesPerDetector). A scan spanning such a close may show as several findings, or its parts may each be too small to report; raise the bounds in the detection config if memory allows.',
    zh: '检测引擎达到了内存上限:{n:group}在时间窗口结束前就被判定({list};超出 maxGroupsPerDetector {groups} 个,超出 maxValuesPerDetector {values} 个)。跨越这种提前结束的扫描可能显示为多条检测结论,或者每一段都太小而未被报告;内存允许时可在检测配置中调高上限。',
  },
  'html.detectionEmpty': {
    en: 'The detection engine looked for scans, sweeps, floods and known probes and found none that crossed its thresholds.',
    zh: '检测引擎检查了扫描、探测、洪泛和已知探针,没有发现超过阈值的情况。',
  },
  'html.mostSevere': { en: 'Most severe single events', zh: '最严重的单条事件' },
  'html.charts': { en: 'Traffic at a glance', zh: '流量概览' },
  'html.chartTimeline': { en: 'Events over time by action', zh: '按动作统计的事件时间分布' },
  'html.chartTimelineNote': { en: 'UTC; one bar = {width}', zh: 'UTC 时间;每根柱 = {width}' },
  'html.chartPorts': { en: 'Top destination ports', zh: '主要目标端口' },
  'html.chartSources': { en: 'Top sources', zh: '主要来源地址' },
  'html.barColour': {
    en: 'Bar colour: highest severity seen (grey info, blue low, yellow medium, orange high, red critical)',
    zh: '柱色表示所见最高严重程度(灰=提示,蓝=低,黄=中,橙=高,红=严重)',
  },
  'html.chartHeatmap': { en: 'Who knocked on which port', zh: '来源 × 端口' },
  'html.chartHeatmapNote': {
    en: 'Events per source and destination port (top 20 × top 20)',
    zh: '每个来源对每个目标端口的事件数(前 20 × 前 20)',
  },
  'html.chartProtocol': { en: 'Protocols', zh: '协议' },
  'html.chartDirection': { en: 'Direction', zh: '方向' },
  'html.chartNetworks': { en: 'Source networks', zh: '来源网段' },
  'html.chartNetworksNote': {
    en: 'Events per source network; networks, not countries (no location data is used)',
    zh: '按来源网段统计的事件数;仅为网段,未使用地理位置数据',
  },
  'html.findings': { en: 'Findings', zh: '检测结论' },
  'html.notable': { en: 'Notable events', zh: '值得注意的事件' },
  'html.notableNote': {
    en: 'The highest-severity event shapes (source, protocol, port, direction), one sample each.',
    zh: '严重程度最高的事件类型(来源、协议、端口、方向相同者合并),每类一条样例。',
  },
  'html.glossary': { en: 'Ports in this report', zh: '本报告涉及的端口' },
  'html.glossaryNote': {
    en: 'What each port or ICMP type is usually used for, from the fwlens knowledge base.',
    zh: '各端口或 ICMP 类型的常见用途,取自 fwlens 知识库。',
  },
  'html.filter': { en: 'Filter…', zh: '筛选…' },
  'html.shown': { en: '{n} of {total} shown', zh: '显示 {n} / {total}' },
  'html.noMatch': { en: 'Nothing matches the filter.', zh: '没有符合筛选条件的条目。' },
  'html.sev': { en: 'Severity', zh: '严重程度' },
  'html.what': { en: 'What', zh: '内容' },
  'html.count': { en: 'Events', zh: '事件数' },
  'html.from': { en: 'Sources', zh: '来源' },
  'html.ports': { en: 'Ports', zh: '端口' },
  'html.targets': { en: 'Targets', zh: '目标' },
  'html.firstSeen': { en: 'First seen', zh: '首次出现' },
  'html.lastSeen': { en: 'Last seen', zh: '最后出现' },
  'html.confidence': { en: 'Confidence', zh: '置信度' },
  'html.technique': { en: 'Technique', zh: '手法' },
  'html.evidence': { en: 'Evidence from the log', zh: '日志证据' },
  'html.advice': { en: 'What to do', zh: '建议' },
  'html.why': { en: 'Why this severity', zh: '严重程度依据' },
  'html.where': { en: 'Where', zh: '位置' },
  'html.rawLine': { en: 'Log line', zh: '日志原文' },
  'html.trusted': { en: 'trusted source', zh: '可信来源' },
  'html.lineOrder': {
    en: 'The log has no timestamps: windows were counted in lines, not time.',
    zh: '日志没有时间戳:时间窗口按行数而非时间计算。',
  },
  'html.details': { en: 'Details', zh: '详情' },
  'html.port': { en: 'Port', zh: '端口' },
  'html.name': { en: 'Known as', zh: '常见用途' },
  'html.inThisLog': { en: 'In this log', zh: '本日志中' },
  'html.hits': { en: '{n} events from {m} sources', zh: '来自 {m} 个来源的 {n} 条事件' },
  'html.source': { en: 'source', zh: '来源' },
  'html.kind': { en: 'Kind', zh: '类别' },
  'html.malware': { en: 'Tied to', zh: '相关恶意软件/漏洞' },
  'html.noCharts': { en: 'No data for this chart.', zh: '此图表无数据。' },
  'html.noScript': {
    en: 'Charts, sorting and the language switch need JavaScript; the tables below are complete without it.',
    zh: '图表、排序和语言切换需要 JavaScript;即使没有它,下面的表格内容也是完整的。',
  },
  'html.more': { en: '+{n} more', zh: '另 {n} 个' },
  'html.eventsN': { en: '{n:event}', zh: '{n} 条事件' },
  'html.times': { en: '×{n}', zh: '{n} 次' },
  'html.likeFrom': { en: '{n} like this from {sources:source}', zh: '同类 {n} 条,来自 {sources:source}' },
  'html.otherPorts': { en: 'other', zh: '其他' },

  // --- watch: alert lines and alerting problems (src/watch/alerts) ---
  'alert.line.new': {
    en: '[{severity} {level}] new {detector}: {title}; from {sources}; {events}, last {when} UTC',
    zh: '[{severity} {level}] 新告警 {detector}:{title};来源 {sources};{events},最近一次 {when} UTC',
  },
  'alert.line.update': {
    en: '[{severity} {level}] update {detector}: {title}; from {sources}; {events}, last {when} UTC',
    zh: '[{severity} {level}] 告警更新 {detector}:{title};来源 {sources};{events},最近一次 {when} UTC',
  },
  'alert.moreSources': { en: '+{n} more', zh: '另 {n} 个' },
  'alert.digest.line': {
    en: 'digest {span} UTC: {n:alert}; by detector: {detectors}; by severity: {severities}',
    zh: '汇总 {span} UTC:共 {n} 条告警;按检测器:{detectors};按严重程度:{severities}',
  },
  'alert.digest.empty': {
    en: 'digest {span} UTC: no alerts',
    zh: '汇总 {span} UTC:没有告警',
  },
  'alert.problem.failing': {
    en: 'alerts to {sink} are failing ({reason}); {n} queued on disk, next try in {seconds} s',
    zh: '发往 {sink} 的告警投递失败({reason});磁盘队列中有 {n} 条,{seconds} 秒后重试',
  },
  'alert.problem.recovered': {
    en: 'alerts to {sink} are delivered again; {n} still queued',
    zh: '发往 {sink} 的告警已恢复投递;队列中还有 {n} 条',
  },
  'alert.problem.gaveUp': {
    en: 'an alert to {sink} was given up after {n:attempt} ({reason}) and counted as failed',
    zh: '一条发往 {sink} 的告警在尝试 {n} 次后放弃({reason}),已计为失败',
  },
  'alert.problem.overflow': {
    en: 'the alert queue of {sink} is full: the oldest {n:alert} dropped ({total} dropped so far)',
    zh: '{sink} 的告警队列已满:丢弃了最早的 {n} 条告警(累计丢弃 {total} 条)',
  },
  'alert.problem.sink': {
    en: 'the {sink} alert output failed: {reason}',
    zh: '告警输出 {sink} 出错:{reason}',
  },
  'alert.usage.duration': {
    en: '{name} takes a duration such as 30s, 15m, 1h or 2d, not "{value}"',
    zh: '{name} 需要 30s、15m、1h、2d 这样的时长,而不是“{value}”',
  },
  'alert.usage.header': {
    en: '--webhook-header takes "Name: value", not "{value}"',
    zh: '--webhook-header 的格式是“名称: 值”,而不是“{value}”',
  },
  'alert.usage.notUrl': { en: 'the webhook URL "{url}" is not a URL', zh: 'webhook 地址“{url}”不是 URL' },
  'alert.usage.urlScheme': {
    en: 'the webhook URL "{url}" must start with http:// or https://',
    zh: 'webhook 地址“{url}”必须以 http:// 或 https:// 开头',
  },
  'alert.usage.ca': {
    en: '--webhook-ca: cannot read {path} ({reason})',
    zh: '--webhook-ca:无法读取 {path}({reason})',
  },
  'alert.usage.execEmpty': { en: '--exec needs a command', zh: '--exec 需要一个命令' },
  'alert.usage.execQuote': {
    en: 'the --exec command has an unclosed {quote} quote',
    zh: '--exec 命令中有未闭合的 {quote} 引号',
  },
  'alert.usage.block': {
    en: '--block takes nft or ipset, not "{value}"',
    zh: '--block 的取值是 nft 或 ipset,而不是“{value}”',
  },
  'alert.usage.blockAllow': {
    en: '--block-allow takes {choices} (comma-separated), not "{value}"',
    zh: '--block-allow 的取值是 {choices}(可用逗号分隔),而不是“{value}”',
  },
  'alert.usage.apply': {
    en: '--apply needs --block nft or --block ipset',
    zh: '--apply 需要同时指定 --block nft 或 --block ipset',
  },
  'respond.problem.failed': {
    en: '{program} could not block {addresses}: {reason}',
    zh: '{program} 未能封禁 {addresses}:{reason}',
  },
  // --- context per address (src/context): owner, country, research scanners, your lists, reverse DNS ---
  'context.asn.missing': {
    en: 'The ASN data package {package} is not installed, so the report goes on without organisations (npm install {package} brings it back).',
    zh: 'ASN 数据包 {package} 未安装,报告将不显示所属组织继续生成(npm install {package} 可恢复)。',
  },
  'context.asn.corrupt': {
    en: 'The ASN data {path} cannot be read ({error}), so the report goes on without organisations (npm run build compiles it again).',
    zh: '无法读取 ASN 数据 {path}({error}),报告将不显示所属组织继续生成(npm run build 可重新编译)。',
  },
  'context.stale': {
    en: 'The ASN data set is from {date}, more than {limit} days ago, so owners may have changed: update it with npm update @ip-location-db/asn && npm run build, or compile newer files with node scripts/compile-context.mjs --from <folder>.',
    zh: 'ASN 数据集的日期是 {date},已超过 {limit} 天,网络归属可能已变:请用 npm update @ip-location-db/asn && npm run build 更新,或用 node scripts/compile-context.mjs --from <目录> 编译更新的文件。',
  },
  'context.geo.unreadable': {
    en: 'The country database {path} cannot be read ({error}), so the report goes on without countries.',
    zh: '无法读取国家数据库 {path}({error}),报告将不显示国家继续生成。',
  },
  'context.list.unreadable': {
    en: 'The {kind} {path} cannot be read ({error}), so the run goes on without it.',
    zh: '无法读取{kind} {path}({error}),将不使用它继续运行。',
  },
  'context.list.malformed': {
    en: '{path}:{line}: "{text}" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.',
    zh: '{path}:{line}:"{text}" 不是地址、CIDR 网段或自治系统号(如 AS64500),已跳过该行。',
  },
  'context.list.moreMalformed': {
    en: '{path}: {more:line} more are not an address, CIDR block or ASN either, so they are skipped too.',
    zh: '{path}:另有 {more:line}也不是地址、CIDR 网段或自治系统号,同样已跳过。',
  },
  'context.list.allow': { en: 'allow list', zh: '允许名单' },
  'context.list.deny': { en: 'deny list', zh: '拒绝名单' },
  'context.rdns.partial': {
    en: 'Reverse DNS: {done} of {n} addresses answered within {ms} ms; the others are shown without names.',
    zh: '反向解析:{n} 个地址中有 {done} 个在 {ms} 毫秒内得到应答,其余地址不显示名称。',
  },
  'context.rdns.cacheUnwritable': {
    en: 'The reverse DNS cache {path} cannot be written ({error}); names are looked up again next time.',
    zh: '无法写入反向解析缓存 {path}({error});下次将重新查询名称。',
  },
  'context.reason.researchScanner': {
    en: 'known research scanner: {name}',
    zh: '已知研究型扫描器:{name}',
  },
  'context.reason.researchNoise': {
    en: 'known research scanner: {name} (the config treats research scanners as noise)',
    zh: '已知研究型扫描器:{name}(配置将研究型扫描器视为噪声)',
  },
  'context.reason.researchBlock': {
    en: 'known research scanner: {name} (the config treats research scanners as worth blocking)',
    zh: '已知研究型扫描器:{name}(配置将研究型扫描器视为应当封锁)',
  },
  'context.reason.allowList': {
    en: 'trusted: {ip} is on your allow list ({where}), never above info',
    zh: '可信:{ip} 在你的允许名单上({where}),严重度不超过提示',
  },
  'context.reason.denyList': {
    en: 'listed bad actor: {ip} is on your deny list ({where})',
    zh: '已列入的恶意来源:{ip} 在你的拒绝名单上({where})',
  },
  'context.explain.owner': {
    en: '{ip} belongs to AS{asn} ({org}){country}.',
    zh: '{ip} 属于 AS{asn}({org}){country}。',
  },
  'context.explain.country': {
    en: ', registered in {cc} (approximate)',
    zh: ',登记国家 {cc}(近似)',
  },
  'context.explain.countryOnly': {
    en: '{ip} is registered in {cc} (approximate).',
    zh: '{ip} 的登记国家为 {cc}(近似)。',
  },
  'context.explain.noOwner': {
    en: 'No autonomous system announces {ip} in the data set of {date}.',
    zh: '在 {date} 的数据集中,没有任何自治系统宣告 {ip}。',
  },
  'context.explain.special': {
    en: '{ip} is in a {label} range: it has no owner, organisation or country on the Internet.',
    zh: '{ip} 属于{label}地址段:它在互联网上没有所有者、组织或国家。',
  },
  'context.explain.name': { en: 'Reverse DNS name of {ip}: {name}.', zh: '{ip} 的反向解析名:{name}。' },
  'context.explain.scanner': {
    en: '{ip} is a known research scanner: {name}.',
    zh: '{ip} 是已知的研究型扫描器:{name}。',
  },
  'context.class.documentation': { en: 'documentation', zh: '文档示例' },
  'context.class.private': { en: 'private', zh: '私有' },
  'context.class.loopback': { en: 'loopback', zh: '环回' },
  'context.class.link-local': { en: 'link-local', zh: '链路本地' },
  'context.class.cgnat': { en: 'carrier-grade NAT', zh: '运营商级 NAT' },
  'context.class.multicast': { en: 'multicast', zh: '组播' },
  'context.class.broadcast': { en: 'broadcast', zh: '广播' },
  'context.class.unspecified': { en: 'unspecified', zh: '未指定' },
  'context.class.bogon': { en: 'reserved (bogon)', zh: '保留(bogon)' },
  'context.label.research': { en: 'research scanner', zh: '研究型扫描器' },
  'context.label.allow': { en: 'allow-listed', zh: '允许名单' },
  'context.label.deny': { en: 'deny-listed', zh: '拒绝名单' },
  'report.topOrganizations': { en: 'Top organisations', zh: '来源最多的组织' },
  'report.topCountries': { en: 'Top countries (approximate)', zh: '来源最多的国家(近似)' },
  'context.attribution.asn': {
    en: 'ASN data: {source}, modified (compiled into a range table)',
    zh: 'ASN 数据:{source},经过修改(编译为地址区间表)',
  },
  'context.attribution.country': {
    en: 'Country data: {source}, approximate',
    zh: '国家数据:{source},仅为近似',
  },
  'report.col.org': { en: 'organisation', zh: '组织' },
  'report.col.country': { en: 'country', zh: '国家' },
  'report.col.addresses': { en: 'addresses', zh: '地址数' },
  'report.context.data': {
    en: 'Owners from the ASN data of {date}; countries are approximate.',
    zh: '归属来自 {date} 的 ASN 数据;国家仅为近似。',
  },

  // --- severity words, 1 (info) to 5 (critical): the one place they are named ---
  'severity.1': { en: 'info', zh: '提示' },
  'severity.2': { en: 'low', zh: '低' },
  'severity.3': { en: 'medium', zh: '中' },
  'severity.4': { en: 'high', zh: '高' },
  'severity.5': { en: 'critical', zh: '严重' },

  // --- glossary: knowledge kinds as words ---
  'kind.service': { en: 'service', zh: '服务' },
  'kind.trojan': { en: 'trojan', zh: '木马' },
  'kind.backdoor': { en: 'backdoor', zh: '后门' },
  'kind.proxy': { en: 'proxy', zh: '代理' },
  'kind.rpc': { en: 'RPC', zh: 'RPC 远程调用' },
  'kind.return-traffic': { en: 'return traffic', zh: '回程流量' },
  'kind.adware': { en: 'adware', zh: '广告软件' },
  'kind.broadcast-noise': { en: 'LAN broadcast noise', zh: '局域网广播噪声' },
  'kind.game': { en: 'game', zh: '游戏' },
  'kind.chat': { en: 'chat', zh: '聊天' },
  'kind.p2p': { en: 'peer-to-peer', zh: 'P2P 点对点' },
  'kind.traceroute': { en: 'traceroute', zh: '路由跟踪' },
  'kind.scan-artifact': { en: 'scan artifact', zh: '扫描痕迹' },
  'kind.amplifier': { en: 'reflection amplifier', zh: '反射放大' },
  'kind.iot-botnet': { en: 'IoT botnet', zh: '物联网僵尸网络' },
  'kind.worm': { en: 'worm', zh: '蠕虫' },
  'kind.brute-force': { en: 'password guessing', zh: '密码暴力破解' },
  'kind.exposed-service': { en: 'often exposed service', zh: '常被暴露的服务' },
  'kind.ics-ot': { en: 'industrial control', zh: '工业控制' },
  'kind.remote-access': { en: 'remote access', zh: '远程访问' },
  'kind.voip-fraud': { en: 'VoIP fraud', zh: 'VoIP 欺诈' },
  'kind.printer': { en: 'printer', zh: '打印机' },
  'kind.streaming': { en: 'streaming', zh: '流媒体' },
  'kind.other': { en: 'other', zh: '其他' },
  'kind.iana': { en: 'IANA registration', zh: 'IANA 登记' },
  'kind.error': { en: 'ICMP error', zh: 'ICMP 差错' },
  'kind.query': { en: 'ICMP query', zh: 'ICMP 查询' },
  'kind.reply': { en: 'ICMP reply', zh: 'ICMP 应答' },
  'kind.info': { en: 'ICMP information', zh: 'ICMP 信息' },
  'kind.neighbor': { en: 'neighbour discovery', zh: '邻居发现' },

  // --- detect: shared words of findings (src/detect/finding.ts, postprocess.ts) ---
  'detect.title.specific': { en: '{title}: {specific}', zh: '{title}:{specific}' },
  'detect.list.and': { en: '{rest} and {last}', zh: '{rest} 和 {last}' },
  'duration.seconds': { en: '{n} s', zh: '{n} 秒' },
  'duration.minutes': { en: '{n} min', zh: '{n} 分钟' },
  'duration.hours': { en: '{n} h', zh: '{n} 小时' },
  'duration.days': { en: '{n:day}', zh: '{n:day}' },
  'report.glossary.iana': {
    en: 'Registered with IANA as {what}; fwlens has no further notes on it.',
    zh: '在 IANA 登记为 {what};fwlens 暂无更多说明。',
  },
  'report.port.dynamic': { en: '(dynamic/ephemeral range)', zh: '(动态/临时端口范围)' },
  'report.port.unregistered': { en: '(not registered with IANA)', zh: '(未在 IANA 登记)' },
  'explain.ttl.field.hopLimit': { en: 'hop limit', zh: '跳数限制' },
  'detect.service.iana': { en: '{name} ({port}/{proto})', zh: '{name}({port}/{proto})' },
  'detect.service.unknown': { en: 'port {port}/{proto}', zh: '{port}/{proto} 端口' },
  'detect.service.ports': { en: '{name} ({ports})', zh: '{name}({ports})' },
  // First, so a cut text (the terminal shows a few lines) still agrees with the finding's counts.
  'detect.episodes': {
    en: 'Seen in {n} separate episodes{span}, {records} in all. Strongest episode: {explanation}',
    zh: '共出现 {n} 次{span},{records}。其中最突出的一次:{explanation}',
  },
  'detect.episodes.span': { en: ' between {first} and {last}', zh: ',时间在 {first} 至 {last} 之间' },

  // --- detect: backscatter ---
  'detect.backscatter.caveat': {
    en: ' (This log shows no outbound traffic at all, so a reply to your own traffic cannot be ruled out completely.)',
    zh: '(此日志中完全没有出站流量记录,因此不能完全排除这是对你自己流量的应答。)',
  },
  'detect.backscatter.details': {
    en: '{src} sent {answers:answer} ({list}) to {ports:differentPort} of yours, but nothing of yours asked: someone forged your address as the source of an attack on {src}, and its replies come back to you.{caveat}',
    zh: '{src} 向你的 {ports} 个不同端口发来了 {answers} 个应答({list}),但你这边并没有发起请求:有人伪造你的地址作为源地址去攻击 {src},对方的应答于是回到了你这里。{caveat}',
  },
  'detect.backscatter.specific': { en: 'from {src}', zh: '来自 {src}' },

  // --- detect: distributed scans ---
  'detect.distributed.prefix': {
    en: '{sources:address} of {net} together probed {probes:port} ({ports:distinctPort} on {hosts:host}, {records}), about {rate:newProbe} a minute while active: one scan split across a network range.',
    zh: '{net} 网段中的 {sources} 个地址共同探测了 {probes} 个端口({hosts} 台主机上的 {ports} 个不同端口,{records}),活跃期间每分钟约 {rate} 个新探测:这是把一次扫描分散到整个网段上进行。',
  },
  'detect.distributed.target': {
    en: '{sources:differentAddress} probed {ports:distinctPort} of {dst} in a short time, each taking only a few, with almost no port hit twice: a scan divided among many sources (a botnet, cloud hosts or decoys).',
    zh: '{sources} 个不同地址在短时间内探测了 {dst} 的 {ports} 个不同端口,每个地址只负责几个,几乎没有端口被重复探测:这是把扫描分摊给许多来源(僵尸网络、云主机或诱饵)。',
  },

  // --- detect: floods ---
  'detect.flood.advice': {
    en: 'Rate-limit or filter upstream; a host-level firewall cannot absorb a real flood. Your provider can filter spoofed floods closer to the source.',
    zh: '在上游做限速或过滤;主机防火墙扛不住真正的洪水攻击。运营商可以在更靠近源头的地方过滤伪造源的洪水流量。',
  },
  'detect.flood.source.title': { en: 'Flood from {src} ({kind})', zh: '来自 {src} 的洪水攻击({kind})' },
  'detect.flood.source': {
    en: '{src} {sent}, peaking at {peak} in one second, to {ports:port} of {hosts:host}: a denial-of-service flood, not a scan.',
    zh: '{src} {sent},峰值达到每秒 {peak} 个,目标是 {hosts} 台主机的 {ports} 个端口:这是拒绝服务洪水攻击,而不是扫描。',
  },
  'detect.flood.target.title': {
    en: 'Flood against {dst} from many sources ({kind})',
    zh: '来自大量来源针对 {dst} 的洪水攻击({kind})',
  },
  'detect.flood.target': {
    en: '{sources:differentSource} {sent} to {dst}, peaking at {peak} per second: a distributed or spoofed-source flood.',
    zh: '{sources} 个不同来源向 {dst} {sent},峰值每秒 {peak} 个:这是分布式或伪造源地址的洪水攻击。',
  },
  'detect.flood.smurfReplies': { en: '{n:icmpEchoReply}', zh: '{n} 个 ICMP 回显应答' },
  'detect.flood.fraggleReplies': { en: '{n:udpEchoReply}', zh: '{n} 个UDP echo/chargen 应答' },
  'detect.flood.reflection': {
    en: '{dst} received {replies} from {sources:differentHost} without asking: someone sent requests to broadcast addresses with {dst} forged as the sender, and every host answered it.',
    zh: '{dst} 在没有发出请求的情况下收到来自 {sources} 台不同主机的 {replies}:有人伪造 {dst} 为发送方向广播地址发请求,所有主机都回应了它。',
  },
  'detect.flood.directedBroadcast': {
    en: '{src} sent {requests:echoRequest} to broadcast addresses ({targetList}). If your routers forwarded them, every host would answer the (probably forged) sender: your network would be the amplifier of a smurf or fraggle attack.',
    zh: '{src} 向广播地址({targetList})发送了 {requests} 个回显请求。如果路由器转发了它们,所有主机都会回应那个(很可能是伪造的)发送方:你的网络就成了 smurf 或 fraggle 攻击的放大器。',
  },

  // --- detect: a group's records counted in a finding's text (src/detect/finding.ts recordCount) ---
  // Packets of a packet log; connections when every record was a session log's (ASA Built/Teardown, SRX
  // sessions, PAN-OS TRAFFIC, FortiGate traffic ...); attempts or records when a group holds both, attempts too
  // when the firewall refused connections it would otherwise say were opened. Each phrase
  // keeps the packet wording its sentences had, Chinese measure word included.
  'detect.records.sent.packet': { en: 'sent {n:packet}', zh: '发送了 {n} 个包' },
  'detect.records.sent.connection': { en: 'opened {n:connection}', zh: '建立了 {n} 个连接' },
  'detect.records.sent.record': { en: 'made {n:attempt}', zh: '发起了 {n} 次尝试' },
  'detect.records.sentTcp.packet': { en: 'sent {n:tcpPacket}', zh: '发出了 {n} 个 TCP 包' },
  'detect.records.sentTcp.connection': { en: 'opened {n:tcpConnection}', zh: '建立了 {n} 个 TCP 连接' },
  'detect.records.sentTcp.record': { en: 'made {n:tcpAttempt}', zh: '发起了 {n} 次 TCP 尝试' },
  'detect.records.plain.packet': { en: '{n:packet}', zh: '{n} 个包' },
  'detect.records.plain.connection': { en: '{n:connection}', zh: '{n} 个连接' },
  'detect.records.plain.record': { en: '{n:record}', zh: '{n} 条记录' },
  'detect.records.with.packet': { en: '{n:packet}', zh: '{n} 个数据包' },
  'detect.records.with.connection': { en: '{n:connection}', zh: '{n} 个连接' },
  'detect.records.with.record': { en: '{n:record}', zh: '{n} 条记录' },
  'detect.records.inAll.packet': { en: '{n:packet}', zh: '共 {n} 个包' },
  'detect.records.inAll.connection': { en: '{n:connection}', zh: '共 {n} 个连接' },
  'detect.records.inAll.record': { en: '{n:record}', zh: '共 {n} 条记录' },
  'detect.records.total.packet': { en: '{n:packet}', zh: '合计 {n} 个包' },
  'detect.records.total.connection': { en: '{n:connection}', zh: '合计 {n} 个连接' },
  'detect.records.total.record': { en: '{n:record}', zh: '合计 {n} 条记录' },
  // The Chinese sentence names what was counted (个 ICMP 时间戳请求): one request per packet or connection.
  'detect.records.requests.packet': { en: '{n:packet}', zh: '{n} 个' },
  'detect.records.requests.connection': { en: '{n:connection}', zh: '{n} 个' },
  'detect.records.requests.record': { en: '{n:record}', zh: '{n} 个' },
  'detect.records.chatter.packet': { en: '{n:packet}', zh: '{n} 个本地网络闲聊包' },
  'detect.records.chatter.connection': { en: '{n:connection}', zh: '{n} 个本地网络闲聊连接' },
  'detect.records.chatter.record': { en: '{n:record}', zh: '{n} 条本地网络闲聊记录' },
  'detect.records.dropped.packet': { en: '{n:droppedPacket}', zh: '{n} 个被丢弃的包' },
  'detect.records.dropped.connection': { en: '{n:droppedConnection}', zh: '{n} 个被丢弃的连接' },
  'detect.records.dropped.record': { en: '{n:droppedRecord}', zh: '{n} 条被丢弃的记录' },
  'detect.records.arrived.packet': { en: '{n:packet} arrived from {src}', zh: '有 {n} 个来自 {src} 的包' },
  'detect.records.arrived.connection': {
    en: '{n:connection} arrived from {src}',
    zh: '有 {n} 个来自 {src} 的连接',
  },
  'detect.records.arrived.record': { en: '{n:record} arrived from {src}', zh: '有 {n} 条来自 {src} 的记录' },

  // --- detect: horizontal sweeps ---
  'detect.horizontal.block': {
    en: '{src} probed {hosts:host} on {ports:differentPort} ({records}): a block scan across your network, most often {hunted}.',
    zh: '{src} 对 {hosts} 台主机的 {ports} 个端口进行了探测({records}):这是覆盖整个网络的区块扫描,最常见的是 {hunted}。',
  },
  'detect.horizontal.sweep': {
    en: '{src} swept {hosts:host} looking for {hunted} ({records}): a horizontal sweep for one kind of service.',
    zh: '{src} 扫过 {hosts} 台主机寻找 {hunted}({records}):这是针对某一种服务的横向扫描。',
  },

  // --- detect: inherited-address retries ---
  'detect.inheritedRetry.details': {
    en: '{src} came back to {service} on {dst} {times:time}, steadily every {every}, for {span}. Attackers do not knock this patiently on one door; this is a program that still thinks your address belongs to someone it used to talk to, most likely because your address was given to someone else before you (dial-up, DHCP, cloud).',
    zh: '{src} 在 {span}内 {times} 次回到 {dst} 的 {service},间隔稳定在约 {every}。攻击者不会这样耐心地敲同一扇门;这是某个程序仍以为你的地址属于它以前联系过的主机,很可能因为这个地址在你之前分配给过别人(拨号、DHCP、云主机)。',
  },

  // --- detect: LAN noise ---
  'detect.lanNoise.details': {
    en: '{records} of local-network chatter from {hosts:host} ({list}): broadcasts and multicasts that Windows name lookups, DHCP, device discovery and IPv6 neighbour discovery send all the time. Not an attack.',
    zh: '来自 {hosts} 台主机的 {records}({list}):Windows 名称查询、DHCP、设备发现和 IPv6 邻居发现一直在发送的广播和组播。不是攻击。',
  },

  // --- detect: outbound beacons ---
  'detect.beacon.steady': { en: ' roughly every {every}', zh: ',大约每 {every}一次' },
  'detect.beacon.purpose': { en: ' ({what})', zh: '({what})' },
  'detect.beacon.details': {
    en: 'Your host {src} tried {times:time} to reach {service} on {targets:outsideAddress}{steady}. The problem is INSIDE your network: a program on {src} keeps calling out{purpose}.',
    zh: '你的主机 {src} 尝试连接外部 {targets} 个地址上的 {service} 共 {times} 次{steady}。问题出在你的网络内部:{src} 上有程序在不断向外连接{purpose}。',
  },
  'detect.beacon.title': {
    en: 'Inside host {src} calling out to {service}',
    zh: '内部主机 {src} 向外连接 {service}',
  },
  'detect.beacon.advice': {
    en: 'Find the program on {src} that makes these connections (netstat/ss, process list) and remove or reconfigure it; blocking alone hides the symptom.',
    zh: '在 {src} 上找出发起这些连接的程序(netstat/ss、进程列表),将其删除或重新配置;仅仅拦截只是掩盖了症状。',
  },
  'detect.beacon.specific': { en: '{src} → {service}', zh: '{src} → {service}' },

  // --- detect: ping sweeps and ICMP reconnaissance ---
  'detect.pingSweep.sweep': {
    en: '{src} sent ICMP {what} requests to {hosts:differentHost} ({records}): it is finding out which addresses are alive.',
    zh: '{src} 向 {hosts} 台不同主机发送了 ICMP {what} 请求({records}):它在探测哪些地址上有活着的主机。',
  },
  'detect.pingSweep.recon': {
    en: '{src} sent ICMP {what} requests ({requests}): these queries reveal the clock or netmask of a host and are used for reconnaissance, not by normal software.',
    zh: '{src} 发送了 {requests} ICMP {what} 请求:这类查询会暴露主机的时钟或子网掩码,多用于侦察,正常软件很少使用。',
  },

  // --- detect: repeated attempts ---
  'detect.repeated.login': {
    en: 'a login service: most likely password guessing',
    zh: '这是登录服务:很可能是在猜密码',
  },
  'detect.repeated.retry': {
    en: 'most likely a client retrying a connection that your firewall keeps refusing',
    zh: '很可能是某个客户端在不断重试被防火墙拒绝的连接',
  },
  'detect.repeated.retryAllowed': {
    en: 'most likely a program connecting again and again, and your firewall let the connections through',
    zh: '很可能是某个程序在反复建立连接,而防火墙放行了这些连接',
  },
  'detect.repeated.details': {
    en: '{src} {sent} to {services} on {dst} and almost nothing else. That is not a port scan (a scan touches many ports); it is {why}.',
    zh: '{src} 向 {dst} 的 {services} {sent},几乎没有访问其他端口。这不是端口扫描(扫描会触及很多端口);这是{why}。',
  },
  'detect.repeated.title': { en: 'Repeated attempts on {services}', zh: '反复尝试连接 {services}' },
  'detect.repeated.advice': {
    en: 'Find out which program on the source keeps retrying; if it is yours, fix its configuration, otherwise just keep dropping it.',
    zh: '查明来源上是哪个程序在不断重试;如果是你自己的程序就修正其配置,否则继续丢弃即可。',
  },
  'detect.repeated.adviceAllowed': {
    en: 'Find out which program on the source connects this often; if it is expected (monitoring, polling, a sync), nothing needs doing, otherwise add a rule that blocks it.',
    zh: '查明来源上是哪个程序如此频繁地连接;如果这是预期中的(监控、轮询、同步),无需处理,否则添加一条规则拦截它。',
  },

  // --- detect: return traffic ---
  'detect.return.kind.realaudio': {
    en: 'UDP to ports 6970-7170 after one of your hosts opened TCP 7070/554: RealAudio/RTSP streaming data coming back to your media player.',
    zh: '在你的主机连接了 TCP 7070/554 之后,出现发往 6970-7170 的 UDP:这是 RealAudio/RTSP 流媒体数据回传给你的播放器。',
  },
  'detect.return.kind.dns': {
    en: 'DNS answers (source port 53) arriving after the resolver stopped waiting.',
    zh: 'DNS 应答(源端口 53)在解析器不再等待之后才到达。',
  },
  'detect.return.kind.ntp': {
    en: 'NTP time replies (source port 123).',
    zh: 'NTP 时间同步应答(源端口 123)。',
  },
  'detect.return.kind.ftp-data': {
    en: 'Active-mode FTP data connections from port 20 back to a client of yours.',
    zh: '主动模式 FTP 从 20 端口回连到你的客户端的数据连接。',
  },
  'detect.return.kind.late-tcp': {
    en: 'ACK/FIN/PSH segments from web and other servers to your ephemeral ports after the firewall forgot the connection.',
    zh: '防火墙已忘记连接之后,网站等服务器发往你的临时端口的 ACK/FIN/PSH 报文。',
  },
  'detect.return.kind.late-quic': {
    en: 'QUIC (UDP 443) packets from web servers after the flow timed out.',
    zh: '流超时之后来自网站服务器的 QUIC(UDP 443)数据包。',
  },
  'detect.return.part': { en: '{n} × {what}', zh: '{n} 个:{what}' },
  'detect.return.details': {
    en: '{records} from {servers:server}, all answers to connections your own hosts started, not attacks: {parts}',
    zh: '{servers} 台服务器的 {records}是对你自己主机发起连接的应答,而不是攻击:{parts}',
  },
  'detect.return.title': { en: 'Replies to your own clients', zh: '对你自己客户端的应答' },
  'detect.return.advice': {
    en: 'Nothing to do. If there are many, your connection-tracking timeouts may be short for these protocols.',
    zh: '无需处理。如果数量很多,说明这些协议的连接跟踪超时可能设置得偏短。',
  },

  // --- detect: scanner fingerprints ---
  'detect.fingerprint.nmapOs': {
    en: '{src} sent the odd packets nmap uses to guess an operating system ({marks}): flag combinations and probe sizes no normal program sends.',
    zh: '{src} 发送了 nmap 用来猜测操作系统的特殊数据包({marks}):正常程序不会发送这样的标志组合和探测长度。',
  },
  'detect.fingerprint.sscan': {
    en: '{src} {sent} from source ports 1-5, the calling card of the old sscan script.',
    zh: '{src} 从源端口 1-5 {sent},这是老牌 sscan 扫描脚本的特征。',
  },
  'detect.fingerprint.evasion.title': {
    en: 'Probes from source port 53/20 (filter evasion)',
    zh: '来自源端口 53/20 的探测(绕过过滤)',
  },
  'detect.fingerprint.evasion': {
    en: '{src} sent {probes:newConnectionOrProbe} from source port {sport}; real DNS or FTP-data traffic does not look like this. Scanners pick these ports because naive filters let "DNS replies" and "FTP data" through.',
    zh: '{src} 从源端口 {sport} 发起了 {probes} 次新连接或探测;真正的 DNS 或 FTP 数据流量不是这样的。扫描器选择这些端口,是因为简单的过滤规则会放行“DNS 应答”和“FTP 数据”。',
  },
  'detect.fingerprint.evasion.advice': {
    en: 'Make sure no rule accepts traffic just because its source port is 53 or 20; use connection tracking instead.',
    zh: '确认没有任何规则仅凭源端口为 53 或 20 就放行流量;应改用连接跟踪。',
  },
  'detect.fingerprint.portZero.title': {
    en: 'Probes to port 0 / address 0.0.0.0',
    zh: '探测 0 端口 / 0.0.0.0 地址',
  },
  'detect.fingerprint.portZero': {
    en: "{src} {sent} to port 0 or to the address 0.0.0.0. No service lives there and no normal program sends such packets: tools send them to see how a host's stack answers, a way of fingerprinting the operating system.",
    zh: '{src} 向 0 端口或 0.0.0.0 地址{sent}。那里没有任何服务,正常程序也不会发这种包:这是工具在观察主机协议栈如何应答,借此识别操作系统。',
  },
  'detect.fingerprint.portZero.advice': {
    en: 'Keep dropping it; make sure nothing of yours answers packets to port 0 differently from other closed ports.',
    zh: '继续丢弃即可;确认你的主机对 0 端口的应答与其他关闭端口没有区别。',
  },
  'detect.fingerprint.mirai.title': { en: 'Mirai-style Telnet scanner', zh: 'Mirai 类 Telnet 扫描器' },
  'detect.fingerprint.mirai.seq': {
    en: ' with the TCP sequence number set to the target address',
    zh: ',且 TCP 序列号等于目标地址',
  },
  'detect.fingerprint.mirai': {
    en: '{src} tried Telnet on both 23 and 2323{seq}: the way Mirai and its offspring look for IoT devices with default passwords. The source is most likely an infected device itself.',
    zh: '{src} 同时尝试了 23 和 2323 两个 Telnet 端口{seq}:这是 Mirai 及其变种寻找使用默认密码的物联网设备的方式。该来源本身很可能就是一台被感染的设备。',
  },
  'detect.fingerprint.mirai.advice': {
    en: 'Make sure no device of yours offers Telnet to the Internet and none keeps a default password.',
    zh: '确认你的设备没有向互联网开放 Telnet,且没有设备仍在使用默认密码。',
  },
  'detect.fingerprint.zmap': {
    en: '{src} sent {packets:syn} with IP ID 54321, the fixed value of the ZMap Internet-wide scanner (often research projects).',
    zh: '{src} 发送了 {packets} 个 IP ID 为 54321 的 SYN 包,这是全网扫描工具 ZMap 的固定值(常见于研究项目)。',
  },

  // --- detect: service hunts ---
  'detect.hunt.advice': {
    en: 'Make sure none of your hosts offers this service to the outside; if one does, restrict it to the addresses that need it.',
    zh: '确认你没有主机向外部提供这项服务;如果有,只允许确实需要的地址访问。',
  },
  'detect.hunt.proxy': {
    en: '{src} tried {count:proxyPort} on {hosts:host} within {seconds} s: {named}. It is looking for an open proxy to relay through.',
    zh: '{src} 在 {seconds} 秒内试探了 {hosts} 台主机上的 {count} 个代理端口:{named}。它在寻找可供中转的开放代理。',
  },
  'detect.hunt.pcanywhere.swapped': {
    en: ' and to 22 (5632 byte-swapped; not SSH)',
    zh: ' 和 22(5632 字节对调后的值,并非 SSH)',
  },
  'detect.hunt.pcanywhere.session': { en: ', then tried TCP 5631', zh: ',随后尝试 TCP 5631' },
  'detect.hunt.pcanywhere': {
    en: '{src} sent tiny UDP datagrams to 5632{swapped}{session}: pcAnywhere looking for hosts to control.',
    zh: '{src} 向 5632{swapped}发送了很小的 UDP 数据报{session}:这是 pcAnywhere 在寻找可控制的主机。',
  },
  'detect.hunt.rpc.title': { en: 'Probe for {names} over TCP and UDP', zh: '通过 TCP 和 UDP 探测 {names}' },
  'detect.hunt.rpc': {
    en: '{src} tried {names} ({portList}) over both TCP and UDP. A client uses one transport; trying both is someone checking whether the RPC service is reachable, a classic first step against NFS and Sun RPC daemons.',
    zh: '{src} 同时通过 TCP 和 UDP 试探了 {names}({portList})。正常客户端只用一种传输协议;两种都试,是在检查该 RPC 服务能否访问,这是攻击 NFS 和 Sun RPC 守护进程的典型第一步。',
  },

  // --- detect: slow scans ---
  'detect.slowScan.details': {
    en: '{src} probed {probes} port/host pairs ({ports:port} on {hosts:host}) over {span}, about one new probe every {every}: a scan slowed down on purpose to stay under rate-based alarms.',
    zh: '{src} 在 {span}内探测了 {probes} 个端口/主机组合({hosts} 台主机上的 {ports} 个端口),大约每 {every}一个新探测:这是故意放慢速度以躲过基于速率的告警的扫描。',
  },

  'detect.slowScan.fewPorts.title': { en: 'Slow scan of a few ports', zh: '少量端口的慢速扫描' },
  'detect.slowScan.fewPorts': {
    en: '{src} probed {ports:port} of {dst} ({portList}) one at a time, about {every} apart, over {span}, each once ({records}): a scan kept small and slow on purpose to stay under port-count and rate alarms.',
    zh: '{src} 逐个探测了 {dst} 的 {ports} 个端口({portList}),间隔约 {every},历时 {span},每个端口只探测一次({records}):这是有意保持小规模、慢速以躲过端口数和速率告警的扫描。',
  },
  'detect.slowScan.fewPorts.advice': {
    en: 'A patient look at a few chosen services. Check that none of these ports answers from the outside, block the source, and look for it in longer stretches of your logs.',
    zh: '这是对几个特定服务的耐心探查。确认这些端口都不对外应答,封禁该来源,并在更长时间范围的日志里查找它。',
  },

  // --- detect: the firewall's own alarms ---
  'detect.alarm.title': {
    en: 'The firewall itself flagged "{name}" {subject}',
    zh: '防火墙自身告警"{name}"{subject}',
  },
  'detect.alarm.from': { en: 'from {src}', zh: '(来源 {src})' },
  'detect.alarm.against': { en: 'against {dst}', zh: '(目标 {dst})' },
  'detect.alarm.details': {
    en: 'The firewall raised {alarms:alarm} "{name}" {subject} ({classes}). This is its own judgement (a screen, DoS-policy, IDS or threat rule that matched), shown in its words with the records as evidence.',
    zh: '防火墙{subject}共发出 {alarms:alarm}:"{name}"({classes})。这是防火墙自身的判断(匹配了屏幕防护、DoS 策略、IDS 或威胁规则),按其原话列出,并附原始记录作为证据。',
  },
  'detect.alarm.also': {
    en: 'The firewall itself also flagged this source: {alarms}.',
    zh: '防火墙自身也对该来源发出了告警:{alarms}。',
  },
  'detect.alarm.alsoOne': { en: '"{name}" ({alarms:alarm})', zh: '"{name}"({alarms:alarm})' },
  'detect.alarm.advice.screen': {
    en: 'The firewall saw a flood, scan or malformed-packet pattern and applied its screen: check that its action (alarm only, or drop) is what you want, and block the source if it goes on.',
    zh: '防火墙发现了泛洪、扫描或畸形包模式并启用了屏幕防护:确认其动作(仅告警还是丢弃)符合预期,若持续则封禁该来源。',
  },
  'detect.alarm.advice.dos': {
    en: 'A DoS policy matched: check the rate thresholds against your normal traffic and whether the policy blocks or only logs; if the target is a service of yours, watch its load.',
    zh: 'DoS 策略被触发:对照正常流量检查速率阈值,确认该策略是阻断还是仅记录;若目标是你的服务,请关注其负载。',
  },
  'detect.alarm.advice.ids': {
    en: 'An intrusion rule matched an attack pattern: check the target for the named weakness (patch level, exposure), look for the same source in other logs, and block it if the attack is real.',
    zh: '入侵检测规则匹配到攻击特征:检查目标是否存在所述弱点(补丁级别、暴露面),在其他日志中查找同一来源,若攻击属实则封禁。',
  },
  'detect.alarm.advice.threat': {
    en: 'A threat rule matched (scan, flood, vulnerability or malware): check what the firewall did with it, whether the target is vulnerable, and block the source if the threat is real.',
    zh: '威胁规则被匹配(扫描、泛洪、漏洞或恶意软件):确认防火墙如何处理,目标是否存在漏洞,若威胁属实则封禁该来源。',
  },

  // --- detect: spoofing ---
  'detect.spoofing.advice': {
    en: 'Drop such sources at the border (anti-spoofing / reverse-path filtering). Do not block the claimed source itself: it is probably not the real sender.',
    zh: '在边界丢弃此类来源(防伪造/反向路径过滤)。不要封禁被冒用的源地址本身:它很可能不是真正的发送方。',
  },
  'detect.spoofing.reason.land': {
    en: 'source equals destination (a "LAND" packet that can hang old stacks)',
    zh: '源地址等于目的地址(可使老旧协议栈挂起的“LAND”包)',
  },
  // Of connection records (or records mixing them with packets): the records have a LAND packet's addresses.
  'detect.spoofing.reason.land.record': {
    en: 'source equals destination (the shape of a "LAND" attack, whose packets can hang old stacks)',
    zh: '源地址等于目的地址(即“LAND”攻击的形态,这种包可使老旧协议栈挂起)',
  },
  'detect.spoofing.reason.own-address': {
    en: 'it claims to be one of your own addresses but arrived from outside',
    zh: '它自称是你自己的地址,却从外部到达',
  },
  'detect.spoofing.reason.class': {
    en: '{cls} addresses are never routed on the Internet',
    zh: '{cls}地址在互联网上不会被路由',
  },
  'detect.spoofing.class.loopback': { en: 'loopback', zh: '环回' },
  'detect.spoofing.class.unspecified': { en: 'unspecified', zh: '未指定' },
  'detect.spoofing.class.multicast': { en: 'multicast', zh: '多播' },
  'detect.spoofing.class.broadcast': { en: 'broadcast', zh: '广播' },
  'detect.spoofing.class.bogon': { en: 'reserved (bogon)', zh: '保留(bogon)' },
  'detect.spoofing.class.private': { en: 'private', zh: '私有' },
  'detect.spoofing.class.cgnat': { en: 'carrier-grade NAT', zh: '运营商级 NAT ' },
  'detect.spoofing.class.link-local': { en: 'link-local', zh: '链路本地' },
  'detect.spoofing.address': {
    en: '{arrived} towards {targetList}, but {reason}: the source is forged, or a misconfigured network leaks private traffic.',
    zh: '{arrived}发往 {targetList},但{reason}:源地址是伪造的,或者某个配置错误的网络泄漏了内部流量。',
  },
  'detect.spoofing.ownHint': {
    en: ' If {src} is a host of your own network (logged as it came in on an inside interface, or sent to your router’s public address), list your networks under ownNetworks in fwlens.yaml: packets from them are then not judged as coming from outside.',
    zh: '如果 {src} 是你自己网络中的主机(日志记录的是它从内部接口进入,或发往路由器公网地址的包),请在 fwlens.yaml 的 ownNetworks 中列出你的网络:来自这些网络的包就不会再被当作来自外部。',
  },
  'detect.spoofing.ttl.title': { en: 'Inconsistent TTLs from {src}', zh: '来自 {src} 的 TTL 不一致' },
  'detect.spoofing.ttl.group': { en: '{hops:hop} ×{n}', zh: '{hops:hop} ×{n}' },
  'detect.spoofing.ttl': {
    en: 'Packets claiming to come from {src} arrive from different distances ({groups}). One host sits at one distance; two steady distances suggest someone else forges this address (or a crafting tool sets TTLs by hand).',
    zh: '自称来自 {src} 的数据包到达时的距离不一致({groups})。一台主机只有一个固定距离;两组稳定的距离说明有人冒用了这个地址(或某个发包工具手动设置了 TTL)。',
  },

  // --- detect: traceroute ---
  'detect.traceroute.hops': { en: 'The path is about {hops:hop} long.', zh: '路径长度约为 {hops} 跳。' },
  'detect.traceroute.noHops': {
    en: 'The hop count cannot be read from these packets.',
    zh: '无法从这些数据包推断跳数。',
  },
  'detect.traceroute.noHopsIcmp': {
    en: "Its sequence numbers do not count from this run's first probe (tracert carries them on from earlier pings), so the hop count cannot be read from them.",
    zh: '这些回显请求的序号不是从本次运行的第一个探测包数起的(tracert 会沿用之前 ping 的序号),因此无法从中推断跳数。',
  },
  'detect.traceroute.udp': {
    en: '{src} sent {probes:udpProbe} to ports {low}-{high} of {dst} with rising ports and TTLs: a UNIX-style traceroute.',
    zh: '{src} 向 {dst} 的 {low}-{high} 端口发送了 {probes} 个 UDP 探测包,端口和 TTL 逐步递增:这是 UNIX 风格的 traceroute。',
  },
  'detect.traceroute.icmp': {
    en: '{src} sent {probes:icmpEchoRequest} to {dst} whose TTLs rise one by one from {ttl}: an ICMP traceroute (Windows tracert or traceroute -I).',
    zh: '{src} 向 {dst} 发送了 {probes} 个 ICMP 回显请求,TTL 从 {ttl} 开始逐一递增:这是 ICMP traceroute(Windows tracert 或 traceroute -I)。',
  },

  // --- detect: trojan probes ---
  'detect.trojan.family': { en: '{name} ({ports})', zh: '{name}({ports})' },
  'detect.trojan.andMore': { en: '{name} and more', zh: '{name} 等' },
  'detect.trojan.details': {
    en: '{src} knocked on {ports:port} where backdoors listen ({records}): {named}. It is looking for machines that are already infected and would answer.',
    zh: '{src} 探测了 {ports} 个后门程序监听的端口({records}):{named}。它在寻找已经被感染、会作出应答的机器。',
  },

  // --- detect: what scans share ---
  'detect.scan.randomTtl': {
    en: "TTLs vary as nmap's raw probes do ({values} different values between {low} and {high}): the scanner picks a random TTL for each probe, so the spread marks a raw-packet scanner, not forged packets.",
    zh: 'TTL 的变化与 nmap 原始探测包一致({low} 到 {high} 之间有 {values} 个不同值):扫描器为每个探测包随机选择 TTL,这种分散说明这是原始数据包扫描器,而不是伪造的数据包。',
  },

  // --- detect: vertical scans ---
  'detect.technique.syn': { en: 'TCP SYN ("half-open") scan', zh: 'TCP SYN(半开)扫描' },
  'detect.technique.connect': { en: 'TCP connect() scan', zh: 'TCP connect() 全连接扫描' },
  'detect.technique.fin': { en: 'TCP FIN scan', zh: 'TCP FIN 扫描' },
  'detect.technique.null': { en: 'TCP NULL scan (no flags set)', zh: 'TCP NULL 扫描(不带任何标志)' },
  'detect.technique.tcp': {
    en: 'TCP port scan (the log does not record TCP flags)',
    zh: 'TCP 端口扫描(日志未记录 TCP 标志)',
  },
  'detect.technique.xmas': {
    en: 'TCP Xmas scan (FIN, PSH and URG set)',
    zh: 'TCP Xmas 扫描(FIN、PSH、URG 同时置位)',
  },
  'detect.technique.ack': {
    en: 'TCP ACK scan (maps firewall rules)',
    zh: 'TCP ACK 扫描(用来摸清防火墙规则)',
  },
  'detect.technique.maimon': { en: 'TCP Maimon scan (FIN+ACK)', zh: 'TCP Maimon 扫描(FIN+ACK)' },
  'detect.technique.syn-fin': { en: 'TCP SYN+FIN scan', zh: 'TCP SYN+FIN 扫描' },
  'detect.technique.udp': { en: 'UDP scan', zh: 'UDP 扫描' },
  'detect.technique.sctp': { en: 'SCTP scan', zh: 'SCTP 扫描' },
  'detect.technique.ip-protocol': {
    en: 'IP protocol scan (which protocols the host speaks)',
    zh: 'IP 协议扫描(探测主机支持哪些协议)',
  },
  'detect.technique.tcp-other': { en: 'TCP scan with other flags', zh: '其他标志组合的 TCP 扫描' },
  'detect.technique.icmp': { en: 'ICMP probe', zh: 'ICMP 探测' },
  'detect.technique.icmp-echo': { en: 'ICMP echo (ping)', zh: 'ICMP 回显(ping)' },
  'detect.technique.icmp-timestamp': { en: 'ICMP timestamp request', zh: 'ICMP 时间戳请求' },
  'detect.technique.icmp-information': { en: 'ICMP information request', zh: 'ICMP 信息请求' },
  'detect.technique.icmp-address-mask': { en: 'ICMP address mask request', zh: 'ICMP 地址掩码请求' },
  'detect.technique.icmp-node-information': {
    en: 'ICMPv6 node information query',
    zh: 'ICMPv6 节点信息查询',
  },
  'detect.technique.icmp-unreachable': { en: 'ICMP unreachable', zh: 'ICMP 不可达' },
  'detect.technique.icmp-time-exceeded': { en: 'ICMP time exceeded', zh: 'ICMP 超时' },
  'detect.technique.trojan-port': { en: 'probe of a trojan or backdoor port', zh: '木马/后门端口探测' },
  'detect.technique.steady-retry': {
    en: 'steady retries to a former address holder',
    zh: '向地址前任持有者的稳定重试',
  },
  'detect.technique.password-guessing': { en: 'password guessing', zh: '密码猜测' },
  'detect.technique.retry': { en: 'repeated attempts', zh: '反复尝试' },
  'detect.technique.service-hunt': { en: 'hunt for one service', zh: '搜寻特定服务' },
  'detect.technique.port-zero': { en: 'probes to port 0', zh: '探测 0 端口' },
  'detect.technique.sscan': { en: 'sscan scanner', zh: 'sscan 扫描器' },
  'detect.technique.source-port-evasion': {
    en: 'trusted source port to slip past filters',
    zh: '借可信源端口绕过过滤',
  },
  'detect.technique.nmap-os-detection': { en: 'nmap OS detection', zh: 'nmap 操作系统探测' },
  'detect.technique.mirai': { en: 'Mirai botnet scan', zh: 'Mirai 僵尸网络扫描' },
  'detect.technique.zmap': { en: 'ZMap scan', zh: 'ZMap 扫描' },
  'detect.technique.ttl-inconsistent': { en: 'TTL that does not fit the source', zh: '与来源不符的 TTL' },
  'detect.technique.land': { en: 'LAND attack (source = destination)', zh: 'LAND 攻击(源地址等于目的地址)' },
  'detect.technique.own-address': { en: 'your own address as source', zh: '以你自己的地址为来源' },
  'detect.technique.loopback': { en: 'loopback source address', zh: '环回来源地址' },
  'detect.technique.private': { en: 'private source address from outside', zh: '来自外部的私有来源地址' },
  'detect.technique.cgnat': {
    en: 'carrier-grade NAT source address from outside',
    zh: '来自外部的运营商级 NAT 地址',
  },
  'detect.technique.link-local': { en: 'link-local source address', zh: '链路本地来源地址' },
  'detect.technique.multicast': { en: 'multicast traffic', zh: '组播流量' },
  'detect.technique.broadcast': { en: 'broadcast traffic', zh: '广播流量' },
  'detect.technique.bogon': { en: 'unallocated (bogon) source address', zh: '未分配(bogon)来源地址' },
  'detect.technique.unspecified': {
    en: 'unspecified source address (0.0.0.0)',
    zh: '未指定来源地址(0.0.0.0)',
  },
  'detect.technique.rst': { en: 'RST backscatter', zh: 'RST 反向散射' },
  'detect.technique.syn-ack': { en: 'SYN/ACK backscatter', zh: 'SYN/ACK 反向散射' },
  'detect.technique.smurf': {
    en: 'Smurf (ICMP echo replies via broadcast)',
    zh: 'Smurf(经广播放大的 ICMP 回显应答)',
  },
  'detect.technique.fraggle': {
    en: 'Fraggle (UDP echo/chargen via broadcast)',
    zh: 'Fraggle(经广播放大的 UDP echo/chargen)',
  },
  'detect.technique.syn-flood': { en: 'SYN flood', zh: 'SYN 洪泛' },
  'detect.technique.tcp-flood': { en: 'TCP flood', zh: 'TCP 洪泛' },
  'detect.technique.udp-flood': { en: 'UDP flood', zh: 'UDP 洪泛' },
  'detect.technique.icmp-flood': { en: 'ICMP flood', zh: 'ICMP 洪泛' },
  'detect.technique.packet-flood': { en: 'packet flood', zh: '数据包洪泛' },
  'detect.technique.dns': { en: 'late DNS replies', zh: '迟到的 DNS 应答' },
  'detect.technique.ntp': { en: 'late NTP replies', zh: '迟到的 NTP 应答' },
  'detect.technique.realaudio': { en: 'RealAudio return traffic', zh: 'RealAudio 回程流量' },
  'detect.technique.ftp-data': { en: 'FTP data connections', zh: 'FTP 数据连接' },
  'detect.technique.late-tcp': { en: 'late TCP replies', zh: '迟到的 TCP 应答' },
  'detect.technique.late-quic': { en: 'late QUIC replies', zh: '迟到的 QUIC 应答' },
  'detect.technique.call-home': { en: 'calling out', zh: '主动外连' },
  'detect.technique.adware': { en: 'adware calling out', zh: '广告软件外连' },
  'detect.technique.trojan': { en: 'trojan calling out', zh: '木马外连' },
  'detect.technique.backdoor': { en: 'backdoor calling out', zh: '后门外连' },
  'detect.technique.iot-botnet': { en: 'IoT botnet calling out', zh: '物联网僵尸网络外连' },
  'detect.technique.worm': { en: 'worm spreading', zh: '蠕虫传播' },
  'detect.technique.netbios': { en: 'NetBIOS name and datagram chatter', zh: 'NetBIOS 名称与数据报广播' },
  'detect.technique.dhcp': { en: 'DHCP chatter', zh: 'DHCP 广播' },
  'detect.technique.dhcpv6': { en: 'DHCPv6 chatter', zh: 'DHCPv6 广播' },
  'detect.technique.ssdp': { en: 'SSDP / UPnP discovery', zh: 'SSDP / UPnP 发现' },
  'detect.technique.mdns': { en: 'mDNS discovery', zh: 'mDNS 发现' },
  'detect.technique.llmnr': { en: 'LLMNR name queries', zh: 'LLMNR 名称查询' },
  'detect.technique.inoculan': { en: 'InoculateIT update chatter', zh: 'InoculateIT 更新广播' },
  'detect.technique.ws-discovery': { en: 'WS-Discovery', zh: 'WS-Discovery 设备发现' },
  'detect.technique.dropbox-lan-sync': { en: 'Dropbox LAN sync', zh: 'Dropbox 局域网同步' },
  'detect.technique.ubiquiti-discovery': { en: 'Ubiquiti device discovery', zh: 'Ubiquiti 设备发现' },
  'detect.technique.spotify-discovery': { en: 'Spotify Connect discovery', zh: 'Spotify Connect 设备发现' },
  'detect.technique.ipv6-neighbor': {
    en: 'IPv6 neighbour and multicast listener messages',
    zh: 'IPv6 邻居与组播侦听消息',
  },
  'detect.technique.igmp': { en: 'IGMP group membership', zh: 'IGMP 组成员消息' },
  'detect.technique.mixed': { en: 'mixed-technique scan', zh: '多种手法混合的扫描' },
  'detect.vertical.sequential': {
    en: 'in ascending order (a simple or sequential scanner)',
    zh: '按端口号顺序逐个探测(简单或顺序扫描器)',
  },
  'detect.vertical.shuffled': {
    en: 'in shuffled order (nmap randomises by default)',
    zh: '顺序被打乱(nmap 默认会随机化)',
  },
  'detect.vertical.unit.ports': { en: 'ports', zh: '个端口' },
  'detect.vertical.unit.protocols': { en: 'IP protocols', zh: '个 IP 协议' },
  'detect.vertical.details': {
    en: '{src} probed {n} distinct {unit} on {dst} with {records}, {order}: a {name}.',
    zh: '{src} 用 {records}探测了 {dst} 上 {n} {unit},{order}:这是一次 {name}。',
  },

  // --- serve: the web console over the store (src/serve, src/cli/serve.ts); the page also uses html.* ---
  'cli.help.serve': {
    en: 'a local, read-only web console over the store: time range, pivots, explanations, findings, export',
    zh: '存储库的本地只读网页控制台:时间范围、透视、解释、检测结论、导出',
  },
  'cli.help.serve.host': {
    en: 'address to listen on; any other than loopback (127.0.0.1, ::1) needs --token',
    zh: '监听地址;回环地址(127.0.0.1、::1)以外的地址必须给出 --token',
  },
  'cli.help.serve.port': { en: 'port to listen on (0: any free port)', zh: '监听端口(0:任一空闲端口)' },
  'cli.help.serve.token': {
    en: 'secret every request must carry (Authorization: Bearer, or ?token=); at least 16 characters',
    zh: '每个请求都必须携带的密钥(Authorization: Bearer 或 ?token=);至少 16 个字符',
  },
  'cli.help.example.serve': {
    en: 'the console over the default store on 127.0.0.1:8080',
    zh: '在 127.0.0.1:8080 打开默认存储库的控制台',
  },
  'cli.help.example.serveLan': {
    en: 'on the LAN, with a token',
    zh: '在局域网上提供,需令牌',
  },
  'cli.help.example.serveLists': {
    en: 'explanations count your allow and deny lists, as analyze does',
    zh: '解释时计入你的放行与拒绝名单,与 analyze 相同',
  },
  'serve.listening': {
    en: 'fwlens console on {url} (read-only; Ctrl-C stops it)',
    zh: 'fwlens 控制台:{url}(只读;按 Ctrl-C 停止)',
  },
  'serve.needToken': {
    en: '--host {host} is not a loopback address: give --token with a secret of at least 16 characters, so only its holders can read the console',
    zh: '--host {host} 不是回环地址:请用 --token 给出至少 16 个字符的密钥,只有持有者才能访问控制台',
  },
  'serve.shortToken': {
    en: '--token needs 16 to 256 characters: letters, digits, -, _, . and ~',
    zh: '--token 需要 16 到 256 个字符:字母、数字、-、_、. 和 ~',
  },
  'serve.badHost': {
    en: '--host {host} is not an IP address or host name',
    zh: '--host {host} 不是 IP 地址或主机名',
  },
  'serve.portInUse': {
    en: 'port {port} on {host} is in use; choose another with --port (0 picks a free one)',
    zh: '{host} 上的端口 {port} 已被占用;请用 --port 换一个(0 表示任一空闲端口)',
  },
  'serve.storeBusy': {
    en: 'the store {path} is being written by fwlens ingest; this view loads once it has finished (try again in a moment)',
    zh: '存储库 {path} 正在被 fwlens ingest 写入;写入完成后此视图即可加载(请稍后再试)',
  },
  'serve.listenFailed': {
    en: 'cannot listen on {host} port {port}: {error}',
    zh: '无法在 {host} 的端口 {port} 上监听:{error}',
  },
  'serve.http.token': {
    en: 'this console needs its token: open the address fwlens serve printed, or send Authorization: Bearer <token>',
    zh: '此控制台需要令牌:请打开 fwlens serve 打印的地址,或发送 Authorization: Bearer <令牌>',
  },
  'serve.http.host': {
    en: 'this console answers only under the host name it was started with',
    zh: '此控制台只响应启动时使用的主机名',
  },
  'serve.http.method': {
    en: 'this console is read-only: only GET and HEAD',
    zh: '此控制台只读:只接受 GET 和 HEAD',
  },
  'serve.http.notFound': { en: 'there is nothing at this address', zh: '此地址没有内容' },
  'serve.http.failed': { en: 'the store could not answer: {error}', zh: '存储库无法回答:{error}' },
  'serve.title': { en: 'Firewall log console', zh: '防火墙日志控制台' },
  'serve.range': { en: 'Time range', zh: '时间范围' },
  'serve.rangeAll': { en: 'all', zh: '全部' },
  'serve.rangeCustom': { en: 'Custom (UTC)', zh: '自定义(UTC)' },
  'serve.rangeFrom': { en: 'from', zh: '从' },
  'serve.rangeTo': { en: 'to', zh: '到' },
  'serve.apply': { en: 'Apply', zh: '应用' },
  'serve.rangeNote': {
    en: 'Ranges count back from the newest stored event, {last}. Click a bar to zoom into it.',
    zh: '时间范围从存储库中最新的事件({last})往回计算。点击柱条可放大到该时段。',
  },
  'serve.stored': {
    en: 'In the store: {events:event}, {findings:finding}, {unparsed:line} unparsed',
    zh: '存储库中有 {events} 条事件、{findings} 条检测结论、{unparsed} 行未解析',
  },
  'serve.filters': { en: 'Filters', zh: '筛选条件' },
  'serve.noFilters': {
    en: 'None: click an address, port or rule to keep only it, or ≠ to leave it out.',
    zh: '无:点击地址、端口或规则只看它,点击 ≠ 则排除它。',
  },
  'serve.is': { en: 'is', zh: '是' },
  'serve.isNot': { en: 'is not', zh: '不是' },
  'serve.exclude': { en: 'leave this out (is not)', zh: '排除此项(不是)' },
  'serve.remove': { en: 'remove this filter', zh: '移除此筛选条件' },
  'serve.field.src': { en: 'source', zh: '来源' },
  'serve.field.dst': { en: 'destination', zh: '目标' },
  'serve.field.port': { en: 'port', zh: '端口' },
  'serve.field.rule': { en: 'rule', zh: '规则' },
  'serve.field.action': { en: 'action', zh: '动作' },
  'serve.eventCount': { en: '{n:event}', zh: '{n} 条事件' },
  'serve.topRules': { en: 'Top rules', zh: '主要规则' },
  'serve.topTargets': { en: 'Top destinations', zh: '主要目标地址' },
  'serve.inView': { en: '{n:event} in this view', zh: '此视图中有 {n} 条事件' },
  'serve.eventsNote': {
    en: 'Newest first; click an event for its explanation.',
    zh: '最新的在前;点击事件查看解释。',
  },
  'serve.page': { en: '{from}–{to} of {total}', zh: '第 {from}–{to} 条,共 {total} 条' },
  'serve.pageLimit': {
    en: 'Paging stops after {max} events: narrow the time range or add a filter to reach older ones, or export this view.',
    zh: '翻页止于 {max} 条事件之后:要查看更早的事件,请缩小时间范围或添加筛选条件,或导出当前视图。',
  },
  'serve.newer': { en: '← Newer', zh: '← 较新' },
  'serve.older': { en: 'Older →', zh: '较早 →' },
  'serve.col.time': { en: 'Time (UTC)', zh: '时间(UTC)' },
  'serve.col.action': { en: 'Action', zh: '动作' },
  'serve.col.proto': { en: 'Protocol', zh: '协议' },
  'serve.col.src': { en: 'Source', zh: '来源' },
  'serve.col.dst': { en: 'Destination', zh: '目标' },
  'serve.col.dport': { en: 'Port', zh: '端口' },
  'serve.col.rule': { en: 'Rule', zh: '规则' },
  'serve.explanation': { en: 'Explanation', zh: '解释' },
  'serve.findingsNote': {
    en: 'Overlapping this time range and matching its address and port filters: {n:finding}, earliest first.',
    zh: '有 {n} 条检测结论与此时间范围重叠并符合地址和端口筛选条件;最早的在前。',
  },
  'serve.findingsCut': { en: 'Shown: the first {n}.', zh: '只显示前 {n} 条。' },
  'serve.unparsedNote': {
    en: 'Lines of the stored logs that gave no event: {n:line}; shown: the first {shown}.',
    zh: '存储的日志中有 {n} 行没有产生事件;显示前 {shown} 行。',
  },
  'serve.export': { en: 'Export this view', zh: '导出当前视图' },
  'serve.exportNote': {
    en: 'newest first, at most {max} events',
    zh: '最新的在前,最多 {max} 条事件',
  },
  'serve.theme': { en: 'Theme', zh: '主题' },
  'serve.themeAuto': { en: 'Auto', zh: '自动' },
  'serve.themeLight': { en: 'Light', zh: '浅色' },
  'serve.themeDark': { en: 'Dark', zh: '深色' },
  'serve.loading': { en: 'Loading…', zh: '加载中…' },
  'serve.error': { en: 'This view could not be loaded: {error}', zh: '无法加载此视图:{error}' },
  'serve.view.number': {
    en: '{name} is a whole number from 0 to {max}',
    zh: '{name} 应为 0 到 {max} 之间的整数',
  },
  'serve.view.oneOf': { en: '{name} is one of {values}', zh: '{name} 只能是 {values} 之一' },
  'serve.view.filter': {
    en: 'a filter is field:value with a field of {fields}',
    zh: '筛选条件的格式为 字段:值,字段为 {fields} 之一',
  },
  'serve.view.filterLength': {
    en: 'a filter value has 1 to {max} characters',
    zh: '筛选值应有 1 到 {max} 个字符',
  },
  'serve.view.port': {
    en: 'a port filter is a number from 0 to 65535, as in 22 or 22/tcp',
    zh: '端口筛选值应为 0 到 65535 的数字,如 22 或 22/tcp',
  },
  'serve.view.address': {
    en: 'an address filter is an IPv4 or IPv6 address or network (203.0.113.0/24, 2001:db8::/32)',
    zh: '地址筛选值应为 IPv4 或 IPv6 地址或网段(203.0.113.0/24、2001:db8::/32)',
  },
  'serve.view.time': {
    en: '{name} is a time in milliseconds since 1970',
    zh: '{name} 应为自 1970 年起的毫秒数',
  },
  'serve.view.order': { en: 'to must come after from', zh: '结束时间(to)必须晚于开始时间(from)' },
  'serve.view.tooMany': { en: 'a view holds at most {max} filters', zh: '一个视图最多有 {max} 个筛选条件' },
} as const satisfies Record<string, Message>;

/** A key of the message table. */
export type MessageKey = keyof typeof MESSAGES;

/** True when the catalog has this key (for keys built from data: a technique, an address class). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/** Values for {name} placeholders; a {en, zh} value is resolved in the chosen language. */
export type MessageVars = Record<string, string | number | { en: string; zh: string }>;

/**
 * Things messages count: the English singular and plural (chosen by Intl.PluralRules) and the Chinese
 * noun with its measure word. A template writes `{n:packet}` for "1 packet" / "2 packets" / "2 个数据包".
 */
export const NOUNS = {
  packet: { one: 'packet', other: 'packets', zh: '个数据包' },
  alarm: { one: 'alarm', other: 'alarms', zh: '次告警' },
  event: { one: 'event', other: 'events', zh: '条事件' },
  line: { one: 'line', other: 'lines', zh: '行' },
  byte: { one: 'byte', other: 'bytes', zh: '字节' },
  datagram: { one: 'datagram', other: 'datagrams', zh: '个数据报' },
  message: { one: 'message', other: 'messages', zh: '条消息' },
  connection: { one: 'connection', other: 'connections', zh: '个连接' },
  unusableLine: { one: 'more line fwlens could not use', other: 'more lines fwlens could not use', zh: '行' },
  hop: { one: 'hop', other: 'hops', zh: '跳' },
  day: { one: 'day', other: 'days', zh: '天' },
  stamp: { one: 'stamp', other: 'stamps', zh: '个时间戳' },
  port: { one: 'port', other: 'ports', zh: '个端口' },
  host: { one: 'host', other: 'hosts', zh: '台主机' },
  address: { one: 'address', other: 'addresses', zh: '个地址' },
  source: { one: 'source', other: 'sources', zh: '个来源' },
  target: { one: 'target', other: 'targets', zh: '个目标' },
  outsideAddress: { one: 'outside address', other: 'outside addresses', zh: '个外部地址' },
  answer: { one: 'answer', other: 'answers', zh: '个应答' },
  differentPort: { one: 'different port', other: 'different ports', zh: '个不同端口' },
  distinctPort: { one: 'distinct port', other: 'distinct ports', zh: '个不同端口' },
  differentAddress: { one: 'different address', other: 'different addresses', zh: '个不同地址' },
  differentSource: { one: 'different source', other: 'different sources', zh: '个不同来源' },
  differentHost: { one: 'different host', other: 'different hosts', zh: '台不同主机' },
  newProbe: { one: 'new probe', other: 'new probes', zh: '个新探测' },
  icmpEchoReply: { one: 'ICMP echo reply', other: 'ICMP echo replies', zh: '个 ICMP 回显应答' },
  udpEchoReply: {
    one: 'UDP echo/chargen reply',
    other: 'UDP echo/chargen replies',
    zh: '个 UDP echo/chargen 应答',
  },
  echoRequest: { one: 'echo request', other: 'echo requests', zh: '个回显请求' },
  droppedPacket: { one: 'dropped packet', other: 'dropped packets', zh: '个被丢弃的包' },
  droppedConnection: { one: 'dropped connection', other: 'dropped connections', zh: '个被丢弃的连接' },
  droppedRecord: { one: 'dropped record', other: 'dropped records', zh: '条被丢弃的记录' },
  server: { one: 'server', other: 'servers', zh: '台服务器' },
  tcpPacket: { one: 'TCP packet', other: 'TCP packets', zh: '个 TCP 包' },
  tcpConnection: { one: 'TCP connection', other: 'TCP connections', zh: '个 TCP 连接' },
  tcpAttempt: { one: 'TCP attempt', other: 'TCP attempts', zh: '次 TCP 尝试' },
  newConnectionOrProbe: {
    one: 'new connection or probe',
    other: 'new connections or probes',
    zh: '次新连接或探测',
  },
  syn: { one: 'SYN', other: 'SYNs', zh: '个 SYN 包' },
  proxyPort: { one: 'proxy port', other: 'proxy ports', zh: '个代理端口' },
  udpProbe: { one: 'UDP probe', other: 'UDP probes', zh: '个 UDP 探测包' },
  icmpEchoRequest: { one: 'ICMP echo request', other: 'ICMP echo requests', zh: '个 ICMP 回显请求' },
  time: { one: 'time', other: 'times', zh: '次' },
  attempt: { one: 'attempt', other: 'attempts', zh: '次尝试' },
  probe: { one: 'probe', other: 'probes', zh: '次探测' },
  episode: { one: 'episode', other: 'episodes', zh: '次' },
  network: { one: 'network', other: 'networks', zh: '个网络' },
  reply: { one: 'reply', other: 'replies', zh: '个应答' },
  request: { one: 'request', other: 'requests', zh: '个请求' },
  finding: { one: 'finding', other: 'findings', zh: '条检测结论' },
  announcement: { one: 'announcement', other: 'announcements', zh: '条告警' },
  alert: { one: 'alert', other: 'alerts', zh: '条告警' },
  weakerFinding: { one: 'weaker finding', other: 'weaker findings', zh: '条较弱的检测结论' },
  group: { one: 'group', other: 'groups', zh: '个分组' },
  distinctSource: { one: 'distinct source', other: 'distinct sources', zh: '个不同来源' },
  unparsedLine: { one: 'unparsed', other: 'unparsed', zh: '行未解析' },
  moreName: { one: 'more name', other: 'more names', zh: '个名称' },
  moreKind: { one: 'more kind', other: 'more kinds', zh: '种' },
  moreInput: { one: 'more input', other: 'more inputs', zh: '个输入' },
  unparsedRow: { one: 'unparsed line', other: 'unparsed lines', zh: '行未解析的日志' },
  damagedLine: { one: 'damaged firewall line', other: 'damaged firewall lines', zh: '行损坏的防火墙日志' },
  unknownFormatLine: {
    one: 'line of no known format',
    other: 'lines of no known format',
    zh: '行无法识别格式',
  },
  record: { one: 'record', other: 'records', zh: '条记录' },
  nonTrafficRecord: { one: 'not traffic', other: 'not traffic', zh: '条非流量记录' },
} as const satisfies Record<string, { one: string; other: string; zh: string }>;

/** A counted thing (`NOUNS` key). */
export type Noun = keyof typeof NOUNS;

const EN_PLURAL = new Intl.PluralRules('en');
/** Made on first use: the number formatter's locale data costs ~11-18 ms to load, once per process. */
let enNumbers: Intl.NumberFormat | undefined;

/**
 * `n` with thousands separators as en-US writes them. Whole numbers below 1,000 have none, so they skip
 * the formatter (and `fwlens explain`, which shows only small counts, never loads its locale data).
 */
export function formatCount(n: number): string {
  if (Number.isInteger(n) && (n > 0 || Object.is(n, 0)) && n < 1000) return String(n);
  enNumbers ??= new Intl.NumberFormat('en-US');
  return enNumbers.format(n);
}

/**
 * `n` things in both languages: `1 packet`, `2 packets`, `2 个数据包` (thousands separated, the plural form
 * from Intl.PluralRules, the Chinese measure word from NOUNS).
 */
export function countOf(n: number, noun: Noun): { en: string; zh: string } {
  const w = NOUNS[noun];
  const shown = formatCount(n);
  return { en: `${shown} ${EN_PLURAL.select(n) === 'one' ? w.one : w.other}`, zh: `${shown} ${w.zh}` };
}

/** `n` things in English: the form detector sentences built in code use (their Chinese carries its own measure words). */
export function countEn(n: number, noun: Noun): string {
  return countOf(n, noun).en;
}

/** `{name}`, or `{name:noun}` for a count of that noun. */
const PLACEHOLDER = /\{([a-zA-Z0-9_]+)(?::([a-zA-Z]+))?\}/g;

/** Message text in one language with {name} placeholders filled; unknown placeholders stay as written. */
export function t(key: MessageKey, lang: Lang, vars?: MessageVars): string {
  const template: string = (MESSAGES as Record<string, Message>)[key]?.[lang] ?? key;
  if (!vars) return template;
  return fillTemplate(template, lang, vars);
}

/** Fill a template's placeholders in `lang` (t() and every other message of fwlens use this one filler). */
export function fillTemplate(template: string, lang: Lang, vars: MessageVars): string {
  return template.replace(PLACEHOLDER, (whole, name: string, noun: string | undefined) => {
    const v = vars[name];
    if (v === undefined) return whole;
    if (noun !== undefined && noun in NOUNS) {
      // Counts arrive as numbers or as already separated text ("1,234").
      const n =
        typeof v === 'number' ? v : Number(String(typeof v === 'object' ? v.en : v).replace(/,/g, ''));
      if (Number.isFinite(n)) return countOf(n, noun as Noun)[lang];
    }
    return typeof v === 'object' ? v[lang] : String(v);
  });
}

/** Message text in both languages at once ({en, zh}), for explanations that carry both. */
export function tBoth(key: MessageKey, vars?: MessageVars): { en: string; zh: string } {
  return { en: t(key, 'en', vars), zh: t(key, 'zh', vars) };
}

/** What separates the items of a list in each language ("a, b" / "a、b"). */
export const LIST_SEPARATOR = { en: ', ', zh: '、' } as const;

/** What separates the different names of one port in a label ("SMB / NetBIOS session"). */
export const NAME_SEPARATOR = { en: ' / ', zh: ' / ' } as const;

/** How a name carries its qualifiers in each language: "Telnet (remote login; Mirai-family IoT botnets)". */
export const QUALIFIER_MARKS = {
  en: { open: ' (', separator: '; ', close: ')' },
  zh: { open: '(', separator: '; ', close: ')' },
} as const;

/** Plain items (ports, addresses) as one list in both languages: `22, 80` / `22、80`. */
export function listBoth(items: readonly (string | number)[]): { en: string; zh: string } {
  return { en: items.join(LIST_SEPARATOR.en), zh: items.join(LIST_SEPARATOR.zh) };
}

/**
 * Chinese names of the non-traffic record kinds the formats count (`{ skip: kind }` in src/formats), keyed by
 * the English kind, which stays the key of the JSON report. Kinds a format builds around a vendor's word
 * (`dns record`, `not understood: ASA-6-999001`) are worded by NON_TRAFFIC_KIND_PATTERNS, keeping that word.
 */
export const NON_TRAFFIC_KINDS: Readonly<Record<string, string>> = {
  // Shared by the vendors (src/formats/skip-kinds.ts NON_TRAFFIC).
  'system event': '系统事件',
  'other kinds': '其他种类',
  configuration: '配置',
  authentication: '认证',
  'high availability': '高可用(HA)',
  VPN: 'VPN 事件',
  'session update': '会话更新',
  // Headers, comments and steps of log files and traces.
  header: '文件头',
  comment: '注释',
  'trace step': '跟踪步骤',
  'trace without packet': '无数据包的跟踪',
  'repeat notice': '重复提示',
  'system message': '系统消息',
  'events lost': '事件丢失',
  update: '更新',
  'record without flows': '无流的记录',
  'flow log document without flow tuples': '无流元组的流日志文档',
  'no data (no traffic in the interval)': '无数据(该时段内无流量)',
  'skipped data (records lost in the interval)': '跳过的数据(该时段内有记录丢失)',
  // Packets and frames that are not IP.
  'non-IP frame': '非 IP 帧',
  'non-IP packet': '非 IP 数据包',
  'NFLOG message without a packet': '不含数据包的 NFLOG 消息',
  'link-layer header of a martian packet': '火星包(martian)的链路层头部',
  'connection-tracking table full: packets dropped': '连接跟踪表已满:数据包被丢弃',
  // Host firewalls: sockets and programs.
  'socket operation': '套接字操作',
  'listen permitted': '允许监听',
  'listen blocked': '阻止监听',
  'bind permitted': '允许绑定',
  'bind blocked': '阻止绑定',
  'program permission request': '程序权限请求',
  // Appliances.
  'VPN session': 'VPN 会话',
  'VPN key exchange': 'VPN 密钥交换',
  'NAT translation': 'NAT 转换',
  'connection table': '连接表',
  'pre-allocated connection': '预分配连接',
  'ACL deny-flow cache': 'ACL 拒绝流缓存',
  'ACL log rate-limit notice': 'ACL 日志限速提示',
  'FTP file transfer': 'FTP 文件传输',
  'threat-detection rate summary': '威胁检测速率汇总',
  'threat-detection shun list': '威胁检测屏蔽(shun)列表',
  'engine statistics': '引擎统计',
  'flood protection status': '洪泛防护状态',
  'message without addresses': '无地址的消息',
  'flood protection alarm without addresses': '无地址的洪泛防护告警',
  'attack alarm without addresses': '无地址的攻击告警',
  'IPS alarm without addresses': '无地址的 IPS 告警',
  'security services alarm without addresses': '无地址的安全服务告警',
  'alarm record without addresses': '无地址的告警记录',
  'non-traffic record': '非流量记录',
  'non-firewall record': '非防火墙记录',
  'management record': '管理记录',
  'decryption record': '解密记录',
  'tunnel inspection record': '隧道检查记录',
  'user authentication record': '用户认证记录',
  'application control record': '应用控制记录',
  'IP reputation record': 'IP 信誉记录',
  'content filtering record': '内容过滤记录',
  'system record': '系统记录',
  'anomaly record': '异常记录',
  'monitor record': '监控记录',
  'auth record': '认证记录',
  'server record': '服务器记录',
};

/**
 * Kinds made around a vendor's word (a message id, a log type, a port): the pattern of the English kind and its
 * Chinese wording, `$1` standing for the kept word. The first that matches is used.
 */
const NON_TRAFFIC_KIND_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/^not understood: (.+)$/s, '未识别:$1'],
  [/^possible SYN flood on port (\d+): SYN cookies sent$/, '端口 $1 可能遭受 SYN 洪泛:已发送 SYN cookie'],
  [
    /^possible SYN flood on port (\d+): connection requests dropped$/,
    '端口 $1 可能遭受 SYN 洪泛:连接请求被丢弃',
  ],
  [/^non-IP frame \(ethertype (0x[0-9a-f]+)\)$/, '非 IP 帧(以太网类型 $1)'],
  [/^non-IP loopback frame \(family (\d+)\)$/, '非 IP 回环帧(地址族 $1)'],
  [/^(.+) record without addresses$/s, '无地址的 $1 记录'],
  [/^(.+) without addresses$/s, '无地址的 $1'],
  [/^(.+) activity record$/s, '$1 活动记录'],
  [/^(.+) record$/s, '$1 记录'],
  [/^(.+) frame$/s, '$1 帧'],
];

/**
 * A non-traffic kind in one language: English as the format gave it; Chinese from NON_TRAFFIC_KINDS or a
 * pattern, else undefined (nonTrafficKindText falls back to the English kind).
 */
export function nonTrafficKindZh(kind: string): string | undefined {
  if (Object.hasOwn(NON_TRAFFIC_KINDS, kind)) return NON_TRAFFIC_KINDS[kind];
  for (const [re, zh] of NON_TRAFFIC_KIND_PATTERNS) {
    const m = re.exec(kind);
    // A function, so a `$` in the vendor's word is taken as written.
    if (m) return zh.replace('$1', () => m[1]!);
  }
  return undefined;
}

/** A non-traffic kind as a report shows it in `lang` (a kind without a Chinese name stays as the format wrote it). */
export function nonTrafficKindText(kind: string, lang: Lang): string {
  return lang === 'en' ? kind : (nonTrafficKindZh(kind) ?? kind);
}

/**
 * Non-traffic kinds with their counts in both languages, most frequent first: `configuration 3, VPN 1` /
 * `配置 3、VPN 事件 1`. With `max`, only the first `max` kinds are named, then `and 5 more kinds` / `另有 5 种`,
 * the number from `countRest` (the kinds left out; by default one each).
 */
export function nonTrafficKindsList(
  kinds: Readonly<Record<string, number>>,
  max = Number.POSITIVE_INFINITY,
  countRest: (rest: [string, number][]) => number = (rest) => rest.length,
): { en: string; zh: string } {
  const sorted = Object.entries(kinds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const rest = sorted.length > max ? sorted.slice(max) : [];
  const more = rest.length > 0 ? tBoth('report.andMoreKinds', { n: countRest(rest) }) : undefined;
  const list = (lang: Lang) =>
    [
      ...sorted.slice(0, max).map(([kind, n]) => `${nonTrafficKindText(kind, lang)} ${formatCount(n)}`),
      ...(more ? [more[lang]] : []),
    ].join(LIST_SEPARATOR[lang]);
  return { en: list('en'), zh: list('zh') };
}
