# Lab scenario machinery: run one scenario, mark its span in the kernel log, cut its kern.log out later.
# Sourced by run.sh (needs OUT_DIR, RAW_KMSG, TOOL_LOG, mark, NS_ATTACKER).

ALL_DETECTORS=(vertical-scan horizontal-sweep ping-sweep slow-scan distributed-scan traceroute
  scanner-fingerprint trojan-probe inherited-retry return-traffic outbound-beacon lan-noise
  backscatter flood spoofing repeated-attempts)
FG_SCENARIOS=()
BG_SCENARIOS=() # "name=src1,src2"
BG_SOURCES=""
SELECTED=()

# Print the truth file's forbid line: every detector id except the ones named.
forbid_except() {
  local id keep out=()
  for id in "${ALL_DETECTORS[@]}"; do
    for keep in "$@"; do [[ $id == "$keep" ]] && continue 2; done
    out+=("$id")
  done
  local IFS=,
  echo "forbid: [${out[*]}]" | sed 's/,/, /g'
}

selected() {
  ((${#SELECTED[@]} == 0)) && return 0
  local s
  for s in "${SELECTED[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

# Write truth.yaml (stdin) and command.txt for a scenario.
write_truth() { # name command
  mkdir -p "$OUT_DIR/$1"
  cat >"$OUT_DIR/$1/truth.yaml"
  printf '%s\n' "$2" >"$OUT_DIR/$1/command.txt"
}

# scenario NAME TIMEOUT COMMAND  (truth.yaml on stdin): run COMMAND in the attacker namespace, in the foreground.
scenario() {
  local name=$1 limit=$2 cmd=$3
  if ! selected "$name"; then cat >/dev/null; return 0; fi
  write_truth "$name" "$cmd"
  echo "== $name"
  mark begin "$name"
  echo "== $name: $cmd" >>"$TOOL_LOG"
  ip netns exec "$NS_ATTACKER" timeout "$limit" bash -c "$cmd" >>"$TOOL_LOG" 2>&1 || echo "   exit status $?"
  sleep 2 # late retransmissions still belong to this scenario
  mark end "$name"
  FG_SCENARIOS+=("$name")
}

# scenario_bg NAME TIMEOUT SOURCES COMMAND  (truth on stdin): a long-running scenario that runs alongside
# the others; its lines are told apart by source address (SOURCES, comma-separated, reserved for it).
scenario_bg() {
  local name=$1 limit=$2 sources=$3 cmd=$4
  if ! selected "$name"; then cat >/dev/null; return 0; fi
  write_truth "$name" "$cmd"
  echo "== $name (background, up to ${limit}s)"
  (
    mark begin "$name"
    ip netns exec "$NS_ATTACKER" timeout "$limit" bash -c "$cmd" >>"$TOOL_LOG" 2>&1
    sleep 2
    mark end "$name"
  ) &
  BG_PIDS+=($!)
  BG_SCENARIOS+=("$name=$sources")
  BG_SOURCES+="$sources,"
}

wait_background_scenarios() {
  ((${#BG_PIDS[@]})) || return 0
  echo "== waiting for background scenarios"
  wait "${BG_PIDS[@]}"
}

extract_all() {
  local name entry lines
  for name in "${FG_SCENARIOS[@]}"; do
    node "$LAB_DIR/kmsg-extract.mjs" "$RAW_KMSG" "$name" --exclude-src "$BG_SOURCES" >"$OUT_DIR/$name/kern.log"
  done
  for entry in "${BG_SCENARIOS[@]}"; do
    name=${entry%%=*}
    node "$LAB_DIR/kmsg-extract.mjs" "$RAW_KMSG" "$name" --only-src "${entry#*=}" >"$OUT_DIR/$name/kern.log"
  done
  for name in "${FG_SCENARIOS[@]}" "${BG_SCENARIOS[@]%%=*}"; do
    lines=$(wc -l <"$OUT_DIR/$name/kern.log")
    printf '%-24s %6d lines\n' "$name" "$lines"
  done
}
