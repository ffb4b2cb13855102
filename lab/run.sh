#!/usr/bin/env bash
# fwlens scan lab: run real scanners between network namespaces and capture the target's netfilter log
# as test fixtures (test/fixtures/lab/<scenario>/{kern.log,truth.yaml,command.txt}). Run as root.
# Usage: sudo lab/run.sh [scenario ...]   (no names = all scenarios)
set -uo pipefail

LAB_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(dirname "$LAB_DIR")
OUT_DIR=${FWLAB_OUT:-$REPO_DIR/test/fixtures/lab}
WORK_DIR=$(mktemp -d /tmp/fwlab.XXXXXX)
RAW_KMSG=$WORK_DIR/kmsg.raw
TOOL_LOG=$WORK_DIR/tools.log

[[ $EUID -eq 0 ]] || { echo "run.sh: must run as root" >&2; exit 1; }

# shellcheck source=topology.sh
source "$LAB_DIR/topology.sh"
# shellcheck source=scenarios.sh
source "$LAB_DIR/scenario-kit.sh"
source "$LAB_DIR/scenarios.sh"

install_tools() {
  local missing=0 tool
  for tool in nmap hping3 iptables ip6tables traceroute ip ping nc; do command -v $tool >/dev/null || missing=1; done
  if ((missing)); then
    timeout 300 apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
      nmap hping3 iptables traceroute iproute2 iputils-ping netcat-openbsd
  fi
}

SAVED_LOG_ALL_NETNS=$(sysctl -n net.netfilter.nf_log_all_netns 2>/dev/null || echo 0)
SAVED_DEVKMSG=$(sysctl -n kernel.printk_devkmsg 2>/dev/null || echo ratelimit)
CAPTURE_PID=""
BG_PIDS=()

cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}" ${LISTENER_PID:-} ${LISTENER6_PID:-} $CAPTURE_PID; do
    kill "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  destroy_topology
  sysctl -qw net.netfilter.nf_log_all_netns="$SAVED_LOG_ALL_NETNS"
  sysctl -qw kernel.printk_devkmsg="$SAVED_DEVKMSG"
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT INT TERM

# Write a marker record into the kernel log; the begin mark carries the wall clock to anchor timestamps.
mark() { # begin|end name
  if [[ $1 == begin ]]; then
    echo "fwlab-mark: begin $2 wall=$(date +%s%3N)" >/dev/kmsg
  else
    echo "fwlab-mark: end $2" >/dev/kmsg
  fi
}

install_tools
destroy_topology # leftovers of an aborted run
sysctl -qw net.netfilter.nf_log_all_netns=1
sysctl -qw kernel.printk_devkmsg=on # markers must not be rate limited
build_topology
install_firewall
start_listener
node "$LAB_DIR/kmsg-capture.mjs" >"$RAW_KMSG" 2>>"$TOOL_LOG" &
CAPTURE_PID=$!
sleep 2 # ARP/ND settle, capture reader attached

run_selected_scenarios "$@"
wait_background_scenarios

sleep 1
extract_all
echo "run.sh: fixtures in $OUT_DIR"
