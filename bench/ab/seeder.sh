# Sourced by the A/B scripts in this directory (not run on its own).
#
# start_seeder BIN FILE ADDR starts a seeder of FILE with BIN in the
# seeder namespace ($S, a command prefix), from a fresh repository under
# $WORK (the downloader's repository and copy are cleared too), and sets
# CID, SEED_PID and PEER: the daemon's swarmrc address containing ADDR,
# or empty if it did not come up in 10 s. With SEED_TRACE set, the
# daemon appends its rate-control trace (SWARM_TRACE) to that file.
start_seeder() {
	local bin=$1 file=$2 match=$3
	rm -rf "$WORK/seed" "$WORK/get" "$WORK/out" "$WORK/.out.swarm-partial"
	SWARM_REPO=$WORK/seed $S "$bin" init >/dev/null
	CID=$(SWARM_REPO=$WORK/seed $S "$bin" add "$file" -Q)
	SWARM_TRACE=${SEED_TRACE:-} SWARM_REPO=$WORK/seed $S "$bin" daemon --api 127.0.0.1:0 >"$WORK/seed.log" 2>&1 &
	SEED_PID=$!
	PEER=""
	for _ in $(seq 50); do
		PEER=$(SWARM_REPO=$WORK/seed $S "$bin" id --json 2>/dev/null |
			python3 -c 'import json,sys; print([a for a in json.load(sys.stdin)["addrs"] if "swarmrc" in a and sys.argv[1] in a][0])' "$match" 2>/dev/null) && break
		sleep 0.2
	done
}

# lab_up PREFIX RATE RTT LOSS QMS [WANLAB FLAGS...] makes $WORK (a fresh
# /tmp/PREFIX.XXXXXX), traps EXIT to stop the seeder and the lab and remove
# it, builds the lab tool and brings up a lab, and sets LAB_PID, ID, S and
# D (command prefixes for the seeder's and the downloader's namespaces) and
# DADDR (the downloader's address). ROOT must be the repository.
lab_up() {
	local prefix=$1 rate=$2 rtt=$3 loss=$4 qms=$5
	shift 5
	WORK=$(mktemp -d "/tmp/$prefix.XXXXXX")
	LAB_PID="" SEED_PID=""
	trap lab_cleanup EXIT
	(cd "$ROOT" && go build -o "$WORK/wanlab" ./bench/wanlab)
	"$WORK/wanlab" up --rate "$rate" --rtt "$rtt" --loss "$loss" --queue-ms "$qms" "$@" >"$WORK/lab.log" 2>&1 &
	LAB_PID=$!
	for _ in $(seq 100); do grep -q "is up" "$WORK/lab.log" && break; sleep 0.1; done
	ID=$(grep -o "wan lab [0-9a-f]* is up" "$WORK/lab.log" | awk '{print $3}')
	[ -n "$ID" ] || { cat "$WORK/lab.log"; exit 1; }
	S="ip netns exec swl-$ID-s1" D="ip netns exec swl-$ID-d"
	DADDR=$(grep -o "^  d  *10\.77\.[0-9.]*" "$WORK/lab.log" | awk '{print $2}')
}

lab_cleanup() {
	[ -n "$SEED_PID" ] && kill "$SEED_PID" 2>/dev/null || true
	[ -n "$LAB_PID" ] && kill "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
