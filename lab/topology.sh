# Lab topology: namespaces, veth links, documentation addresses and the target's LOG+DROP firewall.
# Sourced by run.sh; every function here runs as root and touches only fwl-* namespaces.
#
#   fwl-attacker eth0 198.51.100.66/24 (+ .67-.72, .99)  <->  fwl-target eth0 198.51.100.10/24 (+ .11-.40)
#                     2001:db8:66::66/64 (+ ::67-::70)                       2001:db8:66::10/64
#   fwl-attacker eth1 192.0.2.66/24 <-> fwl-router eth0 192.0.2.1 | eth1 203.0.113.1 <-> fwl-target eth1 203.0.113.10/24

NS_ATTACKER=fwl-attacker
NS_ROUTER=fwl-router
NS_TARGET=fwl-target
TARGET4=198.51.100.10
TARGET6=2001:db8:66::10
OPEN_PORT=80

# Join two namespaces with a veth pair and give each end the name it should have inside.
link_pair() { # ns_a name_a ns_b name_b
  local tmp_a="fwl$RANDOM" tmp_b="fwl$RANDOM"
  ip link add "$tmp_a" type veth peer name "$tmp_b"
  ip link set "$tmp_a" netns "$1"
  ip link set "$tmp_b" netns "$3"
  ip -n "$1" link set "$tmp_a" name "$2"
  ip -n "$3" link set "$tmp_b" name "$4"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

build_topology() {
  local ns
  for ns in $NS_ATTACKER $NS_ROUTER $NS_TARGET; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  link_pair $NS_ATTACKER eth0 $NS_TARGET eth0
  link_pair $NS_ATTACKER eth1 $NS_ROUTER eth0
  link_pair $NS_ROUTER eth1 $NS_TARGET eth1

  ip -n $NS_ATTACKER addr add 198.51.100.66/24 dev eth0
  local i
  for i in 67 68 69 70 71 72 99; do ip -n $NS_ATTACKER addr add 198.51.100.$i/24 dev eth0; done
  ip -n $NS_ATTACKER addr add 2001:db8:66::66/64 dev eth0 nodad
  for i in 67 68 69 70; do ip -n $NS_ATTACKER addr add 2001:db8:66::$i/64 dev eth0 nodad; done
  ip -n $NS_ATTACKER addr add 192.0.2.66/24 dev eth1
  ip -n $NS_ATTACKER route add 203.0.113.0/24 via 192.0.2.1

  ip -n $NS_ROUTER addr add 192.0.2.1/24 dev eth0
  ip -n $NS_ROUTER addr add 203.0.113.1/24 dev eth1
  ip netns exec $NS_ROUTER sysctl -qw net.ipv4.ip_forward=1

  ip -n $NS_TARGET addr add $TARGET4/24 dev eth0
  for i in $(seq 11 40); do ip -n $NS_TARGET addr add 198.51.100.$i/24 dev eth0; done
  ip -n $NS_TARGET addr add $TARGET6/64 dev eth0 nodad
  ip -n $NS_TARGET addr add 203.0.113.10/24 dev eth1
  ip -n $NS_TARGET route add 192.0.2.0/24 via 203.0.113.1
  # Spoofed and backscatter sources must reach the firewall rules instead of dying in reverse-path checks.
  for i in all default eth0 eth1; do ip netns exec $NS_TARGET sysctl -qw net.ipv4.conf.$i.rp_filter=0; done
}

# The DROP logging rule; extra LOG options (e.g. --log-tcp-sequence) can be passed for one scenario.
drop_log_rule() { echo "-j LOG --log-prefix \"FWLAB DROP: \" $*"; }

# Target firewall: anti-spoofing in raw PREROUTING (before routing would discard martians silently),
# then INPUT accepts the one open port (logging new connections) and logs and drops everything else.
install_firewall() {
  local ipt="ip netns exec $NS_TARGET iptables" ip6t="ip netns exec $NS_TARGET ip6tables"
  $ipt -t raw -A PREROUTING -i lo -j ACCEPT
  $ipt -t raw -N ANTISPOOF
  $ipt -t raw -A ANTISPOOF -j LOG --log-prefix "FWLAB DROP: "
  $ipt -t raw -A ANTISPOOF -j DROP
  $ipt -t raw -A PREROUTING -m addrtype --src-type LOCAL -j ANTISPOOF
  local net
  for net in 127.0.0.0/8 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16; do
    $ipt -t raw -A PREROUTING -s $net -j ANTISPOOF
  done
  set_input_rules ""
}

# (Re)write the INPUT chains; $1 = extra options for the DROP LOG rule.
set_input_rules() {
  local ipt="ip netns exec $NS_TARGET iptables" ip6t="ip netns exec $NS_TARGET ip6tables" t
  $ipt -F INPUT
  $ip6t -F INPUT
  $ipt -A INPUT -i lo -j ACCEPT
  $ip6t -A INPUT -i lo -j ACCEPT
  for t in neighbour-solicitation neighbour-advertisement router-solicitation router-advertisement; do
    $ip6t -A INPUT -p ipv6-icmp --icmpv6-type $t -j ACCEPT
  done
  for t in "$ipt" "$ip6t"; do
    $t -A INPUT -p tcp --dport $OPEN_PORT --syn -j LOG --log-prefix "FWLAB ACCEPT: "
    $t -A INPUT -p tcp --dport $OPEN_PORT -j ACCEPT
    eval "$t -A INPUT $(drop_log_rule "$1")"
    $t -A INPUT -j DROP
  done
}

# The open port: a netcat listener that accepts connection after connection.
start_listener() {
  # IPv6-only sockets so the IPv4 and IPv6 listeners can share the port number.
  ip netns exec $NS_TARGET sysctl -qw net.ipv6.bindv6only=1
  ip netns exec $NS_TARGET timeout 7200 nc -4 -lk $OPEN_PORT >/dev/null 2>&1 &
  LISTENER_PID=$!
  ip netns exec $NS_TARGET timeout 7200 nc -6 -lk $OPEN_PORT >/dev/null 2>&1 &
  LISTENER6_PID=$!
}

destroy_topology() {
  local ns
  for ns in $NS_ATTACKER $NS_ROUTER $NS_TARGET; do ip netns del "$ns" 2>/dev/null; done
  return 0
}
