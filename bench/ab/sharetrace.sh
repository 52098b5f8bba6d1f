#!/bin/bash
# Trace swarm sharing a link with one TCP flow, as the sharing benchmark
# does (docs/benchmarks.md), with the seeder's rate-control trace kept.
# Root is needed (the lab).
#
#   bench/ab/sharetrace.sh BIN CC [POLICY] [TRACE]
#
# Brings up a 50 Mbit/s, 50 ms lab link with a 50 ms drop-tail queue,
# starts an iperf3 flow with congestion control CC (cubic, bbr) from the
# seeder for 48 s, and 8 s later `swarm get --policy POLICY` (default fair)
# of a 300 MB file from BIN's daemon for at most 40 s. The daemon's
# SWARM_TRACE records go to TRACE (default ./share.trace); the last lines
# printed are swarm's report and iperf3's. Only the processes it started
# are stopped.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,14p' "$0"; exit 2; }
BIN=$1 CC=$2 POL=${3:-fair} TRACE=$(realpath -m "${4:-share.trace}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=seeder.sh
. "$(dirname "$0")/seeder.sh"
lab_up swarm-share 50 50 0 50
head -c 300000000 /dev/urandom >"$WORK/f.bin"
SWARM_REPO=$WORK/seed $S "$BIN" init >/dev/null
CID=$(SWARM_REPO=$WORK/seed $S "$BIN" add "$WORK/f.bin" -Q)
rm -f "$TRACE"
SWARM_TRACE=$TRACE SWARM_REPO=$WORK/seed $S "$BIN" daemon --api 127.0.0.1:0 >"$WORK/seed.log" 2>&1 &
SEED_PID=$!
PEER=""
for _ in $(seq 50); do
	PEER=$(SWARM_REPO=$WORK/seed $S "$BIN" id --json 2>/dev/null |
		python3 -c 'import json,sys; print([a for a in json.load(sys.stdin)["addrs"] if "swarmrc" in a and "10.77" in a][0])' 2>/dev/null) && break
	sleep 0.2
done
[ -n "$PEER" ] || { cat "$WORK/seed.log"; exit 1; }
SWARM_REPO=$WORK/get $D "$BIN" init >/dev/null
$D iperf3 -s -1 -B "$DADDR" -p 5201 >/dev/null 2>&1 &
sleep 0.5
$S iperf3 -c "$DADDR" -p 5201 -C "$CC" -t 48 >"$WORK/iperf.txt" 2>&1 &
IPC=$!
sleep 8
SWARM_REPO=$WORK/get timeout 40 $D "$BIN" get "$CID" -o "$WORK/out" --peer "$PEER" --json --policy "$POL" 2>&1 | tail -1 | cut -c1-300 || true
wait $IPC || true
grep -E "sender|receiver" "$WORK/iperf.txt" | tail -2
