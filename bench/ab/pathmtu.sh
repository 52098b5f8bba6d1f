#!/bin/bash
# A/B two swarm binaries across a path of given MTUs, as the "Path MTU"
# figures in docs/ratectl.md were measured. Root and iproute2 are needed.
#
#   bench/ab/pathmtu.sh SEED_MTU GET_MTU FILE ROUNDS BIN_A BIN_B
#
# Builds three network namespaces: the seeder (10.88.1.1), a forwarder,
# and the downloader (10.88.2.1); the seeder's link has SEED_MTU, the
# downloader's GET_MTU (veth, no shaping). Then ROUNDS times for each
# binary: a seeder daemon of FILE, `swarm get` from the downloader, and
# one line: goodput (the --json report, 0 if the get failed), whether the
# copy is identical, the downloader's CPU (user, system) and the seeder
# daemon's CPU seconds. Only its own namespaces and processes are removed.
set -euo pipefail
# shellcheck source=seeder.sh
. "$(dirname "$0")/seeder.sh"
[ $# -eq 6 ] || { sed -n '2,13p' "$0"; exit 2; }
SMTU=$1 GMTU=$2 FILE=$3 ROUNDS=$4 A=$5 B=$6
P=swpm$$
NS_S=$P-s NS_R=$P-r NS_D=$P-d
WORK=$(mktemp -d /tmp/swarm-pathmtu.XXXXXX)
SEED_PID=""
cleanup() {
	[ -n "$SEED_PID" ] && kill "$SEED_PID" 2>/dev/null || true
	for n in $NS_S $NS_R $NS_D; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
for n in $NS_S $NS_R $NS_D; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add "${P}a" type veth peer name "${P}b"
ip link set "${P}a" netns $NS_S; ip link set "${P}b" netns $NS_R
ip link add "${P}c" type veth peer name "${P}d"
ip link set "${P}c" netns $NS_R; ip link set "${P}d" netns $NS_D
ip -n $NS_S addr add 10.88.1.1/24 dev "${P}a"; ip -n $NS_S link set "${P}a" up mtu "$SMTU"
ip -n $NS_R addr add 10.88.1.2/24 dev "${P}b"; ip -n $NS_R link set "${P}b" up mtu "$SMTU"
ip -n $NS_R addr add 10.88.2.2/24 dev "${P}c"; ip -n $NS_R link set "${P}c" up mtu "$GMTU"
ip -n $NS_D addr add 10.88.2.1/24 dev "${P}d"; ip -n $NS_D link set "${P}d" up mtu "$GMTU"
ip -n $NS_S route add default via 10.88.1.2
ip -n $NS_D route add default via 10.88.2.2
ip netns exec $NS_R sysctl -qw net.ipv4.ip_forward=1
S="ip netns exec $NS_S" D="ip netns exec $NS_D"
for r in $(seq "$ROUNDS"); do
	for bin in "$A" "$B"; do
		start_seeder "$bin" "$FILE" 10.88.1.1
		SWARM_REPO=$WORK/get $D "$bin" init >/dev/null
		c0=$(awk '{print $14+$15}' /proc/$SEED_PID/stat)
		out=$( { SWARM_REPO=$WORK/get /usr/bin/time -f "cpu %U %S" timeout 120 $D "$bin" get "$CID" -o "$WORK/out" --peer "$PEER" --json; } 2>&1 || true)
		c1=$(awk '{print $14+$15}' /proc/$SEED_PID/stat)
		kill "$SEED_PID"; wait "$SEED_PID" 2>/dev/null || true; SEED_PID=""
		same=no; cmp -s "$WORK/out" "$FILE" && same=yes
		gp=$(grep -o '"goodput_mbps":[0-9.]*' <<<"$out" | cut -d: -f2 || true)
		cpu=$(grep -o 'cpu [0-9.]* [0-9.]*' <<<"$out" | cut -d' ' -f2- || true)
		printf '%s goodput=%.0f identical=%s get_cpu_s(user,sys)=%s seeder_cpu_s=%.2f\n' \
			"$(basename "$bin")" "${gp:-0}" "$same" "$cpu" "$(echo "($c1-$c0)/100" | bc -l)"
	done
done
