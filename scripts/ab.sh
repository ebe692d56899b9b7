#!/usr/bin/env bash
# Alternating A/B timing of `pricer/examples/hot` (or any command taking an
# iteration count last): runs every command in turn, ROUNDS times (default 20),
# reversing the order every other round, and prints the minimum and the
# median wall time per iteration in ns. The reversal matters on a shared
# machine: a fixed order measured the later position 2-5 % faster even for
# two copies of one binary.
#
#   cargo build --release -p pricer --example hot
#   cp target/release/examples/hot /tmp/hot_a   # ... change, rebuild ...
#   scripts/ab.sh 50000 "/tmp/hot_a alo" "target/release/examples/hot alo"
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 ITERS \"CMD ARGS\" [\"CMD ARGS\" ...]" >&2
  exit 2
fi
it=$1
shift
cmds=("$@")
declare -A times
for r in $(seq 1 "${ROUNDS:-20}"); do
  order=()
  if (( r % 2 )); then
    order=("${cmds[@]}")
  else
    for ((i = ${#cmds[@]} - 1; i >= 0; i--)); do order+=("${cmds[$i]}"); done
  fi
  for c in "${order[@]}"; do
    s=$(date +%s%N)
    # shellcheck disable=SC2086 # the command and its arguments are one string
    $c "$it" >/dev/null 2>&1
    e=$(date +%s%N)
    times[$c]="${times[$c]:-} $(((e - s) / it))"
  done
done
for c in "${cmds[@]}"; do
  # shellcheck disable=SC2086
  printf '%s: %s\n' "$c" "$(printf '%s\n' ${times[$c]} | sort -n |
    awk '{a[NR] = $1} END {printf "min %d ns, median %d ns", a[1], a[int((NR + 1) / 2)]}')"
done
