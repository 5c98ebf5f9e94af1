#!/usr/bin/env bash
# HTTP/2 scenario beside the shared harness (issue: HTTP/2 inside interception): h2load, 10
# connections x 10 concurrent streams, GET of 1 KiB over TLS + h2 to the harness's nginx origin
# (127.0.0.1:18443, http2 on), directly (the ceiling) and through each intercepting peer.
#
#   scripts/bench-h2.sh                      direct tollgate mitmproxy, REPEAT rounds (default 3)
#   REPEAT=1 DURATION=5 scripts/bench-h2.sh direct tollgate
#
# h2load cannot use a proxy, so for a peer it talks to a local socat shim that opens each of its
# connections with CONNECT 127.0.0.1:18443 through the peer and then relays bytes: the TLS
# handshake and every h2 frame go end to end to the proxy, which intercepts them. The shim runs
# on the client's core, like the load client itself, so every peer pays the same for it.
# Pinning as the harness: proxy on PROXY_CPU (1), nginx + h2load + shim on CLIENT_CPU (0).
# Everything stays on loopback; each window is bounded by DURATION seconds.
# Needs (Debian): nghttp2-client socat nginx, plus what scripts/bench.sh needs for the peers.
# Output: one line per window on stdout, then a table of medians; raw lines in
# $BENCH_SCRATCH/results/h2-<time>.tsv.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd -- "$script_dir/.." && pwd -P)
for tool in h2load socat; do
    command -v "$tool" > /dev/null || { echo "bench-h2: $tool is missing (apt-get install nghttp2-client socat)" >&2; exit 1; }
done
. "$script_dir/bench/prepare.sh"
cd -- "$scratch"
[ -s certs/proxy-ca.crt ] || ./setup-certs.sh >&2
. lib/common.sh

peers=("$@")
[ ${#peers[@]} -gt 0 ] || peers=(direct tollgate mitmproxy)
rounds=${REPEAT:-3}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
prewarm=${PRE_WARMUP:-10}
conns=${H2_CONNS:-10}
streams=${H2_STREAMS:-10}
shim_port=${SHIM_PORT:-18090}
peer_port=${PORT_BASE:-18100}
origin="$ORIGIN_HOST:$ORIGIN_HTTPS_PORT"
mkdir -p results
out="results/h2-$(date -u +%Y%m%dT%H%M%SZ).tsv"
printf 'round\tpeer\treq_s\tcpu_us_per_req\tpeak_rss_mib\tfailed\n' > "$out"

started_origin=0
if ! (exec 3<>"/dev/tcp/$ORIGIN_HOST/$ORIGIN_HTTPS_PORT") 2> /dev/null; then
    ./origin.sh start >&2
    started_origin=1
fi
shim_pid=
cleanup() {
    [ -z "$shim_pid" ] || kill "$shim_pid" 2> /dev/null || true
    for p in "${peers[@]}"; do
        [ "$p" = direct ] || "peers/$p.sh" stop "$peer_port" > /dev/null 2>&1 || true
    done
    [ "$started_origin" = 0 ] || ./origin.sh stop > /dev/null 2>&1 || true
}
trap cleanup EXIT

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# h2load_window SECONDS PORT: prints "req/s failed"
h2load_window() {
    # a stream the peer never finishes must not hold h2load (or this script) past the window
    timeout "$(($1 + 30))" "${CLIENT_PIN[@]}" h2load -c "$conns" -m "$streams" -D "$1" \
        --connection-inactivity-timeout=5 -H ":authority: $origin" \
        "https://127.0.0.1:$2/1k" > "$STATE_DIR/h2load.out" 2>&1 < /dev/null || true
    awk '/^finished in/ { gsub(",", "", $4); rps = $4 }
         /^requests:/ { for (i = 1; i <= NF; i++) if ($(i + 1) == "failed,") failed = $i }
         END { printf "%s %s\n", rps == "" ? 0 : rps, failed == "" ? "?" : failed }' "$STATE_DIR/h2load.out"
}

run_peer() { # run_peer ROUND PEER
    local round=$1 peer=$2 port pid=
    if [ "$peer" = direct ]; then
        port=$ORIGIN_HTTPS_PORT
    else
        "peers/$peer.sh" start "$peer_port" >&2
        pid=$(cat "$(pidfile_for "$peer_port")")
        # nodelay on both sides: with Nagle on, the shim itself held small h2 frames back (5.5k req/s,
        # both cores mostly idle) and every peer would have been measured through that delay
        "${CLIENT_PIN[@]}" socat "TCP-LISTEN:$shim_port,bind=127.0.0.1,fork,reuseaddr,nodelay" \
            "PROXY:127.0.0.1:$ORIGIN_HOST:$ORIGIN_HTTPS_PORT,proxyport=$peer_port,nodelay" 2> /dev/null &
        shim_pid=$!
        wait_port 127.0.0.1 "$shim_port" 10
        port=$shim_port
        h2load_window "$prewarm" "$port" > /dev/null # JIT and leaf cache, as the harness's pre-warm-up
    fi
    h2load_window "$warmup" "$port" > /dev/null
    local t0=0 ticks=0 hz rss=-
    hz=$(getconf CLK_TCK)
    if [ -n "$pid" ]; then
        echo 5 > "/proc/$pid/clear_refs" 2> /dev/null || true
        t0=$(cpu_ticks "$pid")
    fi
    local window rps failed
    window=$(h2load_window "$duration" "$port")
    read -r rps failed <<< "$window"
    local cpu_us=-
    if [ -n "$pid" ]; then
        ticks=$(($(cpu_ticks "$pid") - t0))
        rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
        cpu_us=$(awk -v t="$ticks" -v hz="$hz" -v r="$rps" -v d="$duration" \
            'BEGIN { n = r * d; printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        kill "$shim_pid" 2> /dev/null || true
        wait "$shim_pid" 2> /dev/null || true
        shim_pid=
        "peers/$peer.sh" stop "$peer_port" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$peer" "$rps" "$cpu_us" "$rss" "$failed" | tee -a "$out"
}

for ((r = 1; r <= rounds; r++)); do
    for p in "${peers[@]}"; do
        run_peer "$r" "$p"
    done
done

echo
echo "h2: $conns connections x $streams streams, 1 KiB, ${duration} s windows, medians of $rounds round(s) ($out)"
python3 - "$out" << 'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
peers = list(dict.fromkeys(r["peer"] for r in rows))
def med(peer, key):
    vals = [float(r[key]) for r in rows if r["peer"] == peer and r[key] not in ("-", "?", "")]
    return statistics.median(vals) if vals else None
direct = med("direct", "req_s")
print("| peer | req/s | of direct | CPU µs/req | peak RSS MiB | failed |")
print("|---|---|---|---|---|---|")
for p in peers:
    rps = med(p, "req_s")
    ratio = f"{rps / direct:.2f}" if direct and rps is not None else "-"
    cpu, rss = med(p, "cpu_us_per_req"), med(p, "peak_rss_mib")
    failed = ",".join(r["failed"] for r in rows if r["peer"] == p)
    print(f"| {p} | {rps:,.0f} | {ratio} | {'-' if cpu is None else f'{cpu:.0f}'} | {'-' if rss is None else f'{rss:.0f}'} | {failed} |")
EOF
