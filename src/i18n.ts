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

  // --- explain: headline ---
  'explain.headline': {
    en: '{action} {proto} from {src} to {dst}{port}: {label}',
    zh: '{action}:{src} 发往 {dst}{port} 的 {proto} 数据包:{label}',
  },
  'explain.headline.port': { en: ' port {port}', zh: ' 端口 {port}' },
  'explain.headline.noLabel': { en: 'no further label', zh: '无更多说明' },
  'explain.headline.portQuery': { en: 'Port {port}: {label}', zh: '端口 {port}:{label}' },
  'explain.headline.sourcePort': { en: 'Source port {port}: {label}', zh: '源端口 {port}:{label}' },
  'explain.actionWord.allow': { en: 'Allowed', zh: '已放行' },
  'explain.actionWord.deny': { en: 'Dropped', zh: '已丢弃' },
  'explain.actionWord.reject': { en: 'Rejected', zh: '已拒绝' },
  'explain.actionWord.log': { en: 'Logged', zh: '已记录' },
  'explain.endpoint': { en: '{ip} port {port}', zh: '{ip} 端口 {port}' },

  // --- explain: the packet ---
  'explain.packet.what': {
    en: '{proto} packet from {from} to {to}.',
    zh: '一个从 {from} 发往 {to} 的 {proto} 数据包。',
  },
  'explain.packet.action.allow': { en: 'The firewall let it through.', zh: '防火墙放行了它。' },
  'explain.packet.action.deny': {
    en: 'The firewall dropped it silently: the sender got no answer.',
    zh: '防火墙悄悄丢弃了它,发送方收不到任何回应。',
  },
  'explain.packet.action.reject': {
    en: 'The firewall rejected it: the sender was told the port is closed.',
    zh: '防火墙拒绝了它,并告知发送方该端口不可达。',
  },
  'explain.packet.action.log': {
    en: 'The line only records the packet; it does not say whether it was allowed or dropped.',
    zh: '这行日志只记录了数据包,没有说明它被放行还是被丢弃。',
  },
  'explain.packet.rule': { en: 'Logged by rule "{rule}".', zh: '记录它的规则:“{rule}”。' },
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
  'explain.reason.evasion': {
    en: 'Source port {port} aimed at a backdoor port: a trick to slip past filters that trust that port.',
    zh: '以源端口 {port} 攻击后门端口:这是利用过滤规则对该端口的信任来绕过防火墙的伎俩。',
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
  'explain.reason.ownTraffic': {
    en: 'Sent by your own machine, usually an ordinary program stopped by an outbound rule.',
    zh: '由你自己的机器发出,通常只是普通程序被出站规则拦下。',
  },
  'explain.reason.allowed': {
    en: 'The firewall let this risky packet through: it reached the host.',
    zh: '防火墙放行了这个有风险的数据包:它已到达主机。',
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
  'cli.explain.notTraffic': {
    en: 'This line is a {kind} record, not a packet: there is nothing to explain.',
    zh: '这一行是“{kind}”记录,不是数据包:没有可解释的内容。',
  },
  // --- cli: input problems (src/ingest) ---
  'cli.input.noSuchFile': { en: 'cannot read {path}: no such file', zh: '无法读取 {path}:文件不存在' },
  'cli.input.permission': { en: 'cannot read {path}: permission denied', zh: '无法读取 {path}:权限不足' },
  'cli.input.directory': {
    en: 'cannot read {path}: it is a directory, not a log file',
    zh: '无法读取 {path}:这是一个目录,不是日志文件',
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
    en: '{path}: all {n} firewall lines were damaged; see the unparsed lines listed in the report',
    zh: '{path}:全部 {n} 行防火墙日志都已损坏;请查看报告中列出的未解析行',
  },
  'cli.analyze.allDamagedFirst': {
    en: '{path}: all {n} firewall lines were damaged; the first, line {line}: {reason}',
    zh: '{path}:全部 {n} 行防火墙日志都已损坏;第一处在第 {line} 行:{reason}',
  },
  'cli.analyze.noEvents': { en: 'no firewall events found in the input', zh: '输入中没有找到防火墙事件' },
  'cli.analyze.writeFailed': {
    en: 'cannot write the {what} to {path}: {error}',
    zh: '无法把{what}写入 {path}:{error}',
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
  'cli.analyze.workerFailed': {
    en: 'a worker thread stopped before finishing ({error}); if it ran out of memory, give each thread more with the environment variable FWLENS_WORKER_HEAP_MB=<megabytes> (see docs/performance.md).',
    zh: '一个工作线程未完成就停止了({error});如果是内存不足,可用环境变量 FWLENS_WORKER_HEAP_MB=<兆字节数> 给每个线程更多内存(见 docs/performance.md)。',
  },
  'cli.help.analyze.year': {
    en: 'year the log ends in, for syslog stamps without a year (default: from the file date)',
    zh: '日志结束的年份,用于没有年份的 syslog 时间戳(默认取自文件日期)',
  },
  'cli.help.analyze.config': {
    en: 'detection config (YAML): trusted networks, own addresses, thresholds',
    zh: '检测配置(YAML):受信网络、自有地址、阈值',
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
    en: 'store file (default: $XDG_DATA_HOME/fwlens/fwlens.duckdb, else ~/.local/share/fwlens/fwlens.duckdb)',
    zh: '存储库文件(默认:$XDG_DATA_HOME/fwlens/fwlens.duckdb,否则 ~/.local/share/fwlens/fwlens.duckdb)',
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
    en: 'run one SQL query on a read-only connection (tables: events, events_v, findings, evidence, inputs, unparsed)',
    zh: '在只读连接上运行一条 SQL 查询(表:events、events_v、findings、evidence、inputs、unparsed)',
  },
  'cli.help.query.json': { en: 'print JSON', zh: '输出 JSON' },
  'cli.help.query.csv': { en: 'print CSV', zh: '输出 CSV' },
  'cli.help.query.by': {
    en: 'what `top` ranks: src, port or rule',
    zh: '`top` 的排行依据:src、port 或 rule',
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
  'store.locked': {
    en: 'the store {path} is in use by another fwlens process; try again when it has finished',
    zh: '存储库 {path} 正被另一个 fwlens 进程使用;请等它结束后再试',
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
  'store.sqlNotQuery': {
    en: '--sql runs queries only (SELECT, WITH ... SELECT, FROM ...); nothing else is allowed on the store',
    zh: '--sql 只运行查询(SELECT、WITH ... SELECT、FROM ...);存储库上不允许其他语句',
  },
  'store.sqlFailed': { en: 'the SQL query failed: {error}', zh: 'SQL 查询失败:{error}' },
  'store.badAddress': {
    en: '{value} is not an IP address or IPv4 network',
    zh: '{value} 不是 IP 地址或 IPv4 网络',
  },
  'store.ingest.new': {
    en: '{path}: {lines} lines, {events} events, {unparsed} unparsed, {findings} findings stored',
    zh: '{path}:{lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.appended': {
    en: '{path}: {lines} new lines since the last run, {events} events, {unparsed} unparsed, {findings} findings stored',
    zh: '{path}:自上次运行以来新增 {lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.unchanged': {
    en: '{path}: nothing new since the last run',
    zh: '{path}:自上次运行以来没有新内容',
  },
  'store.ingest.renamed': {
    en: '{path}: the same file as {previous} (renamed or rotated); {lines} new lines, {events} events',
    zh: '{path}:与 {previous} 是同一个文件(已改名或轮转);新增 {lines} 行,{events} 个事件',
  },
  'store.ingest.truncated': {
    en: '{path}: the file is shorter than the part already stored (truncated); read again from its start as a new input: {lines} lines, {events} events',
    zh: '{path}:文件比已存储的部分短(被截断);作为新输入从头重新读取:{lines} 行,{events} 个事件',
  },
  'store.ingest.replaced': {
    en: '{path}: a different file than the one stored under this name or inode (replaced); read as a new input: {lines} lines, {events} events',
    zh: '{path}:与此名称或 inode 下已存储的文件不同(已被替换);作为新输入读取:{lines} 行,{events} 个事件',
  },
  'store.ingest.stdin': {
    en: 'standard input: {lines} lines, {events} events, {unparsed} unparsed, {findings} findings stored',
    zh: '标准输入:{lines} 行,{events} 个事件,{unparsed} 行无法解析,存入 {findings} 个发现',
  },
  'store.ingest.pending': {
    en: '{path}: the last {bytes} bytes have no line end yet; they are read once the line is complete',
    zh: '{path}:最后 {bytes} 字节还没有行尾;整行写完后再读取',
  },
  'store.ingest.pruned': {
    en: 'retention: {events} events and {findings} findings before {before} dropped',
    zh: '保留期:删除了 {before} 之前的 {events} 个事件和 {findings} 个发现',
  },
  'store.ingest.noInputs': {
    en: 'name at least one log file, or - for standard input',
    zh: '请至少指定一个日志文件,或用 - 表示标准输入',
  },
  'store.label.events': { en: 'events', zh: '事件数' },
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
  'store.label.src': { en: 'source', zh: '来源' },
  'store.label.rule': { en: 'rule', zh: '规则' },
  'store.label.transports': { en: 'transports', zh: '传输协议' },
  'store.label.transport': { en: 'transport', zh: '传输协议' },
  'store.label.new sources': { en: 'new sources', zh: '新来源' },
  'store.label.top src': { en: 'top sources', zh: '来源排行' },
  'store.label.top port': { en: 'top ports', zh: '端口排行' },
  'store.label.top rule': { en: 'top rules', zh: '规则排行' },
  'store.label.none': { en: '(none)', zh: '(无)' },
  'store.query.unknown': {
    en: 'unknown query {what}: use ip <address>, port <n>, top, new-sources or --sql',
    zh: '未知的查询 {what}:请用 ip <地址>、port <端口>、top、new-sources 或 --sql',
  },
  'store.query.badPort': { en: '{value} is not a port number (0-65535)', zh: '{value} 不是端口号(0-65535)' },
  'store.query.badBy': {
    en: '--by takes src, port or rule, not {value}',
    zh: '--by 只能是 src、port 或 rule,而不是 {value}',
  },
  'store.query.jsonAndCsv': { en: 'choose one of --json and --csv', zh: '--json 和 --csv 只能选一个' },
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
  'cli.progress.linesPerSecond': { en: 'lines/s', zh: '行/秒' },
  'cli.progress.eta': { en: 'ETA', zh: '剩余' },

  // --- report: terminal text ---
  'report.title': { en: 'fwlens report', zh: 'fwlens 分析报告' },
  'report.inputs': { en: 'Inputs', zh: '输入' },
  'report.span': { en: 'Time span', zh: '时间范围' },
  'report.lines': { en: 'lines', zh: '行' },
  'report.events': { en: 'events', zh: '事件' },
  'report.unparsed': { en: 'unparsed', zh: '未解析' },
  'report.damaged': { en: 'damaged firewall lines', zh: '损坏的防火墙日志行' },
  'report.unrecognized': { en: 'lines of no known format', zh: '无法识别格式的行' },
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
  'report.findingsHidden': {
    en: '… {n} more findings in --json / --csv',
    zh: '… 另有 {n} 项发现,见 --json / --csv',
  },
  'report.findingsOmitted': {
    en: '{detector}: {n:weakerFinding} not listed anywhere ({events:packet}, severity up to {severity}); fwlens keeps the strongest {limit} per detector (maxFindingsPerDetector in --config)',
    zh: '{detector}:另有 {n} 项较弱的发现未列出({events} 个包,严重程度最高 {severity});每个检测器只保留最强的 {limit} 项(可在 --config 中用 maxFindingsPerDetector 调整)',
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
  'report.moreLines': { en: '… and {n} more not shown', zh: '… 另有 {n} 条未显示' },
  'report.filtered': {
    en: '{n} events outside the filters ({filters}) were left out',
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
  'html.unknownFormat': { en: 'unknown format', zh: '格式未知' },
  'html.unparsedSamples': { en: 'Lines that could not be used', zh: '无法使用的日志行' },
  'html.unparsedMore': { en: '… and {n} more not shown', zh: '… 另有 {n} 条未显示' },
  'html.topFindings': { en: 'Top findings', zh: '主要检测结论' },
  'html.allFindings': { en: 'All {n} findings, in the table below', zh: '全部 {n} 条检测结论见下表' },
  'html.noFindingsTitle': { en: 'No findings', zh: '无检测结论' },
  'html.detectionNotRun': {
    en: 'The detection engine did not run for this report, so there are no findings (scans, sweeps, floods). The most severe single events are listed instead.',
    zh: '生成本报告时未运行检测引擎，因此没有检测结论（扫描、探测、洪泛等）。下面列出严重程度最高的单条事件。',
  },
  'html.findingsOmitted': {
    en: '{detector}: {n} weaker findings are not listed ({events} packets, severity up to {severity}). fwlens keeps the strongest {limit} per detector; raise maxFindingsPerDetector in the detection config to see more.',
    zh: '{detector}：另有 {n} 项较弱的发现未列出（{events} 个包，严重程度最高 {severity}）。每个检测器只保留最强的 {limit} 项；如需更多，请在检测配置中调高 maxFindingsPerDetector。',
  },
  'html.detectionEmpty': {
    en: 'The detection engine looked for scans, sweeps, floods and known probes and found none that crossed its thresholds.',
    zh: '检测引擎检查了扫描、探测、洪泛和已知探针，没有发现超过阈值的情况。',
  },
  'html.mostSevere': { en: 'Most severe single events', zh: '最严重的单条事件' },
  'html.charts': { en: 'Traffic at a glance', zh: '流量概览' },
  'html.chartTimeline': { en: 'Events over time by action', zh: '按动作统计的事件时间分布' },
  'html.chartTimelineNote': { en: 'UTC; one bar = {width}', zh: 'UTC 时间;每根柱 = {width}' },
  'html.chartPorts': { en: 'Top destination ports', zh: '主要目标端口' },
  'html.chartSources': { en: 'Top sources', zh: '主要来源地址' },
  'html.barColour': {
    en: 'Bar colour: highest severity seen (grey info, blue low, yellow medium, orange high, red critical)',
    zh: '柱色表示所见最高严重程度(灰=提示，蓝=低，黄=中，橙=高，红=严重)',
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
    zh: '各端口或 ICMP 类型的常见用途，取自 fwlens 知识库。',
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
    zh: '图表、排序和语言切换需要 JavaScript;即使没有它，下面的表格内容也是完整的。',
  },
  'html.more': { en: '+{n} more', zh: '另 {n} 个' },
  'html.eventsN': { en: '{n:event}', zh: '{n} 条事件' },
  'html.times': { en: '×{n}', zh: '{n} 次' },
  'html.otherPorts': { en: 'other', zh: '其他' },

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
  'kind.iana': { en: 'IANA registration', zh: 'IANA 登记' },
  'kind.error': { en: 'ICMP error', zh: 'ICMP 差错' },
  'kind.query': { en: 'ICMP query', zh: 'ICMP 查询' },
  'kind.reply': { en: 'ICMP reply', zh: 'ICMP 应答' },
  'kind.info': { en: 'ICMP information', zh: 'ICMP 信息' },
  'kind.neighbor': { en: 'neighbour discovery', zh: '邻居发现' },
} as const satisfies Record<string, Message>;

/** A key of the message table. */
export type MessageKey = keyof typeof MESSAGES;

/** Values for {name} placeholders; a {en, zh} value is resolved in the chosen language. */
export type MessageVars = Record<string, string | number | { en: string; zh: string }>;

/**
 * Things messages count: the English singular and plural (chosen by Intl.PluralRules) and the Chinese
 * noun with its measure word. A template writes `{n:packet}` for "1 packet" / "2 packets" / "2 个数据包".
 */
export const NOUNS = {
  packet: { one: 'packet', other: 'packets', zh: '个数据包' },
  event: { one: 'event', other: 'events', zh: '条事件' },
  line: { one: 'line', other: 'lines', zh: '行' },
  byte: { one: 'byte', other: 'bytes', zh: '字节' },
  hop: { one: 'hop', other: 'hops', zh: '跳' },
  stamp: { one: 'stamp', other: 'stamps', zh: '个时间戳' },
  port: { one: 'port', other: 'ports', zh: '个端口' },
  host: { one: 'host', other: 'hosts', zh: '台主机' },
  address: { one: 'address', other: 'addresses', zh: '个地址' },
  source: { one: 'source', other: 'sources', zh: '个来源' },
  target: { one: 'target', other: 'targets', zh: '个目标' },
  time: { one: 'time', other: 'times', zh: '次' },
  attempt: { one: 'attempt', other: 'attempts', zh: '次尝试' },
  probe: { one: 'probe', other: 'probes', zh: '次探测' },
  episode: { one: 'episode', other: 'episodes', zh: '次' },
  network: { one: 'network', other: 'networks', zh: '个网络' },
  reply: { one: 'reply', other: 'replies', zh: '个应答' },
  request: { one: 'request', other: 'requests', zh: '个请求' },
  finding: { one: 'finding', other: 'findings', zh: '条检测结论' },
  weakerFinding: { one: 'weaker finding', other: 'weaker findings', zh: '条较弱的检测结论' },
  distinctSource: { one: 'distinct source', other: 'distinct sources', zh: '个不同来源' },
  unparsedLine: { one: 'unparsed', other: 'unparsed', zh: '行未解析' },
} as const satisfies Record<string, { one: string; other: string; zh: string }>;

/** A counted thing (`NOUNS` key). */
export type Noun = keyof typeof NOUNS;

const EN_PLURAL = new Intl.PluralRules('en');

/**
 * `n` things in both languages: `1 packet`, `2 packets`, `2 个数据包` (thousands separated, the plural form
 * from Intl.PluralRules, the Chinese measure word from NOUNS).
 */
export function countOf(n: number, noun: Noun): { en: string; zh: string } {
  const w = NOUNS[noun];
  const shown = n.toLocaleString('en-US');
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
