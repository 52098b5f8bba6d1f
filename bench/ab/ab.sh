#!/bin/bash
# A/B two swarm binaries on one WAN lab link, alternating, as the A/B
# tables in docs/ratectl.md were measured. Root is needed (the lab).
#
#   bench/ab/ab.sh RATE_MBIT RTT_MS LOSS_PCT QUEUE_MS FILE ROUNDS BIN_A BIN_B
#
# Brings up a lab (go run ./bench/wanlab up), then ROUNDS times for each
# binary: starts that binary's daemon as the seeder of FILE (restarted per
# run), runs `swarm get` from the downloader namespace and prints goodput
# (the --json report), wall goodput (launch to exit), the downloader's CPU
# (user, system) and the seeder daemon's CPU seconds for the run. Only the
# processes it started are stopped.
#
# Optional environment: GET_ARGS adds `swarm get` flags (e.g. "--policy
# high"); GET_LOG sets the get's SWARM_LOG (e.g. debug; the log is not
# kept); LAB_ARGS adds wanlab flags (e.g. "--jitter 5
# --loss-burst 3 --reorder 1"); TCP_CC="bbr cubic" also runs one iperf3
# transfer of FILE's size per round and congestion control, seeder to
# downloader, as a same-run baseline; SEED_TRACE=FILE has the seeder
# daemons append their SWARM_TRACE records to FILE; GET_OUT=FILE appends
# each get's output (its --json report and, with GET_LOG, its log).
set -euo pipefail
# shellcheck source=seeder.sh
. "$(dirname "$0")/seeder.sh"
[ $# -eq 8 ] || { sed -n '2,12p' "$0"; exit 2; }
RATE=$1 RTT=$2 LOSS=$3 QMS=$4 FILE=$5 ROUNDS=$6 A=$7 B=$8
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC2086 # LAB_ARGS is a list of flags
lab_up swarm-ab "$RATE" "$RTT" "$LOSS" "$QMS" ${LAB_ARGS:-}
SIZE=$(stat -c %s "$FILE")
tcp() { # one iperf3 transfer of SIZE bytes with congestion control $1
	$D iperf3 -s -1 -B "$DADDR" -p 5299 >/dev/null 2>&1 &
	local srv=$!
	sleep 0.5
	$S iperf3 -c "$DADDR" -p 5299 -C "$1" -n "$SIZE" --json 2>/dev/null | python3 -c '
import json,sys
r=json.load(sys.stdin)["end"]["sum_received"]
print("iperf3-%s goodput=%.1f" % (sys.argv[1], r["bits_per_second"]/1e6))' "$1" || echo "iperf3-$1 failed"
	wait "$srv" 2>/dev/null || true
}
for r in $(seq "$ROUNDS"); do
	for cc in ${TCP_CC:-}; do tcp "$cc"; done
	for bin in "$A" "$B"; do
		start_seeder "$bin" "$FILE" 10.77
		c0=$(awk '{print $14+$15}' /proc/$SEED_PID/stat)
		SWARM_REPO=$WORK/get $D "$bin" init >/dev/null
		t0=$(date +%s.%N)
		out=$( { SWARM_LOG=${GET_LOG:-} SWARM_REPO=$WORK/get /usr/bin/time -f "cpu %U %S" $D "$bin" get "$CID" -o "$WORK/out" --peer "$PEER" --json ${GET_ARGS:-}; } 2>&1)
		t1=$(date +%s.%N)
		[ -n "${GET_OUT:-}" ] && printf '%s\n' "$out" >>"$GET_OUT"
		c1=$(awk '{print $14+$15}' /proc/$SEED_PID/stat)
		kill "$SEED_PID"; wait "$SEED_PID" 2>/dev/null || true; SEED_PID=""
		gp=$(grep -o '"goodput_mbps":[0-9.]*' <<<"$out" | cut -d: -f2)
		cpu=$(grep -o 'cpu [0-9.]* [0-9.]*' <<<"$out" | cut -d' ' -f2-)
		printf '%s goodput=%.1f wall_goodput=%.1f wall_s=%.2f get_cpu_s(user,sys)=%s seeder_cpu_s=%.2f\n' \
			"$(basename "$bin")" "${gp:-0}" "$(echo "$SIZE*8/($t1-$t0)/1000000" | bc -l)" "$(echo "$t1-$t0" | bc -l)" "$cpu" "$(echo "($c1-$c0)/100" | bc -l)"
	done
done
