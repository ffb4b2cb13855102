# Lab scenarios: one call each = name, time limit, the exact command (run in fwl-attacker) and its truth.
# Sourced by run.sh. Attacker 198.51.100.66 unless said; target 198.51.100.10 (open port 80).
# Sources 198.51.100.71 and .72 are reserved for the two background (long) scenarios.

T=198.51.100.10

background_scenarios() {
  scenario_bg slow-scan 900 198.51.100.71 \
    "nmap -n -Pn -sS -e eth0 -S 198.51.100.71 --scan-delay 30s --max-retries 0 -p 21,22,23,25,53,110,111,135,139,143,443,445,993,995,1433,3306,3389,5900,6000,8080 $T" <<EOF2
scenario: slow-scan
description: "nmap SYN scan of 20 ports with --scan-delay 30s and no retries: one probe every 30 seconds, about 10 minutes in all (a real slow scan stretches the same pattern over hours; vertical-scan may also fire)."
expect:
  - {detector: slow-scan, source: 198.51.100.71, technique: syn, ports: [21, 22, 23, 25, 53, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 3306, 3389, 5900, 6000, 8080]}
$(forbid_except slow-scan vertical-scan scanner-fingerprint)
EOF2

  scenario_bg inherited-retry 900 198.51.100.72 \
    "hping3 -q -S -a 198.51.100.72 -p 13223 -c 30 -i 20 $T" <<EOF2
scenario: inherited-retry
description: "One SYN to PowWow port 13223 every 20 seconds, 30 times (about 10 minutes): a client still trying a peer at an address that now belongs to someone else. Real retries run for hours; the interval is compressed."
expect:
  - {detector: inherited-retry, source: 198.51.100.72, ports: [13223]}
$(forbid_except inherited-retry scanner-fingerprint)
EOF2
}

