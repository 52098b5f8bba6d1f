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