# Vertical scans: one source, one target, many ports, one nmap technique each.
vertical_scans() {
  local tech flag
  for tech in syn:-sS connect:-sT fin:-sF null:-sN xmas:-sX ack:-sA maimon:-sM; do
    flag=${tech#*:}
    tech=${tech%%:*}
    scenario "$tech-scan" 180 "nmap -n $flag -T4 -p 1-200 $T" <<EOF2
scenario: $tech-scan
description: "nmap $flag (${tech^^} scan) of ports 1-200 on one host; the firewall drops and logs every probe except the open port 80."
expect:
  - {detector: vertical-scan, source: 198.51.100.66, technique: $tech}
$(forbid_except vertical-scan scanner-fingerprint)
EOF2
  done

  scenario udp-scan 300 "nmap -n -sU -T4 --top-ports 30 $T" <<EOF2
scenario: udp-scan
description: "nmap -sU of the 30 most common UDP ports on one host (unicast, so not LAN noise)."
expect:
  - {detector: vertical-scan, source: 198.51.100.66, technique: udp}
$(forbid_except vertical-scan scanner-fingerprint)
EOF2

  scenario ipv6-syn-scan 180 "nmap -n -6 -sS -T4 -e eth0 -S 2001:db8:66::66 -p 1-200 $TARGET6" <<EOF2
scenario: ipv6-syn-scan
description: "nmap -6 -sS of ports 1-200 over IPv6 (ip6tables LOG)."
expect:
  - {detector: vertical-scan, source: "2001:db8:66::66", technique: syn}
$(forbid_except vertical-scan scanner-fingerprint)
EOF2

  # The one scenario logged with --log-tcp-sequence: lines carry SEQ= and ACK= fields.
  if selected syn-scan-logseq; then set_input_rules "--log-tcp-sequence"; fi
  scenario syn-scan-logseq 120 "nmap -n -sS -T4 -p 1-50 $T" <<EOF2
scenario: syn-scan-logseq
description: "nmap -sS of ports 1-50 with the DROP rule logging TCP sequence numbers (--log-tcp-sequence), so lines carry SEQ= and ACK=."
expect:
  - {detector: vertical-scan, source: 198.51.100.66, technique: syn}
$(forbid_except vertical-scan scanner-fingerprint)
EOF2
  if selected syn-scan-logseq; then set_input_rules ""; fi

  scenario distributed-scan 180 \
    "for i in 0 1 2 3; do nmap -n -Pn -sS -T4 -e eth0 -S 198.51.100.\$((67 + i)) -p \$(seq -s, \$((i + 1)) 4 100) $T & done; wait" <<EOF2
scenario: distributed-scan
description: "Four sources of one /24 (198.51.100.67-70) split ports 1-100 between them (each takes every fourth port) and scan the same host at the same time."
expect:
  - {detector: distributed-scan, source: 198.51.100.67}
  - {detector: distributed-scan, source: 198.51.100.68}
  - {detector: distributed-scan, source: 198.51.100.69}
  - {detector: distributed-scan, source: 198.51.100.70}
$(forbid_except distributed-scan vertical-scan scanner-fingerprint)
EOF2
}

distributed_ipv6() {
  scenario distributed-scan-ipv6 180 \
    "for i in 67 68 69 70; do nmap -n -6 -Pn -sS -T4 -e eth0 -S 2001:db8:66::\$i -p \$(seq -s, \$((i - 66)) 4 100) $TARGET6 & done; wait" <<EOF2
scenario: distributed-scan-ipv6
description: "Four IPv6 sources of one /64 (2001:db8:66::67 to ::70) split ports 1-100 between them (every fourth port each) and scan the same host at the same time."
expect:
  - {detector: distributed-scan, source: "2001:db8:66::67"}
  - {detector: distributed-scan, source: "2001:db8:66::68"}
  - {detector: distributed-scan, source: "2001:db8:66::69"}
  - {detector: distributed-scan, source: "2001:db8:66::70"}
$(forbid_except distributed-scan vertical-scan scanner-fingerprint)
EOF2
}

fingerprint_scans() {
  scenario os-detect 240 "nmap -n -O -T4 -p 80,113 $T" <<EOF2
scenario: os-detect
description: "nmap -O (OS detection) against one host with open port 80: the odd TCP, ICMP echo and UDP probes of the OS fingerprint."
expect:
  - {detector: scanner-fingerprint, source: 198.51.100.66}
$(forbid_except scanner-fingerprint vertical-scan)
EOF2

  scenario source-port-53 180 "nmap -n -sS -T4 -g 53 -p 1-100 $T" <<EOF2
scenario: source-port-53
description: "nmap -sS -g 53: a SYN scan of ports 1-100 with the source port fixed at 53, to slip past filters that trust DNS replies."
expect:
  - {detector: scanner-fingerprint, source: 198.51.100.66}
  - {detector: vertical-scan, source: 198.51.100.66, technique: syn}
$(forbid_except scanner-fingerprint vertical-scan)
EOF2

  scenario sscan-source-ports 120 \
    "for p in 1114 21 23 25 53 79 110 111 143 6000; do hping3 -q -S -s 1 -c 5 -i u20000 -p \$p $T; done" <<EOF2
scenario: sscan-source-ports
description: "sscan-like probes built with hping3: SYNs with source ports 1 to 5 to ten ports including 1114 (SQL), the sscan signature."
expect:
  - {detector: scanner-fingerprint, source: 198.51.100.66, ports: [21, 23, 25, 53, 79, 110, 111, 143, 1114, 6000]}
$(forbid_except scanner-fingerprint vertical-scan)
EOF2
}

sweeps() {
  scenario horizontal-socks 180 "nmap -n -sS -T4 -p 1080 198.51.100.11-40" <<EOF2
scenario: horizontal-socks
description: "nmap SYN probe of SOCKS port 1080 across 30 addresses (198.51.100.11-40)."
expect:
  - {detector: horizontal-sweep, source: 198.51.100.66, technique: syn, ports: [1080]}
$(forbid_except horizontal-sweep scanner-fingerprint)
EOF2

  scenario horizontal-proxy 180 "nmap -n -sS -T4 -p 3128,8080 198.51.100.11-40" <<EOF2
scenario: horizontal-proxy
description: "nmap SYN probes of proxy ports 3128 and 8080 across 30 addresses (198.51.100.11-40)."
expect:
  - {detector: horizontal-sweep, source: 198.51.100.66, technique: syn, ports: [3128, 8080]}
$(forbid_except horizontal-sweep scanner-fingerprint)
EOF2

  local kind flag
  for kind in echo:-PE timestamp:-PP mask:-PM; do
    flag=${kind#*:}
    kind=${kind%%:*}
    scenario "ping-sweep-$kind" 180 "nmap -n -sn $flag --disable-arp-ping 198.51.100.11-40" <<EOF2
scenario: ping-sweep-$kind
description: "nmap -sn $flag: ICMP $kind requests to 30 addresses (198.51.100.11-40); ARP discovery disabled so the probes are IP."
expect:
  - {detector: ping-sweep, source: 198.51.100.66$([[ $kind == echo ]] && echo ", technique: icmp-echo")}
$(forbid_except ping-sweep scanner-fingerprint)
EOF2
  done

  scenario ping-sweep-default 180 "nmap -n -sn --disable-arp-ping 198.51.100.11-40" <<EOF2
scenario: ping-sweep-default
description: "nmap -sn with its default probes (ICMP echo, TCP SYN 443, TCP ACK 80, ICMP timestamp) across 30 addresses (the ACK to port 80 passes the open-port rule unlogged); the SYN 443 probes may also read as a horizontal sweep."
expect:
  - {detector: ping-sweep, source: 198.51.100.66}
$(forbid_except ping-sweep horizontal-sweep scanner-fingerprint)
EOF2

  scenario traceroute-udp 120 "traceroute -n -w 1 -m 12 203.0.113.10" <<EOF2
scenario: traceroute-udp
description: "UNIX traceroute (UDP to 33434 and up, 3 probes per TTL) through one router to 203.0.113.10: the first probes to arrive had TTL 2, so the target is 2 hops away."
expect:
  - {detector: traceroute, source: 192.0.2.66}
$(forbid_except traceroute)
EOF2

  scenario traceroute-icmp 120 "traceroute -I -n -w 1 -m 12 203.0.113.10" <<EOF2
scenario: traceroute-icmp
description: "traceroute -I (ICMP echo with rising TTL, like Windows tracert) through one router to 203.0.113.10, 2 hops away."
expect:
  - {detector: traceroute, source: 192.0.2.66, technique: icmp-echo}
$(forbid_except traceroute)
EOF2
}

probes_and_noise() {
  scenario trojan-probes 120 \
    "for p in 1243 27374 31337 12345 6776; do nc -n -z -w 2 $T \$p; done; for p in 31337 31789; do hping3 -q -2 -c 2 -p \$p $T; done" <<EOF2
scenario: trojan-probes
description: "Connections to the trojan ports 1243 (Sub-7), 27374, 31337 (Back Orifice), 12345 (NetBus), 6776 over TCP and UDP 31337 and 31789 (Hack'a'Tack)."
expect:
  - {detector: trojan-probe, source: 198.51.100.66, ports: [1243, 6776, 12345, 27374, 31337, 31789]}
$(forbid_except trojan-probe vertical-scan scanner-fingerprint)
EOF2

  scenario repeated-attempts 180 \
    "hping3 -q -S -p 22 -c 300 -i u100000 $T & for i in \$(seq 60); do nc -n -z -w 1 -s 198.51.100.68 $T 3389; done; wait" <<EOF2
scenario: repeated-attempts
description: "300 SYNs to SSH port 22 from one source (10 per second) and, from another, 60 connection attempts to RDP 3389 in a loop: password guessing or a retrying client, not a port scan."
expect:
  - {detector: repeated-attempts, source: 198.51.100.66, ports: [22]}
  - {detector: repeated-attempts, source: 198.51.100.68, ports: [3389]}
$(forbid_except repeated-attempts inherited-retry scanner-fingerprint)
EOF2

  scenario backscatter 120 \
    "for i in \$(seq 30); do hping3 -q -S -A -c 1 -a 203.0.113.80 -s 80 -k -p \$((RANDOM % 28000 + 32768)) $T & hping3 -q -R -A -c 1 -a 203.0.113.81 -s 443 -k -p \$((RANDOM % 28000 + 32768)) $T & sleep 0.05; done; wait" <<EOF2
scenario: backscatter
description: "Unsolicited SYN-ACKs from 203.0.113.80:80 and RST-ACKs from 203.0.113.81:443 to random high ports: replies of servers attacked with our address forged as the source."
expect:
  - {detector: backscatter, source: 203.0.113.80}
  - {detector: backscatter, source: 203.0.113.81}
$(forbid_except backscatter scanner-fingerprint)
EOF2

  scenario smurf 120 \
    "for i in \$(seq 21 30); do hping3 -q --icmp --icmptype 0 -c 40 -i u2000 -a 203.0.113.\$i $T & done; wait" <<EOF2
scenario: smurf
description: "Smurf-like burst: 400 ICMP echo replies from ten amplifiers (203.0.113.21-30) within a second, none of them asked for."
expect:
  - {detector: flood, source: 203.0.113.21}
  - {detector: flood, source: 203.0.113.30}
$(forbid_except flood backscatter)
EOF2

  scenario fraggle 120 \
    "for i in \$(seq 41 45); do hping3 -q -2 -c 40 -i u2000 -s 7 -k -a 203.0.113.\$i -p 40123 $T & hping3 -q -2 -c 40 -i u2000 -s 19 -k -a 203.0.113.\$((i + 10)) -p 40123 $T & done; wait" <<EOF2
scenario: fraggle
description: "Fraggle-like burst: 400 UDP packets from echo port 7 (203.0.113.41-45) and chargen port 19 (203.0.113.51-55) to one port of the target within a second."
expect:
  - {detector: flood, source: 203.0.113.41}
  - {detector: flood, source: 203.0.113.51}
$(forbid_except flood backscatter)
EOF2

  scenario spoofing 60 \
    "for s in 10.1.2.3 127.0.0.1 $T; do hping3 -q -S -c 3 -a \$s -p 80 $T; done" <<EOF2
scenario: spoofing
description: "SYNs forged with a private source (10.1.2.3), loopback (127.0.0.1) and the target's own address (198.51.100.10), arriving on the outside interface; caught by anti-spoofing rules in raw PREROUTING."
expect:
  - {detector: spoofing, source: 10.1.2.3}
  - {detector: spoofing, source: 127.0.0.1}
  - {detector: spoofing, source: 198.51.100.10}
$(forbid_except spoofing scanner-fingerprint)
EOF2

  scenario benign 60 \
    "ping -c 2 -I 198.51.100.99 $T; nc -n -z -w 2 -s 198.51.100.99 $T 80; sleep 1; echo hello | nc -n -N -w 2 -s 198.51.100.99 $T 80" <<EOF2
scenario: benign
description: "An ordinary host (198.51.100.99) pings twice (dropped) and makes two connections to the open port 80 (accepted and logged): nothing to report."
expect: []
$(forbid_except)
EOF2
}

# Issue 19: a scanner's randomised TTLs are not forgery, and a slow scan of a handful of ports is still a scan.
randomised_ttl_and_slow_few() {
  scenario nmap-random-ttl 120 "nmap -n -Pn -sS -T4 --max-retries 1 -p 21,22,23,25,110,143,443,3389 $T" <<EOF2
scenario: nmap-random-ttl
description: "nmap -sS (raw SYN probes) of 8 ports on one host: nmap gives every raw probe a random IP TTL, so one source arrives with TTLs spread over a range. That is a scanner, not someone forging its address; too few ports for a vertical scan."
expect: []
$(forbid_except vertical-scan scanner-fingerprint)
EOF2

  scenario slow-scan-few-ports 240 "nmap -n -Pn -sS --scan-delay 15s --max-retries 0 -p 22,23,443,3389,5900 $T" <<EOF2
scenario: slow-scan-few-ports
description: "nmap -sS --scan-delay 15s --max-retries 0 of 5 ports: one probe every 15 seconds, no retries, about a minute in all. Too few ports for a vertical or slow scan of many ports; still a scan."
expect:
  - {detector: slow-scan, source: 198.51.100.66, technique: syn, ports: [22, 23, 443, 3389, 5900]}
$(forbid_except slow-scan scanner-fingerprint)
EOF2
}

# Run the named scenarios (all when none are named); long ones start first and run alongside.
run_selected_scenarios() {
  SELECTED=("$@")
  background_scenarios
  vertical_scans
  distributed_ipv6
  fingerprint_scans
  sweeps
  probes_and_noise
  randomised_ttl_and_slow_few
}
